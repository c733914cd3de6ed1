/*
 * ringscan: the part of a scan that must run at the speed of the disk, in one pass.
 *
 * Every command but verify takes first, from src/languages (the language table and the status-word
 * vocabulary own them; ringscan keeps no copy):
 *   --kinds KIND=EXT,KIND=EXT,…     which file names the walk takes, and as what (c: read and
 *                                   searched, quoted includes too; m, r: documents, searched;
 *                                   t: stamped only, declaration files .d.ts/.d.mts/.d.cts left out)
 *   --words NEEDLE,…                needles that name the status word wherever they stand (FLAG_STATUS_WORD)
 *   --look-alikes NEEDLE,…          needles other structs' fields share (FLAG_BLOCK_STATUS)
 * Each needle holds a "p_st" or "k_st" (any case) where the vector search anchors its candidates.
 *
 *   ringscan walk MAX_SIZE ROOT... 3>STAMPS
 *     Walks each root (a real directory path) on all cores, skipping .git and node_modules. Prints
 *     NUL-terminated records; fields are tab-separated and the path (absolute) comes last, so it
 *     may hold tabs. First, as they are found, the entries the caller must act on:
 *       F kind size flags path          a regular file of a scanned kind (c: C, m: Markdown,
 *                                       r: reST, t: TypeScript/JavaScript) that the search flagged,
 *                                       or any TypeScript/JavaScript file (not searched here); C and
 *                                       documents are read and searched (above MAX_SIZE bytes, in
 *                                       chunks and for the status word and NUL only)
 *       L path                          a symbolic link (the caller decides whether to follow it)
 *       S kind path                     a non-regular file with a scanned kind's name (kind: fifo,
 *                                       socket, device, other)
 *       E errno path                    a directory that could not be read (errno: its number)
 *       U errno path                    a file of a scanned kind that could be neither opened nor
 *                                       stat'ed (in a directory that can be read but not entered);
 *                                       only a file gone since it was listed (ENOENT) is skipped
 *     then "N count", the number of regular files of scanned kinds walked, flagged or not. Then it
 *     reads standard input: at its end it exits (a scan without a cache seldom needs the stamps,
 *     and sorting them is most of the walk's last step); on "S" it writes to file descriptor 3
 *     (which the caller opens on a file: a pipe's reader would hold up the walk's last step
 *     whenever it is busy) the stamps of every such file and every directory walked, then the
 *     path of every file stamped, NUL-terminated, in the same order (the first record that starts
 *     with '/' is the first path), and exits 0. The stamps are records of the scan cache's
 *     stamps file (see verify), which the caller keeps as bytes (src/cache/stamps.ts writes the
 *     same records where ringscan is not built):
 *       F size mtime_ns ctime_ns ino sha1|- path
 *       D mtime_ns ctime_ns ino path
 *     sorted by path ('/' first), the order of a depth-first walk that visits each directory's
 *     entries by name. A file's stamp comes from fstat on the descriptor that was read, so it
 *     describes the bytes searched, and so does its SHA-1 (of files listed only, see visit_file);
 *     a directory that cannot be read is stamped too (by stat), so that a chmod that opens it is a
 *     change.
 *
 *   ringscan files MAX_SIZE < RECORDS 3>STAMPS
 *     The same search and the same records (no D records: no directory is walked) for the regular
 *     files standard input names, as NUL-terminated "kind<TAB>path" records (kind as in F records,
 *     path absolute and real): for trees whose ignore files another walk has applied. The stamps
 *     are written after the count, unasked.
 *
 *   ringscan verify STAMPS RACY_FROM_NS
 *     Checks a scan cache's stamps against the file system on all cores. Records as the cache
 *     writes them: "H token" first, "T token" last, and between them
 *     "F size mtime_ns ctime_ns ino sha1|- path", "D mtime_ns ctime_ns ino path" and "A path" (must
 *     not exist). Prints "changed" and exits 1 at the first difference, or when header and trailer
 *     do not name the same token; otherwise prints the header record and exits 0. A file whose
 *     stat changed but whose size did not is unchanged when its bytes still have the stamp's
 *     SHA-1. A stamp whose mtime is at or after RACY_FROM_NS proves nothing (as in git's index).
 *     STAMPS is read only if it is a regular file (no link, no waiting on a FIFO) of at most
 *     256 MiB.
 *
 * Exit 2 with a message on stderr for usage and tool errors.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * ringscan sets no signal handler: a signal either ends it or is ignored, so none of its reads
 * fails with EINTR (signal(7)), and none is retried.
 */

enum {
  FLAG_STATUS_WORD = 1,     /* tp_status or TP_STATUS_ at the start of a word */
  FLAG_NUL_BYTE = 2,        /* binary: the scan reports it */
  FLAG_OTHER_INCLUDE = 4,   /* #include "x" where x is not of a kind the walk takes: x is scanned as C */
  FLAG_UNREADABLE = 8,      /* could not be opened or read: the scan reports why */
  FLAG_BLOCK_STATUS = 16,   /* block_status at the start of a word (many structs have one) */
};

