/*
 * ringemu: an LD_PRELOAD library that emulates the 2018 TP_STATUS_IN_PROGRESS RFC kernel inside an
 * unmodified AF_PACKET consumer.
 *
 * The running kernel never shows IN_PROGRESS, so the library keeps the consumer's real RX ring for
 * itself and hands the consumer a private ring of identical geometry. A reader thread drains the
 * real ring (USER bit, acquire); for each frame it claims the private head slot exactly as the RFC
 * kernel would (only if the slot is TP_STATUS_KERNEL, else a drop), marks it IN_PROGRESS over a
 * poison frame, and hands the completion to one of several producer threads which publish the real
 * frame after a seeded random delay, out of order, with release ordering. Readiness calls on the
 * socket answer as the emulated kernel: readable when the frame before the head is not KERNEL.
 *
 * Evidence is written as JSON to $RINGEMU_DIR/report-<pid>.json: periodically, when
 * $RINGEMU_DIR/request changes, and at exit; a report that cannot be written leaves an empty
 * report-<pid>.error-<errno> instead. TPACKET_V3 rings pass through untouched.
 *
 * One deliberate difference from the RFC kernel: the claimer also refuses a slot whose previous
 * claim is still being filled even if the consumer already handed it back (status KERNEL). The RFC
 * kernel would claim it twice and corrupt it; refusing (counted as a drop) keeps the emulator's own
 * bookkeeping sound while the violation is still counted.
 */
/* ringlint-disable-file RL001 -- this is the producer side (the emulated kernel): claiming a slot only when it is TP_STATUS_KERNEL, and spotting a consumer's hand-back, are KERNEL comparisons by design */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ringlint-wire.h"

#define EXPORT __attribute__((visibility("default")))

#define FD_TRACK_MAX 4096
#define MAX_RINGS 8
#define MAX_PRODUCERS RINGLINT_MAX_PRODUCERS
#define MAX_EPOLL_LINKS 8
#define TIMELINE_MAX 256
#define TRACE_MAX 1024 /* slot lifecycles kept for the report's picture of the ring */
#define VIOLATION_LOG_MAX 64
/* Internal descriptors live high so they never collide with numbers a consumer expects. */
#define INTERNAL_FD_FLOOR 700

/* Shadow slot states: the emulator's own view of each private slot. */
enum { SLOT_FREE = 0, SLOT_IN_PROGRESS = 1, SLOT_PUBLISHED = 2 };
#define SLOT_STATE_MASK 0x3u
#define SLOT_VIOLATED 0x4u /* handed back while IN_PROGRESS; counted once */
#define SLOT_BUSY 0x8u     /* a producer is publishing it; sweeps keep out */

/* ---------- real libc entry points ---------- */

static int (*real_setsockopt)(int, int, int, const void *, socklen_t);
static int (*real_getsockopt)(int, int, int, void *, socklen_t *);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static void *(*real_mmap64)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);
static int (*real_close)(int);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);
static int (*real_select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);
static int (*real_pselect)(int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *);
static int (*real_epoll_ctl)(int, int, int, struct epoll_event *);
static int (*real_epoll_wait)(int, struct epoll_event *, int, int);
static int (*real_epoll_pwait)(int, struct epoll_event *, int, int, const sigset_t *);
static int (*real_epoll_pwait2)(int, struct epoll_event *, int, const struct timespec *, const sigset_t *);

static void resolve_real(void) {
  if (real_poll) return;
  real_setsockopt = dlsym(RTLD_NEXT, "setsockopt");
  real_getsockopt = dlsym(RTLD_NEXT, "getsockopt");
  real_mmap = dlsym(RTLD_NEXT, "mmap");
  real_mmap64 = dlsym(RTLD_NEXT, "mmap64");
  if (!real_mmap64) real_mmap64 = real_mmap;
  real_munmap = dlsym(RTLD_NEXT, "munmap");
  real_close = dlsym(RTLD_NEXT, "close");
  real_ppoll = dlsym(RTLD_NEXT, "ppoll");
  real_select = dlsym(RTLD_NEXT, "select");
  real_pselect = dlsym(RTLD_NEXT, "pselect");
  real_epoll_ctl = dlsym(RTLD_NEXT, "epoll_ctl");
  real_epoll_wait = dlsym(RTLD_NEXT, "epoll_wait");
  real_epoll_pwait = dlsym(RTLD_NEXT, "epoll_pwait");
  real_epoll_pwait2 = dlsym(RTLD_NEXT, "epoll_pwait2");
  /* Written last: wrappers use it as the "resolved" flag. */
  real_poll = dlsym(RTLD_NEXT, "poll");
}

/* ---------- configuration ---------- */

static struct {
  char dir[512];
  uint64_t seed;
  unsigned producers;
  unsigned delay_min_us, delay_max_us;
  uint32_t in_progress;
  const char *in_progress_mode;
  unsigned stall_ms;
  int watch;        /* watch the consumer's accesses to IN_PROGRESS status words */
  int pass_through; /* the baseline run: the consumer keeps the kernel's ring, only counted */
} config;

static unsigned env_uint(const char *name, unsigned fallback) {
  const char *v = getenv(name);
  if (!v || !*v) return fallback;
  return (unsigned)strtoul(v, NULL, 10);
}

static void load_config(void) {
  const char *dir = getenv("RINGEMU_DIR");
  snprintf(config.dir, sizeof config.dir, "%s", dir ? dir : "");
  const char *seed = getenv("RINGEMU_SEED");
  config.seed = seed ? strtoull(seed, NULL, 10) : 1;
  config.producers = env_uint("RINGEMU_PRODUCERS", 4);
  if (config.producers < 1) config.producers = 1;
  if (config.producers > MAX_PRODUCERS) config.producers = MAX_PRODUCERS;
  config.delay_min_us = env_uint("RINGEMU_DELAY_MIN_US", 20);
  config.delay_max_us = env_uint("RINGEMU_DELAY_MAX_US", 2000);
  if (config.delay_max_us < config.delay_min_us) config.delay_max_us = config.delay_min_us;
  config.stall_ms = env_uint("RINGEMU_STALL_MS", 500);
  config.watch = env_uint("RINGEMU_WATCH", 0) != 0;
  config.pass_through = env_uint("RINGEMU_PASS_THROUGH", 0) != 0;
  const char *mode = getenv("RINGEMU_IN_PROGRESS");
  if (mode && strcmp(mode, "losing") == 0) {
    config.in_progress = RINGLINT_IN_PROGRESS_LOSING;
    config.in_progress_mode = "losing";
  } else {
    config.in_progress = RINGLINT_IN_PROGRESS_UNDEFINED_BIT;
    config.in_progress_mode = "undefined-bit";
  }
}

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---------- per-descriptor set-up tracking ---------- */

#define EARLY_EPOLL_MAX 4

struct fd_info {
  int version; /* TPACKET_V1 unless PACKET_VERSION said otherwise */
  int has_rx, has_tx;
  struct tpacket_req3 req;    /* the RX ring's */
  size_t tx_len;              /* bytes of a TX ring, which follows the RX ring in a shared mapping */
  /* epoll registrations made before the ring existed: moved to the doorbell at mmap time */
  int early_epoll_count;
  int early_epfd[EARLY_EPOLL_MAX];
  struct epoll_event early_event[EARLY_EPOLL_MAX];
};
static struct fd_info fd_table[FD_TRACK_MAX];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---------- rings ---------- */

struct job {
  uint32_t slot;
  uint32_t copy_len;
  uint64_t status;
  uint64_t due_us;
};

struct producer {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  struct job *queue;
  unsigned capacity, head, count;
  struct ring *ring;
};

struct timeline_event {
  uint64_t t_us;
  uint32_t slot;
  const char *event;
  uint64_t status;
  _Atomic int valid;
};

/* One claim of a slot, from IN_PROGRESS to its hand-back: the picture of the ring is drawn from these. */
struct slot_life {
  uint32_t slot;
  uint64_t claim_us;
  _Atomic uint64_t publish_us, consume_us, violation_us; /* 0: not (yet) */
  _Atomic int valid;
};

struct ring {
  int active;      /* emulated ring live */
  int passthrough; /* mapped but left alone (V3, an unusual geometry, the baseline run) */
  int observed;    /* passed through for the baseline run: the kernel's ring, counted */
  unsigned frozen_unconsumed;
  int finished;    /* emulated, then unmapped by the consumer: counters kept for the reports */
  unsigned frozen_stalls, frozen_in_progress;
  uint64_t frozen_oldest_us;
  const char *reason;
  pid_t owner;
  int fd;          /* the consumer's descriptor number, -1 once it closed it */
  int own_fd;      /* our duplicate, so the consumer's close() does not pull the socket away */
  int evfd;        /* readiness doorbell standing in for the socket in poll/select/epoll */
  int version;
  int v1;          /* status word is unsigned long rather than __u32 */
  int with_tx;     /* a TX ring follows the RX ring in the consumer's mapping (the kernel's, untouched) */
  uint8_t *real, *priv, *staging;
  size_t len;
  unsigned frame_size, frame_nr, block_size, block_nr, frames_per_block;
  _Atomic uint32_t *shadow;
  _Atomic uint64_t *claim_us, *publish_us;
  _Atomic unsigned head;
  unsigned real_index;
  uint64_t rng;
  uint64_t mapped_us;
  _Atomic int waiters;
  _Atomic int doorbell_rung; /* a wake-up is pending in evfd: further rings add nothing */
  _Atomic int stop;
  pthread_t reader, monitor;
  struct producer producers[MAX_PRODUCERS];
  unsigned producer_count;
  int epoll_links[MAX_EPOLL_LINKS];
  /* counters */
  _Atomic uint64_t real_frames, claims, publishes, drops, violations, consumed;
  _Atomic uint64_t wait_calls, ready_answers, last_wait_us, foreign_writes;
  _Atomic uint64_t claim_seq;
  /* PACKET_STATISTICS bookkeeping: reading the kernel counters resets them, so they are
   * accumulated here and shared between the monitor and the consumer. */
  pthread_mutex_t stats_lock;
  uint64_t kernel_packets, kernel_drops, pending_packets, pending_drops, reported_claims,
      reported_drops;
  struct timeline_event timeline[TIMELINE_MAX];
  _Atomic unsigned timeline_count;
  struct timeline_event violation_log[VIOLATION_LOG_MAX];
  _Atomic unsigned violation_log_count;
  struct slot_life *trace;      /* the first TRACE_MAX claims */
  _Atomic int32_t *life_of_slot; /* the trace entry of each slot's current claim, -1 when none */
  _Atomic unsigned trace_count;
};

static struct ring rings[MAX_RINGS];
static void move_early_epoll(struct ring *r, const struct fd_info *info);
static _Atomic int any_ring; /* fast path: nothing to do until a ring exists */
static _Atomic uint64_t request_seq_served;

