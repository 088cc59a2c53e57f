/* test_fallback.c — the fallback order, predicate rejections with reasons, forced backends and
 * the `cpu` alias. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "plugin/fallback.h"
#include "test_support.h"

static const char *order_yaml =
    "fallback_order: [test-nodev, test-crash, not-installed, test-abi, test-ok, cpu]\n";

static void test_order(void **state) {
  (void)state;
  cw_config *cfg = test_config(order_yaml);
  cw_registry *reg = test_registry(cfg);
  char **order = cw_registry_order(reg);
  /* The configured order ("cpu" resolved), then unlisted backend plugins in discovery order;
   * integration plugins are not candidates. */
  const char *expected[] = {"test-nodev", "test-crash", "not-installed", "test-abi", "test-ok",
                            "cpu-simd", "test-hang", NULL};
  for (int i = 0; expected[i]; i++) assert_string_equal(order[i], expected[i]);
  assert_null(order[7]);
  g_strfreev(order);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_auto_skips_unusable(void **state) {
  (void)state;
  cw_config *cfg = test_config(order_yaml);
  cw_registry *reg = test_registry(cfg);
  cw_selection sel;
  char err[1024] = "";
  assert_true(cw_registry_select(reg, NULL, NULL, NULL, &sel, err, sizeof err));
  assert_string_equal(sel.entry->name, "test-ok");
  assert_int_equal(sel.device, 0);
  assert_false(sel.forced);
  assert_non_null(sel.entry->be); /* opened in-process */
  assert_int_equal(sel.n_rejected, 4);
  assert_string_equal(sel.rejected[0].plugin, "test-nodev");
  assert_string_equal(sel.rejected[0].reason, "no test hardware");
  assert_string_equal(sel.rejected[1].plugin, "test-crash");
  assert_string_equal(sel.rejected[1].reason, "probe crashed: signal 11 (Segmentation fault)");
  assert_string_equal(sel.rejected[2].plugin, "not-installed");
  assert_string_equal(sel.rejected[2].reason, "not installed");
  assert_string_equal(sel.rejected[3].plugin, "test-abi");
  assert_non_null(strstr(sel.rejected[3].reason, "ABI version 2.0, this cwrun supports 1.x"));
  assert_int_equal(sel.rejected[3].device, -1);
  /* Plugins after the chosen one were never probed. */
  assert_int_equal(cw_registry_find(reg, "cpu-simd")->probe_state, CW_PROBE_NOT_RUN);
  assert_int_equal(cw_registry_find(reg, "test-hang")->probe_state, CW_PROBE_NOT_RUN);
  cw_selection_clear(&sel);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

/* Accepts only devices with fp64 (the test plugins' device 1), like a transpiler would. */
static bool needs_fp64(const cw_plugin_entry *p, int device, void *user, char *reason, size_t len) {
  int *calls = user;
  (*calls)++;
  assert_non_null(p->be);
  if (p->devices[device].flags & CW_CAP_FP64) return true;
  g_snprintf(reason, len, "kernel k (a.cu:3:1): uses double, %s has no fp64", p->devices[device].name);
  return false;
}

static bool reject_test_ok(const cw_plugin_entry *p, int device, void *user, char *reason,
                           size_t len) {
  (void)device, (void)user;
  if (strcmp(p->name, "test-ok") != 0) return true;
  g_strlcpy(reason, "test-ok declines", len);
  return false;
}

static bool reject_cpu_simd(const cw_plugin_entry *p, int device, void *user, char *reason, size_t len) {
  (void)device, (void)user;
  if (strcmp(p->name, "cpu-simd") != 0) return true;
  g_strlcpy(reason, "cpu-simd declines", len);
  return false;
}

static void test_predicate_rejections(void **state) {
  (void)state;
  cw_config *cfg = test_config(order_yaml);
  cw_registry *reg = test_registry(cfg);
  cw_selection sel;
  char err[1024] = "";
  int calls = 0;
  assert_true(cw_registry_select(reg, NULL, needs_fp64, &calls, &sel, err, sizeof err));
  assert_string_equal(sel.entry->name, "test-ok");
  assert_int_equal(sel.device, 1);
  assert_int_equal(calls, 2);
  assert_int_equal(sel.n_rejected, 5);
  assert_string_equal(sel.rejected[4].plugin, "test-ok");
  assert_int_equal(sel.rejected[4].device, 0);
  assert_string_equal(sel.rejected[4].reason,
                      "kernel k (a.cu:3:1): uses double, test-ok device 0 has no fp64");
  cw_selection_clear(&sel);

  /* test-ok declines everything: the chain moves on to cpu-simd (listed as "cpu"). */
  assert_true(cw_registry_select(reg, "auto", reject_test_ok, NULL, &sel, err, sizeof err));
  assert_string_equal(sel.entry->name, "cpu-simd");
  assert_int_equal(sel.device, 0);
  assert_string_equal(sel.rejected[sel.n_rejected - 1].reason, "test-ok declines");
  cw_selection_clear(&sel);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static bool reject_all(const cw_plugin_entry *p, int device, void *user, char *reason, size_t len) {
  (void)user;
  g_snprintf(reason, len, "%s/%d says no", p->name, device);
  return false;
}

static void test_nothing_accepts(void **state) {
  (void)state;
  cw_config *cfg = test_config("fallback_order: [test-nodev, test-ok]\n");
  const char *dirs[] = {test_plugin_dir(), NULL};
  cw_registry_options opts = {.plugin_dirs = dirs, .probe_timeout_ms = 300};
  cw_registry *reg = cw_registry_new(cfg, &opts);
  cw_selection sel;
  char err[2048] = "";
  assert_false(cw_registry_select(reg, NULL, reject_all, NULL, &sel, err, sizeof err));
  assert_null(sel.entry);
  assert_true(g_str_has_prefix(err, "no backend can run this program:\n"));
  assert_non_null(strstr(err, "\n  test-nodev: no test hardware"));
  assert_non_null(strstr(err, "\n  test-ok device 1: test-ok/1 says no"));
  assert_non_null(strstr(err, "\n  cpu-simd device 0: cpu-simd/0 says no"));
  assert_non_null(strstr(err, "\n  test-hang: probe timed out after 0.3 s"));
  cw_selection_clear(&sel);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_forced_backend(void **state) {
  (void)state;
  cw_config *cfg = test_config(order_yaml);
  cw_registry *reg = test_registry(cfg);
  cw_selection sel;
  char err[1024] = "";

  /* Forced by name: bypasses the order (test-nodev would come first). */
  assert_true(cw_registry_select(reg, "cpu", NULL, NULL, &sel, err, sizeof err));
  assert_true(sel.forced);
  assert_string_equal(sel.entry->name, "cpu-simd");
  assert_int_equal(sel.n_rejected, 0);
  assert_int_equal(cw_registry_find(reg, "test-nodev")->probe_state, CW_PROBE_NOT_RUN);
  cw_selection_clear(&sel);

  assert_false(cw_registry_select(reg, "test-nodev", NULL, NULL, &sel, err, sizeof err));
  assert_string_equal(err, "backend 'test-nodev' (requested) cannot be used: no test hardware");
  cw_selection_clear(&sel);

  assert_false(cw_registry_select(reg, "test-ok", reject_all, NULL, &sel, err, sizeof err));
  assert_string_equal(err, "backend 'test-ok' (requested) cannot be used: device 0: test-ok/0 says "
                           "no; device 1: test-ok/1 says no");
  cw_selection_clear(&sel);

  assert_false(cw_registry_select(reg, "nosuch", NULL, NULL, &sel, err, sizeof err));
  assert_true(g_str_has_prefix(err, "backend 'nosuch' (requested) cannot be used: not installed "
                                    "(installed: "));
  assert_non_null(strstr(err, " test-ok"));
  cw_selection_clear(&sel);

  assert_false(cw_registry_select(reg, "test-integ", NULL, NULL, &sel, err, sizeof err));
  assert_non_null(strstr(err, "not a backend plugin"));
  cw_selection_clear(&sel);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_forced_by_config(void **state) {
  (void)state;
  cw_config *cfg = test_config("backend: test-crash\nfallback_order: [test-ok]\n");
  cw_registry *reg = test_registry(cfg);
  cw_selection sel;
  char err[1024] = "";
  assert_false(cw_registry_select(reg, NULL, NULL, NULL, &sel, err, sizeof err));
  assert_non_null(strstr(err, "backend 'test-crash' ("));
  assert_non_null(strstr(err, ".yaml:1) cannot be used: probe crashed: signal 11"));
  cw_selection_clear(&sel);
  /* An explicit "auto" overrides the configuration's choice. */
  assert_true(cw_registry_select(reg, "auto", NULL, NULL, &sel, err, sizeof err));
  assert_string_equal(sel.entry->name, "test-ok");
  cw_selection_clear(&sel);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

static void test_invalid_config_fails_selection(void **state) {
  (void)state;
  cw_config *cfg = test_config("test-ok:\n  bogus: 1\n");
  cw_registry *reg = test_registry(cfg);
  cw_selection sel;
  char err[1024] = "";
  assert_false(cw_registry_select(reg, "cpu", NULL, NULL, &sel, err, sizeof err));
  assert_true(g_str_has_prefix(err, "invalid configuration: "));
  assert_non_null(strstr(err, ":2: unknown key 'bogus' in section 'test-ok'"));
  cw_selection_clear(&sel);
  cw_registry_free(reg);
  cw_config_free(cfg);
}

/* What a selection took, among test-ok (its first `test_ok_host_cpu` devices the host CPU) and a
 * cpu-simd whose two devices are the host CPU, listed after it; and how often each was rejected. */
typedef struct picked {
  char name[32];
  int device;
  int rejected_test_ok, rejected_cpu_simd;
} picked;

static picked pick(int test_ok_host_cpu, const char *forced, cw_accept_fn accept) {
  char *yaml = g_strdup_printf("fallback_order: [test-ok, cpu]\n"
                               "test-ok:\n  host_cpu_devices: %d\n"
                               "cpu-simd:\n  host_cpu_devices: 2\n", test_ok_host_cpu);
  cw_config *cfg = test_config(yaml);
  g_free(yaml);
  cw_registry *reg = test_registry(cfg);
  cw_selection sel;
  char err[1024] = "";
  assert_true(cw_registry_select(reg, forced, accept, NULL, &sel, err, sizeof err));
  picked out = {.device = sel.device};
  g_strlcpy(out.name, sel.entry->name, sizeof out.name);
  for (size_t i = 0; i < sel.n_rejected; i++) {
    out.rejected_test_ok += strcmp(sel.rejected[i].plugin, "test-ok") == 0;
    out.rejected_cpu_simd += strcmp(sel.rejected[i].plugin, "cpu-simd") == 0;
  }
  cw_selection_clear(&sel);
  cw_registry_free(reg);
  cw_config_free(cfg);
  return out;
}

/* auto: devices that are the host CPU come after every other device, cpu-simd's first. */
static void test_auto_host_cpu_last(void **state) {
  (void)state;
  /* test-ok's device 0 is the host CPU, device 1 is not: device 1 wins over the earlier one */
  picked p = pick(1, NULL, NULL);
  assert_string_equal(p.name, "test-ok");
  assert_int_equal(p.device, 1);
  /* all of test-ok's devices are the host CPU: cpu-simd, though listed after it; the rejections
   * are only the plugins without a usable device, probed before the host CPU */
  p = pick(2, NULL, NULL);
  assert_string_equal(p.name, "cpu-simd");
  assert_int_equal(p.device, 0);
  assert_int_equal(p.rejected_test_ok + p.rejected_cpu_simd, 0);
  /* a forced backend takes its host-CPU device as it is */
  p = pick(2, "test-ok", NULL);
  assert_string_equal(p.name, "test-ok");
  assert_int_equal(p.device, 0);
  /* when cpu-simd declines (both its devices), the next host-CPU device in the order is taken */
  p = pick(2, NULL, reject_cpu_simd);
  assert_string_equal(p.name, "test-ok");
  assert_int_equal(p.device, 0);
  assert_int_equal(p.rejected_cpu_simd, 2);
}

int main(void) {
  g_setenv("CW_LOG", "error", TRUE);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_order),
    cmocka_unit_test(test_auto_skips_unusable),
    cmocka_unit_test(test_predicate_rejections),
    cmocka_unit_test(test_nothing_accepts),
    cmocka_unit_test(test_forced_backend),
    cmocka_unit_test(test_forced_by_config),
    cmocka_unit_test(test_invalid_config_fails_selection),
    cmocka_unit_test(test_auto_host_cpu_last),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
