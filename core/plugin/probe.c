/* probe.c — probing plugins in forked children.
 *
 * Each child calls the plugin's probe (or an integration's init), writes a fixed header and the
 * caps of each device to a pipe, and leaves with _exit.  The parent reads all children at once
 * with poll() until the shared deadline, kills those still running, and records for each plugin
 * OK / FAILED (with the plugin's reason) / CRASHED (signal) / TIMED_OUT.  A probe that crashes
 * or hangs therefore never takes the calling process down.
 *
 * The child runs code after fork() in what may be a multi-threaded process; that is acceptable
 * for cwrun (single-threaded when probing) and for programs, which probe on first CUDA call. */
#include "plugin/registry_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct probe_header {
  uint32_t magic;
  int32_t status;
  int32_t device_count;
  char reason[512];
} probe_header;

#define PROBE_MAGIC 0x43575042u /* "CWPB" */

/* Runs the probe the way the child does; `caps` has room for CW_PROBE_MAX_DEVICES. */
static void run_probe(const cw_plugin_entry *e, probe_header *h, cw_device_caps *caps) {
  memset(h, 0, sizeof *h);
  h->magic = PROBE_MAGIC;
  if (e->kind == CW_PLUGIN_KIND_INTEGRATION) {
    cw_integration *in = NULL;
    h->status = e->integration.init(e->config, &in, h->reason, sizeof h->reason);
    if (h->status == CW_OK && in) e->integration.shutdown(in);
    return;
  }
  cw_backend *be = NULL;
  h->status = e->backend.probe(e->config, &be, h->reason, sizeof h->reason);
  if (h->status != CW_OK) return;
  if (!be) {
    h->status = CW_ERR_INTERNAL;
    g_strlcpy(h->reason, "probe returned CW_OK without a context", sizeof h->reason);
    return;
  }
  int n = e->backend.device_count(be);
  if (n < 0) n = 0;
  if (n > CW_PROBE_MAX_DEVICES) n = CW_PROBE_MAX_DEVICES;
  for (int i = 0; i < n; i++) {
    memset(&caps[i], 0, sizeof caps[i]);
    caps[i].struct_size = sizeof(cw_device_caps);
    if (e->backend.device_caps(be, i, &caps[i]) != CW_OK)
      g_strlcpy(caps[i].name, "(caps unavailable)", sizeof caps[i].name);
    caps[i].struct_size = sizeof(cw_device_caps);
  }
  h->device_count = n;
  e->backend.shutdown(be);
}

static bool write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= (size_t)n;
  }
  return true;
}

static G_GNUC_NORETURN void child_main(const cw_plugin_entry *e, int fd) {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core); /* a crashing driver should not leave core files around */
  /* The parent's crash handlers (a test framework's, a program's) must not run here: a crash in
   * the probe has to end this child so that the parent sees the signal. */
  static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
  for (size_t i = 0; i < G_N_ELEMENTS(fatal); i++) signal(fatal[i], SIG_DFL);
  probe_header h;
  static cw_device_caps caps[CW_PROBE_MAX_DEVICES];
  run_probe(e, &h, caps);
  bool ok = write_all(fd, &h, sizeof h) &&
            write_all(fd, caps, sizeof(cw_device_caps) * (size_t)h.device_count);
  _exit(ok ? 0 : 3);
}

/* Records a finished probe's report in the entry. */
static void record(cw_plugin_entry *e, const probe_header *h, const cw_device_caps *caps) {
  g_free(e->probe_reason);
  e->probe_reason = NULL;
  g_free(e->devices);
  e->devices = NULL;
  e->device_count = 0;
  e->probe_status = (cw_status)h->status;
  if (h->status != CW_OK) {
    e->probe_state = CW_PROBE_FAILED;
    e->probe_reason = g_strdup(h->reason[0] ? h->reason : cw_status_name((cw_status)h->status));
    return;
  }
  if (e->kind == CW_PLUGIN_KIND_BACKEND && h->device_count <= 0) {
    e->probe_state = CW_PROBE_FAILED;
    e->probe_status = CW_ERR_NO_DEVICE;
    e->probe_reason = g_strdup("the probe found no device");
    return;
  }
  e->probe_state = CW_PROBE_OK;
  e->device_count = h->device_count;
  e->devices = g_memdup2(caps, sizeof(cw_device_caps) * (size_t)h->device_count);
}

static void record_problem(cw_plugin_entry *e, cw_probe_state state, char *reason) {
  e->probe_state = state;
  e->probe_status = state == CW_PROBE_TIMED_OUT ? CW_ERR_LAUNCH_TIMEOUT : CW_ERR_INTERNAL;
  g_free(e->probe_reason);
  e->probe_reason = reason;
  cw_log(CW_LOG_INFO, "registry", "%s: %s", e->name, reason);
}

