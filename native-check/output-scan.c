/*
 * ringlint-output-scan: counts the emulator's poison marker in everything a consumer wrote under
 * {out}, which the consumer (or, for a --out directory, anyone who can write there) controls.
 *
 *   ringlint-output-scan DIR MAX_BYTES MAX_MS
 *   -> {"poisonFrames":n,"filesScanned":n,"bytesScanned":n,"skipped":n,"truncated":true|false}
 *
 * Only regular files and directories below DIR are opened, never through a symbolic link and never
 * blocking (a FIFO or device is counted as skipped, not opened); the entry opened is checked to be
 * the one examined. Files are read through their data only (SEEK_DATA / SEEK_HOLE), so a sparse
 * terabyte costs what it holds. The whole scan stops after MAX_BYTES read or MAX_MS elapsed, and
 * says so ("truncated"). The marker has no zero byte, so it cannot span a hole: the carry between
 * chunks is kept within one data extent only.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ringlint-wire.h"

#define CHUNK (1 << 20)
#define MAX_DEPTH 64

static struct {
  uint64_t poison, files, bytes, skipped;
  int truncated;
  uint64_t max_bytes, deadline_ms;
} scan;

static unsigned char buffer[CHUNK + RINGLINT_MAGIC_LEN];

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int out_of_budget(void) {
  if (!scan.truncated && (scan.bytes >= scan.max_bytes || now_ms() >= scan.deadline_ms)) scan.truncated = 1;
  return scan.truncated;
}

static uint64_t count_marker(const unsigned char *data, size_t len) {
  uint64_t hits = 0;
  const unsigned char *at = data, *end = data + len;
  while ((at = memmem(at, (size_t)(end - at), RINGLINT_POISON_MAGIC, RINGLINT_MAGIC_LEN)) != NULL) {
    hits++;
    at += RINGLINT_MAGIC_LEN;
  }
  return hits;
}

/* Reads [from, to) of fd; to == UINT64_MAX reads to the end of the file. */
static void scan_extent(int fd, uint64_t from, uint64_t to) {
  size_t carry = 0;
  uint64_t pos = from;
  while (pos < to && !out_of_budget()) {
    uint64_t want = to - pos;
    if (want > CHUNK) want = CHUNK;
    if (want > scan.max_bytes - scan.bytes) want = scan.max_bytes - scan.bytes;
    ssize_t n = pread(fd, buffer + carry, (size_t)want, (off_t)pos);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    scan.bytes += (uint64_t)n;
    pos += (uint64_t)n;
    size_t filled = carry + (size_t)n;
    scan.poison += count_marker(buffer, filled);
    /* Keep a tail shorter than the marker: a marker split across chunks is found exactly once. */
    carry = filled < RINGLINT_MAGIC_LEN - 1 ? filled : RINGLINT_MAGIC_LEN - 1;
    memmove(buffer, buffer + filled - carry, carry);
  }
}

static void scan_file(int fd) {
  scan.files++;
  uint64_t pos = 0;
  for (;;) {
    off_t data = lseek(fd, (off_t)pos, SEEK_DATA);
    if (data < 0) {
      /* ENXIO: no data past pos. Other errors: a file system without SEEK_DATA, read it all. */
      if (errno != ENXIO && pos == 0) scan_extent(fd, 0, UINT64_MAX);
      return;
    }
    off_t hole = lseek(fd, data, SEEK_HOLE);
    if (hole < 0) hole = (off_t)INT64_MAX;
    scan_extent(fd, (uint64_t)data, (uint64_t)hole);
    if (out_of_budget()) return;
    pos = (uint64_t)hole;
  }
}

static void scan_directory(int dir_fd, int depth) {
  DIR *dir = fdopendir(dir_fd);
  if (!dir) {
    close(dir_fd);
    return;
  }
  struct dirent *entry;
  while (!out_of_budget() && (entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    struct stat seen, opened;
    if (fstatat(dirfd(dir), entry->d_name, &seen, AT_SYMLINK_NOFOLLOW) != 0) continue;
    int is_dir = S_ISDIR(seen.st_mode);
    if ((!is_dir && !S_ISREG(seen.st_mode)) || (is_dir && depth >= MAX_DEPTH)) {
      scan.skipped++;
      continue;
    }
    int fd = openat(dirfd(dir), entry->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0));
    if (fd < 0) {
      scan.skipped++;
      continue;
    }
    /* Replaced between the look and the open: not what was examined. */
    if (fstat(fd, &opened) != 0 || opened.st_dev != seen.st_dev || opened.st_ino != seen.st_ino) {
      scan.skipped++;
      close(fd);
      continue;
    }
    if (is_dir) {
      scan_directory(fd, depth + 1);
    } else {
      scan_file(fd);
      close(fd);
    }
  }
  closedir(dir);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DIR MAX_BYTES MAX_MS\n", argv[0]);
    return 2;
  }
  scan.max_bytes = strtoull(argv[2], NULL, 10);
  scan.deadline_ms = now_ms() + strtoull(argv[3], NULL, 10);
  /* DIR itself was named by the check (or by the user with --out): it may be a link the user chose. */
  int top = open(argv[1], O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
  if (top < 0 && errno != ENOENT) {
    fprintf(stderr, "ringlint-output-scan: %s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  if (top >= 0) scan_directory(top, 0);
  printf("{\"poisonFrames\":%llu,\"filesScanned\":%llu,\"bytesScanned\":%llu,\"skipped\":%llu,\"truncated\":%s}\n",
         (unsigned long long)scan.poison, (unsigned long long)scan.files, (unsigned long long)scan.bytes,
         (unsigned long long)scan.skipped, scan.truncated ? "true" : "false");
  return 0;
}
