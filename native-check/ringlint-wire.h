/*
 * Byte layouts shared by the emulator (ringemu.c), the traffic generator (traffic.c), the fixture
 * consumers and the TypeScript side (src/runtime/wire-format.ts mirrors these values).
 * Changing a value here means changing it there too.
 */
#ifndef RINGLINT_WIRE_H
#define RINGLINT_WIRE_H

#include <stdint.h>

/*
 * The emulated IN_PROGRESS status. The uapi (linux/if_packet.h) defines bits 0-8 and 29-31 of
 * tp_status; bit 28 is undefined, so no consumer can mistake it for a documented flag. The RFC
 * itself reused TP_STATUS_LOSING (bit 2); RINGEMU_IN_PROGRESS=losing selects that instead.
 */
#define RINGLINT_IN_PROGRESS_UNDEFINED_BIT (1u << 28)
#define RINGLINT_IN_PROGRESS_LOSING (1u << 2)

/* The most emulated producers (RINGEMU_PRODUCERS, ringlint check --producers). */
#define RINGLINT_MAX_PRODUCERS 16

/* EtherType 0x88B5 is IEEE "local experimental": no protocol stack reacts to it. */
#define RINGLINT_ETHERTYPE 0x88B5

/* Traffic frames: Ethernet header, then this payload, then seeded filler. */
#define RINGLINT_TRAFFIC_MAGIC "RINGLINT-TRAFFIC"
#define RINGLINT_POISON_MAGIC "RINGLINT-POISON!"
#define RINGLINT_MAGIC_LEN 16

struct ringlint_payload {
  char magic[RINGLINT_MAGIC_LEN];
  uint32_t sequence; /* network byte order */
  uint32_t seed;     /* network byte order */
};

/* Source MAC of emulator poison frames: locally administered, spells "RLPO". */
#define RINGLINT_POISON_MAC {0x02, 0x52, 0x4c, 0x50, 0x4f, 0x49}
#define RINGLINT_POISON_FRAME_LEN 64

#endif