static struct ring *ring_for_fd(int fd) {
  if (!atomic_load_explicit(&any_ring, memory_order_acquire) || fd < 0) return NULL;
  pid_t me = getpid();
  for (int i = 0; i < MAX_RINGS; i++)
    if (rings[i].active && rings[i].fd == fd && rings[i].owner == me) return &rings[i];
  return NULL;
}

static struct ring *ring_for_epoll(int epfd) {
  if (!atomic_load_explicit(&any_ring, memory_order_acquire) || epfd < 0) return NULL;
  pid_t me = getpid();
  for (int i = 0; i < MAX_RINGS; i++) {
    if (!rings[i].active || rings[i].owner != me) continue;
    for (int j = 0; j < MAX_EPOLL_LINKS; j++)
      if (rings[i].epoll_links[j] == epfd) return &rings[i];
  }
  return NULL;
}

static inline uint8_t *frame_at(struct ring *r, uint8_t *base, unsigned slot) {
  return base + (size_t)(slot / r->frames_per_block) * r->block_size +
         (size_t)(slot % r->frames_per_block) * r->frame_size;
}

static inline uint64_t status_load(struct ring *r, uint8_t *frame) {
  if (r->v1) return __atomic_load_n((unsigned long *)frame, __ATOMIC_ACQUIRE);
  return __atomic_load_n((uint32_t *)frame, __ATOMIC_ACQUIRE);
}

static inline void status_store(struct ring *r, uint8_t *frame, uint64_t v) {
  if (r->v1) __atomic_store_n((unsigned long *)frame, (unsigned long)v, __ATOMIC_RELEASE);
  else __atomic_store_n((uint32_t *)frame, (uint32_t)v, __ATOMIC_RELEASE);
}

static inline size_t status_size(struct ring *r) { return r->v1 ? sizeof(unsigned long) : sizeof(uint32_t); }

static void log_event(struct ring *r, unsigned slot, const char *event, uint64_t status) {
  unsigned i = atomic_fetch_add(&r->timeline_count, 1);
  if (i >= TIMELINE_MAX) return;
  struct timeline_event *e = &r->timeline[i];
  e->t_us = now_us() - r->mapped_us;
  e->slot = slot;
  e->event = event;
  e->status = status;
  atomic_store_explicit(&e->valid, 1, memory_order_release);
}

static void trace_claim(struct ring *r, unsigned slot) {
  unsigned i = atomic_fetch_add(&r->trace_count, 1);
  if (i >= TRACE_MAX) {
    atomic_store(&r->life_of_slot[slot], -1);
    return;
  }
  r->trace[i].slot = slot;
  r->trace[i].claim_us = now_us();
  atomic_store(&r->life_of_slot[slot], (int32_t)i);
  atomic_store_explicit(&r->trace[i].valid, 1, memory_order_release);
}

/* Records `when` in the slot's current claim, once. */
static void trace_mark(struct ring *r, unsigned slot, size_t field) {
  int32_t i = atomic_load(&r->life_of_slot[slot]);
  if (i < 0) return;
  _Atomic uint64_t *when = (_Atomic uint64_t *)((uint8_t *)&r->trace[i] + field);
  uint64_t none = 0;
  atomic_compare_exchange_strong(when, &none, now_us());
}

/* A published slot the consumer handed back (it was moved to SLOT_FREE by its caller). */
static void count_consumed(struct ring *r, unsigned slot, uint64_t status) {
  atomic_fetch_add(&r->consumed, 1);
  log_event(r, slot, "consumed", status);
  trace_mark(r, slot, offsetof(struct slot_life, consume_us));
}

static void log_violation(struct ring *r, unsigned slot, uint64_t status) {
  trace_mark(r, slot, offsetof(struct slot_life, violation_us));
  atomic_fetch_add(&r->violations, 1);
  log_event(r, slot, "handed-back-in-progress", status);
  unsigned i = atomic_fetch_add(&r->violation_log_count, 1);
  if (i >= VIOLATION_LOG_MAX) return;
  struct timeline_event *e = &r->violation_log[i];
  e->t_us = now_us() - r->mapped_us;
  e->slot = slot;
  e->event = "handed-back-in-progress";
  e->status = atomic_load(&r->claim_us[slot]) ? (now_us() - atomic_load(&r->claim_us[slot])) : 0;
  atomic_store_explicit(&e->valid, 1, memory_order_release);
}

/* Rings a doorbell only when someone waits; the seq_cst fence pairs with the waiter's increment so
 * either the waiter sees the new status or we see the waiter (no lost wake-up). */
static void wake_waiters(struct ring *r) {
  atomic_thread_fence(memory_order_seq_cst);
  if (atomic_load(&r->waiters) > 0 && !atomic_exchange(&r->doorbell_rung, 1)) {
    uint64_t one = 1;
    ssize_t ignored = write(r->evfd, &one, sizeof one);
    (void)ignored;
  }
}

/* Callers check readiness after draining, so a wake-up that raced with the drain is not lost. */
static void drain_doorbell(struct ring *r) {
  atomic_store(&r->doorbell_rung, 0);
  uint64_t value;
  ssize_t ignored = read(r->evfd, &value, sizeof value);
  (void)ignored;
}

/* The emulated kernel's packet_poll(): readable when the frame before the head is not KERNEL. */
static int emulated_readable(struct ring *r) {
  unsigned head = atomic_load_explicit(&r->head, memory_order_acquire);
  unsigned previous = head == 0 ? r->frame_nr - 1 : head - 1;
  return status_load(r, frame_at(r, r->priv, previous)) != TP_STATUS_KERNEL;
}

