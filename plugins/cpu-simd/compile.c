/* compile.c — generated C -> shared object with the system compiler, cached on disk.
 *
 * The cache key is the SHA-256 of the source, the flags and the compiler's identity (its
 * `--version` line and the CPU the code is tuned for, since -march=native code may not run on
 * another machine sharing the cache).  Objects are built under a unique temporary name and
 * renamed into place, so concurrent processes never load a half-written file.
 *
 * Flags: -O3 -march=native vectorizes the thread loops; -fno-math-errno lets sqrtf & co be
 * inlined and vectorized (CUDA math never sets errno); -fno-strict-aliasing because CUDA code
 * type-puns through pointers freely; -ffp-contract=fast matches nvcc's default --fmad=true
 * (a*b+c may become one fma); -w because user code's warnings are not ours to show. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "engine.h"

static const char *const default_cflags[] = {
  "-O3", "-march=native", "-fPIC", "-shared", "-fno-strict-aliasing", "-fno-math-errno",
  "-ffp-contract=fast", "-std=gnu11", "-w", NULL,
};

const char *const *cpu_default_cflags(void) { return default_cflags; }

/* First line of `cc --version` plus the target CPU. */
static const char *compiler_identity(cw_backend *be) {
  cpu_engine *en = cpu_engine_of(be);
  g_mutex_lock(&en->lock);
  if (!en->cc_identity) {
    GPtrArray *argv = g_ptr_array_new();
    for (char **a = en->cc_argv; *a; a++) g_ptr_array_add(argv, *a);
    g_ptr_array_add(argv, "--version");
    g_ptr_array_add(argv, NULL);
    char *outp = NULL;
    int status = 0;
    GString *id = g_string_new(NULL);
    if (g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &outp, NULL, &status, NULL) && outp) {
      char *eol = strchr(outp, '\n');
      if (eol) *eol = '\0';
      g_string_append(id, outp);
    }
    g_free(outp);
    g_ptr_array_free(argv, TRUE);
    g_string_append_printf(id, " | %s | %s", be->caps.arch, be->caps.name);
    en->cc_identity = g_string_free(id, FALSE);
  }
  g_mutex_unlock(&en->lock);
  return en->cc_identity;
}

static char *cache_key(cw_backend *be, const char *source) {
  cpu_engine *en = cpu_engine_of(be);
  GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(ck, (const guchar *)source, (gssize)strlen(source));
  for (char **f = en->cflags; *f; f++) {
    g_checksum_update(ck, (const guchar *)"\n", 1);
    g_checksum_update(ck, (const guchar *)*f, (gssize)strlen(*f));
  }
  for (char **a = en->cc_argv; *a; a++) {
    g_checksum_update(ck, (const guchar *)"\n", 1);
    g_checksum_update(ck, (const guchar *)*a, (gssize)strlen(*a));
  }
  const char *id = compiler_identity(be);
  g_checksum_update(ck, (const guchar *)id, (gssize)strlen(id));
  char *key = g_strdup(g_checksum_get_string(ck));
  g_checksum_free(ck);
  return key;
}

/* The compiler's diagnostics, trimmed to what fits in an error message. */
static void report(char *err, size_t err_len, const char *what, const char *diag) {
  g_snprintf(err, err_len, "cpu-simd: %s%s%.*s", what, diag && *diag ? ":\n" : "",
             (int)(err_len > 64 ? err_len - 64 : 0), diag ? diag : "");
}

