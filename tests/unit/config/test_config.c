/* test_config.c — cw.yaml parsing, errors with file:line:key, lookup order, environment
 * overrides, plugin section validation and getters, logging and cache helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "plugin/config.h"
#include "plugin/log.h"

static char *tmpdir;

/* Each test starts with an empty HOME and no CW_* variables. */
static int setup(void **state) {
  (void)state;
  tmpdir = g_dir_make_tmp("cw-config-test-XXXXXX", NULL);
  g_setenv("HOME", tmpdir, TRUE);
  char *cfg = g_build_filename(tmpdir, "xdg-config", NULL);
  char *cache = g_build_filename(tmpdir, "xdg-cache", NULL);
  char *sys = g_build_filename(tmpdir, "sysconf", NULL);
  g_setenv("XDG_CONFIG_HOME", cfg, TRUE);
  g_setenv("XDG_CACHE_HOME", cache, TRUE);
  g_setenv("CW_SYSCONFDIR", sys, TRUE);
  g_free(cfg), g_free(cache), g_free(sys);
  g_unsetenv("CW_CONFIG");
  g_unsetenv("CW_BACKEND");
  g_unsetenv("CW_LOG");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
  assert_int_equal(system(cmd), 0);
  g_free(cmd);
  g_free(tmpdir);
  return 0;
}

/* Writes `text` to tmpdir/rel (creating directories) and returns the path. */
static char *write_file(const char *rel, const char *text) {
  char *path = g_build_filename(tmpdir, rel, NULL);
  char *dir = g_path_get_dirname(path);
  g_mkdir_with_parents(dir, 0700);
  g_free(dir);
  assert_true(g_file_set_contents(path, text, -1, NULL));
  return path;
}

/* Loads `text` and returns the error message (caller frees), or NULL when it loaded. */
static char *load_error(const char *text) {
  char *path = write_file("cw.yaml", text);
  GError *err = NULL;
  cw_config *cfg = cw_config_load_file(path, &err);
  g_free(path);
  if (cfg) {
    cw_config_free(cfg);
    return NULL;
  }
  char *msg = g_strdup(err->message);
  g_error_free(err);
  return msg;
}

/* The message with the temporary directory replaced by "T". */
static char *relative(char *msg) {
  char *prefix = g_strconcat(tmpdir, "/", NULL);
  char *out = g_str_has_prefix(msg, prefix) ? g_strdup(msg + strlen(prefix)) : g_strdup(msg);
  g_free(prefix);
  g_free(msg);
  return out;
}

#define assert_load_error(text, expected)                                                        \
  do {                                                                                           \
    char *m_ = load_error(text);                                                                 \
    assert_non_null(m_);                                                                         \
    m_ = relative(m_);                                                                           \
    assert_string_equal(m_, expected);                                                           \
    g_free(m_);                                                                                  \
  } while (0)

static void test_defaults(void **state) {
  (void)state;
  GError *err = NULL;
  cw_config *cfg = cw_config_load(NULL, &err); /* no file anywhere */
  assert_non_null(cfg);
  assert_null(cfg->path);
  assert_string_equal(cfg->backend, "auto");
  assert_string_equal(cfg->backend_origin, "default");
  const char *order[] = {"cuda", "hip", "levelzero", "vulkan", "opencl", "webgpu", "cpu-simd", NULL};
  for (int i = 0; order[i]; i++) assert_string_equal(cfg->fallback_order[i], order[i]);
  assert_null(cfg->fallback_order[7]);
  char *cache = g_build_filename(tmpdir, "xdg-cache", "cw", NULL);
  assert_string_equal(cfg->cache_dir, cache);
  g_free(cache);
  assert_int_equal(cfg->log_level, CW_LOG_WARN);
  assert_string_equal(cfg->host_compiler, "c++");
  char *user_plugins = g_build_filename(tmpdir, ".local", "lib", "cw", "plugins", NULL);
  assert_string_equal(cfg->plugin_dirs[1], user_plugins);
  g_free(user_plugins);
  assert_null(cw_config_section_get(cfg, "cpu-simd"));
  cw_config_free(cfg);

  /* Without XDG_CACHE_HOME: ~/.cache/cw. */
  g_unsetenv("XDG_CACHE_HOME");
  cfg = cw_config_new_default();
  cache = g_build_filename(tmpdir, ".cache", "cw", NULL);
  assert_string_equal(cfg->cache_dir, cache);
  g_free(cache);
  cw_config_free(cfg);
}

