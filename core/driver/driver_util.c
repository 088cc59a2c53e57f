/* Small pieces of the driver: defaults, source kinds, messages, processes, files, paths. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "driver/driver_internal.h"
#include "plugin/config.h"

void cw_driver_options_init(cw_driver_options *o) {
  memset(o, 0, sizeof *o);
  o->std = "c++17";
  o->tool = "cwrun";
}

drv_src_kind drv_source_kind(const cw_driver_options *o, const char *path) {
  const char *dot = strrchr(path, '.');
  const char *ext = dot && !strchr(dot, '/') ? dot + 1 : "";
  if (!strcmp(ext, "o") || !strcmp(ext, "a") || !strcmp(ext, "so") || !strcmp(ext, "obj") ||
      strstr(path, ".so."))
    return DRV_SRC_LINK;
  if (o->all_cu || !strcmp(ext, "cu") || !strcmp(ext, "cuh"))
    return DRV_SRC_CU;
  if (!strcmp(ext, "c"))
    return DRV_SRC_C;
  if (!strcmp(ext, "cpp") || !strcmp(ext, "cc") || !strcmp(ext, "cxx") || !strcmp(ext, "C") ||
      !strcmp(ext, "c++") || !strcmp(ext, "cp"))
    return DRV_SRC_CXX;
  return DRV_SRC_LINK;  /* as nvcc: anything else goes to the linker */
}

const char *drv_host_cxx(const cw_driver_options *o) {
  if (o->host_compiler && *o->host_compiler)
    return o->host_compiler;
  const char *env = g_getenv("CW_CXX");
  if (env && *env)
    return env;
  const cw_config *cfg = cw_config_global();
  if (cfg && cfg->host_compiler && *cfg->host_compiler)
    return cfg->host_compiler;
  return "c++";
}

const char *drv_host_cc(void) {
  const char *env = g_getenv("CW_CC");
  return env && *env ? env : "cc";
}

void drv_add_compiler(GPtrArray *argv, const char *command) {
  char **words = NULL;
  if (g_shell_parse_argv(command, NULL, &words, NULL) && words[0]) {
    for (char **w = words; *w; w++)
      g_ptr_array_add(argv, g_strdup(*w));
  } else {
    g_ptr_array_add(argv, g_strdup(command));
  }
  g_strfreev(words);
}

double drv_ms_since(gint64 t0) {
  return (double)(g_get_monotonic_time() - t0) / 1000.0;
}

void drv_note(const cw_driver_options *o, const char *fmt, ...) {
  if (!o->verbose)
    return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", o->tool ? o->tool : "cwrun");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void drv_error(const cw_driver_options *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: error: ", o->tool ? o->tool : "cwrun");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static char *quote_argv(GPtrArray *argv) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < argv->len && g_ptr_array_index(argv, i); i++) {
    char *q = g_shell_quote(g_ptr_array_index(argv, i));
    if (i)
      g_string_append_c(s, ' ');
    g_string_append(s, q);
    g_free(q);
  }
  return g_string_free(s, FALSE);
}

int drv_spawn(const cw_driver_options *o, GPtrArray *argv, const char *what) {
  if (!argv->len || g_ptr_array_index(argv, argv->len - 1) != NULL)
    g_ptr_array_add(argv, NULL);
  if (o->verbose) {
    char *cmd = quote_argv(argv);
    drv_note(o, "%s: %s", what, cmd);
    g_free(cmd);
  }
  gint64 t0 = g_get_monotonic_time();
  GError *err = NULL;
  int status = 0;
  fflush(stdout);
  fflush(stderr);
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                    &status, &err)) {
    drv_error(o, "cannot run '%s': %s", (const char *)g_ptr_array_index(argv, 0), err->message);
    g_error_free(err);
    return -1;
  }
  drv_note(o, "%s took %.0f ms", what, drv_ms_since(t0));
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 1;
}

void drv_remove_tree(const char *path) {
  GDir *d = g_dir_open(path, 0, NULL);
  if (d) {
    const char *name;
    while ((name = g_dir_read_name(d))) {
      char *child = g_build_filename(path, name, NULL);
      if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
        drv_remove_tree(child);
      else
        g_unlink(child);
      g_free(child);
    }
    g_dir_close(d);
  }
  g_rmdir(path);
}

bool drv_write_file(const cw_driver_options *o, const char *path, const char *text) {
  char *dir = g_path_get_dirname(path);
  g_mkdir_with_parents(dir, 0755);
  g_free(dir);
  GError *err = NULL;
  if (!g_file_set_contents(path, text, -1, &err)) {
    drv_error(o, "%s", err->message);
    g_error_free(err);
    return false;
  }
  return true;
}

/* ---- where the shim headers and libcw are ---- */

static bool running_from_build_tree(void) {
#ifdef CW_BUILD_ROOT
  char *exe = g_file_read_link("/proc/self/exe", NULL);
  bool in = exe && g_str_has_prefix(exe, CW_BUILD_ROOT "/");
  g_free(exe);
  return in;
#else
  return false;
#endif
}

const char *cw_driver_shim_dir(void) {
  const char *env = g_getenv("CW_SHIM_DIR");
  if (env && *env)
    return env;
#if defined(CW_BUILD_SHIMDIR)
  if (running_from_build_tree())
    return CW_BUILD_SHIMDIR;
#endif
#if defined(CW_INSTALL_SHIMDIR)
  return CW_INSTALL_SHIMDIR;
#else
  return "/usr/local/include/cw/shim";
#endif
}

const char *cw_driver_lib_dir(void) {
  const char *env = g_getenv("CW_LIB_DIR");
  if (env && *env)
    return env;
#if defined(CW_BUILD_LIBDIR)
  if (running_from_build_tree())
    return CW_BUILD_LIBDIR;
#endif
#if defined(CW_INSTALL_LIBDIR)
  return CW_INSTALL_LIBDIR;
#else
  return "/usr/local/lib";
#endif
}
