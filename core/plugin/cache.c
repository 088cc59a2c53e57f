/* cache.c — the cache directory and atomic writes into it. */
#include "plugin/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

static GOnce cache_once = G_ONCE_INIT;

static gpointer make_cache_dir(gpointer unused) {
  (void)unused;
  const cw_config *cfg = cw_config_global();
  char *dir = NULL;
  if (cfg) {
    dir = g_strdup(cfg->cache_dir);
  } else {
    cw_config *defaults = cw_config_new_default();
    dir = g_strdup(defaults->cache_dir);
    cw_config_free(defaults);
  }
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    /* Never NULL: fall back to a private directory under /tmp. */
    cw_log(CW_LOG_WARN, "cache", "cannot create cache directory %s: %s; using /tmp", dir,
           g_strerror(errno));
    g_free(dir);
    dir = g_strdup_printf("%s/cw-cache-%lu", g_get_tmp_dir(), (unsigned long)getuid());
    g_mkdir_with_parents(dir, 0700);
  }
  return dir;
}

const char *cw_cache_dir(void) { return g_once(&cache_once, make_cache_dir, NULL); }

bool cw_cache_write_atomic(const char *path, const void *data, size_t len) {
  char *tmp = g_strdup_printf("%s.tmp.%ld.XXXXXX", path, (long)getpid());
  int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) {
    int e = errno;
    g_free(tmp);
    errno = e;
    return false;
  }
  const char *p = data;
  size_t left = len;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = n < 0 ? errno : EIO;
      close(fd);
      g_unlink(tmp);
      g_free(tmp);
      errno = e;
      return false;
    }
    p += n;
    left -= (size_t)n;
  }
  if (close(fd) != 0 || rename(tmp, path) != 0) {
    int e = errno;
    g_unlink(tmp);
    g_free(tmp);
    errno = e;
    return false;
  }
  g_free(tmp);
  return true;
}
