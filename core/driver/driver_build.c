/* Building: cwrun's cached executable, cwcc's objects and executables. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <cw/cw-plugin.h>

#include "driver/driver_internal.h"

static void free_tus(GPtrArray *tus) {
  for (guint i = 0; i < tus->len; i++)
    drv_tu_free(g_ptr_array_index(tus, i));
  g_ptr_array_free(tus, TRUE);
}

/* Loads every .cu source; NULL after an error. */
static GPtrArray *load_tus(const cw_driver_options *o) {
  GPtrArray *tus = g_ptr_array_new();
  for (int i = 0; i < o->n_sources; i++) {
    const char *src = o->sources[i];
    if (drv_source_kind(o, src) != DRV_SRC_CU) {
      if (!g_file_test(src, G_FILE_TEST_EXISTS) && src[0] != '-') {
        drv_error(o, "%s: no such file", src);
        free_tus(tus);
        return NULL;
      }
      continue;
    }
    drv_tu *tu = drv_tu_load(o, src);
    if (!tu) {
      free_tus(tus);
      return NULL;
    }
    g_ptr_array_add(tus, tu);
  }
  return tus;
}

static char *object_name(const char *dir, const char *src, int index) {
  char *base = g_path_get_basename(src);
  char *dot = strrchr(base, '.');
  if (dot)
    *dot = 0;
  char *name = g_strdup_printf("%s/%d-%s.o", dir, index, base);
  g_free(base);
  return name;
}

/* Compiles one host C/C++ source (or a rewritten .cu) to an object. */
static bool compile_object(const cw_driver_options *o, const char *src, const char *display, bool is_c,
                           bool rewritten, const char *root, const char *obj) {
  GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
  drv_add_compiler(argv, is_c ? drv_host_cc() : drv_host_cxx(o));
  if (is_c) {
    for (int i = 0; i < o->n_host_flags; i++)
      g_ptr_array_add(argv, g_strdup(o->host_flags[i]));
    g_ptr_array_add(argv, g_strdup_printf("-I%s", cw_driver_shim_dir()));
    for (int i = 0; i < o->n_include_dirs; i++)
      g_ptr_array_add(argv, g_strdup_printf("-I%s", o->include_dirs[i]));
    for (int i = 0; i < o->n_defines; i++)
      g_ptr_array_add(argv, g_strdup_printf("-D%s", o->defines[i]));
    for (int i = 0; i < o->n_undefines; i++)
      g_ptr_array_add(argv, g_strdup_printf("-U%s", o->undefines[i]));
  } else {
    drv_add_compile_args(o, argv, rewritten ? root : NULL);
    if (rewritten) {  /* includes the scan could not follow (#include MACRO) still find the user's dir */
      char *dir = g_path_get_dirname(display);
      g_ptr_array_add(argv, g_strdup_printf("-iquote%s", dir));
      g_free(dir);
    }
  }
  g_ptr_array_add(argv, g_strdup("-c"));
  if (rewritten)
    g_ptr_array_add(argv, g_strdup("-xc++"));
  g_ptr_array_add(argv, g_strdup(src));
  if (rewritten)
    g_ptr_array_add(argv, g_strdup("-xnone"));
  g_ptr_array_add(argv, g_strdup("-o"));
  g_ptr_array_add(argv, g_strdup(obj));
  int st = drv_spawn(o, argv, "host compile");
  g_ptr_array_free(argv, TRUE);
  if (st != 0) {
    if (st > 0)
      drv_error(o, "host compilation of %s failed", display);
    return false;
  }
  return true;
}

/* One .cu and nothing else: compile and link in one host compiler run (saves a process). */
static bool build_single(const cw_driver_options *o, drv_tu *tu, const char *root, const char *exe) {
  char *main = drv_translate(o, tu, root, NULL);
  if (!main)
    return false;
  GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
  drv_add_compiler(argv, drv_host_cxx(o));
  drv_add_compile_args(o, argv, root);
  char *dir = g_path_get_dirname(tu->path);
  g_ptr_array_add(argv, g_strdup_printf("-iquote%s", dir));
  g_free(dir);
  g_ptr_array_add(argv, g_strdup("-xc++"));
  g_ptr_array_add(argv, g_strdup(main));
  g_ptr_array_add(argv, g_strdup("-xnone"));
  g_ptr_array_add(argv, g_strdup("-o"));
  g_ptr_array_add(argv, g_strdup(exe));
  drv_add_link_args(o, argv);
  int st = drv_spawn(o, argv, "host compile and link");
  g_ptr_array_free(argv, TRUE);
  if (st > 0)
    drv_error(o, "host compilation of %s failed", tu->path);
  g_free(main);
  return st == 0;
}

/* Compiles every source into `work` and links them to `exe` (or, with -c, leaves objects where
 * o->output / the source names say). */
