/*
 * ringlint-sandbox: runs the consumer of `ringlint check` in namespaces of its own, so that nothing
 * it starts outlives the check and nothing outside the check can reach the files it shares with it.
 *
 *   ringlint-sandbox --parent PID [--user-namespace] [--private DIR [--expose NAME]...] -- CMD [ARG...]
 *
 * Processes:
 *   outer    this program: new network and mount namespaces (and, with --user-namespace, a user
 *            namespace in which the caller is root); its exit mirrors the consumer's (the same exit
 *            code, or death by the same signal), so the check supervises it as if it were the
 *            consumer. It ignores the stop signals the check sends to its process group: they are
 *            for the consumer.
 *   init     pid 1 of a new PID namespace: reaps, and exits when the consumer does, upon which the
 *            kernel kills every process left in the namespace — including children that called
 *            setsid(), left the network namespace or started a PID namespace of their own.
 *   consumer pid 2: CMD, with the signal dispositions and mask reset.
 * Each dies with SIGKILL when its parent dies (PR_SET_PDEATHSIG): a SIGKILLed check takes the whole
 * sandbox, and so its network namespace and veth pair, with it.
 *
 * Network: the namespace starts with IPv6 off (router solicitations and MLD reports would be frames
 * nobody sent on purpose); the check adds the veth pair before it says "go".
 *
 * Mounts (private to the sandbox): a new procfs for the PID namespace, a new sysfs for the network
 * namespace (as `ip netns exec` does), and with --private DIR a tmpfs over DIR in which only the
 * named subdirectories of the real DIR appear (bind mounts). DIR itself stays 0700 on the host, so
 * no other user can reach those subdirectories, while a consumer that switches to another user
 * (tcpdump does) still can through the sandbox's own view.
 *
 * Control (fd 3, a socket to the check): the outer writes "ready" once the namespaces exist, the
 * check sets up the network inside them and answers "go" (anything else, or EOF, ends the sandbox
 * without running CMD); the consumer writes "pid <its pid as the check sees it>" just before exec.
 * Exit status 125: the sandbox could not be set up (the reason is on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONTROL_FD 3
#define SETUP_FAILED 125
#define MAX_EXPOSED 8

static void fail(const char *what) {
  fprintf(stderr, "ringlint-sandbox: %s: %s\n", what, strerror(errno));
  _exit(SETUP_FAILED);
}

static void usage(void) {
  fprintf(stderr,
          "usage: ringlint-sandbox --parent PID [--user-namespace] [--private DIR [--expose NAME]...] -- CMD [ARG...]\n");
  _exit(SETUP_FAILED);
}

static void write_all(int fd, const char *text) {
  size_t left = strlen(text);
  while (left > 0) {
    ssize_t n = write(fd, text, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text += n;
    left -= (size_t)n;
  }
}

static int try_write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = strlen(text);
  int ok = write(fd, text, len) == (ssize_t)len;
  close(fd);
  return ok ? 0 : -1;
}

static void write_file(const char *path, const char *text) {
  if (try_write_file(path, text) != 0) fail(path);
}

/* Dies with the parent; if the parent is already gone, so is the reason to run. */
static void die_with_parent(pid_t expected_parent) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("prctl(PR_SET_PDEATHSIG)");
  if (getppid() != expected_parent) _exit(SETUP_FAILED);
}

/* The caller becomes root of a new user namespace, mapped to its own uid and gid only. */
static void enter_user_namespace(void) {
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (unshare(CLONE_NEWUSER) != 0) fail("unshare(CLONE_NEWUSER)");
  char map[64];
  write_file("/proc/self/setgroups", "deny");
  snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
  write_file("/proc/self/uid_map", map);
  snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
  write_file("/proc/self/gid_map", map);
}