static uint64_t next_random(struct ring *r) {
  /* splitmix64: deterministic for a seed, cheap enough for 100k frames/s */
  uint64_t z = (r->rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static int dup_high(int fd);

/* ---------- watching the consumer's accesses to IN_PROGRESS status words (RINGEMU_WATCH=1) ---------- */

/*
 * Which instructions of the consumer touched a slot's status word while the slot was IN_PROGRESS:
 * hardware watchpoints (perf_event_open breakpoints, read/write, user space only) on the status
 * words of the newest IN_PROGRESS slots, in every consumer thread. The kernel writes a sample
 * (the instruction pointer after the access — data breakpoints trap once the instruction is done —,
 * the thread, the address) into a buffer the monitor drains: nothing runs in the consumer's threads,
 * no signal handler is installed and no page is protected, so a consumer that hands a frame to a
 * system call or installs its own SIGSEGV handler behaves as it would without the check. x86 has
 * four debug registers per thread, so the four newest claims are watched: a consumer that keeps up
 * waits at the head and looks at the slot just claimed. A watch is removed before its slot is
 * published, so every sample is an access while IN_PROGRESS. Only the first emulated ring is watched.
 */
#define WATCH_REGISTERS 4
#define WATCH_THREADS 16
#define WATCH_SITES 64
#define WATCH_BUFFER_PAGES 8 /* 32 KiB of samples per thread between two drains (5 ms) */
#define WATCH_HIT_LOG 256    /* the first accesses, each with its slot and time, for the report's picture */
#define OWN_THREADS_MAX (MAX_RINGS * (MAX_PRODUCERS + 2))

struct watch_thread {
  pid_t tid;
  int fd[WATCH_REGISTERS]; /* fd[0] owns the sample buffer; the others write into it */
  struct perf_event_mmap_page *page;
  size_t map_len;
};

struct watch_site {
  uintptr_t ip; /* the instruction after the access */
  uint64_t hits;
  uint64_t first_us;
};

static struct {
  char unavailable[160]; /* why no thread could be watched */
  pthread_mutex_t lock;
  struct watch_thread threads[WATCH_THREADS];
  unsigned thread_count;
  struct ring *ring;
  int slot[WATCH_REGISTERS]; /* watched slot per register, -1 when free */
  uint64_t armed_seq[WATCH_REGISTERS];
  uint64_t seq;
  struct watch_site sites[WATCH_SITES];
  unsigned site_count;
  unsigned threads_watched;
  uint64_t mapped_us;
  uint64_t hits, lost, other_sites;
  struct {
    uint32_t slot;
    int site; /* index in sites, -1 past WATCH_SITES */
    uint64_t t_us;
  } hit_log[WATCH_HIT_LOG];
  unsigned hit_log_count;
} watch = {.lock = PTHREAD_MUTEX_INITIALIZER};

static _Atomic pid_t own_threads[OWN_THREADS_MAX];
static _Atomic unsigned own_thread_count;

/* Each emulator thread says so first: its accesses to the ring are the emulated kernel's. */
static void remember_own_thread(void) {
  unsigned i = atomic_fetch_add(&own_thread_count, 1);
  if (i < OWN_THREADS_MAX) atomic_store(&own_threads[i], (pid_t)syscall(SYS_gettid));
}

static int is_own_thread(pid_t tid) {
  unsigned n = atomic_load(&own_thread_count);
  for (unsigned i = 0; i < n && i < OWN_THREADS_MAX; i++)
    if (atomic_load(&own_threads[i]) == tid) return 1;
  return 0;
}

static void watch_attr(struct perf_event_attr *attr, uintptr_t addr, unsigned len, int disabled) {
  memset(attr, 0, sizeof *attr);
  attr->type = PERF_TYPE_BREAKPOINT;
  attr->size = sizeof *attr;
  attr->bp_type = HW_BREAKPOINT_RW;
  attr->bp_addr = addr;
  attr->bp_len = len;
  attr->sample_period = 1;
  attr->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR;
  attr->use_clockid = 1; /* sample times on the emulator's clock */
  attr->clockid = CLOCK_MONOTONIC;
  attr->exclude_kernel = 1;
  attr->exclude_hv = 1;
  attr->disabled = disabled;
}

static unsigned watch_len(struct ring *r) { return r->v1 ? HW_BREAKPOINT_LEN_8 : HW_BREAKPOINT_LEN_4; }

static void watch_close_thread(struct watch_thread *t) {
  if (t->page) real_munmap(t->page, t->map_len);
  for (int i = 0; i < WATCH_REGISTERS; i++)
    if (t->fd[i] >= 0) real_close(t->fd[i]);
  memset(t, 0, sizeof *t);
}

/* Under watch.lock. Four disabled breakpoints on `tid`, their samples in one buffer. */
static void watch_open_thread(struct ring *r, pid_t tid) {
  if (watch.thread_count >= WATCH_THREADS) return;
  struct watch_thread *t = &watch.threads[watch.thread_count];
  memset(t, 0, sizeof *t);
  for (int i = 0; i < WATCH_REGISTERS; i++) t->fd[i] = -1;
  t->tid = tid;
  const char *failed = NULL;
  for (int i = 0; i < WATCH_REGISTERS && !failed; i++) {
    struct perf_event_attr attr;
    watch_attr(&attr, (uintptr_t)r->priv, watch_len(r), 1);
    int fd = (int)syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
    int high = fd >= 0 ? dup_high(fd) : -1;
    if (fd >= 0) real_close(fd);
    t->fd[i] = high;
    if (high < 0) failed = "perf_event_open (hardware breakpoint)";
  }
  if (!failed) {
    t->map_len = (size_t)(1 + WATCH_BUFFER_PAGES) * (size_t)sysconf(_SC_PAGESIZE);
    void *page = real_mmap(NULL, t->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd[0], 0);
    if (page == MAP_FAILED) failed = "mmap of the sample buffer";
    else t->page = page;
  }
  /* Redirected once the buffer exists: the kernel refuses a redirection to an event without one. */
  for (int i = 1; i < WATCH_REGISTERS && !failed; i++)
    if (ioctl(t->fd[i], PERF_EVENT_IOC_SET_OUTPUT, t->fd[0]) != 0) failed = "PERF_EVENT_IOC_SET_OUTPUT";
  if (failed) {
    if (watch.thread_count == 0) snprintf(watch.unavailable, sizeof watch.unavailable, "%s: %s", failed, strerror(errno));
    watch_close_thread(t);
    return;
  }
  /* Slots already watched are watched in the new thread too. */
  for (int i = 0; i < WATCH_REGISTERS; i++) {
    if (watch.slot[i] < 0) continue;
    struct perf_event_attr attr;
    watch_attr(&attr, (uintptr_t)frame_at(r, r->priv, (unsigned)watch.slot[i]), watch_len(r), 0);
    ioctl(t->fd[i], PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &attr);
  }
  watch.unavailable[0] = 0;
  watch.thread_count++;
  if (watch.thread_count > watch.threads_watched) watch.threads_watched = watch.thread_count;
}

/* Under watch.lock: every thread of the process that is not the emulator's and not watched yet. */
static void watch_scan_threads(struct ring *r) {
  DIR *dir = opendir("/proc/self/task");
  if (!dir) return;
  struct dirent *entry;
  while ((entry = readdir(dir)) && watch.thread_count < WATCH_THREADS) {
    pid_t tid = (pid_t)strtol(entry->d_name, NULL, 10);
    if (tid <= 0 || is_own_thread(tid)) continue;
    int known = 0;
    for (unsigned i = 0; i < watch.thread_count; i++) known |= watch.threads[i].tid == tid;
    if (!known) watch_open_thread(r, tid);
  }
  closedir(dir);
}

static void watch_start(struct ring *r) {
  if (!config.watch) return;
  pthread_mutex_lock(&watch.lock);
  if (!watch.ring) {
    watch.ring = r;
    watch.mapped_us = r->mapped_us;
    for (int i = 0; i < WATCH_REGISTERS; i++) watch.slot[i] = -1;
    watch_scan_threads(r);
  }
  pthread_mutex_unlock(&watch.lock);
}

/* Under watch.lock. */
static void watch_set(struct ring *r, int reg, int slot) {
  struct perf_event_attr attr;
  uintptr_t addr = (uintptr_t)frame_at(r, r->priv, slot < 0 ? 0u : (unsigned)slot);
  watch_attr(&attr, addr, watch_len(r), slot < 0);
  for (unsigned i = 0; i < watch.thread_count; i++) ioctl(watch.threads[i].fd[reg], PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &attr);
  watch.slot[reg] = slot;
}

/* A slot just marked IN_PROGRESS: watched in a free register, else in the one watched longest. */
static void watch_arm(struct ring *r, unsigned slot) {
  if (watch.ring != r) return;
  pthread_mutex_lock(&watch.lock);
  if (watch.thread_count > 0) {
    int reg = 0;
    for (int i = 0; i < WATCH_REGISTERS; i++) {
      if (watch.slot[i] < 0) {
        reg = i;
        break;
      }
      if (watch.armed_seq[i] < watch.armed_seq[reg]) reg = i;
    }
    watch.armed_seq[reg] = ++watch.seq;
    watch_set(r, reg, (int)slot);
  }
  pthread_mutex_unlock(&watch.lock);
}

/* Before the slot is published, or once the consumer handed it back: no longer IN_PROGRESS to it. */
static void watch_disarm(struct ring *r, unsigned slot) {
  if (watch.ring != r) return;
  pthread_mutex_lock(&watch.lock);
  for (int i = 0; i < WATCH_REGISTERS; i++)
    if (watch.slot[i] == (int)slot) watch_set(r, i, -1);
  pthread_mutex_unlock(&watch.lock);
}

static int watch_site_of(uintptr_t ip, uint64_t at_us) {
  for (unsigned i = 0; i < watch.site_count; i++)
    if (watch.sites[i].ip == ip) {
      watch.sites[i].hits++;
      return (int)i;
    }
  if (watch.site_count >= WATCH_SITES) {
    watch.other_sites++;
    return -1;
  }
  watch.sites[watch.site_count] = (struct watch_site){.ip = ip, .hits = 1, .first_us = at_us};
  return (int)watch.site_count++;
}

static void watch_count(struct ring *r, uintptr_t ip, uintptr_t addr, uint64_t at_us) {
  watch.hits++;
  int site = watch_site_of(ip, at_us);
  if (watch.hit_log_count >= WATCH_HIT_LOG || addr < (uintptr_t)r->priv) return;
  size_t offset = addr - (uintptr_t)r->priv;
  unsigned slot = (unsigned)(offset / r->block_size) * r->frames_per_block + (unsigned)(offset % r->block_size) / r->frame_size;
  watch.hit_log[watch.hit_log_count++] = (typeof(watch.hit_log[0])){.slot = slot, .site = site, .t_us = at_us};
}

/* Under watch.lock: the samples each buffer holds, counted per instruction of the consumer's. */
static void watch_drain(void) {
  static Dl_info self;
  if (!self.dli_fbase) dladdr((void *)watch_drain, &self);
  uint64_t now = now_us();
  for (unsigned t = 0; t < watch.thread_count; t++) {
    struct perf_event_mmap_page *page = watch.threads[t].page;
    uint8_t *data = (uint8_t *)page + page->data_offset;
    uint64_t size = page->data_size, head = __atomic_load_n(&page->data_head, __ATOMIC_ACQUIRE), tail = page->data_tail;
    while (tail < head) {
      uint8_t record[64];
      struct perf_event_header header;
      for (size_t i = 0; i < sizeof header; i++) ((uint8_t *)&header)[i] = data[(tail + i) % size];
      if (header.size < sizeof header) break;
      size_t keep = header.size < sizeof record ? header.size : sizeof record;
      for (size_t i = 0; i < keep; i++) record[i] = data[(tail + i) % size];
      tail += header.size;
      if (header.type == PERF_RECORD_LOST && keep >= sizeof header + 16) {
        uint64_t lost;
        memcpy(&lost, record + sizeof header + 8, sizeof lost);
        watch.lost += lost;
      } else if (header.type == PERF_RECORD_SAMPLE && keep >= sizeof header + 32) {
        /* ip, pid and tid, time (ns), addr: the order of the sample_type bits */
        uint64_t ip, time_ns, addr;
        uint32_t tid;
        memcpy(&ip, record + sizeof header, sizeof ip);
        memcpy(&tid, record + sizeof header + 12, sizeof tid);
        memcpy(&time_ns, record + sizeof header + 16, sizeof time_ns);
        memcpy(&addr, record + sizeof header + 24, sizeof addr);
        Dl_info where;
        /* The emulator's own code in a consumer thread (readiness answers) is not the consumer's. */
        if (is_own_thread((pid_t)tid) || (dladdr((void *)(uintptr_t)(ip - 1), &where) && where.dli_fbase == self.dli_fbase)) continue;
        watch_count(watch.ring, (uintptr_t)ip, (uintptr_t)addr, time_ns ? time_ns / 1000u : now);
      }
    }
    __atomic_store_n(&page->data_tail, tail, __ATOMIC_RELEASE);
  }
}

static void watch_stop(struct ring *r) {
  if (watch.ring != r) return;
  pthread_mutex_lock(&watch.lock);
  watch_drain();
  for (unsigned i = 0; i < watch.thread_count; i++) watch_close_thread(&watch.threads[i]);
  watch.thread_count = 0;
  watch.ring = NULL;
  pthread_mutex_unlock(&watch.lock);
}

/* ---------- sweeps: consumption and violations seen from outside the consumer ---------- */

static void observe_slot(struct ring *r, unsigned slot) {
  uint32_t s = atomic_load(&r->shadow[slot]);
  if (s & SLOT_BUSY) return;
  uint64_t st = status_load(r, frame_at(r, r->priv, slot));
  if ((s & SLOT_STATE_MASK) == SLOT_IN_PROGRESS && !(s & SLOT_VIOLATED) && st == TP_STATUS_KERNEL) {
    if (atomic_compare_exchange_strong(&r->shadow[slot], &s, s | SLOT_VIOLATED)) {
      log_violation(r, slot, st);
      watch_disarm(r, slot);
    }
  } else if (s == SLOT_PUBLISHED && st == TP_STATUS_KERNEL) {
    if (atomic_compare_exchange_strong(&r->shadow[slot], &s, SLOT_FREE)) {
      count_consumed(r, slot, st);
    }
  }
}

/* ---------- producing ---------- */

static void write_poison(struct ring *r, uint8_t *frame, const uint8_t *real_frame, unsigned slot, uint64_t seq) {
  unsigned mac;
  if (r->v1) {
    struct tpacket_hdr *h = (struct tpacket_hdr *)frame;
    const struct tpacket_hdr *rh = (const struct tpacket_hdr *)real_frame;
    h->tp_len = h->tp_snaplen = RINGLINT_POISON_FRAME_LEN;
    h->tp_mac = rh->tp_mac;
    h->tp_net = rh->tp_mac + 14;
    h->tp_sec = 0;
    h->tp_usec = 0;
    mac = rh->tp_mac;
  } else {
    struct tpacket2_hdr *h = (struct tpacket2_hdr *)frame;
    const struct tpacket2_hdr *rh = (const struct tpacket2_hdr *)real_frame;
    h->tp_len = h->tp_snaplen = RINGLINT_POISON_FRAME_LEN;
    h->tp_mac = rh->tp_mac;
    h->tp_net = rh->tp_mac + 14;
    h->tp_sec = 0;
    h->tp_nsec = 0;
    h->tp_vlan_tci = 0;
    h->tp_vlan_tpid = 0;
    mac = rh->tp_mac;
  }
  if (mac + RINGLINT_POISON_FRAME_LEN > r->frame_size) return;
  uint8_t *data = frame + mac;
  static const uint8_t source[6] = RINGLINT_POISON_MAC;
  memset(data, 0xff, 6);
  memcpy(data + 6, source, 6);
  data[12] = RINGLINT_ETHERTYPE >> 8;
  data[13] = RINGLINT_ETHERTYPE & 0xff;
  struct ringlint_payload payload;
  memcpy(payload.magic, RINGLINT_POISON_MAGIC, RINGLINT_MAGIC_LEN);
  payload.sequence = htonl((uint32_t)seq);
  payload.seed = htonl(slot);
  memcpy(data + 14, &payload, sizeof payload);
  memset(data + 14 + sizeof payload, 0xa5, RINGLINT_POISON_FRAME_LEN - 14 - sizeof payload);
}

static unsigned frame_copy_len(struct ring *r, const uint8_t *real_frame) {
  unsigned end;
  if (r->v1) {
    const struct tpacket_hdr *h = (const struct tpacket_hdr *)real_frame;
    end = (h->tp_mac > h->tp_net ? h->tp_mac : h->tp_net) + h->tp_snaplen;
  } else {
    const struct tpacket2_hdr *h = (const struct tpacket2_hdr *)real_frame;
    end = (h->tp_mac > h->tp_net ? h->tp_mac : h->tp_net) + h->tp_snaplen;
  }
  return end > r->frame_size ? r->frame_size : end;
}

static void enqueue(struct producer *p, struct job job) {
  pthread_mutex_lock(&p->lock);
  if (p->count < p->capacity) {
    p->queue[(p->head + p->count) % p->capacity] = job;
    if (p->count++ == 0) pthread_cond_signal(&p->cond);
  }
  pthread_mutex_unlock(&p->lock);
}

/* The RFC tpacket_rcv() up to spin_unlock: claim the head only if KERNEL, mark it IN_PROGRESS. */
static void claim_and_schedule(struct ring *r, const uint8_t *real_frame, uint64_t real_status) {
  unsigned slot = atomic_load_explicit(&r->head, memory_order_relaxed);
  uint8_t *frame = frame_at(r, r->priv, slot);
  uint32_t s = atomic_load(&r->shadow[slot]);
  uint64_t st = status_load(r, frame);
  if (st == TP_STATUS_KERNEL && s == SLOT_PUBLISHED) {
    if (atomic_compare_exchange_strong(&r->shadow[slot], &s, SLOT_FREE)) {
      count_consumed(r, slot, st);
    }
    s = atomic_load(&r->shadow[slot]);
  }
  if (st != TP_STATUS_KERNEL || (s & SLOT_STATE_MASK) != SLOT_FREE) {
    if (st == TP_STATUS_KERNEL && (s & SLOT_STATE_MASK) == SLOT_IN_PROGRESS) observe_slot(r, slot);
    atomic_fetch_add(&r->drops, 1);
    if (atomic_load(&r->drops) <= 8) log_event(r, slot, "drop-ring-full", st);
    return;
  }
  unsigned copy_len = frame_copy_len(r, real_frame);
  size_t header = status_size(r);
  uint8_t *stage = frame_at(r, r->staging, slot);
  if (copy_len > header) memcpy(stage + header, real_frame + header, copy_len - header);
  uint64_t seq = atomic_fetch_add(&r->claim_seq, 1);
  write_poison(r, frame, real_frame, slot, seq);
  status_store(r, frame, config.in_progress);
  atomic_store(&r->claim_us[slot], now_us());
  trace_claim(r, slot);
  atomic_store(&r->shadow[slot], SLOT_IN_PROGRESS);
  atomic_store_explicit(&r->head, (slot + 1) % r->frame_nr, memory_order_release);
  atomic_fetch_add(&r->claims, 1);
  log_event(r, slot, "claimed-in-progress", config.in_progress);
  watch_arm(r, slot);
  wake_waiters(r);

  uint64_t spread = (uint64_t)config.delay_max_us - config.delay_min_us + 1;
  struct job job = {
      .slot = slot,
      .copy_len = copy_len,
      .status = real_status,
      .due_us = now_us() + config.delay_min_us + next_random(r) % spread,
  };
  enqueue(&r->producers[next_random(r) % r->producer_count], job);
}

/* The RFC tpacket_rcv() after spin_unlock: fill the frame, then publish the real status. */
static void complete(struct ring *r, const struct job *job) {
  unsigned slot = job->slot;
  uint8_t *frame = frame_at(r, r->priv, slot);
  uint32_t s = atomic_load(&r->shadow[slot]);
  while (!atomic_compare_exchange_weak(&r->shadow[slot], &s, s | SLOT_BUSY)) {
  }
  watch_disarm(r, slot);
  uint64_t st = status_load(r, frame);
  if (st == TP_STATUS_KERNEL && !(s & SLOT_VIOLATED)) log_violation(r, slot, st);
  else if (st != config.in_progress && st != TP_STATUS_KERNEL) atomic_fetch_add(&r->foreign_writes, 1);
  size_t header = status_size(r);
  if (job->copy_len > header) memcpy(frame + header, frame_at(r, r->staging, slot) + header, job->copy_len - header);
  /* Blind store, as __packet_set_status() in the RFC kernel does. */
  status_store(r, frame, job->status);
  atomic_store(&r->publish_us[slot], now_us());
  trace_mark(r, slot, offsetof(struct slot_life, publish_us));
  atomic_store(&r->shadow[slot], SLOT_PUBLISHED);
  atomic_fetch_add(&r->publishes, 1);
  log_event(r, slot, "published", job->status);
  wake_waiters(r);
}

static void *producer_main(void *arg) {
  struct producer *p = arg;
  struct ring *r = p->ring;
  remember_own_thread();
  prctl(PR_SET_TIMERSLACK, 1000UL); /* 1 us, not the default 50 us: delays are short */
  for (;;) {
    pthread_mutex_lock(&p->lock);
    while (p->count == 0 && !atomic_load(&r->stop)) pthread_cond_wait(&p->cond, &p->lock);
    if (p->count == 0) {
      pthread_mutex_unlock(&p->lock);
      return NULL;
    }
    struct job job = p->queue[p->head];
    p->head = (p->head + 1) % p->capacity;
    p->count--;
    pthread_mutex_unlock(&p->lock);
    uint64_t now = now_us();
    if (job.due_us > now) {
      struct timespec due = {.tv_sec = (time_t)(job.due_us / 1000000u), .tv_nsec = (long)(job.due_us % 1000000u) * 1000};
      while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR) {
      }
    }
    complete(r, &job);
  }
}

static void *reader_main(void *arg) {
  struct ring *r = arg;
  remember_own_thread();
  while (!atomic_load(&r->stop)) {
    uint8_t *real_frame = frame_at(r, r->real, r->real_index);
    uint64_t st = status_load(r, real_frame);
    if (!(st & TP_STATUS_USER)) {
      struct pollfd pfd = {.fd = r->own_fd, .events = POLLIN};
      real_poll(&pfd, 1, 50);
      continue;
    }
    atomic_fetch_add(&r->real_frames, 1);
    claim_and_schedule(r, real_frame, st);
    status_store(r, real_frame, TP_STATUS_KERNEL);
    r->real_index = (r->real_index + 1) % r->frame_nr;
  }
  return NULL;
}

/* ---------- statistics pass-through ---------- */

static void collect_kernel_stats(struct ring *r) {
  struct tpacket_stats stats;
  socklen_t len = sizeof stats;
  if (real_getsockopt(r->own_fd, SOL_PACKET, PACKET_STATISTICS, &stats, &len) != 0) return;
  r->kernel_packets += stats.tp_packets;
  r->kernel_drops += stats.tp_drops;
  r->pending_packets += stats.tp_packets;
  r->pending_drops += stats.tp_drops;
}

/* ---------- reports ---------- */

struct text {
  char *buf;
  size_t len, cap;
};

static void emit(struct text *t, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < t->cap - t->len) {
      t->len += (size_t)n;
      return;
    }
    size_t cap = t->cap * 2 + (size_t)n;
    char *grown = realloc(t->buf, cap);
    if (!grown) return;
    t->buf = grown;
    t->cap = cap;
  }
}

