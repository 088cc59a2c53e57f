/* test_registry.c — discovery, ABI checks, shadowing, forked probes (failure, crash, timeout),
 * in-process opening, and plugin section validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_support.h"
#include "plugin/fallback.h"
#include "plugin/registry_internal.h"

/* Whether a file whose name ends with `suffix` is mapped into this process. */
static bool mapped(const char *suffix) {
  char *maps = NULL;
  if (!g_file_get_contents("/proc/self/maps", &maps, NULL, NULL)) return false;
  bool found = false;
  char **lines = g_strsplit(maps, "\n", -1);
  for (char **l = lines; *l && !found; l++) found = g_str_has_suffix(*l, suffix);
  g_strfreev(lines);
  g_free(maps);
  return found;
}

/* A forced backend loads its own file only; whatever needs the list loads the rest, in order. */
static void test_lazy_loading(void **state) {
  (void)state;
  cw_config *cfg = test_config("backend: test-ok\n");
  cw_registry *reg = test_registry(cfg);
  assert_int_equal(reg->entries->len, 0);   /* discovery opens nothing */
  cw_selection sel;
  char err[1024] = "";
  assert_true(cw_registry_select(reg, NULL, NULL, NULL, &sel, err, sizeof err));
  assert_string_equal(sel.entry->name, "test-ok");
  assert_true(sel.forced);
  cw_selection_clear(&sel);
  assert_int_equal(reg->entries->len, 1);
  assert_false(reg->all_loaded);
  assert_true(mapped("/cw-test-ok.so"));
  assert_false(mapped("/cw-test-nodev.so"));
  assert_false(mapped("/cw-test-zz-dup.so"));
  /* A name with no cw-<name>.so file ("cpu-simd" is cw-test-cpu.so here): everything. */
  cw_plugin_entry *cpu = cw_registry_find(reg, "cpu");
  assert_non_null(cpu);
  assert_true(g_str_has_suffix(cpu->path, "/cw-test-cpu.so"));
  assert_true(reg->all_loaded);
  size_t n;
  cw_plugin_entry *const *all = cw_registry_entries(reg, &n);
  assert_int_equal(n, 9);
  for (size_t i = 1; i < n; i++) assert_true(strcmp(all[i - 1]->path, all[i]->path) < 0);
  /* The later duplicate is still shadowed by the forced one. */
  assert_non_null(entry_by_file(reg, "test-zz-dup")->shadowed_by);
  assert_ptr_equal(cw_registry_find(reg, "test-ok"), entry_by_file(reg, "test-ok"));
  cw_registry_free(reg);
  cw_config_free(cfg);

  /* Automatic selection loads them all. */
  cfg = test_config("backend: auto\nfallback_order: [test-ok]\n");
  reg = test_registry(cfg);
  assert_true(cw_registry_select(reg, NULL, NULL, NULL, &sel, err, sizeof err));
  cw_selection_clear(&sel);
  assert_true(reg->all_loaded);
  assert_int_equal(reg->entries->len, 9);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_discovery_and_load(void **state) {
  (void)state;
  cw_config *cfg = test_config(NULL);
  cw_registry *reg = test_registry(cfg);
  size_t n;
  cw_plugin_entry *const *all = cw_registry_entries(reg, &n);
  assert_int_equal(n, 9);
  /* Sorted by file name. */
  for (size_t i = 1; i < n; i++) assert_true(strcmp(all[i - 1]->path, all[i]->path) < 0);

  cw_plugin_entry *ok = cw_registry_find(reg, "test-ok");
  assert_non_null(ok);
  assert_true(ok->loaded);
  assert_null(ok->load_error);
  assert_string_equal(ok->version, "9.8.7");
  assert_string_equal(ok->description, "test plugin test-ok");
  assert_int_equal(ok->kind, CW_PLUGIN_KIND_BACKEND);
  assert_true(g_str_has_suffix(ok->path, "/cw-test-ok.so"));
  assert_non_null(ok->backend.probe);
  assert_int_equal(ok->probe_state, CW_PROBE_NOT_RUN); /* loading probes nothing */
  /* The transpiler vtable is shorter than the core's: the rest is zero-extended. */
  assert_string_equal(ok->transpiler.language, "test");
  assert_null(ok->transpiler.emit_formats);
  assert_null(ok->transpiler.supports);

  cw_plugin_entry *integ = cw_registry_find(reg, "test-integ");
  assert_non_null(integ);
  assert_int_equal(integ->kind, CW_PLUGIN_KIND_INTEGRATION);
  assert_string_equal(cw_plugin_kind_name(integ->kind), "integration");

  /* "cpu" is the alias of "cpu-simd". */
  assert_ptr_equal(cw_registry_find(reg, "cpu"), cw_registry_find(reg, "cpu-simd"));
  assert_null(cw_registry_find(reg, "nonexistent"));
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_wrong_abi_rejected(void **state) {
  (void)state;
  cw_config *cfg = test_config(NULL);
  cw_registry *reg = test_registry(cfg);
  cw_plugin_entry *e = entry_by_file(reg, "test-abi");
  assert_non_null(e);
  assert_false(e->loaded);
  char *expected = g_strdup_printf("plugin %s: ABI version 2.0, this cwrun supports 1.x", e->path);
  assert_string_equal(e->load_error, expected);
  g_free(expected);
  assert_null(cw_registry_find(reg, "test-abi"));
  assert_string_equal(cw_plugin_entry_problem(e), e->load_error);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_no_symbol_rejected(void **state) {
  (void)state;
  cw_config *cfg = test_config(NULL);
  cw_registry *reg = test_registry(cfg);
  cw_plugin_entry *e = entry_by_file(reg, "test-nosym");
  assert_non_null(e);
  assert_false(e->loaded);
  assert_non_null(strstr(e->load_error, "no cw_plugin_describe symbol"));
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_duplicate_is_shadowed(void **state) {
  (void)state;
  cw_config *cfg = test_config(NULL);
  cw_registry *reg = test_registry(cfg);
  cw_plugin_entry *first = entry_by_file(reg, "test-ok");
  cw_plugin_entry *dup = entry_by_file(reg, "test-zz-dup");
  assert_true(first->loaded);
  assert_false(dup->loaded);
  assert_string_equal(dup->shadowed_by, first->path);
  assert_true(g_str_has_prefix(dup->load_error, "shadowed by "));
  assert_ptr_equal(cw_registry_find(reg, "test-ok"), first);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_forked_probes(void **state) {
  (void)state;
  cw_config *cfg = test_config("test-integ:\n  endpoint: https://x\n");
  cw_registry *reg = test_registry(cfg);
  gint64 start = g_get_monotonic_time();
  cw_registry_probe_all(reg);
  gint64 elapsed_ms = (g_get_monotonic_time() - start) / 1000;
  /* In parallel: the hang costs one timeout, not one per plugin. */
  assert_true(elapsed_ms < 5000);

  cw_plugin_entry *ok = cw_registry_find(reg, "test-ok");
  assert_int_equal(ok->probe_state, CW_PROBE_OK);
  assert_int_equal(ok->device_count, 2);
  assert_string_equal(ok->devices[0].name, "test-ok device 0");
  assert_string_equal(ok->devices[1].name, "test-ok device 1");
  assert_int_equal(ok->devices[1].compute_units, 5);
  assert_int_equal(ok->devices[1].struct_size, sizeof(cw_device_caps));
  assert_null(cw_plugin_entry_problem(ok));
  /* The probe ran in a child, not here. */
  int *calls = NULL;
  assert_true(g_module_symbol(ok->module, "tp_probe_calls", (gpointer *)&calls));
  assert_int_equal(*calls, 0);

  cw_plugin_entry *nodev = cw_registry_find(reg, "test-nodev");
  assert_int_equal(nodev->probe_state, CW_PROBE_FAILED);
  assert_int_equal(nodev->probe_status, CW_ERR_NO_DEVICE);
  assert_string_equal(nodev->probe_reason, "no test hardware");
  assert_int_equal(nodev->device_count, 0);

  cw_plugin_entry *crash = cw_registry_find(reg, "test-crash");
  assert_int_equal(crash->probe_state, CW_PROBE_CRASHED);
  assert_string_equal(crash->probe_reason, "probe crashed: signal 11 (Segmentation fault)");

  cw_plugin_entry *hang = cw_registry_find(reg, "test-hang");
  assert_int_equal(hang->probe_state, CW_PROBE_TIMED_OUT);
  assert_string_equal(hang->probe_reason, "probe timed out after 1.5 s");

  cw_plugin_entry *integ = cw_registry_find(reg, "test-integ");
  assert_int_equal(integ->probe_state, CW_PROBE_OK);

  /* Probing again is a no-op. */
  cw_registry_probe_all(reg);
  assert_int_equal(ok->probe_state, CW_PROBE_OK);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_integration_not_configured(void **state) {
  (void)state;
  cw_config *cfg = test_config(NULL);
  cw_registry *reg = test_registry(cfg);
  cw_plugin_entry *integ = cw_registry_find(reg, "test-integ");
  cw_registry_probe(reg, integ);
  assert_int_equal(integ->probe_state, CW_PROBE_FAILED);
  assert_string_equal(integ->probe_reason, "not configured: no endpoint");
  /* Only that one was probed. */
  assert_int_equal(cw_registry_find(reg, "test-ok")->probe_state, CW_PROBE_NOT_RUN);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_open_backend_in_process(void **state) {
  (void)state;
  cw_config *cfg = test_config("test-ok:\n  devices: 3\n");
  cw_registry *reg = test_registry(cfg);
  cw_plugin_entry *ok = cw_registry_find(reg, "test-ok");
  cw_backend *be = NULL, *again = NULL;
  char reason[256] = "";
  assert_int_equal(cw_registry_open_backend(reg, ok, &be, reason, sizeof reason), CW_OK);
  assert_non_null(be);
  assert_ptr_equal(ok->be, be);
  assert_int_equal(ok->device_count, 3); /* the plugin read its config section */
  assert_string_equal(ok->devices[2].name, "test-ok device 2");
  assert_int_equal(cw_registry_open_backend(reg, ok, &again, reason, sizeof reason), CW_OK);
  assert_ptr_equal(again, be);
  int *calls = NULL;
  assert_true(g_module_symbol(ok->module, "tp_probe_calls", (gpointer *)&calls));
  assert_int_equal(*calls, 1); /* cached */

  cw_plugin_entry *nodev = cw_registry_find(reg, "test-nodev");
  assert_int_equal(cw_registry_open_backend(reg, nodev, &be, reason, sizeof reason),
                   CW_ERR_NO_DEVICE);
  assert_string_equal(reason, "no test hardware");
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_open_refuses_crashed_probe(void **state) {
  (void)state;
  cw_config *cfg = test_config(NULL);
  cw_registry *reg = test_registry(cfg);
  cw_plugin_entry *crash = cw_registry_find(reg, "test-crash");
  cw_registry_probe(reg, crash);
  assert_int_equal(crash->probe_state, CW_PROBE_CRASHED);
  cw_backend *be = NULL;
  char reason[256] = "";
  /* Running that probe in-process would kill this test. */
  assert_int_equal(cw_registry_open_backend(reg, crash, &be, reason, sizeof reason),
                   CW_ERR_NO_DEVICE);
  assert_null(be);
  assert_string_equal(reason, "probe crashed: signal 11 (Segmentation fault)");
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_invalid_plugin_section(void **state) {
  (void)state;
  cw_config *cfg = test_config("backend: auto\ntest-ok:\n  devices: 2\n  devicez: 3\n");
  cw_registry *reg = test_registry(cfg);
  cw_plugin_entry *ok = entry_by_file(reg, "test-ok");
  assert_false(ok->loaded);
  assert_non_null(strstr(ok->load_error, ".yaml:4: unknown key 'devicez' in section 'test-ok' "
                                         "(did you mean 'devices'?)"));
  cw_registry_free(reg);
  cw_config_free(cfg);

  cfg = test_config("test-ok:\n  devices: many\n");
  reg = test_registry(cfg);
  ok = entry_by_file(reg, "test-ok");
  assert_false(ok->loaded);
  assert_non_null(strstr(ok->load_error, ".yaml:2: key 'test-ok.devices' must be an integer, not 'many'"));
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_section_for_absent_plugin_is_accepted(void **state) {
  (void)state;
  cw_config *cfg = test_config("not-installed-plugin:\n  anything: 1\n");
  cw_registry *reg = test_registry(cfg);
  assert_true(cw_registry_find(reg, "test-ok")->loaded);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_missing_directory(void **state) {
  (void)state;
  cw_config *cfg = test_config(NULL);
  const char *dirs[] = {"/nonexistent/dir", NULL};
  cw_registry_options opts = {.plugin_dirs = dirs};
  cw_registry *reg = cw_registry_new(cfg, &opts);
  size_t n = 99;
  cw_registry_entries(reg, &n);
  assert_int_equal(n, 0);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_search_path_order(void **state) {
  (void)state;
  /* CW_PLUGIN_PATH comes before the configured directories; a directory listed twice is
   * searched once. */
  char *yaml = g_strdup_printf("plugin_dirs: [%s, /nonexistent/b]\n", test_plugin_dir());
  cw_config *cfg = test_config(yaml);
  g_setenv("CW_PLUGIN_PATH", "/nonexistent/a:", TRUE);
  cw_registry *reg = cw_registry_new(cfg, NULL);
  const char *const *dirs = cw_registry_dirs(reg);
  assert_string_equal(dirs[0], "/nonexistent/a");
  assert_string_equal(dirs[1], test_plugin_dir());
  assert_string_equal(dirs[2], "/nonexistent/b");
  assert_null(dirs[3]);
  size_t n;
  cw_registry_entries(reg, &n);
  assert_int_equal(n, 9);
  cw_registry_free(reg);
  g_unsetenv("CW_PLUGIN_PATH");
  cw_config_free(cfg);
  g_free(yaml);
}

int main(void) {
  g_setenv("CW_LOG", "error", TRUE);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_discovery_and_load),
    cmocka_unit_test(test_wrong_abi_rejected),
    cmocka_unit_test(test_no_symbol_rejected),
    cmocka_unit_test(test_duplicate_is_shadowed),
    cmocka_unit_test(test_forked_probes),
    cmocka_unit_test(test_integration_not_configured),
    cmocka_unit_test(test_open_backend_in_process),
    cmocka_unit_test(test_open_refuses_crashed_probe),
    cmocka_unit_test(test_invalid_plugin_section),
    cmocka_unit_test(test_section_for_absent_plugin_is_accepted),
    cmocka_unit_test(test_missing_directory),
    cmocka_unit_test(test_search_path_order),
    cmocka_unit_test(test_lazy_loading),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