static void test_valid_file(void **state) {
  (void)state;
  char *path = write_file("conf/cw.yaml",
                          "# comment\n"
                          "backend: cpu\n"
                          "fallback_order: [opencl, cpu]\n"
                          "plugin_dirs:\n"
                          "  - ~/plugins\n"
                          "  - rel/plugins\n"
                          "cache_dir: /var/tmp/cwcache\n"
                          "log_level: debug\n"
                          "host_compiler: clang++\n"
                          "cpu-simd:\n"
                          "  threads: 3\n"
                          "  cc: gcc\n"
                          "  cflags: [-O3, -march=native]\n"
                          "  unset_key:\n"
                          "vulkan:\n"
                          "opencl: {device: 1, enabled: yes}\n");
  GError *err = NULL;
  cw_config *cfg = cw_config_load_file(path, &err);
  assert_null(err);
  assert_non_null(cfg);
  assert_string_equal(cfg->path, path);
  assert_string_equal(cfg->backend, "cpu-simd"); /* alias */
  char *origin = g_strdup_printf("%s:2", path);
  assert_string_equal(cfg->backend_origin, origin);
  g_free(origin);
  assert_string_equal(cfg->fallback_order[0], "opencl");
  assert_string_equal(cfg->fallback_order[1], "cpu-simd");
  assert_null(cfg->fallback_order[2]);
  char *home_plugins = g_build_filename(tmpdir, "plugins", NULL);
  char *rel_plugins = g_build_filename(tmpdir, "conf", "rel", "plugins", NULL);
  assert_string_equal(cfg->plugin_dirs[0], home_plugins);
  assert_string_equal(cfg->plugin_dirs[1], rel_plugins);
  g_free(home_plugins), g_free(rel_plugins);
  assert_string_equal(cfg->cache_dir, "/var/tmp/cwcache");
  assert_int_equal(cfg->log_level, CW_LOG_DEBUG);
  assert_string_equal(cfg->host_compiler, "clang++");

  const cw_config_section *cpu = cw_config_section_get(cfg, "cpu-simd");
  assert_non_null(cpu);
  assert_int_equal(cw_config_get_int(cpu, "threads", 0), 3);
  assert_string_equal(cw_config_get_string(cpu, "cc", "cc"), "gcc");
  const char *const *flags = cw_config_get_string_list(cpu, "cflags");
  assert_non_null(flags);
  assert_string_equal(flags[0], "-O3");
  assert_string_equal(flags[1], "-march=native");
  assert_null(flags[2]);
  /* A key with no value is unset; absent keys and wrong getters give the fallback. */
  assert_string_equal(cw_config_get_string(cpu, "unset_key", "fb"), "fb");
  assert_int_equal(cw_config_get_int(cpu, "cc", 42), 42);
  assert_null(cw_config_get_string_list(cpu, "threads"));
  assert_string_equal(cw_config_get_string(cpu, "cflags", "fb"), "fb");
  /* An empty section exists; NULL sections give fallbacks. */
  assert_non_null(cw_config_section_get(cfg, "vulkan"));
  assert_int_equal(cw_config_get_int(cw_config_section_get(cfg, "vulkan"), "device", -1), -1);
  assert_int_equal(cw_config_get_int(NULL, "x", 7), 7);
  assert_true(cw_config_get_bool(NULL, "x", true));
  assert_null(cw_config_get_string_list(NULL, "x"));
  const cw_config_section *ocl = cw_config_section_get(cfg, "opencl");
  assert_int_equal(cw_config_get_int(ocl, "device", -1), 1);
  assert_true(cw_config_get_bool(ocl, "enabled", false));
  char *loc = g_strdup_printf("%s:10", path);
  assert_string_equal(cw_config_section_location(cpu), loc);
  g_free(loc);
  cw_config_free(cfg);
  g_free(path);
}

static void test_unknown_key(void **state) {
  (void)state;
  assert_load_error("backend: auto\n\nfallbak_order: [cpu]\n",
                    "cw.yaml:3: unknown key 'fallbak_order' (did you mean 'fallback_order'?)");
  assert_load_error("color: blue\n",
                    "cw.yaml:1: unknown key 'color' (plugin sections are mappings; core keys are "
                    "backend, fallback_order, plugin_dirs, cache_dir, log_level, host_compiler)");
  assert_load_error("log_level: info\nlog_level: debug\n", "cw.yaml:2: key 'log_level' appears twice");
}