static void die(const char *what) {
  fprintf(stderr, "ringscan: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void *checked_realloc(void *memory, size_t size) {
  memory = realloc(memory, size);
  if (!memory) die("out of memory");
  return memory;
}

static int thread_count(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (cores < 1) return 1;
  return cores > 16 ? 16 : (int)cores;
}

/* ---- per-thread buffers of stamps, kept until the walk is done: they are sorted before being written ---- */

typedef struct {
  char *data;
  size_t length, capacity;
} Buffer;

static void buffer_append(Buffer *buffer, const char *text, size_t length) {
  if (buffer->length + length > buffer->capacity) {
    buffer->capacity = (buffer->length + length) * 2;
    buffer->data = checked_realloc(buffer->data, buffer->capacity);
  }
  memcpy(buffer->data + buffer->length, text, length);
  buffer->length += length;
}

static void buffer_record(Buffer *buffer, const char *head, const char *path) {
  buffer_append(buffer, head, strlen(head));
  buffer_append(buffer, path, strlen(path) + 1); /* with its NUL terminator */
}

/* Stamps hold ctime as well as mtime: nothing sets ctime back, so a rewrite that restored size and mtime (touch -d) still shows. */
static unsigned long long ns(struct timespec time) {
  return (unsigned long long)time.tv_sec * 1000000000ULL + (unsigned long long)time.tv_nsec;
}

/* ---- content hashes: SHA-1 of the bytes read (the stamps' sha1 field; the fallback, src/cache/stamps.ts, uses node:crypto's) ---- */

static uint32_t rotate_left(uint32_t value, int bits) {
  return value << bits | value >> (32 - bits);
}

static void sha1_block(uint32_t state[5], const unsigned char *block) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
  for (int i = 16; i < 80; i++) w[i] = rotate_left(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f = i < 20 ? ((b & c) | (~b & d)) + 0x5A827999u
               : i < 40 ? (b ^ c ^ d) + 0x6ED9EBA1u
               : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDCu
               : (b ^ c ^ d) + 0xCA62C1D6u;
    uint32_t next = rotate_left(a, 5) + f + e + w[i];
    e = d;
    d = c;
    c = rotate_left(b, 30);
    b = a;
    a = next;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
}

/*
 * Writes the SHA-1 of `length` bytes as 40 lower-case hex digits and a NUL. Both its users hold the
 * whole text (as read, no more than fstat's size), so the blocks are taken where they lie.
 */
static void sha1_of(const unsigned char *bytes, size_t length, char hex[41]) {
  uint32_t state[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  size_t whole = length - length % 64;
  for (size_t at = 0; at < whole; at += 64) sha1_block(state, bytes + at);
  /* The bytes left, the 0x80 that ends them and the length in bits, in one block or two. */
  unsigned char tail[128] = {0};
  size_t left = length - whole, tail_length = left < 56 ? 64 : 128;
  memcpy(tail, bytes + whole, left);
  tail[left] = 0x80;
  for (size_t i = 0; i < 8; i++) tail[tail_length - 1 - i] = (unsigned char)((unsigned long long)length * 8 >> (8 * i));
  for (size_t at = 0; at < tail_length; at += 64) sha1_block(state, tail + at);
  for (int i = 0; i < 20; i++) sprintf(hex + 2 * i, "%02x", (unsigned)(state[i / 4] >> (24 - 8 * (i % 4))) & 0xffu);
}

/* ---- which files the scan takes, by name (--kinds: src/files/source-kind.ts) ---- */

enum { MAX_KINDS = 64, MAX_NEEDLES = 16 };
static struct { const char *extension; char kind; } kinds[MAX_KINDS];
static size_t kind_count;

/* `--kinds c=c,c=h,m=md`: the spec is kept (argv lives as long as the process), split in place. */
static int parse_kinds(char *spec) {
  for (char *item; (item = strsep(&spec, ","));) {
    if (strlen(item) < 3 || item[1] != '=' || !strchr("cmrt", item[0]) || kind_count == MAX_KINDS) return 0;
    kinds[kind_count].extension = item + 2;
    kinds[kind_count++].kind = item[0];
  }
  return kind_count > 0;
}

static char kind_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot || dot == name) return 0;
  const char *extension = dot + 1;
  for (size_t i = 0; i < kind_count; i++) {
    if (strcasecmp(extension, kinds[i].extension) != 0) continue;
    if (kinds[i].kind == 't') {
      /* Declaration files (.d.ts, .d.mts, .d.cts) describe code that lives elsewhere. */
      size_t stem = (size_t)(dot - name);
      if (stem >= 2 && name[stem - 2] == '.' && (name[stem - 1] == 'd' || name[stem - 1] == 'D') &&
          strcasecmp(extension, "ts") * strcasecmp(extension, "mts") * strcasecmp(extension, "cts") == 0)
        return 0;
    }
    return kinds[i].kind;
  }
  return 0;
}

/* ---- the byte search ---- */

static int is_word_byte(unsigned char byte) {
  return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') || byte == '_';
}

static int word_at(const unsigned char *text, size_t length, size_t start, const char *word) {
  size_t size = strlen(word);
  if (start + size > length || memcmp(text + start, word, size) != 0) return 0;
  return start == 0 || !is_word_byte(text[start - 1]);
}

/* The needles (--words, --look-alikes), each with the offset of its '_' in "p_st"/"k_st", where candidates anchor. */
static struct { const char *text; size_t anchor; int flag; } needles[MAX_NEEDLES];
static size_t needle_count;

static int parse_needles(char *spec, int flag) {
  for (char *needle = strtok(spec, ","); needle; needle = strtok(NULL, ",")) {
    const char *at = needle;
    while ((at = strchr(at + 1, '_')) && !(strchr("pPkK", at[-1]) && at[1] && strchr("sS", at[1]) && at[2] && strchr("tT", at[2]))) {}
    /* Shorter than the bytes a chunked search carries over, so a needle split across chunks is found. */
    if (!at || needle_count == MAX_NEEDLES || strlen(needle) >= 32) {
      fprintf(stderr, "ringscan: a needle needs \"p_st\" or \"k_st\" (any case) and fewer than 32 bytes to be searched for: %.80s\n", needle);
      return 0;
    }
    needles[needle_count].text = needle;
    needles[needle_count].anchor = (size_t)(at - needle);
    needles[needle_count++].flag = flag;
  }
  return 1;
}