static void make_private_view(const char *dir, char **names, int count) {
  int fds[MAX_EXPOSED];
  for (int i = 0; i < count; i++) {
    if (strchr(names[i], '/') || strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0) usage();
    int parent = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (parent < 0) fail(dir);
    fds[i] = openat(parent, names[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fds[i] < 0) fail(names[i]);
    close(parent);
  }
  if (mount("ringlint", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") != 0) fail("mount tmpfs on the private directory");
  for (int i = 0; i < count; i++) {
    char target[4096], source[64];
    snprintf(target, sizeof target, "%s/%s", dir, names[i]);
    snprintf(source, sizeof source, "/proc/self/fd/%d", fds[i]);
    if (mkdir(target, 0755) != 0) fail(target);
    if (mount(source, target, NULL, MS_BIND, NULL) != 0) fail(target);
    close(fds[i]);
  }
}

static int read_go(void) {
  char buf[8];
  size_t got = 0;
  while (got < 3) {
    ssize_t n = read(CONTROL_FD, buf + got, 3 - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    got += (size_t)n;
  }
  return memcmp(buf, "go\n", 3) == 0;
}

static void reset_signals(void) {
  struct sigaction dfl = {.sa_handler = SIG_DFL};
  for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static void run_consumer(int host_proc, int status_fd, char **argv) {
  reset_signals();
  char self[32] = {0}, line[48];
  if (readlinkat(host_proc, "self", self, sizeof self - 1) > 0) {
    snprintf(line, sizeof line, "pid %s\n", self);
    write_all(CONTROL_FD, line);
  }
  close(CONTROL_FD);
  close(host_proc);
  close(status_fd);
  execvp(argv[0], argv);
  fprintf(stderr, "ringlint-sandbox: cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

/* pid 1: starts the consumer, reaps everything, and ends the namespace when the consumer ends. */
static void run_init(int status_fd, char **argv) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) _exit(SETUP_FAILED);
  /* The outer may have died before the line above; then nobody reads the status pipe. */
  struct pollfd alive = {.fd = status_fd, .events = POLLOUT};
  if (poll(&alive, 1, 0) == 1 && (alive.revents & POLLERR)) _exit(SETUP_FAILED);
  int host_proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  /* Without a procfs of its own the consumer still runs; it just sees the host's process list. */
  mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  pid_t consumer = fork();
  if (consumer < 0) fail("fork");
  if (consumer == 0) run_consumer(host_proc, status_fd, argv);
  close(CONTROL_FD);
  close(host_proc);
  for (;;) {
    int status;
    pid_t ended = waitpid(-1, &status, 0);
    if (ended < 0 && errno == EINTR) continue;
    if (ended < 0) _exit(0);
    if (ended == consumer) {
      while (write(status_fd, &status, sizeof status) < 0 && errno == EINTR) {
      }
      _exit(0);
    }
  }
}

/* Ends this process the way the consumer ended. */
static void mirror(int status) {
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  int sig = WTERMSIG(status);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(sig, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  sigprocmask(SIG_UNBLOCK, &only, NULL);
  raise(sig);
  _exit(128 + sig);
}

int main(int argc, char **argv) {
  pid_t parent = 0;
  int user_namespace = 0;
  const char *private_dir = NULL;
  char *exposed[MAX_EXPOSED];
  int exposed_count = 0;
  int i = 1;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else if (strcmp(argv[i], "--parent") == 0 && i + 1 < argc) {
      parent = (pid_t)strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--user-namespace") == 0) {
      user_namespace = 1;
    } else if (strcmp(argv[i], "--private") == 0 && i + 1 < argc && argv[i + 1][0] == '/') {
      private_dir = argv[++i];
    } else if (strcmp(argv[i], "--expose") == 0 && i + 1 < argc && exposed_count < MAX_EXPOSED) {
      exposed[exposed_count++] = argv[++i];
    } else {
      usage();
    }
  }
  if (parent <= 0 || i >= argc || (exposed_count > 0 && !private_dir)) usage();
  if (fcntl(CONTROL_FD, F_GETFD) < 0) fail("control descriptor 3");
  fcntl(CONTROL_FD, F_SETFD, FD_CLOEXEC);

  die_with_parent(parent);
  if (user_namespace) enter_user_namespace();
  if (unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID) != 0) fail("unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID)");
  /* Net sysctls are those of the writer's network namespace. Absent when IPv6 is compiled out. */
  try_write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
  try_write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail("mount --make-rprivate /");
  /* Optional, as for /proc: libpcap looks at /sys/class/net, which should show this namespace. */
  mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  if (private_dir) make_private_view(private_dir, exposed, exposed_count);

  write_all(CONTROL_FD, "ready\n");
  if (!read_go()) _exit(SETUP_FAILED);

  int status_pipe[2];
  if (pipe2(status_pipe, O_CLOEXEC) != 0) fail("pipe");
  pid_t init = fork();
  if (init < 0) fail("fork");
  if (init == 0) {
    close(status_pipe[0]);
    run_init(status_pipe[1], argv + i);
  }
  close(status_pipe[1]);
  close(CONTROL_FD);
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);

  int status = 0;
  ssize_t got;
  do got = read(status_pipe[0], &status, sizeof status);
  while (got < 0 && errno == EINTR);
  while (waitpid(init, NULL, 0) < 0 && errno == EINTR) {
  }
  if (got != (ssize_t)sizeof status) {
    fprintf(stderr, "ringlint-sandbox: the sandbox ended without the consumer's exit status\n");
    _exit(SETUP_FAILED);
  }
  mirror(status);
  return SETUP_FAILED;
}