static void test_wrong_type(void **state) {
  (void)state;
  assert_load_error("fallback_order: cuda\n",
                    "cw.yaml:1: key 'fallback_order' must be a list of strings, not a scalar");
  assert_load_error("backend: [cuda]\n", "cw.yaml:1: key 'backend' must be a string, not a list");
  assert_load_error("plugin_dirs:\n  - a\n  - [b]\n",
                    "cw.yaml:3: key 'plugin_dirs': every item must be a string, not a list");
  assert_load_error("cpu-simd:\n  cc:\n    name: gcc\n",
                    "cw.yaml:3: key 'cpu-simd.cc': nested mappings are not supported");
  assert_load_error("- a\n- b\n", "cw.yaml:1: the configuration must be a mapping of keys, not a list");
}

static void test_bad_value(void **state) {
  (void)state;
  assert_load_error("log_level: loud\n",
                    "cw.yaml:1: key 'log_level': unknown level 'loud' (expected error, warn, info, "
                    "debug or trace)");
  assert_load_error("backend: 'two words'\n",
                    "cw.yaml:1: key 'backend': 'two words' is not 'auto' or a plugin name");
  assert_load_error("fallback_order: []\n", "cw.yaml:1: key 'fallback_order' must name at least one plugin");
  assert_load_error("host_compiler: ''\n", "cw.yaml:1: key 'host_compiler' must not be empty");
  assert_load_error("backend: auto\n  bad: [\n", "cw.yaml:2: YAML syntax error: mapping values are not allowed in this context");
}

static void test_empty_file(void **state) {
  (void)state;
  char *msg = load_error("# nothing but a comment\n");
  assert_null(msg);
}

static void test_lookup_order(void **state) {
  (void)state;
  char *sys = write_file("sysconf/cw.yaml", "log_level: error\n");
  GError *err = NULL;
  char *found = cw_config_find_file(NULL, &err);
  assert_string_equal(found, sys);
  g_free(found);
  char *user = write_file("xdg-config/cw/cw.yaml", "log_level: info\n");
  found = cw_config_find_file(NULL, &err);
  assert_string_equal(found, user); /* the user's file wins */
  g_free(found);
  char *env = write_file("env.yaml", "log_level: debug\n");
  g_setenv("CW_CONFIG", env, TRUE);
  found = cw_config_find_file(NULL, &err);
  assert_string_equal(found, env);
  g_free(found);
  char *explicit = write_file("explicit.yaml", "log_level: trace\n");
  found = cw_config_find_file(explicit, &err);
  assert_string_equal(found, explicit); /* --config beats CW_CONFIG */
  g_free(found);
  cw_config *cfg = cw_config_load(NULL, &err);
  assert_int_equal(cfg->log_level, CW_LOG_DEBUG);
  cw_config_free(cfg);
  g_free(sys), g_free(user), g_free(env), g_free(explicit);
}

static void test_missing_file(void **state) {
  (void)state;
  char *missing = g_build_filename(tmpdir, "nope.yaml", NULL);
  g_setenv("CW_CONFIG", missing, TRUE);
  GError *err = NULL;
  assert_null(cw_config_load(NULL, &err));
  assert_non_null(err);
  char *expected = g_strdup_printf("%s: configuration file not found (named by CW_CONFIG)", missing);
  assert_string_equal(err->message, expected);
  g_clear_error(&err);
  g_free(expected);
  assert_null(cw_config_load(missing, &err));
  assert_non_null(strstr(err->message, "(named by --config)"));
  g_clear_error(&err);
  assert_null(cw_config_load_file(missing, &err));
  assert_non_null(strstr(err->message, ": cannot open: No such file or directory"));
  g_clear_error(&err);
  g_free(missing);
}