/* `at` is the '_' of "_st"/"_ST" in the text. */
static int status_word_around(const unsigned char *text, size_t length, size_t at) {
  int flags = 0;
  for (size_t i = 0; i < needle_count; i++) {
    if (at >= needles[i].anchor && word_at(text, length, at - needles[i].anchor, needles[i].text)) flags |= needles[i].flag;
  }
  return flags;
}

/* `at` is the 'c' of "clud": `include[ \t]*"name"` where name is not of a kind the walk takes. */
static int other_include_around(const unsigned char *text, size_t length, size_t at) {
  if (at < 2 || at + 5 > length || text[at - 2] != 'i' || text[at - 1] != 'n' || text[at + 4] != 'e') return 0;
  size_t i = at + 5;
  while (i < length && (text[i] == ' ' || text[i] == '\t')) i++;
  if (i >= length || text[i] != '"') return 0;
  size_t start = ++i;
  while (i < length && text[i] != '"' && text[i] != '\n') i++;
  if (i >= length || text[i] != '"' || i == start || i - start >= 4096) return 0;
  /* A file of a kind the walk takes is found by the walk itself; only other names need following. */
  char name[4096];
  memcpy(name, text + start, i - start);
  name[i - start] = 0;
  const char *base = strrchr(name, '/');
  return kind_of(base ? base + 1 : name) == 0;
}

/*
 * Bit k set when position k of the 32 bytes at `at` starts a candidate: "p_st" or "k_st" (any
 * case: the end of tp_status, TP_STATUS_ and block_status), "clud" (include) or NUL. Anchoring on
 * the byte before "_st" keeps candidates rare ("_sta" alone starts 1.2 million in the kernel
 * tree: _start, _state, _stats; these 136 thousand) for one more compare. Built with
 * -march=native (it is compiled where it runs): AVX2 does the 32 bytes in one go; otherwise two
 * 16-byte halves (SSE2 on any x86-64, NEON or plain code elsewhere).
 */
/* Bytes a candidate test reads from its position on. */
#define CANDIDATE_SPAN 4

#if !defined(RINGSCAN_SCALAR)
#if defined(__AVX2__)
#define VECTOR_BYTES 32
#else
#define VECTOR_BYTES 16
#endif
typedef unsigned char Bytes __attribute__((vector_size(VECTOR_BYTES)));
typedef char SignedBytes __attribute__((vector_size(VECTOR_BYTES)));

static Bytes load(const unsigned char *at) {
  Bytes vector;
  memcpy(&vector, at, sizeof vector);
  return vector;
}

static uint32_t candidates(const unsigned char *at) {
  Bytes b0 = load(at), b1 = load(at + 1), b2 = load(at + 2), b3 = load(at + 3);
  Bytes lower0 = b0 | 0x20;
  Bytes status = ((lower0 == 'p') | (lower0 == 'k')) & (b1 == '_') & ((b2 | 0x20) == 's') & ((b3 | 0x20) == 't');
  Bytes include = (b0 == 'c') & (b1 == 'l') & (b2 == 'u') & (b3 == 'd');
  SignedBytes hits = (SignedBytes)(status | include | (b0 == 0));
#if defined(__AVX2__)
  return (uint32_t)__builtin_ia32_pmovmskb256(hits);
#elif defined(__SSE2__)
  return (uint32_t)__builtin_ia32_pmovmskb128(hits);
#else
  uint32_t mask = 0;
  for (int k = 0; k < VECTOR_BYTES; k++) mask |= (uint32_t)(hits[k] & 1) << k;
  return mask;
#endif
}

static uint32_t candidates32(const unsigned char *at) {
  if (VECTOR_BYTES == 32) return candidates(at);
  return candidates(at) | candidates(at + 16) << 16;
}
#endif

static void check_candidate(const unsigned char *text, size_t length, size_t at, int is_c, int *flags) {
  switch (text[at]) {
    case 0: *flags |= FLAG_NUL_BYTE; break;
    case 'p': case 'P': case 'k': case 'K': *flags |= status_word_around(text, length, at + 1); break;
    case 'c': if (is_c && other_include_around(text, length, at)) *flags |= FLAG_OTHER_INCLUDE; break;
  }
}

/*
 * One pass over the bytes, 32 at a time: candidate positions (above) are found with vector
 * compares, then checked one by one; the last few bytes, which a load at +CANDIDATE_SPAN - 1 would
 * overrun, bytewise. RINGSCAN_SCALAR checks every position bytewise: the reference the vector
 * builds are compared with (test/native/simd-variants.test.ts).
 */
static int search(const unsigned char *text, size_t length, int is_c) {
  int flags = 0;
  size_t i = 0;
#if !defined(RINGSCAN_SCALAR)
  for (; i + 32 + CANDIDATE_SPAN - 1 <= length; i += 32) {
    for (uint32_t mask = candidates32(text + i); mask; mask &= mask - 1) check_candidate(text, length, i + (size_t)__builtin_ctz(mask), is_c, &flags);
  }
#endif
  for (; i < length; i++) check_candidate(text, length, i, is_c, &flags);
  return flags;
}

