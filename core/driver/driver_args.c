/* Host compiler command lines and the cache key of a build. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include <cw/cw-plugin.h>

#include "driver/driver_internal.h"
#include "shim/cw_host_abi.h"

#ifndef CW_VERSION
#define CW_VERSION "unknown"
#endif

static bool has_opt_level(const cw_driver_options *o) {
  for (int i = 0; i < o->n_host_flags; i++)
    if (g_str_has_prefix(o->host_flags[i], "-O"))
      return true;
  return false;
}

void drv_add_compile_args(const cw_driver_options *o, GPtrArray *argv, const char *root) {
  if (o->std && *o->std)
    g_ptr_array_add(argv, g_strdup_printf("-std=%s", o->std));
  if (!has_opt_level(o) && !strcmp(o->tool ? o->tool : "cwrun", "cwrun"))
    g_ptr_array_add(argv, g_strdup("-O2"));
  for (int i = 0; i < o->n_host_flags; i++)
    g_ptr_array_add(argv, g_strdup(o->host_flags[i]));
  g_ptr_array_add(argv, g_strdup_printf("-I%s", cw_driver_shim_dir()));
  for (int i = 0; i < o->n_include_dirs; i++) {
    if (root) {
      char *real = realpath(o->include_dirs[i], NULL);
      if (real) {
        char *m = g_build_filename(root, real, NULL);
        g_ptr_array_add(argv, g_strdup_printf("-I%s", m));
        g_free(m);
      }
      free(real);
    }
    g_ptr_array_add(argv, g_strdup_printf("-I%s", o->include_dirs[i]));
  }
  for (int i = 0; i < o->n_defines; i++)
    g_ptr_array_add(argv, g_strdup_printf("-D%s", o->defines[i]));
  for (int i = 0; i < o->n_undefines; i++)
    g_ptr_array_add(argv, g_strdup_printf("-U%s", o->undefines[i]));
}

void drv_add_link_args(const cw_driver_options *o, GPtrArray *argv) {
  for (int i = 0; i < o->n_link_flags; i++)
    g_ptr_array_add(argv, g_strdup(o->link_flags[i]));
  const char *lib = cw_driver_lib_dir();
  g_ptr_array_add(argv, g_strdup_printf("-L%s", lib));
  g_ptr_array_add(argv, g_strdup("-lcw"));
  g_ptr_array_add(argv, g_strdup_printf("-Wl,-rpath,%s", lib));
  g_ptr_array_add(argv, g_strdup("-lpthread"));
}

static void hash_str(GChecksum *h, const char *tag, const char *s) {
  g_checksum_update(h, (const guchar *)tag, -1);
  g_checksum_update(h, (const guchar *)"=", 1);
  if (s)
    g_checksum_update(h, (const guchar *)s, -1);
  g_checksum_update(h, (const guchar *)"\n", 1);
}

static void hash_list(GChecksum *h, const char *tag, const char *const *v, int n) {
  for (int i = 0; i < n; i++)
    hash_str(h, tag, v[i]);
}

/* A file that is not read (a compiler, a library): its path, size and time. */
static void hash_stat(GChecksum *h, const char *tag, const char *path) {
  GStatBuf st;
  char *line = path && g_stat(path, &st) == 0
                   ? g_strdup_printf("%s %lld %lld.%09ld", path, (long long)st.st_size, (long long)st.st_mtime,
                                     (long)st.st_mtim.tv_nsec)
                   : g_strdup_printf("%s missing", path ? path : "(none)");
  hash_str(h, tag, line);
  g_free(line);
}

static void hash_file(GChecksum *h, const cw_src_file *f, const char *name) {
  hash_str(h, "file", name);
  char *n = g_strdup_printf("%zu", f->size);
  hash_str(h, "size", n);
  g_free(n);
  g_checksum_update(h, (const guchar *)f->contents, (gssize)f->size);
}

static void hash_dir(GChecksum *h, const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d)
    return;
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *n;
  while ((n = g_dir_read_name(d)))
    g_ptr_array_add(names, g_build_filename(dir, n, NULL));
  g_dir_close(d);
  g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    hash_stat(h, "shim", g_ptr_array_index(names, i));
  g_ptr_array_free(names, TRUE);
}

char *drv_cache_key(const cw_driver_options *o, GPtrArray *tus) {
  GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
  hash_str(h, "cw", CW_VERSION);
  char *abi = g_strdup_printf("%d", CW_HOST_ABI_VERSION);
  hash_str(h, "abi", abi);
  g_free(abi);
  for (guint i = 0; i < tus->len; i++) {
    drv_tu *tu = g_ptr_array_index(tus, i);
    hash_file(h, tu->main, tu->path);
    for (guint k = 0; k < tu->headers->len; k++)
      hash_file(h, g_ptr_array_index(tu->headers, k), g_ptr_array_index(tu->header_names, k));
  }
  for (int i = 0; i < o->n_sources; i++) {
    hash_str(h, "src", o->sources[i]);
    if (drv_source_kind(o, o->sources[i]) != DRV_SRC_CU) {
      char *text = NULL;
      gsize len = 0;
      if (g_file_get_contents(o->sources[i], &text, &len, NULL))
        g_checksum_update(h, (const guchar *)text, (gssize)len);
      g_free(text);
    }
  }
  hash_list(h, "I", o->include_dirs, o->n_include_dirs);
  hash_list(h, "D", o->defines, o->n_defines);
  hash_list(h, "U", o->undefines, o->n_undefines);
  hash_list(h, "X", o->host_flags, o->n_host_flags);
  hash_list(h, "L", o->link_flags, o->n_link_flags);
  hash_str(h, "std", o->std);
  hash_str(h, "rdc", o->rdc ? "true" : "false");
  const char *cxx = drv_host_cxx(o);
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  drv_add_compiler(words, cxx);
  char *cxx_path = g_find_program_in_path(g_ptr_array_index(words, 0));
  g_ptr_array_free(words, TRUE);
  hash_str(h, "cxx", cxx);
  hash_stat(h, "cxx-bin", cxx_path);
  g_free(cxx_path);
  char *libcw = g_build_filename(cw_driver_lib_dir(), "libcw.so", NULL);
  hash_stat(h, "libcw", libcw);
  g_free(libcw);
  hash_dir(h, cw_driver_shim_dir());
  char *key = g_strdup(g_checksum_get_string(h));
  g_checksum_free(h);
  return key;
}