static void emit_events(struct text *t, struct timeline_event *events, unsigned count, unsigned max, const char *status_key) {
  if (count > max) count = max;
  int first = 1;
  for (unsigned i = 0; i < count; i++) {
    struct timeline_event *e = &events[i];
    if (!atomic_load_explicit(&e->valid, memory_order_acquire)) continue;
    emit(t, "%s{\"tMs\":%.3f,\"slot\":%u,\"event\":\"%s\",\"%s\":%llu}", first ? "" : ",",
         (double)e->t_us / 1000.0, e->slot, e->event, status_key, (unsigned long long)e->status);
    first = 0;
  }
}

static double ms_since_mapped(struct ring *r, uint64_t us) { return us ? (double)(us - r->mapped_us) / 1000.0 : -1.0; }

/* [slot, claimMs, publishMs, consumeMs, violationMs] per claim, -1 for what has not happened. */
static void emit_trace(struct text *t, struct ring *r) {
  unsigned count = atomic_load(&r->trace_count);
  if (count > TRACE_MAX) count = TRACE_MAX;
  int first = 1;
  for (unsigned i = 0; i < count; i++) {
    struct slot_life *life = &r->trace[i];
    if (!atomic_load_explicit(&life->valid, memory_order_acquire)) continue;
    emit(t, "%s[%u,%.3f,%.3f,%.3f,%.3f]", first ? "" : ",", life->slot, ms_since_mapped(r, life->claim_us),
         ms_since_mapped(r, atomic_load(&life->publish_us)), ms_since_mapped(r, atomic_load(&life->consume_us)),
         ms_since_mapped(r, atomic_load(&life->violation_us)));
    first = 0;
  }
}

/* Published frames the consumer has left alone for at least the stall threshold. */
static void measure_stalls(struct ring *r, unsigned *stalled, uint64_t *oldest, unsigned *in_progress) {
  if (r->finished) {
    *stalled = r->frozen_stalls;
    *oldest = r->frozen_oldest_us;
    *in_progress = r->frozen_in_progress;
    return;
  }
  uint64_t now = now_us();
  uint64_t stall_us = (uint64_t)config.stall_ms * 1000u;
  *stalled = 0;
  *in_progress = 0;
  *oldest = 0;
  for (unsigned slot = 0; slot < r->frame_nr; slot++) {
    uint32_t s = atomic_load(&r->shadow[slot]);
    if ((s & SLOT_STATE_MASK) == SLOT_IN_PROGRESS) (*in_progress)++;
    if (s != SLOT_PUBLISHED) continue;
    if (!(status_load(r, frame_at(r, r->priv, slot)) & TP_STATUS_USER)) continue;
    uint64_t age = now - atomic_load(&r->publish_us[slot]);
    if (age >= stall_us) {
      (*stalled)++;
      if (age > *oldest) *oldest = age;
    }
  }
}