/* ---- walk ---- */

typedef struct DirectoryJob {
  struct DirectoryJob *next;
  char path[];
} DirectoryJob;

/*
 * Directories wait in a queue, first in first out: the walk goes breadth first, so the files near
 * the top of a tree (the kernel's net/packet/af_packet.c, its Documentation/) are met early, and the
 * scan's work on what it flags overlaps the rest of the walk instead of following it.
 */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  DirectoryJob *pending, *last;
  int busy;
  long long max_size;
} walk = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0};

static void push_directory(const char *path) {
  size_t size = strlen(path) + 1;
  DirectoryJob *job = checked_realloc(NULL, sizeof *job + size);
  memcpy(job->path, path, size);
  job->next = NULL;
  pthread_mutex_lock(&walk.lock);
  if (walk.pending) walk.last->next = job;
  else walk.pending = job;
  walk.last = job;
  pthread_cond_signal(&walk.wake);
  pthread_mutex_unlock(&walk.lock);
}

/* Files of scanned kinds walked. */
static atomic_llong files_walked;

/* An entry the caller acts on goes out at once, whole (stdout's own lock): it can start on it while the walk goes on. */
static void emit_now(const char *head, const char *path) {
  flockfile(stdout);
  if (fputs(head, stdout) == EOF || fwrite(path, 1, strlen(path) + 1, stdout) != strlen(path) + 1 || fflush(stdout) != 0) die("write");
  funlockfile(stdout);
}

/* The bytes of a file read whole, or of a chunk: one buffer per thread, reused from file to file. */
typedef struct {
  unsigned char *bytes;
  size_t capacity;
} Text;

typedef struct {
  Buffer stamps;
  Text text;
  char *path;
  size_t path_capacity;
} Walker;

static const char *join(Walker *walker, const char *directory, const char *name) {
  size_t directory_length = strlen(directory), name_length = strlen(name);
  size_t needed = directory_length + name_length + 2;
  if (needed > walker->path_capacity) walker->path = checked_realloc(walker->path, walker->path_capacity = needed * 2);
  memcpy(walker->path, directory, directory_length);
  size_t at = directory_length;
  if (at == 0 || walker->path[at - 1] != '/') walker->path[at++] = '/';
  memcpy(walker->path + at, name, name_length + 1);
  return walker->path;
}

/* An alignment every page size is a multiple of. */
enum { PAGE = 4096 };

/*
 * Room in `text` for `size` bytes; what it held is not kept (nor copied). The buffer is aligned as
 * the page cache's pages are: read() copies from them, and a destination at another offset within
 * a page (malloc's, past its header) makes that copy several times slower on some CPUs (AMD's
 * `rep movs`), where it was most of a walk's system time.
 */
static void text_room(Text *text, size_t size) {
  if (size <= text->capacity) return;
  free(text->bytes);
  text->capacity = size + (size >> 2);
  if (posix_memalign((void **)&text->bytes, PAGE, text->capacity) != 0) die("out of memory");
}

/*
 * Reads the file into `text`, no more than the size fstat gave (the size its stamp records);
 * returns the length read, or -1 with errno set. A file that grows while it is read (a log being
 * written, a FUSE or procfs file that never ends) is taken as it was when stat'ed, as Node's
 * readFile takes it: read to its end, it held the walk and grew its buffer without bound.
 */
static long long read_all(Text *text, int fd, size_t expected) {
  text_room(text, expected + 1);
  size_t length = 0;
  while (length < expected) {
    ssize_t got = read(fd, text->bytes + length, expected - length);
    if (got < 0) return -1;
    if (got == 0) break; /* it shrank */
    length += (size_t)got;
  }
  return (long long)length;
}

enum { CHUNK = 1 << 20, CARRIED = 32 };

/*
 * A file too large for the scan to parse is not held whole: it is searched a chunk at a time, each
 * starting with the last bytes of the one before, for the status word and NUL only (the scan
 * reports it as too large when it holds the status word, and its includes are never followed).
 */
static int search_in_chunks(Text *text, int fd, unsigned long long size) {
  text_room(text, PAGE + CHUNK);
  /* Each chunk is read onto a page (see text_room), the bytes carried over just before it. */
  unsigned char *chunk = text->bytes + PAGE;
  int flags = 0;
  size_t carried = 0;
  /* No further than `size`, as read_all. */
  for (unsigned long long left = size; left > 0;) {
    ssize_t got = read(fd, chunk, left < CHUNK ? (size_t)left : CHUNK);
    if (got < 0) return -1;
    if (got == 0) break;
    left -= (unsigned long long)got;
    size_t length = carried + (size_t)got;
    flags |= search(chunk - carried, length, 0);
    carried = length < CARRIED ? length : CARRIED;
    memmove(chunk - carried, chunk + got - carried, carried);
  }
  return flags;
}

/*
 * Writes `value` in decimal and a tab at `at`; returns the end. Every file and directory walked gets
 * a stamp, and snprintf's format parsing took 3 % of a kernel walk.
 */
static char *put_number(char *at, unsigned long long value) {
  char digits[20];
  int count = 0;
  do {
    digits[count++] = (char)('0' + value % 10);
    value /= 10;
  } while (value);
  while (count > 0) *at++ = digits[--count];
  *at++ = '\t';
  return at;
}

/*
 * The stamp of a file the scan reads carries the SHA-1 of the bytes read here (fstat on the same
 * descriptor gave the stamp): a later `touch` is then told from an edit by content. Only files the
 * caller is told of (flagged, and TypeScript/JavaScript files, which it reads whole) are hashed;
 * others get '-' (the scan cache puts in the hash of those the scan reads later: cache/stamps.ts).
 */
