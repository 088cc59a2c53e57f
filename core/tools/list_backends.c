/* list_backends.c — cwrun --list-backends: every plugin found, loaded or not and why, its
 * devices and their capabilities, and what automatic selection would choose. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "plugin/fallback.h"
#include "plugin/log.h"
#include "plugin/registry.h"
#include "tools/cwrun.h"

static void print_size(const char *label, uint64_t bytes) {
  char *s = g_format_size_full(bytes, G_FORMAT_SIZE_IEC_UNITS);
  printf("%s %s", label, s);
  g_free(s);
}

static void print_flags(uint32_t flags) {
  static const struct { uint32_t bit; const char *name; } names[] = {
    {CW_CAP_FP64, "fp64"}, {CW_CAP_INT64, "int64"}, {CW_CAP_FP16, "fp16"},
    {CW_CAP_INT8_16, "int8/16"}, {CW_CAP_ATOMIC_INT32, "atomic-int32"},
    {CW_CAP_ATOMIC_INT64, "atomic-int64"}, {CW_CAP_ATOMIC_FLOAT32, "atomic-float32"},
    {CW_CAP_ATOMIC_FLOAT64, "atomic-float64"}, {CW_CAP_SUBGROUPS, "subgroups"},
    {CW_CAP_REAL_POINTERS, "real-pointers"}, {CW_CAP_PRINTF, "printf"},
    {CW_CAP_MANAGED, "managed"}, {CW_CAP_INDEPENDENT_THREADS, "independent-threads"},
    {CW_CAP_HOST_CPU, "host-cpu"},
  };
  printf("        features:");
  bool any = false;
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    if (flags & names[i].bit) {
      printf(" %s", names[i].name);
      any = true;
    }
  printf("%s\n", any ? "" : " (none)");
}

static void print_device(int index, const cw_device_caps *c) {
  printf("    [%d] %s\n", index, c->name);
  printf("        vendor %s, driver %s, arch %s\n", c->vendor[0] ? c->vendor : "?",
         c->driver[0] ? c->driver : "?", c->arch[0] ? c->arch : "?");
  print_size("        memory", c->global_mem_bytes);
  printf(", %" PRIu32 " compute units", c->compute_units);
  if (c->clock_mhz) printf(", %" PRIu32 " MHz", c->clock_mhz);
  if (c->l2_cache_bytes) print_size(", L2", c->l2_cache_bytes);
  printf("\n        max block %" PRIu32 " threads (%" PRIu32 " x %" PRIu32 " x %" PRIu32 ")",
         c->max_threads_per_block, c->max_block_dim[0], c->max_block_dim[1], c->max_block_dim[2]);
  print_size(", shared", c->shared_mem_per_block);
  if (c->shared_mem_per_block_optin > c->shared_mem_per_block)
    print_size(" (opt-in", c->shared_mem_per_block_optin), printf(")");
  print_size(", constant", c->const_mem_bytes);
  printf("\n        subgroup size %" PRIu32, c->subgroup_size);
  if (c->simd_width_bits) printf(", SIMD %" PRIu32 " bits", c->simd_width_bits);
  printf(", compute capability %" PRIu32 ".%" PRIu32 "\n", c->cc_major, c->cc_minor);
  print_flags(c->flags);
}

static const char *probe_word(const cw_plugin_entry *e) {
  switch (e->probe_state) {
  case CW_PROBE_OK: return "ok";
  case CW_PROBE_FAILED: return e->kind == CW_PLUGIN_KIND_BACKEND ? "no device" : "not available";
  case CW_PROBE_CRASHED: return "probe failed";
  case CW_PROBE_TIMED_OUT: return "probe failed";
  case CW_PROBE_NOT_RUN: break;
  }
  return "not probed";
}

static void print_entry(const cw_plugin_entry *e, int verbose) {
  if (!e->loaded) {
    printf("%s  (not loaded)  %s\n", e->name, e->path);
    printf("  not loaded: %s\n", e->load_error);
    return;
  }
  printf("%s %s  %s  %s\n", e->name, e->version, cw_plugin_kind_name(e->kind), e->path);
  if (e->description[0]) printf("  %s\n", e->description);
  if (verbose && e->descriptor->config_keys && e->descriptor->config_keys[0].name) {
    printf("  configuration keys (section '%s:'):\n", e->name);
    for (const cw_config_key *k = e->descriptor->config_keys; k->name; k++)
      printf("    %-18s %s\n", k->name, k->doc ? k->doc : "");
  }
  if (e->probe_state != CW_PROBE_OK) {
    printf("  %s: %s\n", probe_word(e), e->probe_reason ? e->probe_reason : "-");
    return;
  }
  if (e->kind == CW_PLUGIN_KIND_INTEGRATION) {
    printf("  status: configured\n");
    return;
  }
  printf("  %d device%s:\n", e->device_count, e->device_count == 1 ? "" : "s");
  for (int d = 0; d < e->device_count; d++) print_device(d, &e->devices[d]);
}

int cwrun_mode_list_backends(const cwrun_options *o) {
  if (o->verbose > 1) cw_log_set_level(CW_LOG_DEBUG);
  cw_registry *reg = cw_registry_get();
  if (!reg) {
    fprintf(stderr, "cwrun: %s\n", cw_registry_global_error());
    return CWRUN_EXIT_FAILURE;
  }
  const cw_config *cfg = cw_registry_config(reg);
  printf("configuration: %s\n", cfg->path ? cfg->path : "built-in defaults (no cw.yaml found)");
  printf("backend: %s (%s)\n", o->backend ? o->backend : cfg->backend,
         o->backend ? "--backend" : cfg->backend_origin);
  char **order = cw_registry_order(reg);
  char *joined = g_strjoinv(", ", order);
  printf("fallback order: %s\n", joined);
  g_free(joined);
  g_strfreev(order);
  printf("plugin directories:");
  for (const char *const *d = cw_registry_dirs(reg); *d; d++) printf(" %s", *d);
  printf("\n\n");

  cw_registry_probe_all(reg);
  size_t n;
  cw_plugin_entry *const *entries = cw_registry_entries(reg, &n);
  if (n == 0) printf("no plugins found\n");
  for (size_t i = 0; i < n; i++) print_entry(entries[i], o->verbose);

  /* Where a program would start looking: the first plugin with a device, before any program's
   * kernels are checked (a transpiler may still decline them and the chain moves on). */
  cw_selection sel;
  char err[4096];
  fflush(stdout);
  bool ok = cw_registry_select(reg, o->backend, NULL, NULL, &sel, err, sizeof err);
  printf("\n");
  if (ok)
    printf("selected (before checking a program's kernels): %s device %d (%s)\n",
           sel.entry->name, sel.device, sel.entry->devices[sel.device].name);
  else
    printf("selected: none: %s\n", err);
  if (o->verbose)
    for (size_t i = 0; i < sel.n_rejected; i++)
      printf("  passed over %s: %s\n", sel.rejected[i].plugin, sel.rejected[i].reason);
  cw_selection_clear(&sel);
  return CWRUN_EXIT_OK;
}