static void test_env_overrides(void **state) {
  (void)state;
  char *path = write_file("env.yaml", "backend: opencl\nlog_level: error\n");
  g_setenv("CW_CONFIG", path, TRUE);
  g_setenv("CW_BACKEND", "cpu", TRUE);
  g_setenv("CW_LOG", "trace", TRUE);
  GError *err = NULL;
  cw_config *cfg = cw_config_load(NULL, &err);
  assert_non_null(cfg);
  assert_string_equal(cfg->backend, "cpu-simd");
  assert_string_equal(cfg->backend_origin, "CW_BACKEND");
  assert_int_equal(cfg->log_level, CW_LOG_TRACE);
  cw_config_free(cfg);

  g_setenv("CW_LOG", "chatty", TRUE);
  assert_null(cw_config_load(NULL, &err));
  assert_string_equal(err->message,
                      "CW_LOG: unknown level 'chatty' (expected error, warn, info, debug or trace)");
  g_clear_error(&err);
  g_unsetenv("CW_LOG");
  g_setenv("CW_BACKEND", "a/b", TRUE);
  assert_null(cw_config_load(NULL, &err));
  assert_string_equal(err->message, "CW_BACKEND: 'a/b' is not 'auto' or a plugin name");
  g_clear_error(&err);
  /* Empty variables are ignored. */
  g_setenv("CW_BACKEND", "", TRUE);
  cfg = cw_config_load(NULL, &err);
  assert_string_equal(cfg->backend, "opencl");
  cw_config_free(cfg);
  g_free(path);
}

static const cw_config_key keys[] = {
  {"threads", CW_CONFIG_INT, "n"},
  {"cc", CW_CONFIG_STRING, "compiler"},
  {"cflags", CW_CONFIG_STRING_LIST, "flags"},
  {"fast", CW_CONFIG_BOOL, "b"},
  {NULL, 0, NULL},
};

static char *validate(const char *text) {
  char *path = write_file("cw.yaml", text);
  GError *err = NULL;
  cw_config *cfg = cw_config_load_file(path, &err);
  assert_non_null(cfg);
  g_free(path);
  bool ok = cw_config_section_validate(cw_config_section_get(cfg, "cpu-simd"), keys, &err);
  cw_config_free(cfg);
  if (ok) return NULL;
  char *msg = g_strdup(err->message);
  g_error_free(err);
  return relative(msg);
}

#define assert_validate(text, expected)                                                          \
  do {                                                                                           \
    char *m_ = validate(text);                                                                   \
    if (expected) {                                                                              \
      assert_non_null(m_);                                                                       \
      assert_string_equal(m_, (const char *)(expected));                                         \
    } else {                                                                                     \
      assert_null(m_);                                                                           \
    }                                                                                            \
    g_free(m_);                                                                                  \
  } while (0)

static void test_section_validation(void **state) {
  (void)state;
  assert_validate("cpu-simd:\n  threads: 4\n  cc: gcc\n  cflags: [-O2]\n  fast: off\n", NULL);
  assert_validate("cpu-simd:\n  threads: 0x10\n", NULL);
  assert_validate("cpu-simd:\n  threads: 4\n  thread: 2\n",
                  "cw.yaml:3: unknown key 'thread' in section 'cpu-simd' (did you mean 'threads'?)");
  assert_validate("cpu-simd:\n  threads: lots\n",
                  "cw.yaml:2: key 'cpu-simd.threads' must be an integer, not 'lots'");
  assert_validate("cpu-simd:\n  cflags: -O2\n",
                  "cw.yaml:2: key 'cpu-simd.cflags' must be a list of strings, not '-O2'");
  assert_validate("cpu-simd:\n  cc: [gcc]\n", "cw.yaml:2: key 'cpu-simd.cc' must be a string, not a list");
  assert_validate("cpu-simd:\n  fast: maybe\n",
                  "cw.yaml:2: key 'cpu-simd.fast' must be a boolean (true/false), not 'maybe'");
  assert_validate("cpu-simd:\n  zzz: 1\n", "cw.yaml:2: unknown key 'zzz' in section 'cpu-simd'");
  /* A missing section is valid; so is a plugin's empty key list. */
  assert_validate("opencl: {device: 1}\n", NULL);
  assert_true(cw_config_section_validate(NULL, keys, NULL));
}

static void test_log_levels(void **state) {
  (void)state;
  cw_log_level l;
  assert_true(cw_log_level_parse("DEBUG", &l));
  assert_int_equal(l, CW_LOG_DEBUG);
  assert_true(cw_log_level_parse("warning", &l));
  assert_int_equal(l, CW_LOG_WARN);
  assert_false(cw_log_level_parse("verbose", &l));
  assert_string_equal(cw_log_level_name(CW_LOG_TRACE), "trace");
  cw_log_set_level(CW_LOG_INFO);
  assert_true(cw_log_enabled(CW_LOG_INFO));
  assert_false(cw_log_enabled(CW_LOG_DEBUG));
  cw_log_set_level(CW_LOG_ERROR);
  assert_string_equal(cw_status_name(CW_ERR_NO_DEVICE), "no device");
  assert_string_equal(cw_status_name((cw_status)999), "unknown status");
}