static void visit_file(Walker *walker, int directory_fd, const char *name, const char *path, char kind) {
  char head[160];
  int flags = 0;
  struct stat stats;
  int searches = kind != 't';
  /* O_NONBLOCK: a FIFO that replaced the file after readdir must not hang the walk. */
  int fd = openat(directory_fd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  int open_error = fd < 0 ? errno : 0;
  if (fd >= 0 ? fstat(fd, &stats) != 0 : fstatat(directory_fd, name, &stats, AT_SYMLINK_NOFOLLOW) != 0) {
    int stat_error = errno;
    if (fd >= 0) close(fd);
    if (stat_error == ENOENT) return; /* gone since it was listed: nothing to scan */
    /* Listed but out of reach (a directory with r and no x): said, never dropped in silence. */
    snprintf(head, sizeof head, "U\t%d\t", searches ? open_error : stat_error);
    emit_now(head, path);
    return;
  }
  if (fd < 0 && searches) flags |= FLAG_UNREADABLE;
  if (!S_ISREG(stats.st_mode)) {
    if (fd >= 0) close(fd);
    snprintf(head, sizeof head, "S\t%s\t", S_ISFIFO(stats.st_mode) ? "fifo" : S_ISSOCK(stats.st_mode) ? "socket"
                                          : S_ISCHR(stats.st_mode) || S_ISBLK(stats.st_mode) ? "device" : "other");
    emit_now(head, path);
    return;
  }
  char sha1[41] = "-";
  if (fd >= 0 && stats.st_size > walk.max_size && searches) {
    int searched = search_in_chunks(&walker->text, fd, (unsigned long long)stats.st_size);
    flags |= searched < 0 ? FLAG_UNREADABLE : searched;
  } else if (fd >= 0 && stats.st_size <= walk.max_size) {
    long long length = read_all(&walker->text, fd, (size_t)stats.st_size);
    if (searches) flags |= length < 0 ? FLAG_UNREADABLE : search(walker->text.bytes, (size_t)length, kind == 'c');
    if (length == (long long)stats.st_size && (flags != 0 || !searches)) sha1_of(walker->text.bytes, (size_t)length, sha1);
  }
  if (fd >= 0) close(fd);
  atomic_fetch_add(&files_walked, 1);
  char *at = put_number(stpcpy(head, "F\t"), (unsigned long long)stats.st_size);
  at = put_number(put_number(put_number(at, ns(stats.st_mtim)), ns(stats.st_ctim)), stats.st_ino);
  strcpy(stpcpy(at, sha1), "\t");
  buffer_record(&walker->stamps, head, path);
  if (flags == 0 && searches) return;
  snprintf(head, sizeof head, "F\t%c\t%lld\t%d\t", kind, (long long)stats.st_size, flags);
  emit_now(head, path);
}

/* The directory's stamp: "D mtime ctime ino path". */
static void directory_stamp(Walker *walker, const struct stat *stats, const char *directory) {
  char head[96];
  *put_number(put_number(put_number(stpcpy(head, "D\t"), ns(stats->st_mtim)), ns(stats->st_ctim)), stats->st_ino) = 0;
  buffer_record(&walker->stamps, head, directory);
}

static void walk_directory(Walker *walker, const char *directory) {
  char head[96];
  int fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat stats;
  DIR *listing = fd >= 0 && fstat(fd, &stats) == 0 ? fdopendir(fd) : NULL;
  if (!listing) {
    snprintf(head, sizeof head, "E\t%d\t", errno);
    emit_now(head, directory);
    if (fd >= 0) close(fd);
    /* Stamped all the same: a chmod that lets the walk in changes its ctime. */
    if (stat(directory, &stats) == 0 && S_ISDIR(stats.st_mode)) directory_stamp(walker, &stats, directory);
    return;
  }
  directory_stamp(walker, &stats, directory);
  for (struct dirent *entry; (entry = readdir(listing)) != NULL;) {
    const char *name = entry->d_name;
    if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
    if (strcmp(name, ".git") == 0 || strcmp(name, "node_modules") == 0) continue;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {
      struct stat entry_stats;
      if (fstatat(fd, name, &entry_stats, AT_SYMLINK_NOFOLLOW) == 0)
        type = S_ISDIR(entry_stats.st_mode) ? DT_DIR : S_ISLNK(entry_stats.st_mode) ? DT_LNK : S_ISREG(entry_stats.st_mode) ? DT_REG : DT_FIFO;
      else if (errno == ENOENT)
        continue;
      /* Else unknown and out of reach: visit_file says so when its name is of a scanned kind. */
    }
    const char *path = join(walker, directory, name);
    if (type == DT_DIR) {
      push_directory(path);
    } else if (type == DT_LNK) {
      emit_now("L\t", path);
    } else {
      char kind = kind_of(name);
      if (kind) visit_file(walker, fd, name, path, kind);
    }
  }
  closedir(listing);
}

typedef struct {
  const char *record;
  const char *path;
} Record;

/* '/' before any other byte, and the end of a path before both: a directory's entries follow it. */
static int walk_rank(unsigned char byte) {
  return byte == 0 ? -1 : byte == '/' ? 0 : byte + 1;
}

/* Path order as a depth-first walk with each directory's entries sorted by name meets them. */
static int by_walk_order(const void *left, const void *right) {
  const unsigned char *a = (const unsigned char *)((const Record *)left)->path, *b = (const unsigned char *)((const Record *)right)->path;
  for (; *a && *a == *b; a++, b++) {}
  return walk_rank(*a) - walk_rank(*b);
}

static void *walk_worker(void *output) {
  Walker walker = {0};
  pthread_mutex_lock(&walk.lock);
  for (;;) {
    while (!walk.pending && walk.busy > 0) pthread_cond_wait(&walk.wake, &walk.lock);
    DirectoryJob *job = walk.pending;
    if (!job) break; /* none left, none being read: the walk is over (whoever ended it woke every thread) */
    walk.pending = job->next;
    walk.busy++;
    pthread_mutex_unlock(&walk.lock);
    walk_directory(&walker, job->path);
    free(job);
    pthread_mutex_lock(&walk.lock);
    if (--walk.busy == 0 && !walk.pending) pthread_cond_broadcast(&walk.wake);
  }
  pthread_mutex_unlock(&walk.lock);
  free(walker.text.bytes);
  free(walker.path);
  *(Buffer *)output = walker.stamps;
  return NULL;
}

/*
 * Every thread's stamps in walk order, so that the caller gets the same order on every run, and
 * then the path of every file among them, NUL-terminated, in the same order (the caller lists the
 * files walked from these, and keeps the stamps as they are).
 */
static void print_in_walk_order(const Buffer *stamps, int threads, FILE *out) {
  Record *records = NULL;
  size_t count = 0, capacity = 0;
  for (int t = 0; t < threads; t++) {
    for (const char *at = stamps[t].data, *end = at + stamps[t].length; at < end; at += strlen(at) + 1) {
      if (count == capacity) records = checked_realloc(records, (capacity = capacity * 2 + 1024) * sizeof *records);
      const char *path = at;
      for (int tabs = *at == 'F' ? 6 : 4; tabs > 0; path++) tabs -= *path == '\t';
      records[count++] = (Record){at, path};
    }
  }
  qsort(records, count, sizeof *records, by_walk_order);
  for (size_t i = 0; i < count; i++) {
    size_t length = strlen(records[i].record) + 1;
    if (fwrite(records[i].record, 1, length, out) != length) die("write stamps");
  }
  for (size_t i = 0; i < count; i++) {
    if (records[i].record[0] == 'F' && fwrite(records[i].path, 1, strlen(records[i].path) + 1, out) != strlen(records[i].path) + 1) die("write stamps");
  }
  free(records);
}

/* Runs `visitor` on `threads` threads, each given its slot (or NULL), and waits for them. */
static void run_threads(void *(*visitor)(void *), Buffer *slots, int threads) {
  pthread_t workers[16];
  for (int i = 0; i < threads; i++) {
    if (pthread_create(&workers[i], NULL, visitor, slots ? &slots[i] : NULL) != 0) die("pthread_create");
  }
  for (int i = 0; i < threads; i++) pthread_join(workers[i], NULL);
}

/* Whether the caller asks for the stamps: "S" on standard input, not its end. */
static int stamps_asked(void) {
  char request = 0;
  return read(0, &request, 1) == 1 && request == 'S';
}

/*
 * Runs `visitor` on all cores, then prints the count and, unless `on_request` and the caller does
 * not ask for them, the stamps each thread kept.
 */
static int run_visitors(void *(*visitor)(void *), int on_request) {
  /* Opened first: a caller that forgot descriptor 3 hears of it before any work is done. */
  FILE *stamps = fdopen(3, "w");
  if (!stamps) die("stamps (file descriptor 3)");
  static char stamps_buffer[1 << 20];
  setvbuf(stamps, stamps_buffer, _IOFBF, sizeof stamps_buffer);
  int threads = thread_count();
  Buffer outputs[16];
  run_threads(visitor, outputs, threads);
  printf("N\t%lld%c", (long long)atomic_load(&files_walked), 0);
  if (fflush(stdout) != 0) die("write");
  if (on_request && !stamps_asked()) return 0;
  print_in_walk_order(outputs, threads, stamps);
  if (fclose(stamps) != 0) die("write stamps");
  return 0;
}

static int run_walk(int argc, char **argv) {
  walk.max_size = atoll(argv[2]);
  for (int i = 3; i < argc; i++) push_directory(argv[i]);
  return run_visitors(walk_worker, 1);
}

/* ---- files: the walk's search and records for the files another walk chose ---- */

static struct {
  char **records; /* "kind\tpath" */
  size_t count;
  atomic_size_t next;
} chosen;

static void *files_worker(void *output) {
  Walker walker = {0};
  for (size_t i; (i = atomic_fetch_add(&chosen.next, 1)) < chosen.count;) {
    const char *record = chosen.records[i];
    visit_file(&walker, AT_FDCWD, record + 2, record + 2, record[0]);
  }
  free(walker.text.bytes);
  free(walker.path);
  *(Buffer *)output = walker.stamps;
  return NULL;
}

/* All of a descriptor's bytes, NUL-terminated; exits on a read error. */
static char *read_to_end(int fd, const char *what, size_t *length) {
  size_t capacity = 1 << 16;
  char *data = checked_realloc(NULL, capacity + 1);
  *length = 0;
  for (;;) {
    if (*length == capacity) data = checked_realloc(data, (capacity *= 2) + 1);
    ssize_t got = read(fd, data + *length, capacity - *length);
    if (got < 0) die(what);
    if (got == 0) break;
    *length += (size_t)got;
  }
  data[*length] = 0;
  return data;
}

/* The NUL-terminated records of `data` (read_to_end's: a last one cut short is taken as it is). */
static char **split_records(char *data, size_t length, size_t *count) {
  char **records = NULL;
  size_t capacity = 0;
  *count = 0;
  for (char *at = data; at < data + length; at += strlen(at) + 1) {
    if (*count == capacity) records = checked_realloc(records, (capacity = capacity * 2 + 1024) * sizeof *records);
    records[(*count)++] = at;
  }
  return records;
}

static int run_files(char **argv) {
  walk.max_size = atoll(argv[2]);
  size_t length;
  char *input = read_to_end(0, "standard input", &length);
  chosen.records = split_records(input, length, &chosen.count);
  for (size_t i = 0; i < chosen.count; i++) {
    const char *at = chosen.records[i];
    if (strlen(at) < 3 || at[1] != '\t' || !strchr("cmrt", at[0])) {
      fprintf(stderr, "ringscan: not a \"kind<TAB>path\" record: %.80s\n", at);
      return 2;
    }
  }
  return run_visitors(files_worker, 0);
}

/* ---- verify ---- */

/* As the cache's bound on its own files (src/cache/scan-cache.ts). */
#define MAX_STAMPS_BYTES (256LL * 1024 * 1024)

static struct {
  char **records; /* between the header and the trailer */
  size_t count;
  atomic_size_t next;
  atomic_int changed;
  unsigned long long racy_from;
} verification;

/* Splits "a\tb\tc\tpath" into `fields` fields, the last taking the rest; false when there are fewer. */
static int split(char *record, char **parts, int fields) {
  for (int i = 0; i < fields - 1; i++) parts[i] = strsep(&record, "\t");
  parts[fields - 1] = record;
  return record != NULL;
}

/*
 * stat(2) through a descriptor of the last directory asked about: records come in walk order, so
 * most lookups resolve one name instead of a whole path.
 */
typedef struct {
  char directory[4096];
  int fd;
} DirectoryCursor;

/* Moves the cursor to the first `length` bytes of `path`; false when that directory cannot be opened. */
static int move_cursor(DirectoryCursor *cursor, const char *path, size_t length) {
  if (length >= sizeof cursor->directory) return 0; /* longer than open(2) takes */
  if (cursor->fd >= 0 && strncmp(cursor->directory, path, length) == 0 && cursor->directory[length] == 0) return 1;
  if (cursor->fd >= 0) close(cursor->fd);
  memcpy(cursor->directory, path, length);
  cursor->directory[length] = 0;
  cursor->fd = open(cursor->directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
  return cursor->fd >= 0;
}

/* The descriptor to reach `path` through, and in `*name` the rest: the cursor at the path's directory, or AT_FDCWD and the whole path. */
static int near(DirectoryCursor *cursor, const char *path, const char **name) {
  const char *slash = strrchr(path, '/');
  size_t length = slash ? (size_t)(slash - path) : 0;
  *name = path;
  if (!slash || slash == path || !move_cursor(cursor, path, length)) return AT_FDCWD;
  *name = slash + 1;
  return cursor->fd;
}

static int stat_near(DirectoryCursor *cursor, const char *path, struct stat *stats) {
  const char *name;
  int directory = near(cursor, path, &name);
  return fstatat(directory, name, stats, 0);
}

/*
 * stat(2) of a directory, through a descriptor the cursor keeps: its own files come next in walk
 * order, and each directory is then opened once instead of once as a parent's entry and once more.
 */
static int stat_directory(DirectoryCursor *cursor, const char *path, struct stat *stats) {
  if (!move_cursor(cursor, path, strlen(path))) return -1;
  return fstat(cursor->fd, stats);
}

/* A field of decimal digits, as stamps are written: strtoull's locale handling was 7 % of a check. */
static unsigned long long decimal(const char *text) {
  unsigned long long value = 0;
  for (; *text >= '0' && *text <= '9'; text++) value = value * 10 + (unsigned long long)(*text - '0');
  return value;
}

/* Whether a stamp taken now proves nothing: the file changed within the clock's granularity of it (as src/cache/stamps.ts's checkStamps judges it). */
static int is_racy(const struct stat *stats) {
  return ns(stats->st_mtim) >= verification.racy_from;
}

/*
 * Whether the file at `path` still holds the `size` bytes whose SHA-1 a stamp recorded: its stat
 * changed and its size did not (a `touch`, a checkout that rewrote it alike). Read as the walk
 * reads: through a descriptor that must be a regular file, no more than the size fstat gives (a
 * file of another size by then is not the same: its bytes are not read).
 */
static int same_content(Text *text, DirectoryCursor *cursor, const char *path, unsigned long long size, const char *sha1) {
  const char *name;
  int directory = near(cursor, path, &name);
  int fd = openat(directory, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat stats;
  long long length = fstat(fd, &stats) == 0 && S_ISREG(stats.st_mode) && (unsigned long long)stats.st_size == size ? read_all(text, fd, (size_t)size) : -1;
  close(fd);
  if (length < 0) return 0;
  char hex[41];
  sha1_of(text->bytes, (size_t)length, hex);
  return strcmp(hex, sha1) == 0;
}

/* 0: unchanged, 1: changed. */
static int check_record(char *record, DirectoryCursor *cursor, Text *text) {
  char *parts[7];
  struct stat stats;
  switch (record[0]) {
    case 'F': {
      if (!split(record, parts, 7)) return 1;
      if (stat_near(cursor, parts[6], &stats) != 0 || !S_ISREG(stats.st_mode)) return 1;
      unsigned long long size = decimal(parts[1]);
      if ((unsigned long long)stats.st_size != size) return 1;
      if (ns(stats.st_mtim) == decimal(parts[2]) && ns(stats.st_ctim) == decimal(parts[3]) &&
          (unsigned long long)stats.st_ino == decimal(parts[4]) && !is_racy(&stats))
        return 0;
      return strcmp(parts[5], "-") == 0 || !same_content(text, cursor, parts[6], size, parts[5]);
    }
    case 'D': {
      if (!split(record, parts, 5)) return 1;
      if (stat_directory(cursor, parts[4], &stats) != 0 || !S_ISDIR(stats.st_mode)) return 1;
      return ns(stats.st_mtim) != decimal(parts[1]) || ns(stats.st_ctim) != decimal(parts[2]) ||
             (unsigned long long)stats.st_ino != decimal(parts[3]) || is_racy(&stats);
    }
    case 'A': {
      if (!split(record, parts, 2)) return 1;
      return stat_near(cursor, parts[1], &stats) == 0;
    }
    default:
      return 1;
  }
}

static void *verify_worker(void *unused) {
  (void)unused;
  DirectoryCursor cursor = {.fd = -1};
  Text text = {0};
  /* Records in small chunks: neighbours share directories, and early exit stays quick. */
  for (;;) {
    size_t start = atomic_fetch_add(&verification.next, 256);
    if (start >= verification.count || atomic_load(&verification.changed)) break;
    size_t end = start + 256 < verification.count ? start + 256 : verification.count;
    for (size_t i = start; i < end; i++) {
      if (check_record(verification.records[i], &cursor, &text) == 1) {
        atomic_store(&verification.changed, 1);
        break;
      }
    }
  }
  if (cursor.fd >= 0) close(cursor.fd);
  free(text.bytes);
  return NULL;
}

static int run_verify(char **argv) {
  /* The cache's own file, but checked as one others could plant: a link to /dev/zero or a FIFO there
     must neither allocate without bound nor hang the scan (F24). */
  int fd = open(argv[2], O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  struct stat stats;
  if (fd < 0 || fstat(fd, &stats) != 0) die(argv[2]);
  if (!S_ISREG(stats.st_mode) || stats.st_size > MAX_STAMPS_BYTES) {
    fprintf(stderr, "ringscan: %s: %s\n", argv[2], S_ISREG(stats.st_mode) ? "too large for stamps" : "not a regular file");
    return 2;
  }
  size_t length, count;
  char *content = read_to_end(fd, argv[2], &length);
  close(fd);
  char **records = split_records(content, length, &count);
  /*
   * The header and trailer name the same token: a file cut short, or one being replaced, is not a
   * set of stamps. The token is printed first, for the caller to match with its report.
   */
  const char *header = count >= 2 ? records[0] : "";
  const char *trailer = count >= 2 ? records[count - 1] : "";
  if (strncmp(header, "H\t", 2) != 0 || strncmp(trailer, "T\t", 2) != 0 || strcmp(header + 2, trailer + 2) != 0 ||
      (size_t)(trailer - content) + strlen(trailer) + 1 != length) {
    fputs("changed\n", stdout);
    return 1;
  }
  verification.records = records + 1;
  verification.count = count - 2;
  verification.racy_from = strtoull(argv[3], NULL, 10);
  run_threads(verify_worker, NULL, thread_count());
  if (atomic_load(&verification.changed)) {
    fputs("changed\n", stdout);
    return 1;
  }
  fwrite(header, 1, strlen(header) + 1, stdout);
  if (fflush(stdout) != 0) die("write");
  return 0;
}

/* `--kinds SPEC --words NEEDLES --look-alikes NEEDLES` before the command: returns how many arguments they took, -1 on a mistake. */
static int parse_vocabulary(int argc, char **argv) {
  int taken = 0;
  while (taken + 2 < argc && strncmp(argv[taken + 1], "--", 2) == 0) {
    const char *option = argv[taken + 1];
    char *value = argv[taken + 2];
    int parsed = strcmp(option, "--kinds") == 0 ? parse_kinds(value)
               : strcmp(option, "--words") == 0 ? parse_needles(value, FLAG_STATUS_WORD)
               : strcmp(option, "--look-alikes") == 0 ? parse_needles(value, FLAG_BLOCK_STATUS)
               : 0;
    if (!parsed) {
      fprintf(stderr, "ringscan: bad %s: %.200s\n", option, value);
      return -1;
    }
    taken += 2;
  }
  return taken;
}

int main(int argc, char **argv) {
  int taken = parse_vocabulary(argc, argv);
  if (taken < 0) return 2;
  argv[taken] = argv[0];
  argc -= taken;
  argv += taken;
  if (argc >= 2 && strcmp(argv[1], "verify") != 0 && (kind_count == 0 || needle_count == 0)) {
    fprintf(stderr, "ringscan: --kinds and --words or --look-alikes are required before %s\n", argv[1]);
    return 2;
  }
  if (argc >= 4 && strcmp(argv[1], "walk") == 0) return run_walk(argc, argv);
  if (argc == 3 && strcmp(argv[1], "files") == 0) return run_files(argv);
  if (argc == 4 && strcmp(argv[1], "verify") == 0) return run_verify(argv);
  fprintf(stderr, "usage: ringscan --kinds SPEC --words NEEDLES [--look-alikes NEEDLES] walk MAX_SIZE ROOT... 3>STAMPS | … files MAX_SIZE < records 3>STAMPS | ringscan verify STAMPS RACY_FROM_NS\n");
  return 2;
}
