/*
 * ringlint-traffic: sends a seeded, sequence-numbered frame pattern out of one interface.
 *
 *   ringlint-traffic IFACE COUNT RATE SEED [VLAN_EVERY]
 *
 * RATE is frames per second, 0 for as fast as possible. Every VLAN_EVERY-th frame (default 5)
 * carries an 802.1Q tag, so the receiving kernel reports it with TP_STATUS_VLAN_VALID: a consumer
 * that tests `status == TP_STATUS_USER` meets a real flag bit. Frame lengths vary with the seed.
 * Prints one JSON line: {"sent":n,"seed":s,"elapsedMs":t,"vlanFrames":v}.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ringlint-wire.h"

#define BATCH 32
#define MAX_FRAME 1514

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t rng_state;
static uint64_t next_random(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static size_t build_frame(uint8_t *frame, uint32_t sequence, uint32_t seed, int vlan) {
  static const uint8_t source[6] = {0x02, 0x52, 0x4c, 0x54, 0x52, 0x46};
  size_t off = 0;
  memset(frame, 0xff, 6);
  memcpy(frame + 6, source, 6);
  off = 12;
  if (vlan) {
    uint16_t vid = (uint16_t)(1 + next_random() % 4094);
    frame[off++] = 0x81;
    frame[off++] = 0x00;
    frame[off++] = (uint8_t)(vid >> 8);
    frame[off++] = (uint8_t)(vid & 0xff);
  }
  frame[off++] = RINGLINT_ETHERTYPE >> 8;
  frame[off++] = RINGLINT_ETHERTYPE & 0xff;
  struct ringlint_payload payload;
  memcpy(payload.magic, RINGLINT_TRAFFIC_MAGIC, RINGLINT_MAGIC_LEN);
  payload.sequence = htonl(sequence);
  payload.seed = htonl(seed);
  memcpy(frame + off, &payload, sizeof payload);
  off += sizeof payload;
  size_t filler = 20 + next_random() % 200;
  for (size_t i = 0; i < filler; i++) frame[off + i] = (uint8_t)(sequence + i);
  return off + filler;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s IFACE COUNT RATE SEED [VLAN_EVERY]\n", argv[0]);
    return 2;
  }
  /* Sends from inside the check's sandbox: it must not outlive the check, even a SIGKILLed one. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  const char *iface = argv[1];
  unsigned long count = strtoul(argv[2], NULL, 10);
  unsigned long rate = strtoul(argv[3], NULL, 10);
  uint32_t seed = (uint32_t)strtoul(argv[4], NULL, 10);
  unsigned long vlan_every = argc > 5 ? strtoul(argv[5], NULL, 10) : 5;
  rng_state = seed;

  int fd = socket(AF_PACKET, SOCK_RAW, 0);
  if (fd < 0) {
    perror("ringlint-traffic: socket");
    return 2;
  }
  int sndbuf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  /* Frames go straight to the driver: no qdisc queueing delays or tail drops on our side. */
  int bypass = 1;
  setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &bypass, sizeof bypass);
  struct sockaddr_ll addr = {0};
  addr.sll_family = AF_PACKET;
  addr.sll_ifindex = (int)if_nametoindex(iface);
  addr.sll_halen = 6;
  memset(addr.sll_addr, 0xff, 6);
  if (addr.sll_ifindex == 0) {
    fprintf(stderr, "ringlint-traffic: no interface %s\n", iface);
    return 2;
  }

  static uint8_t frames[BATCH][MAX_FRAME + 4];
  struct mmsghdr messages[BATCH];
  struct iovec iov[BATCH];
  unsigned long sent = 0;
  uint64_t start = now_ns();
  while (sent < count) {
    unsigned batch = 0;
    unsigned limit = BATCH;
    if (rate > 0 && rate < 20000) limit = 1; /* low rates: pace frame by frame */
    while (batch < limit && sent + batch < count) {
      uint32_t sequence = (uint32_t)(sent + batch);
      int vlan = vlan_every > 0 && sequence % vlan_every == vlan_every - 1;
      iov[batch].iov_base = frames[batch];
      iov[batch].iov_len = build_frame(frames[batch], sequence, seed, vlan);
      memset(&messages[batch], 0, sizeof messages[batch]);
      messages[batch].msg_hdr.msg_name = &addr;
      messages[batch].msg_hdr.msg_namelen = sizeof addr;
      messages[batch].msg_hdr.msg_iov = &iov[batch];
      messages[batch].msg_hdr.msg_iovlen = 1;
      batch++;
    }
    if (rate > 0) {
      uint64_t due = start + (uint64_t)((double)sent * 1e9 / (double)rate);
      uint64_t now = now_ns();
      if (due > now) {
        struct timespec pause = {.tv_sec = (time_t)((due - now) / 1000000000u), .tv_nsec = (long)((due - now) % 1000000000u)};
        nanosleep(&pause, NULL);
      }
    }
    int done = sendmmsg(fd, messages, batch, 0);
    if (done < 0) {
      if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) continue;
      perror("ringlint-traffic: sendmmsg");
      return 2;
    }
    sent += (unsigned long)done;
  }
  double elapsed = (double)(now_ns() - start) / 1e6;
  unsigned long vlan_frames = vlan_every > 0 ? sent / vlan_every : 0;
  printf("{\"sent\":%lu,\"seed\":%u,\"elapsedMs\":%.3f,\"vlanFrames\":%lu}\n", sent, seed, elapsed, vlan_frames);
  close(fd);
  return 0;
}