/* Frames the kernel delivered that the consumer has not handed back (the baseline run). */
static unsigned unconsumed_frames(struct ring *r) {
  unsigned count = 0;
  for (unsigned slot = 0; slot < r->frame_nr; slot++) count += (status_load(r, frame_at(r, r->real, slot)) & TP_STATUS_USER) != 0;
  return count;
}

static void emit_ring(struct text *t, struct ring *r) {
  static const char *names[] = {"V1", "V2", "V3"};
  const char *version = r->version >= TPACKET_V1 && r->version <= TPACKET_V3 ? names[r->version] : "unknown";
  emit(t, "{\"fd\":%d,\"version\":\"%s\",\"emulated\":%s,\"reason\":\"%s\",\"frames\":%u,\"frameSize\":%u,"
          "\"blockSize\":%u,\"blockNr\":%u,\"withTxRing\":%s",
       r->fd, version, r->passthrough ? "false" : "true", r->reason ? r->reason : "", r->frame_nr, r->frame_size,
       r->block_size, r->block_nr, r->with_tx ? "true" : "false");
  if (r->observed) {
    pthread_mutex_lock(&r->stats_lock);
    uint64_t packets = r->kernel_packets, drops = r->kernel_drops;
    pthread_mutex_unlock(&r->stats_lock);
    emit(t, ",\"baseline\":{\"kernelPackets\":%llu,\"kernelDrops\":%llu,\"unconsumed\":%u}}", (unsigned long long)packets,
         (unsigned long long)drops, r->finished ? r->frozen_unconsumed : unconsumed_frames(r));
    return;
  }
  if (r->passthrough) {
    emit(t, "}");
    return;
  }
  uint64_t now = now_us();
  unsigned stalled, in_progress;
  uint64_t oldest;
  measure_stalls(r, &stalled, &oldest, &in_progress);
  uint64_t last_wait = atomic_load(&r->last_wait_us);
  pthread_mutex_lock(&r->stats_lock);
  uint64_t kernel_drops = r->kernel_drops, kernel_packets = r->kernel_packets;
  pthread_mutex_unlock(&r->stats_lock);
  emit(t, ",\"inProgressValue\":%u,\"inProgressMode\":\"%s\",\"producers\":%u,\"delayUs\":[%u,%u],\"seed\":%llu,"
          "\"stallMs\":%u,\"uptimeMs\":%.1f,\"counters\":{\"realFrames\":%llu,\"claims\":%llu,\"publishes\":%llu,"
          "\"drops\":%llu,\"violations\":%llu,\"consumed\":%llu,\"stalls\":%u,\"oldestStallMs\":%.1f,"
          "\"inProgressNow\":%u,\"waitCalls\":%llu,\"readyAnswers\":%llu,\"lastWaitAgoMs\":%.1f,"
          "\"foreignWrites\":%llu,\"kernelPackets\":%llu,\"kernelDrops\":%llu}",
       config.in_progress, config.in_progress_mode, r->producer_count, config.delay_min_us, config.delay_max_us,
       (unsigned long long)config.seed, config.stall_ms, (double)(now - r->mapped_us) / 1000.0,
       (unsigned long long)atomic_load(&r->real_frames), (unsigned long long)atomic_load(&r->claims),
       (unsigned long long)atomic_load(&r->publishes), (unsigned long long)atomic_load(&r->drops),
       (unsigned long long)atomic_load(&r->violations), (unsigned long long)atomic_load(&r->consumed), stalled,
       (double)oldest / 1000.0, in_progress, (unsigned long long)atomic_load(&r->wait_calls),
       (unsigned long long)atomic_load(&r->ready_answers),
       last_wait ? (last_wait > now ? 0.0 : (double)(now - last_wait) / 1000.0) : -1.0, (unsigned long long)atomic_load(&r->foreign_writes),
       (unsigned long long)kernel_packets, (unsigned long long)kernel_drops);
  emit(t, ",\"timeline\":[");
  emit_events(t, r->timeline, atomic_load(&r->timeline_count), TIMELINE_MAX, "status");
  emit(t, "],\"violationLog\":[");
  emit_events(t, r->violation_log, atomic_load(&r->violation_log_count), VIOLATION_LOG_MAX, "inProgressForUs");
  emit(t, "],\"trace\":[");
  emit_trace(t, r);
  emit(t, "]}");
}

static void emit_json_string(struct text *t, const char *s) {
  emit(t, "\"");
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') emit(t, "\\%c", c);
    else if (c < 0x20) emit(t, "\\u%04x", c);
    else emit(t, "%c", c);
  }
  emit(t, "\"");
}

/*
 * Each instruction as addr2line takes it: the object file, and an address inside the accessing
 * instruction (the one after it, minus one) relative to the object's load address when it is
 * position-independent.
 */
static void emit_watch(struct text *t) {
  if (!config.watch) return;
  pthread_mutex_lock(&watch.lock);
  if (watch.ring) watch_drain();
  Dl_info main_program = {0};
  dladdr((void *)getauxval(AT_ENTRY), &main_program);
  emit(t, ",\"watch\":{\"threads\":%u,\"unavailable\":", watch.threads_watched);
  emit_json_string(t, watch.unavailable);
  emit(t, ",\"hits\":%llu,\"lost\":%llu,\"otherSites\":%llu,\"sites\":[", (unsigned long long)watch.hits,
       (unsigned long long)watch.lost, (unsigned long long)watch.other_sites);
  for (unsigned i = 0; i < watch.site_count; i++) {
    const struct watch_site *site = &watch.sites[i];
    Dl_info where;
    char exe[512];
    const char *object = "";
    uintptr_t address = site->ip - 1;
    if (dladdr((void *)address, &where) && where.dli_fbase) {
      object = where.dli_fname ? where.dli_fname : "";
      if (where.dli_fbase == main_program.dli_fbase) {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
          exe[n] = 0;
          object = exe;
        }
      }
      if (((const ElfW(Ehdr) *)where.dli_fbase)->e_type == ET_DYN) address -= (uintptr_t)where.dli_fbase;
    }
    emit(t, "%s{\"object\":", i ? "," : "");
    emit_json_string(t, object);
    emit(t, ",\"address\":\"0x%llx\",\"hits\":%llu,\"firstMs\":%.3f}", (unsigned long long)address,
         (unsigned long long)site->hits, (double)(site->first_us - watch.mapped_us) / 1000.0);
  }
  emit(t, "],\"hitLog\":[");
  for (unsigned i = 0; i < watch.hit_log_count; i++)
    emit(t, "%s[%u,%d,%.3f]", i ? "," : "", watch.hit_log[i].slot, watch.hit_log[i].site,
         (double)(watch.hit_log[i].t_us - watch.mapped_us) / 1000.0);
  emit(t, "]}");
  pthread_mutex_unlock(&watch.lock);
}

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * A report that cannot be written (a full disk: ENOSPC) must not pass for a consumer that never
 * mapped a ring. An empty file needs no data blocks, so `report-<pid>.error-<errno>` can usually
 * still be created; the check turns it into a tool error naming the errno. Once per errno.
 */
static void report_write_failure(pid_t me, int error) {
  static int reported[256];
  if (error <= 0 || error >= 256 || reported[error]) return;
  reported[error] = 1;
  char marker[640];
  snprintf(marker, sizeof marker, "%s/report-%d.error-%d", config.dir, (int)me, error);
  int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd >= 0) real_close(fd);
}

static void write_report(const char *phase, uint64_t request_seq) {
  if (!config.dir[0]) return;
  pthread_mutex_lock(&report_lock);
  struct text t = {.buf = malloc(8192), .len = 0, .cap = 8192};
  if (!t.buf) {
    pthread_mutex_unlock(&report_lock);
    return;
  }
  emit(&t, "{\"pid\":%d,\"phase\":\"%s\",\"requestSeq\":%llu,\"rings\":[", (int)getpid(), phase,
       (unsigned long long)request_seq);
  int first = 1;
  pid_t me = getpid();
  for (int i = 0; i < MAX_RINGS; i++) {
    struct ring *r = &rings[i];
    if (r->owner != me || (!r->active && !r->passthrough && !r->finished)) continue;
    if (!first) emit(&t, ",");
    emit_ring(&t, r);
    first = 0;
  }
  emit(&t, "]");
  emit_watch(&t);
  emit(&t, "}\n");
  char path[600], tmp[620];
  snprintf(path, sizeof path, "%s/report-%d.json", config.dir, (int)me);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  /* Whatever sits at tmp is replaced, never followed or waited on. */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  int failure = fd < 0 ? errno : 0;
  size_t off = 0;
  while (fd >= 0 && !failure && off < t.len) {
    ssize_t n = write(fd, t.buf + off, t.len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failure = n < 0 ? errno : EIO;
    else off += (size_t)n;
  }
  if (fd >= 0) real_close(fd);
  if (!failure && rename(tmp, path) != 0) failure = errno;
  if (failure) {
    if (fd >= 0) unlink(tmp);
    report_write_failure(me, failure);
  }
  free(t.buf);
  pthread_mutex_unlock(&report_lock);
}

/* The tool asks for a fresh report by writing a sequence number into $RINGEMU_DIR/request. */
static uint64_t pending_request(void) {
  char path[600];
  snprintf(path, sizeof path, "%s/request", config.dir);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    real_close(fd);
    return 0;
  }
  char buf[32] = {0};
  ssize_t n = read(fd, buf, sizeof buf - 1);
  real_close(fd);
  if (n <= 0) return 0;
  uint64_t seq = strtoull(buf, NULL, 10);
  return seq > atomic_load(&request_seq_served) ? seq : 0;
}

/* A report when the check asks for one (looked for every 20 ms), and one every 250 ms. */
static void serve_reports(struct ring *r, unsigned tick) {
  if (!config.dir[0]) return;
  uint64_t seq = tick % 4 == 0 ? pending_request() : 0;
  if (seq) {
    if (r->observed) {
      pthread_mutex_lock(&r->stats_lock);
      collect_kernel_stats(r);
      pthread_mutex_unlock(&r->stats_lock);
    } else {
      for (unsigned slot = 0; slot < r->frame_nr; slot++) observe_slot(r, slot);
    }
    atomic_store(&request_seq_served, seq);
    write_report("requested", seq);
  } else if (tick % 50 == 0) {
    write_report("running", atomic_load(&request_seq_served));
  }
}

static void *monitor_main(void *arg) {
  struct ring *r = arg;
  remember_own_thread();
  unsigned tick = 0;
  while (!atomic_load(&r->stop)) {
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
    for (unsigned slot = 0; slot < r->frame_nr; slot++) observe_slot(r, slot);
    tick++;
    if (watch.ring == r) {
      pthread_mutex_lock(&watch.lock);
      watch_drain();
      if (tick % 50 == 0) watch_scan_threads(r); /* threads the consumer started since */
      pthread_mutex_unlock(&watch.lock);
    }
    if (tick % 20 == 0) {
      pthread_mutex_lock(&r->stats_lock);
      collect_kernel_stats(r);
      pthread_mutex_unlock(&r->stats_lock);
    }
    serve_reports(r, tick);
  }
  return NULL;
}