static bool build_into(const cw_driver_options *o, GPtrArray *tus, const char *work, const char *exe) {
  char *root = g_build_filename(work, "src", NULL);
  if (!o->compile_only && o->n_sources == 1 && tus->len == 1) {
    bool ok = build_single(o, g_ptr_array_index(tus, 0), root, exe);
    g_free(root);
    return ok;
  }
  GPtrArray *objs = g_ptr_array_new_with_free_func(g_free);
  bool ok = true;
  guint tu_index = 0;
  for (int i = 0; i < o->n_sources && ok; i++) {
    const char *src = o->sources[i];
    drv_src_kind kind = drv_source_kind(o, src);
    if (kind == DRV_SRC_LINK) {
      g_ptr_array_add(objs, g_strdup(src));
      continue;
    }
    char *obj = NULL;
    if (o->compile_only)
      obj = g_strdup(o->output && o->n_sources == 1 ? o->output : NULL);
    if (!obj) {
      if (o->compile_only) {
        char *base = g_path_get_basename(src);
        char *dot = strrchr(base, '.');
        if (dot)
          *dot = 0;
        obj = g_strdup_printf("%s.o", base);
        g_free(base);
      } else {
        obj = object_name(work, src, i);
      }
    }
    if (kind == DRV_SRC_CU) {
      drv_tu *tu = g_ptr_array_index(tus, tu_index++);
      char *main = drv_translate(o, tu, root, NULL);
      ok = main && compile_object(o, main, src, false, true, root, obj);
      g_free(main);
    } else {
      ok = compile_object(o, src, src, kind == DRV_SRC_C, false, NULL, obj);
    }
    g_ptr_array_add(objs, obj);
  }
  if (ok && !o->compile_only) {
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    drv_add_compiler(argv, drv_host_cxx(o));
    for (int i = 0; i < o->n_host_flags; i++)
      g_ptr_array_add(argv, g_strdup(o->host_flags[i]));
    for (guint i = 0; i < objs->len; i++)
      g_ptr_array_add(argv, g_strdup(g_ptr_array_index(objs, i)));
    g_ptr_array_add(argv, g_strdup("-o"));
    g_ptr_array_add(argv, g_strdup(exe));
    drv_add_link_args(o, argv);
    int st = drv_spawn(o, argv, "link");
    g_ptr_array_free(argv, TRUE);
    if (st != 0) {
      if (st > 0)
        drv_error(o, "linking %s failed", exe);
      ok = false;
    }
  }
  g_ptr_array_free(objs, TRUE);
  g_free(root);
  return ok;
}

/* Private build directories left by runs that were killed: removed after a day. */
static void remove_stale_builds(const char *build_root) {
  GDir *d = g_dir_open(build_root, 0, NULL);
  if (!d)
    return;
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    if (!g_str_has_prefix(name, "tmp-"))
      continue;
    char *path = g_build_filename(build_root, name, NULL);
    GStatBuf st;
    if (g_stat(path, &st) == 0 && now - (gint64)st.st_mtime > 24 * 3600)
      drv_remove_tree(path);
    g_free(path);
  }
  g_dir_close(d);
}

int cw_driver_build(const cw_driver_options *o, char **exe_out) {
  *exe_out = NULL;
  if (o->n_sources == 0) {
    drv_error(o, "no input files");
    return 1;
  }
  GPtrArray *tus = load_tus(o);
  if (!tus)
    return 1;
  if (tus->len == 0) {
    drv_error(o, "no .cu source among the inputs");
    free_tus(tus);
    return 1;
  }
  char *key = drv_cache_key(o, tus);
  char *build_root = g_build_filename(cw_cache_dir(), "build", NULL);
  char *final_dir = g_build_filename(build_root, key, NULL);
  char *final_exe = g_build_filename(final_dir, "app", NULL);
  int rc = 1;
  if (!o->no_cache && g_file_test(final_exe, G_FILE_TEST_IS_EXECUTABLE)) {
    drv_note(o, "cache hit: %s", final_dir);
    *exe_out = g_strdup(final_exe);
    rc = 0;
    goto out;
  }
  drv_note(o, "cache miss: building in %s", final_dir);
  remove_stale_builds(build_root);
  if (g_mkdir_with_parents(build_root, 0755) != 0) {
    drv_error(o, "cannot create %s: %s", build_root, g_strerror(errno));
    goto out;
  }
  /* Built in a private directory and renamed into place, so concurrent runs never see (or
   * make) a half-written cache entry. */
  char *tmp = g_build_filename(build_root, "tmp-XXXXXX", NULL);
  if (!g_mkdtemp(tmp)) {
    drv_error(o, "cannot create a directory in %s: %s", build_root, g_strerror(errno));
    g_free(tmp);
    goto out;
  }
  char *tmp_exe = g_build_filename(tmp, "app", NULL);
  gint64 t0 = g_get_monotonic_time();
  bool ok = build_into(o, tus, tmp, tmp_exe);
  g_free(tmp_exe);
  if (!ok) {
    drv_remove_tree(tmp);
    g_free(tmp);
    goto out;
  }
  drv_note(o, "build: %.0f ms", drv_ms_since(t0));
  if (o->no_cache) {
    *exe_out = g_build_filename(tmp, "app", NULL);
    g_free(tmp);
    rc = 0;
    goto out;
  }
  if (g_rename(tmp, final_dir) != 0) {
    /* Another run published the same build first: use it. */
    drv_remove_tree(tmp);
    if (!g_file_test(final_exe, G_FILE_TEST_IS_EXECUTABLE)) {
      drv_error(o, "cannot store the build in %s: %s", final_dir, g_strerror(errno));
      g_free(tmp);
      goto out;
    }
  }
  g_free(tmp);
  *exe_out = g_strdup(final_exe);
  rc = 0;
out:
  g_free(final_exe);
  g_free(final_dir);
  g_free(build_root);
  g_free(key);
  free_tus(tus);
  return rc;
}