typedef struct child {
  cw_plugin_entry *entry;
  pid_t pid;
  int fd;
  bool killed;
  GByteArray *data;
} child;

static gint64 now_ms(void) { return g_get_monotonic_time() / 1000; }

void cw_registry_probe_entries(cw_registry *reg, cw_plugin_entry **entries, size_t n) {
  if (n == 0) return;
  if (reg->no_fork) {
    probe_header h;
    cw_device_caps *caps = g_new0(cw_device_caps, CW_PROBE_MAX_DEVICES);
    for (size_t i = 0; i < n; i++) {
      run_probe(entries[i], &h, caps);
      record(entries[i], &h, caps);
    }
    g_free(caps);
    return;
  }
  fflush(stdout);
  fflush(stderr);
  child *kids = g_new0(child, n);
  for (size_t i = 0; i < n; i++) {
    child *k = &kids[i];
    k->entry = entries[i];
    k->fd = -1;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      record_problem(k->entry, CW_PROBE_FAILED, g_strdup_printf("cannot probe: pipe: %s", g_strerror(errno)));
      continue;
    }
    k->pid = fork();
    if (k->pid < 0) {
      record_problem(k->entry, CW_PROBE_FAILED, g_strdup_printf("cannot probe: fork: %s", g_strerror(errno)));
      close(fds[0]);
      close(fds[1]);
      continue;
    }
    if (k->pid == 0) {
      close(fds[0]);
      for (size_t j = 0; j < i; j++)
        if (kids[j].fd >= 0) close(kids[j].fd);
      child_main(k->entry, fds[1]);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    k->fd = fds[0];
    k->data = g_byte_array_new();
  }

  /* Read every child's report until EOF or the shared deadline. */
  gint64 deadline = now_ms() + reg->probe_timeout_ms;
  struct pollfd *pfds = g_new0(struct pollfd, n);
  for (;;) {
    nfds_t count = 0;
    for (size_t i = 0; i < n; i++)
      if (kids[i].fd >= 0) pfds[count++] = (struct pollfd){.fd = kids[i].fd, .events = POLLIN};
    if (count == 0) break;
    gint64 left = deadline - now_ms();
    if (left <= 0) break;
    int r = poll(pfds, count, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    for (nfds_t p = 0; p < count; p++) {
      if (!pfds[p].revents) continue;
      for (size_t i = 0; i < n; i++) {
        if (kids[i].fd != pfds[p].fd) continue;
        char buf[4096];
        ssize_t got = read(kids[i].fd, buf, sizeof buf);
        if (got > 0) {
          g_byte_array_append(kids[i].data, (const guint8 *)buf, (guint)got);
        } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
          close(kids[i].fd);
          kids[i].fd = -1;
        }
      }
    }
  }
  g_free(pfds);

  for (size_t i = 0; i < n; i++) {
    child *k = &kids[i];
    if (!k->data) continue; /* never started */
    if (k->fd >= 0) {
      kill(k->pid, SIGKILL);
      k->killed = true;
      close(k->fd);
    }
    int status = 0;
    while (waitpid(k->pid, &status, 0) < 0 && errno == EINTR) {}
    const probe_header *h = (const probe_header *)k->data->data;
    bool complete = k->data->len >= sizeof(probe_header) && h->magic == PROBE_MAGIC &&
                    h->device_count >= 0 && h->device_count <= CW_PROBE_MAX_DEVICES &&
                    k->data->len == sizeof(probe_header) +
                                    sizeof(cw_device_caps) * (size_t)h->device_count;
    if (k->killed) {
      record_problem(k->entry, CW_PROBE_TIMED_OUT,
                     g_strdup_printf("probe timed out after %.1f s", reg->probe_timeout_ms / 1000.0));
    } else if (WIFSIGNALED(status)) {
      int sig = WTERMSIG(status);
      record_problem(k->entry, CW_PROBE_CRASHED,
                     g_strdup_printf("probe crashed: signal %d (%s)", sig, g_strsignal(sig)));
    } else if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      record_problem(k->entry, CW_PROBE_CRASHED,
                     g_strdup_printf("probe exited with status %d before reporting",
                                     WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    } else {
      probe_header copy = *h;
      copy.reason[sizeof copy.reason - 1] = '\0';
      record(k->entry, &copy, (const cw_device_caps *)(k->data->data + sizeof(probe_header)));
    }
    cw_log(CW_LOG_DEBUG, "registry", "probe %s: %s", k->entry->name,
           k->entry->probe_state == CW_PROBE_OK ? "ok" : k->entry->probe_reason);
    g_byte_array_free(k->data, TRUE);
  }
  g_free(kids);
}