/* The baseline run's monitor: the kernel's counters and the reports, nothing else. */
static void *observer_main(void *arg) {
  struct ring *r = arg;
  remember_own_thread();
  for (unsigned tick = 1; !atomic_load(&r->stop); tick++) {
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
    if (tick % 20 == 0) {
      pthread_mutex_lock(&r->stats_lock);
      collect_kernel_stats(r);
      pthread_mutex_unlock(&r->stats_lock);
    }
    serve_reports(r, tick);
  }
  return NULL;
}

/* ---------- ring lifecycle ---------- */

static struct ring *allocate_ring(void) {
  for (int i = 0; i < MAX_RINGS; i++)
    if (!rings[i].active && !rings[i].passthrough && !rings[i].finished) return &rings[i];
  return NULL;
}

static int dup_high(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, INTERNAL_FD_FLOOR); }

static void record_passthrough(int fd, const struct fd_info *info, const char *reason) {
  pthread_mutex_lock(&table_lock);
  struct ring *r = allocate_ring();
  if (r) {
    memset(r, 0, sizeof *r);
    r->passthrough = 1;
    r->reason = reason;
    r->owner = getpid();
    r->fd = fd;
    r->version = info->version;
    r->with_tx = info->has_tx;
    r->frame_nr = info->req.tp_frame_nr;
    r->frame_size = info->req.tp_frame_size;
    r->block_size = info->req.tp_block_size;
    r->block_nr = info->req.tp_block_nr;
  }
  pthread_mutex_unlock(&table_lock);
  write_report("mapped", atomic_load(&request_seq_served));
}

/*
 * The consumer's view of its ring: private memory for the RX ring the emulator produces into and,
 * when a TX ring shares the mapping (DPDK's af_packet PMD maps both with one mmap), the kernel's
 * own TX ring after it. The kernel maps a packet socket only whole (offset 0, RX and TX sizes
 * summed), so the view is a second mapping of the socket whose RX part is covered by private memory.
 */
static void *map_consumer_view(void *addr, size_t len, size_t rx_len, int prot, int flags, int fd) {
  int private_flags = MAP_SHARED | MAP_ANONYMOUS | (flags & (MAP_FIXED | MAP_LOCKED | MAP_POPULATE | MAP_NORESERVE));
  if (rx_len == len) return real_mmap(addr, len, prot, private_flags, -1, 0);
  void *view = real_mmap(addr, len, prot, flags, fd, 0);
  if (view == MAP_FAILED) return view;
  if (real_mmap(view, rx_len, prot, private_flags | MAP_FIXED, -1, 0) == MAP_FAILED) {
    real_munmap(view, len);
    return MAP_FAILED;
  }
  return view;
}

/*
 * The baseline run (RINGEMU_PASS_THROUGH=1): the consumer gets the kernel's own ring, and the
 * emulator only counts what the kernel delivered and dropped (PACKET_STATISTICS, read through its
 * own descriptor and handed on to the consumer's reads) and what is left unconsumed at the end, so
 * the check can set the emulated run beside the same consumer without it.
 */
static void *start_observing(void *real, size_t len, const struct fd_info *info, int fd) {
  pthread_mutex_lock(&table_lock);
  struct ring *r = allocate_ring();
  int own_fd = r ? dup_high(fd) : -1;
  if (!r || own_fd < 0) {
    pthread_mutex_unlock(&table_lock);
    return real;
  }
  memset(r, 0, sizeof *r);
  r->passthrough = 1;
  r->observed = 1;
  r->reason = "pass-through baseline: the kernel's own ring, counted, not emulated";
  r->owner = getpid();
  r->fd = fd;
  r->own_fd = own_fd;
  r->version = info->version;
  r->v1 = info->version == TPACKET_V1;
  r->with_tx = info->has_tx;
  r->real = r->priv = real;
  r->len = len;
  r->frame_size = info->req.tp_frame_size;
  r->frame_nr = info->req.tp_frame_nr;
  r->block_size = info->req.tp_block_size;
  r->block_nr = info->req.tp_block_nr;
  r->frames_per_block = r->block_size / r->frame_size;
  r->mapped_us = now_us();
  pthread_mutex_init(&r->stats_lock, NULL);
  pthread_mutex_unlock(&table_lock);
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  pthread_create(&r->monitor, NULL, observer_main, r);
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  write_report("mapped", atomic_load(&request_seq_served));
  return real;
}

static void stop_observing(struct ring *r) {
  atomic_store(&r->stop, 1);
  pthread_join(r->monitor, NULL);
  pthread_mutex_lock(&r->stats_lock);
  collect_kernel_stats(r);
  pthread_mutex_unlock(&r->stats_lock);
  r->frozen_unconsumed = unconsumed_frames(r);
  pthread_mutex_lock(&table_lock);
  r->finished = 1;
  pthread_mutex_unlock(&table_lock);
  write_report("unmapped", atomic_load(&request_seq_served));
  real_close(r->own_fd);
}

static void *start_emulation(void *real, size_t len, size_t rx_len, void *addr, int prot, int flags, int fd,
                             const struct fd_info *info) {
  pthread_mutex_lock(&table_lock);
  struct ring *r = allocate_ring();
  if (!r) {
    pthread_mutex_unlock(&table_lock);
    return real;
  }
  memset(r, 0, sizeof *r);
  void *priv = map_consumer_view(addr, len, rx_len, prot, flags, fd);
  unsigned frame_nr = info->req.tp_frame_nr;
  r->shadow = calloc(frame_nr, sizeof *r->shadow);
  r->claim_us = calloc(frame_nr, sizeof *r->claim_us);
  r->publish_us = calloc(frame_nr, sizeof *r->publish_us);
  r->trace = calloc(TRACE_MAX, sizeof *r->trace);
  r->life_of_slot = malloc(frame_nr * sizeof *r->life_of_slot);
  r->staging = malloc(rx_len);
  int own_fd = dup_high(fd);
  int evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  int high_evfd = evfd >= 0 ? dup_high(evfd) : -1;
  if (evfd >= 0) real_close(evfd);
  if (priv == MAP_FAILED || !r->shadow || !r->claim_us || !r->publish_us || !r->trace || !r->life_of_slot || !r->staging || own_fd < 0 ||
      high_evfd < 0) {
    /* Out of resources: leave the consumer on the real ring rather than break it. */
    if (priv != MAP_FAILED) real_munmap(priv, len);
    free(r->shadow);
    free(r->claim_us);
    free(r->publish_us);
    free(r->trace);
    free(r->life_of_slot);
    free(r->staging);
    if (own_fd >= 0) real_close(own_fd);
    if (high_evfd >= 0) real_close(high_evfd);
    memset(r, 0, sizeof *r);
    pthread_mutex_unlock(&table_lock);
    return real;
  }
  r->owner = getpid();
  r->fd = fd;
  r->own_fd = own_fd;
  r->evfd = high_evfd;
  r->version = info->version;
  r->v1 = info->version == TPACKET_V1;
  r->real = real;
  r->priv = priv;
  r->len = len;
  r->with_tx = rx_len != len;
  if (r->with_tx) r->reason = "the TX ring sharing its mapping is left to the kernel";
  r->frame_size = info->req.tp_frame_size;
  r->frame_nr = frame_nr;
  r->block_size = info->req.tp_block_size;
  r->block_nr = info->req.tp_block_nr;
  r->frames_per_block = r->block_size / r->frame_size;
  for (unsigned slot = 0; slot < frame_nr; slot++) atomic_store(&r->life_of_slot[slot], -1);
  r->rng = config.seed ^ ((uint64_t)fd << 32);
  r->mapped_us = now_us();
  r->producer_count = config.producers;
  for (int i = 0; i < MAX_EPOLL_LINKS; i++) r->epoll_links[i] = -1;
  pthread_mutex_init(&r->stats_lock, NULL);
  for (unsigned i = 0; i < r->producer_count; i++) {
    struct producer *p = &r->producers[i];
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    p->capacity = frame_nr + 1;
    p->queue = calloc(p->capacity, sizeof *p->queue);
    p->ring = r;
  }
  move_early_epoll(r, info);
  r->active = 1;
  atomic_store_explicit(&any_ring, 1, memory_order_release);
  pthread_mutex_unlock(&table_lock);
  watch_start(r); /* before the emulator's threads of this ring exist: only the consumer's are watched */

  /* Threads must not take the consumer's signals (tcpdump's SIGINT handler, for one). */
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  for (unsigned i = 0; i < r->producer_count; i++) pthread_create(&r->producers[i].thread, NULL, producer_main, &r->producers[i]);
  pthread_create(&r->reader, NULL, reader_main, r);
  pthread_create(&r->monitor, NULL, monitor_main, r);
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  write_report("mapped", atomic_load(&request_seq_served));
  return priv;
}

static void stop_emulation(struct ring *r) {
  atomic_store(&r->stop, 1);
  for (unsigned i = 0; i < r->producer_count; i++) {
    pthread_mutex_lock(&r->producers[i].lock);
    pthread_cond_broadcast(&r->producers[i].cond);
    pthread_mutex_unlock(&r->producers[i].lock);
  }
  pthread_join(r->reader, NULL);
  pthread_join(r->monitor, NULL);
  for (unsigned i = 0; i < r->producer_count; i++) pthread_join(r->producers[i].thread, NULL);
  for (unsigned slot = 0; slot < r->frame_nr; slot++) observe_slot(r, slot);
  watch_stop(r);
  /* The consumer unmaps its ring right after this: freeze what needs the mapping. */
  measure_stalls(r, &r->frozen_stalls, &r->frozen_oldest_us, &r->frozen_in_progress);
  pthread_mutex_lock(&table_lock);
  r->finished = 1;
  pthread_mutex_unlock(&table_lock);
  write_report("unmapped", atomic_load(&request_seq_served));
  real_munmap(r->real, r->len);
  real_close(r->own_fd);
  real_close(r->evfd);
  pthread_mutex_lock(&table_lock);
  r->active = 0;
  r->reason = "unmapped by the consumer";
  pthread_mutex_unlock(&table_lock);
}

/* ---------- interposed set-up calls ---------- */