static void test_suggest(void **state) {
  (void)state;
  const char *const words[] = {"fallback_order", "backend", "cache_dir", NULL};
  assert_string_equal(cw_config_suggest("backnd", words), "backend");
  assert_string_equal(cw_config_suggest("cachedir", words), "cache_dir");
  assert_null(cw_config_suggest("zebra", words));
}

static void test_cache_write_atomic(void **state) {
  (void)state;
  char *path = g_build_filename(tmpdir, "artifact.bin", NULL);
  assert_true(cw_cache_write_atomic(path, "hello", 5));
  char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  assert_int_equal(len, 5);
  assert_memory_equal(data, "hello", 5);
  g_free(data);
  assert_true(cw_cache_write_atomic(path, "bye", 3)); /* replaces */
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  assert_int_equal(len, 3);
  g_free(data);
  /* No temporary files are left behind. */
  GDir *d = g_dir_open(tmpdir, 0, NULL);
  const char *n;
  while ((n = g_dir_read_name(d))) assert_null(strstr(n, ".tmp."));
  g_dir_close(d);
  char *bad = g_build_filename(tmpdir, "no", "such", "dir", "x", NULL);
  assert_false(cw_cache_write_atomic(bad, "x", 1));
  g_free(bad);
  g_free(path);
}

static void test_default_file(void **state) {
  (void)state;
  /* config/cw.yaml as shipped: parses, and describes the built-in defaults. */
  const char *path = getenv("CW_TEST_DEFAULT_CONFIG");
  assert_non_null(path);
  GError *err = NULL;
  cw_config *cfg = cw_config_load_file(path, &err);
  if (!cfg) fail_msg("%s", err->message);
  cw_config *defaults = cw_config_new_default();
  assert_string_equal(cfg->backend, "auto");
  for (int i = 0; defaults->fallback_order[i]; i++)
    assert_string_equal(cfg->fallback_order[i], defaults->fallback_order[i]);
  assert_int_equal(cfg->log_level, defaults->log_level);
  assert_string_equal(cfg->host_compiler, defaults->host_compiler);
  assert_string_equal(cfg->cache_dir, defaults->cache_dir);
  const char *plugins[] = {"cpu-simd", "opencl", "vulkan", "webgpu", "cuda", "hip", "nutanix", NULL};
  for (int i = 0; plugins[i]; i++) assert_non_null(cw_config_section_get(cfg, plugins[i]));
  assert_int_equal(cw_config_get_int(cw_config_section_get(cfg, "cpu-simd"), "threads", -1), 0);
  cw_config_free(defaults);
  cw_config_free(cfg);
}

static void test_global_config_and_cache_dir(void **state) {
  (void)state;
  /* Runs last: the process-wide configuration is loaded once. */
  char *path = write_file("global.yaml", "cache_dir: ~/my-cache\nlog_level: info\n");
  GError *err = NULL;
  assert_true(cw_config_init(path, &err));
  assert_true(cw_config_init("/ignored/later", &err)); /* first call wins */
  assert_string_equal(cw_config_global()->path, path);
  assert_null(cw_config_global_error());
  assert_true(cw_log_enabled(CW_LOG_INFO));
  char *cache = g_build_filename(tmpdir, "my-cache", NULL);
  assert_string_equal(cw_cache_dir(), cache);
  assert_true(g_file_test(cache, G_FILE_TEST_IS_DIR)); /* created on demand */
  g_free(cache);
  g_free(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
    cmocka_unit_test_setup_teardown(test_valid_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
    cmocka_unit_test_setup_teardown(test_wrong_type, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_value, setup, teardown),
    cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lookup_order, setup, teardown),
    cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_env_overrides, setup, teardown),
    cmocka_unit_test_setup_teardown(test_section_validation, setup, teardown),
    cmocka_unit_test_setup_teardown(test_log_levels, setup, teardown),
    cmocka_unit_test_setup_teardown(test_suggest, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cache_write_atomic, setup, teardown),
    cmocka_unit_test_setup_teardown(test_default_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_global_config_and_cache_dir, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