static cw_status build(cw_backend *be, const char *source, const char *dir, const char *key,
                       const char *so_path, char *err, size_t err_len) {
  cpu_engine *en = cpu_engine_of(be);
  char *c_path = g_strdup_printf("%s/%s.c", dir, key);
  if (!cw_cache_write_atomic(c_path, source, strlen(source))) {
    report(err, err_len, "cannot write the kernel source to the cache", g_strerror(errno));
    g_free(c_path);
    return CW_ERR_COMPILE;
  }
  char *tmp = g_strdup_printf("%s/%s.so.tmp.%ld.%u", dir, key, (long)getpid(), g_random_int());
  GPtrArray *argv = g_ptr_array_new();
  for (char **a = en->cc_argv; *a; a++) g_ptr_array_add(argv, *a);
  for (char **f = en->cflags; *f; f++) g_ptr_array_add(argv, *f);
  g_ptr_array_add(argv, "-o");
  g_ptr_array_add(argv, tmp);
  g_ptr_array_add(argv, c_path);
  g_ptr_array_add(argv, "-lm");
  g_ptr_array_add(argv, NULL);
  char *errout = NULL;
  int status = 0;
  GError *gerr = NULL;
  cw_status st = CW_OK;
  gint64 t0 = g_get_monotonic_time();
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                    NULL, NULL, NULL, &errout, &status, &gerr)) {
    report(err, err_len, "cannot run the C compiler", gerr->message);
    g_error_free(gerr);
    st = CW_ERR_COMPILE;
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char *what = g_strdup_printf("the C compiler rejected the generated code (%s)", c_path);
    report(err, err_len, what, errout);
    g_free(what);
    st = CW_ERR_COMPILE;
  } else if (rename(tmp, so_path) != 0) {
    report(err, err_len, "cannot move the compiled kernels into the cache", g_strerror(errno));
    st = CW_ERR_COMPILE;
  } else {
    cw_log(CW_LOG_DEBUG, "cpu-simd", "compiled %s in %.0f ms", so_path,
           (double)(g_get_monotonic_time() - t0) / 1000.0);
  }
  if (st != CW_OK) g_unlink(tmp);
  g_free(errout);
  g_ptr_array_free(argv, TRUE);
  g_free(tmp);
  g_free(c_path);
  return st;
}

/* dlopen returns the same handle for a path already loaded, and with it the same __device__
 * variables: a second module from identical source loads a private copy of the object (the copy
 * is unlinked at once; the mapping stays). */
static GMutex loaded_lock;
static GHashTable *loaded; /* dlopen handle -> nothing: handles this process got from us */

static cw_status load_private(const char *so_path, const char *dir, void **dl, char *err, size_t err_len) {
  g_mutex_lock(&loaded_lock);
  if (!loaded) loaded = g_hash_table_new(NULL, NULL);
  void *probe = dlopen(so_path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  cw_status st = CW_OK;
  if (probe && g_hash_table_contains(loaded, probe)) {
    dlclose(probe); /* drop the reference RTLD_NOLOAD took */
    char *copy = g_strdup_printf("%s/private.%ld.%u.so", dir, (long)getpid(), g_random_int());
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(so_path, &data, &len, NULL) || !g_file_set_contents(copy, data, (gssize)len, NULL)) {
      report(err, err_len, "cannot copy the compiled kernels", copy);
      st = CW_ERR_COMPILE;
    } else {
      *dl = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
    }
    g_unlink(copy);
    g_free(copy);
    g_free(data);
  } else {
    if (probe) dlclose(probe);
    *dl = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
  }
  if (st == CW_OK && !*dl) {
    report(err, err_len, "cannot load the compiled kernels", dlerror());
    st = CW_ERR_COMPILE;
  }
  if (st == CW_OK) g_hash_table_add(loaded, *dl);
  g_mutex_unlock(&loaded_lock);
  return st;
}

void cpu_unload(void *dl) {
  g_mutex_lock(&loaded_lock);
  if (loaded) g_hash_table_remove(loaded, dl);
  dlclose(dl);
  g_mutex_unlock(&loaded_lock);
}

cw_status cpu_compile(cw_backend *be, const char *source, void **dl, char *err, size_t err_len) {
  *dl = NULL;
  char *key = cache_key(be, source);
  char *dir = g_build_filename(cw_cache_dir(), "cpu-simd", NULL);
  char *so_path = g_strdup_printf("%s/%s.so", dir, key);
  cw_status st = CW_OK;
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    report(err, err_len, "cannot create the cache directory", g_strerror(errno));
    st = CW_ERR_COMPILE;
  } else if (!g_file_test(so_path, G_FILE_TEST_EXISTS)) {
    st = build(be, source, dir, key, so_path, err, err_len);
  } else {
    cw_log(CW_LOG_DEBUG, "cpu-simd", "kernels found in the cache: %s", so_path);
  }
  if (st == CW_OK) st = load_private(so_path, dir, dl, err, err_len);
  g_free(so_path);
  g_free(dir);
  g_free(key);
  return st;
}