EXPORT int setsockopt(int fd, int level, int name, const void *value, socklen_t len) {
  resolve_real();
  int rc = real_setsockopt(fd, level, name, value, len);
  if (rc != 0 || level != SOL_PACKET || fd < 0 || fd >= FD_TRACK_MAX || !value) return rc;
  struct fd_info *info = &fd_table[fd];
  if (name == PACKET_VERSION && len >= sizeof(int)) {
    info->version = *(const int *)value;
  } else if (name == PACKET_RX_RING || name == PACKET_TX_RING) {
    struct tpacket_req3 req = {0};
    memcpy(&req, value, len < sizeof req ? len : sizeof req);
    if (name == PACKET_TX_RING) {
      info->has_tx = req.tp_block_nr != 0;
      info->tx_len = (size_t)req.tp_block_size * req.tp_block_nr;
    } else {
      info->has_rx = req.tp_block_nr != 0;
      info->req = req;
    }
  }
  return rc;
}

/* The baseline run's ring on `fd`, still mapped. */
static struct ring *observed_ring_for_fd(int fd) {
  for (int i = 0; i < MAX_RINGS; i++)
    if (rings[i].observed && !rings[i].finished && rings[i].fd == fd && rings[i].owner == getpid()) return &rings[i];
  return NULL;
}

EXPORT int getsockopt(int fd, int level, int name, void *value, socklen_t *len) {
  resolve_real();
  struct ring *observed = config.pass_through && level == SOL_PACKET && name == PACKET_STATISTICS ? observed_ring_for_fd(fd) : NULL;
  if (observed && value && len && *len >= sizeof(struct tpacket_stats)) {
    /* The kernel's counters since the consumer's last read, as the kernel would answer (its reads reset them). */
    pthread_mutex_lock(&observed->stats_lock);
    collect_kernel_stats(observed);
    struct tpacket_stats out = {.tp_packets = (unsigned)observed->pending_packets, .tp_drops = (unsigned)observed->pending_drops};
    observed->pending_packets = observed->pending_drops = 0;
    pthread_mutex_unlock(&observed->stats_lock);
    memcpy(value, &out, sizeof out);
    *len = sizeof out;
    return 0;
  }
  struct ring *r = level == SOL_PACKET && name == PACKET_STATISTICS ? ring_for_fd(fd) : NULL;
  if (!r || !value || !len || *len < sizeof(struct tpacket_stats)) return real_getsockopt(fd, level, name, value, len);
  /* Report what the emulated kernel saw: its claims as packets, its drops on top of the kernel's. */
  pthread_mutex_lock(&r->stats_lock);
  collect_kernel_stats(r);
  uint64_t claims = atomic_load(&r->claims), drops = atomic_load(&r->drops);
  struct tpacket_stats out = {
      .tp_packets = (unsigned)(claims - r->reported_claims + (drops - r->reported_drops)),
      .tp_drops = (unsigned)(r->pending_drops + (drops - r->reported_drops)),
  };
  r->reported_claims = claims;
  r->reported_drops = drops;
  r->pending_packets = r->pending_drops = 0;
  pthread_mutex_unlock(&r->stats_lock);
  memcpy(value, &out, sizeof out);
  *len = sizeof out;
  return 0;
}

static void *map_ring(void *addr, size_t len, int prot, int flags, int fd, off_t offset, void *(*mapper)(void *, size_t, int, int, int, off_t)) {
  if (fd < 0 || fd >= FD_TRACK_MAX || offset != 0 || !fd_table[fd].has_rx || !(flags & MAP_SHARED))
    return mapper(addr, len, prot, flags, fd, offset);
  struct fd_info info = fd_table[fd];
  void *real = mapper(addr, len, prot, flags & ~MAP_FIXED, fd, offset);
  if (real == MAP_FAILED) return real;
  if (info.version == TPACKET_V3) {
    record_passthrough(fd, &info, "TPACKET_V3 ring: not affected by the RFC, passed through untouched");
    if (flags & MAP_FIXED) {
      real_munmap(real, len);
      return mapper(addr, len, prot, flags, fd, offset);
    }
    return real;
  }
  size_t rx_len = (size_t)info.req.tp_block_size * info.req.tp_block_nr;
  size_t tx_len = info.has_tx ? info.tx_len : 0;
  if (len != rx_len + tx_len || info.req.tp_frame_size == 0 || info.req.tp_block_size < info.req.tp_frame_size) {
    record_passthrough(fd, &info, "RX ring with an unusual geometry: passed through");
    if (flags & MAP_FIXED) {
      real_munmap(real, len);
      return mapper(addr, len, prot, flags, fd, offset);
    }
    return real;
  }
  if (config.pass_through) {
    if (flags & MAP_FIXED) {
      real_munmap(real, len);
      real = mapper(addr, len, prot, flags, fd, offset);
      if (real == MAP_FAILED) return real;
    }
    return start_observing(real, len, &info, fd);
  }
  return start_emulation(real, len, rx_len, addr, prot, flags, fd, &info);
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset) {
  resolve_real();
  return map_ring(addr, len, prot, flags, fd, offset, real_mmap);
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t offset) {
  resolve_real();
  return map_ring(addr, len, prot, flags, fd, offset, real_mmap64);
}

EXPORT int munmap(void *addr, size_t len) {
  resolve_real();
  if (config.pass_through) {
    for (int i = 0; i < MAX_RINGS; i++)
      if (rings[i].observed && !rings[i].finished && rings[i].owner == getpid() && rings[i].real == addr) stop_observing(&rings[i]);
  }
  if (atomic_load_explicit(&any_ring, memory_order_acquire)) {
    for (int i = 0; i < MAX_RINGS; i++) {
      struct ring *r = &rings[i];
      if (r->active && r->owner == getpid() && r->priv == addr) {
        stop_emulation(r);
        break;
      }
    }
  }
  return real_munmap(addr, len);
}

EXPORT int close(int fd) {
  resolve_real();
  if (fd >= 0 && fd < FD_TRACK_MAX) memset(&fd_table[fd], 0, sizeof fd_table[fd]);
  struct ring *r = ring_for_fd(fd);
  if (r) r->fd = -1; /* the number may be reused; the ring lives on until munmap */
  return real_close(fd);
}

/* ---------- interposed readiness calls ---------- */

static void note_wait(struct ring *r) {
  atomic_fetch_add(&r->wait_calls, 1);
  atomic_store(&r->last_wait_us, now_us());
}

static int64_t timespec_deadline_us(const struct timespec *timeout) {
  if (!timeout) return -1;
  return (int64_t)now_us() + (int64_t)timeout->tv_sec * 1000000 + timeout->tv_nsec / 1000;
}

static struct timespec remaining(int64_t deadline_us) {
  int64_t left = deadline_us - (int64_t)now_us();
  if (left < 0) left = 0;
  return (struct timespec){.tv_sec = left / 1000000, .tv_nsec = (left % 1000000) * 1000};
}

#define POLL_STACK 64
#define READ_EVENTS (POLLIN | POLLRDNORM)

/*
 * Readable is the emulated kernel's answer, waited for on the doorbell; anything else asked of the
 * socket (POLLOUT for a TX ring sharing the mapping, POLLPRI) is the real socket's, waited for on it
 * in the same call. A descriptor asked nothing readable is passed through whole.
 */
static int emulated_ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout, const sigset_t *sigmask) {
  struct pollfd stack[2 * POLL_STACK];
  struct pollfd *copy = n <= POLL_STACK ? stack : malloc(2 * n * sizeof *copy);
  struct ring *owners_stack[POLL_STACK];
  struct ring **owners = n <= POLL_STACK ? owners_stack : malloc(n * sizeof *owners);
  nfds_t extra_of_stack[POLL_STACK];
  nfds_t *extra_of = n <= POLL_STACK ? extra_of_stack : malloc(n * sizeof *extra_of);
  if (!copy || !owners || !extra_of) {
    if (copy != stack) free(copy);
    if (owners != owners_stack) free(owners);
    if (extra_of != extra_of_stack) free(extra_of);
    errno = ENOMEM;
    return -1;
  }
  int64_t deadline = timespec_deadline_us(timeout);
  int result;
  for (;;) {
    int any_ready = 0;
    nfds_t extra = 0;
    for (nfds_t i = 0; i < n; i++) {
      owners[i] = fds[i].events & READ_EVENTS ? ring_for_fd(fds[i].fd) : NULL;
      copy[i] = fds[i];
      extra_of[i] = 0;
      if (!owners[i]) continue;
      atomic_fetch_add(&owners[i]->waiters, 1);
      note_wait(owners[i]);
      drain_doorbell(owners[i]);
      if (emulated_readable(owners[i])) any_ready = 1;
      copy[i].fd = owners[i]->evfd;
      copy[i].events = POLLIN;
      short others = fds[i].events & ~READ_EVENTS;
      if (others) {
        copy[n + extra] = (struct pollfd){.fd = fds[i].fd, .events = others};
        extra_of[i] = ++extra;
      }
    }
    struct timespec zero = {0, 0}, left = remaining(deadline);
    int rc = real_ppoll(copy, n + extra, any_ready ? &zero : (timeout ? &left : NULL), sigmask);
    int saved = errno;
    result = 0;
    for (nfds_t i = 0; i < n; i++) {
      if (owners[i]) {
        atomic_fetch_sub(&owners[i]->waiters, 1);
        int readable = emulated_readable(owners[i]);
        fds[i].revents = readable ? (short)(fds[i].events & READ_EVENTS) : 0;
        if (readable) atomic_fetch_add(&owners[i]->ready_answers, 1);
        if (extra_of[i]) fds[i].revents |= copy[n + extra_of[i] - 1].revents;
      } else {
        fds[i].revents = copy[i].revents;
      }
      if (fds[i].revents) result++;
    }
    if (rc < 0) {
      result = -1;
      errno = saved;
      break;
    }
    /* A doorbell can ring for a state change that leaves the socket unreadable; keep waiting. */
    if (result > 0 || rc == 0 || (timeout && (int64_t)now_us() >= deadline)) break;
  }
  if (copy != stack) free(copy);
  if (owners != owners_stack) free(owners);
  if (extra_of != extra_of_stack) free(extra_of);
  return result;
}

static int has_emulated_fd(const struct pollfd *fds, nfds_t n) {
  if (!atomic_load_explicit(&any_ring, memory_order_acquire)) return 0;
  for (nfds_t i = 0; i < n; i++)
    if (ring_for_fd(fds[i].fd)) return 1;
  return 0;
}

EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout_ms) {
  resolve_real();
  if (!has_emulated_fd(fds, n)) return real_poll(fds, n, timeout_ms);
  struct timespec timeout = {.tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000};
  return emulated_ppoll(fds, n, timeout_ms < 0 ? NULL : &timeout, NULL);
}

EXPORT int __poll_chk(struct pollfd *fds, nfds_t n, int timeout_ms, size_t fdslen) {
  (void)fdslen;
  return poll(fds, n, timeout_ms);
}

EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout, const sigset_t *sigmask) {
  resolve_real();
  if (!has_emulated_fd(fds, n)) return real_ppoll(fds, n, timeout, sigmask);
  return emulated_ppoll(fds, n, timeout, sigmask);
}