static char *program_name(const cw_driver_options *o) {
  if (o->program_name)
    return g_strdup(o->program_name);
  char *base = g_path_get_basename(o->sources[0]);
  char *dot = strrchr(base, '.');
  if (dot && dot != base)
    *dot = 0;
  return base;
}

int cw_driver_run(const cw_driver_options *o) {
  char *exe = NULL;
  if (cw_driver_build(o, &exe) != 0)
    return 1;
  char *name = program_name(o);
  char **argv = g_new0(char *, o->n_program_args + 2);
  argv[0] = name;
  for (int i = 0; i < o->n_program_args; i++)
    argv[i + 1] = (char *)o->program_args[i];
  fflush(stdout);
  fflush(stderr);
  /* As system(): the terminal's ^C reaches the program; we only report how it ended. */
  struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGINT, &ign, &old_int);
  sigaction(SIGQUIT, &ign, &old_quit);
  pid_t pid = fork();
  if (pid == 0) {
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    if (o->backend)
      setenv("CW_BACKEND", o->backend, 1);
    if (o->verbose && !getenv("CW_LOG"))
      setenv("CW_LOG", "info", 1);
    execv(exe, argv);
    fprintf(stderr, "%s: error: cannot run %s: %s\n", o->tool ? o->tool : "cwrun", exe, strerror(errno));
    _exit(127);
  }
  int rc = 1;
  if (pid < 0) {
    drv_error(o, "fork: %s", g_strerror(errno));
  } else {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status))
      rc = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
      rc = 128 + WTERMSIG(status);
    drv_note(o, "program exited with status %d", rc);
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGQUIT, &old_quit, NULL);
  if (o->no_cache) {
    char *dir = g_path_get_dirname(exe);
    drv_remove_tree(dir);
    g_free(dir);
  }
  g_free(argv);
  g_free(name);
  g_free(exe);
  return rc;
}

/* -M / -MD: "target: source headers..." from the include closure. */
static bool write_deps(const cw_driver_options *o, GPtrArray *tus) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < tus->len; i++) {
    drv_tu *tu = g_ptr_array_index(tus, i);
    char *target;
    if (o->output && (o->compile_only || o->deps_only)) {
      target = g_strdup(o->output);
    } else {
      char *base = g_path_get_basename(tu->path);
      char *dot = strrchr(base, '.');
      if (dot)
        *dot = 0;
      target = g_strdup_printf("%s.o", base);
      g_free(base);
    }
    g_string_append_printf(s, "%s: %s", target, tu->path);
    for (guint k = 0; k < tu->header_names->len; k++)
      g_string_append_printf(s, " \\\n  %s", (const char *)g_ptr_array_index(tu->header_names, k));
    g_string_append_c(s, '\n');
    g_free(target);
  }
  bool ok = true;
  if (o->deps_only && !o->deps_file) {
    fputs(s->str, stdout);
  } else {
    char *file = NULL;
    if (o->deps_file)
      file = g_strdup(o->deps_file);
    else if (o->output) {
      char *dot = strrchr(o->output, '.');
      file = dot ? g_strdup_printf("%.*s.d", (int)(dot - o->output), o->output) : g_strdup_printf("%s.d", o->output);
    } else {
      file = g_strdup("a.d");
    }
    ok = drv_write_file(o, file, s->str);
    g_free(file);
  }
  g_string_free(s, TRUE);
  return ok;
}

int cw_driver_compile(const cw_driver_options *o) {
  if (o->n_sources == 0) {
    drv_error(o, "no input files");
    return 1;
  }
  if (o->compile_only && o->output && o->n_sources > 1) {
    drv_error(o, "-o with -c names one output, but there are %d inputs", o->n_sources);
    return 1;
  }
  GPtrArray *tus = load_tus(o);
  if (!tus)
    return 1;
  int rc = 1;
  if (o->deps_only || o->deps_also) {
    if (!write_deps(o, tus))
      goto out;
    if (o->deps_only) {
      rc = 0;
      goto out;
    }
  }
  char *work = g_dir_make_tmp("cwcc-XXXXXX", NULL);
  if (!work) {
    drv_error(o, "cannot create a temporary directory");
    goto out;
  }
  bool ok = build_into(o, tus, work, o->output ? o->output : "a.out");
  if (o->verbose < 2)
    drv_remove_tree(work);
  else
    drv_note(o, "kept intermediate files in %s", work);
  g_free(work);
  rc = ok ? 0 : 1;
out:
  free_tus(tus);
  return rc;
}