EXPORT int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *timeout, const sigset_t *sigmask, size_t fdslen) {
  (void)fdslen;
  return ppoll(fds, n, timeout, sigmask);
}

static int emulated_pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
                            const sigset_t *sigmask) {
  struct ring *owners[MAX_RINGS];
  int ring_fds[MAX_RINGS];
  int count = 0;
  for (int fd = 0; fd < nfds && count < MAX_RINGS; fd++) {
    if (!FD_ISSET(fd, readfds)) continue;
    struct ring *r = ring_for_fd(fd);
    if (!r) continue;
    owners[count] = r;
    ring_fds[count++] = fd;
  }
  int64_t deadline = timespec_deadline_us(timeout);
  for (;;) {
    fd_set r_copy = *readfds, w_copy, e_copy;
    if (writefds) w_copy = *writefds;
    if (exceptfds) e_copy = *exceptfds;
    int wide = nfds, any_ready = 0;
    for (int i = 0; i < count; i++) {
      FD_CLR(ring_fds[i], &r_copy);
      FD_SET(owners[i]->evfd, &r_copy);
      if (owners[i]->evfd + 1 > wide) wide = owners[i]->evfd + 1;
      atomic_fetch_add(&owners[i]->waiters, 1);
      note_wait(owners[i]);
      drain_doorbell(owners[i]);
      if (emulated_readable(owners[i])) any_ready = 1;
    }
    struct timespec zero = {0, 0}, left = remaining(deadline);
    int rc = real_pselect(wide, &r_copy, writefds ? &w_copy : NULL, exceptfds ? &e_copy : NULL,
                          any_ready ? &zero : (timeout ? &left : NULL), sigmask);
    int saved = errno;
    for (int i = 0; i < count; i++) {
      atomic_fetch_sub(&owners[i]->waiters, 1);
      FD_CLR(owners[i]->evfd, &r_copy);
      if (emulated_readable(owners[i])) {
        FD_SET(ring_fds[i], &r_copy);
        atomic_fetch_add(&owners[i]->ready_answers, 1);
      }
    }
    if (rc < 0) {
      errno = saved;
      return -1;
    }
    int result = 0;
    for (int fd = 0; fd < nfds; fd++) {
      result += FD_ISSET(fd, &r_copy) != 0;
      if (writefds) result += FD_ISSET(fd, &w_copy) != 0;
      if (exceptfds) result += FD_ISSET(fd, &e_copy) != 0;
    }
    if (result > 0 || rc == 0 || (timeout && (int64_t)now_us() >= deadline)) {
      for (int fd = 0; fd < nfds; fd++) {
        if (!FD_ISSET(fd, &r_copy)) FD_CLR(fd, readfds);
        if (writefds && !FD_ISSET(fd, &w_copy)) FD_CLR(fd, writefds);
        if (exceptfds && !FD_ISSET(fd, &e_copy)) FD_CLR(fd, exceptfds);
      }
      return result;
    }
  }
}

static int select_has_emulated_fd(int nfds, fd_set *readfds) {
  if (!readfds || !atomic_load_explicit(&any_ring, memory_order_acquire)) return 0;
  for (int i = 0; i < MAX_RINGS; i++) {
    struct ring *r = &rings[i];
    if (r->active && r->owner == getpid() && r->fd >= 0 && r->fd < nfds && FD_ISSET(r->fd, readfds)) return 1;
  }
  return 0;
}

EXPORT int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout) {
  resolve_real();
  if (!select_has_emulated_fd(nfds, readfds)) return real_select(nfds, readfds, writefds, exceptfds, timeout);
  struct timespec ts;
  if (timeout) ts = (struct timespec){.tv_sec = timeout->tv_sec, .tv_nsec = timeout->tv_usec * 1000};
  int64_t start = (int64_t)now_us();
  int rc = emulated_pselect(nfds, readfds, writefds, exceptfds, timeout ? &ts : NULL, NULL);
  if (timeout) {
    /* Linux select() reports the time left; keep that contract. */
    int64_t left = (int64_t)timeout->tv_sec * 1000000 + timeout->tv_usec - ((int64_t)now_us() - start);
    if (left < 0) left = 0;
    timeout->tv_sec = left / 1000000;
    timeout->tv_usec = left % 1000000;
  }
  return rc;
}

EXPORT int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
                   const sigset_t *sigmask) {
  resolve_real();
  if (!select_has_emulated_fd(nfds, readfds)) return real_pselect(nfds, readfds, writefds, exceptfds, timeout, sigmask);
  return emulated_pselect(nfds, readfds, writefds, exceptfds, timeout, sigmask);
}

/* Remembers where a not-yet-emulated descriptor is registered, in case it becomes a ring. */
static void remember_epoll(int epfd, int op, int fd, const struct epoll_event *event) {
  if (fd < 0 || fd >= FD_TRACK_MAX) return;
  struct fd_info *info = &fd_table[fd];
  int at = -1;
  for (int i = 0; i < info->early_epoll_count; i++)
    if (info->early_epfd[i] == epfd) at = i;
  if (op == EPOLL_CTL_DEL && at >= 0) {
    info->early_epoll_count--;
    info->early_epfd[at] = info->early_epfd[info->early_epoll_count];
    info->early_event[at] = info->early_event[info->early_epoll_count];
  } else if (op == EPOLL_CTL_MOD && at >= 0 && event) {
    info->early_event[at] = *event;
  } else if (op == EPOLL_CTL_ADD && at < 0 && event && info->early_epoll_count < EARLY_EPOLL_MAX) {
    info->early_epfd[info->early_epoll_count] = epfd;
    info->early_event[info->early_epoll_count] = *event;
    info->early_epoll_count++;
  }
}

static void link_epoll(struct ring *r, int epfd) {
  for (int i = 0; i < MAX_EPOLL_LINKS; i++)
    if (r->epoll_links[i] == -1) {
      r->epoll_links[i] = epfd;
      return;
    }
}

static struct epoll_event doorbell_event(const struct epoll_event *event) {
  struct epoll_event doorbell = *event;
  doorbell.events = EPOLLIN | (event->events & (EPOLLET | EPOLLONESHOT));
  return doorbell;
}

/* A consumer that registered its socket with epoll before mapping the ring waits on the doorbell from now on. */
static void move_early_epoll(struct ring *r, const struct fd_info *info) {
  for (int i = 0; i < info->early_epoll_count; i++) {
    struct epoll_event doorbell = doorbell_event(&info->early_event[i]);
    real_epoll_ctl(info->early_epfd[i], EPOLL_CTL_DEL, r->fd, NULL);
    if (real_epoll_ctl(info->early_epfd[i], EPOLL_CTL_ADD, r->evfd, &doorbell) == 0) link_epoll(r, info->early_epfd[i]);
  }
}

EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event) {
  resolve_real();
  struct ring *r = ring_for_fd(fd);
  if (!r) {
    int rc = real_epoll_ctl(epfd, op, fd, event);
    if (rc == 0) remember_epoll(epfd, op, fd, event);
    return rc;
  }
  /* The doorbell stands in for the socket, carrying the consumer's own event data. */
  struct epoll_event doorbell = {0};
  if (event) doorbell = doorbell_event(event);
  int rc = real_epoll_ctl(epfd, op, r->evfd, event ? &doorbell : NULL);
  if (rc != 0) return rc;
  pthread_mutex_lock(&table_lock);
  if (op == EPOLL_CTL_ADD) link_epoll(r, epfd);
  for (int i = 0; op == EPOLL_CTL_DEL && i < MAX_EPOLL_LINKS; i++)
    if (r->epoll_links[i] == epfd) r->epoll_links[i] = -1;
  pthread_mutex_unlock(&table_lock);
  return rc;
}

static int emulated_epoll(int epfd, struct epoll_event *events, int max, const struct timespec *timeout, const sigset_t *sigmask,
                          struct ring *r) {
  atomic_fetch_add(&r->waiters, 1);
  note_wait(r);
  if (emulated_readable(r)) {
    /* Level-triggered readiness: make sure the doorbell reads as ready. */
    uint64_t one = 1;
    ssize_t ignored = write(r->evfd, &one, sizeof one);
    (void)ignored;
    atomic_fetch_add(&r->ready_answers, 1);
  } else {
    drain_doorbell(r);
  }
  int rc = -1;
  errno = ENOSYS;
  if (real_epoll_pwait2) rc = real_epoll_pwait2(epfd, events, max, timeout, sigmask);
  if (rc < 0 && errno == ENOSYS) { /* glibc or kernel older than epoll_pwait2 (Linux 5.11) */
    int ms = timeout ? (int)(timeout->tv_sec * 1000 + timeout->tv_nsec / 1000000) : -1;
    rc = real_epoll_pwait(epfd, events, max, ms, sigmask);
  }
  atomic_fetch_sub(&r->waiters, 1);
  return rc;
}

EXPORT int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms) {
  resolve_real();
  struct ring *r = ring_for_epoll(epfd);
  if (!r) return real_epoll_wait(epfd, events, max, timeout_ms);
  struct timespec ts = {.tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000};
  return emulated_epoll(epfd, events, max, timeout_ms < 0 ? NULL : &ts, NULL, r);
}

EXPORT int epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout_ms, const sigset_t *sigmask) {
  resolve_real();
  struct ring *r = ring_for_epoll(epfd);
  if (!r) return real_epoll_pwait(epfd, events, max, timeout_ms, sigmask);
  struct timespec ts = {.tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000};
  return emulated_epoll(epfd, events, max, timeout_ms < 0 ? NULL : &ts, sigmask, r);
}

EXPORT int epoll_pwait2(int epfd, struct epoll_event *events, int max, const struct timespec *timeout, const sigset_t *sigmask) {
  resolve_real();
  struct ring *r = ring_for_epoll(epfd);
  if (!r) return real_epoll_pwait2(epfd, events, max, timeout, sigmask);
  return emulated_epoll(epfd, events, max, timeout, sigmask, r);
}

/* ---------- load and exit ---------- */

__attribute__((constructor)) static void ringemu_load(void) {
  resolve_real();
  load_config();
}

__attribute__((destructor)) static void ringemu_unload(void) {
  if (!atomic_load(&any_ring)) {
    /* A V3 or never-mapped consumer still leaves a report saying what it did. */
    for (int i = 0; i < MAX_RINGS; i++)
      if ((rings[i].passthrough || rings[i].finished) && rings[i].owner == getpid()) {
        write_report("exit", atomic_load(&request_seq_served));
        return;
      }
    return;
  }
  for (int i = 0; i < MAX_RINGS; i++)
    if (rings[i].active && rings[i].owner == getpid())
      for (unsigned slot = 0; slot < rings[i].frame_nr; slot++) observe_slot(&rings[i], slot);
  write_report("exit", atomic_load(&request_seq_served));
}
