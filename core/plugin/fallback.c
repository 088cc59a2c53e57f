/* fallback.c — the fallback chain and forced backends. */
#include "plugin/fallback.h"
#include "plugin/registry_internal.h"

#include <string.h>

char **cw_registry_order(cw_registry *reg) {
  cw_registry_load_all(reg);
  GPtrArray *order = g_ptr_array_new();
  for (char **n = reg->cfg->fallback_order; n && *n; n++) {
    bool dup = false;
    for (guint i = 0; i < order->len; i++) dup |= strcmp(order->pdata[i], *n) == 0;
    if (!dup) g_ptr_array_add(order, g_strdup(*n));
  }
  for (guint i = 0; i < reg->entries->len; i++) {
    cw_plugin_entry *e = reg->entries->pdata[i];
    if (!e->loaded || e->kind != CW_PLUGIN_KIND_BACKEND) continue;
    bool listed = false;
    for (guint j = 0; j < order->len; j++) listed |= strcmp(order->pdata[j], e->name) == 0;
    if (!listed) g_ptr_array_add(order, g_strdup(e->name));
  }
  g_ptr_array_add(order, NULL);
  return (char **)g_ptr_array_free(order, FALSE);
}

static void reject(GArray *rejected, const char *plugin, int device, const char *reason) {
  cw_rejection r = {g_strdup(plugin), device, g_strdup(reason)};
  g_array_append_val(rejected, r);
  if (device >= 0)
    cw_log(CW_LOG_INFO, "select", "%s device %d: %s", plugin, device, reason);
  else
    cw_log(CW_LOG_INFO, "select", "%s: %s", plugin, reason);
}

/* Which devices a pass of `auto` considers (CW_CAP_HOST_CPU). */
typedef enum { DEVICES_ALL, DEVICES_NOT_HOST, DEVICES_HOST } device_pass;

static bool in_pass(const cw_plugin_entry *e, int d, device_pass pass) {
  bool host = (e->devices[d].flags & CW_CAP_HOST_CPU) != 0;
  return pass == DEVICES_ALL || host == (pass == DEVICES_HOST);
}

/* Tries one plugin; true when a device of it was accepted (then *device is set). */
static bool try_plugin(cw_registry *reg, const char *name, device_pass pass, cw_accept_fn accept,
                       void *user, GArray *rejected, cw_plugin_entry **chosen, int *device) {
  cw_plugin_entry *e = cw_registry_find(reg, name);
  if (!e) {
    /* Report why a file of that name did not load, when there is one. */
    const char *why = "not installed";
    size_t n;
    cw_plugin_entry *const *all = cw_registry_entries(reg, &n);
    char *file = g_strdup_printf("cw-%s.so", name);
    for (size_t i = 0; i < n; i++) {
      char *base = g_path_get_basename(all[i]->path);
      if (strcmp(base, file) == 0 && all[i]->load_error) why = all[i]->load_error;
      g_free(base);
    }
    g_free(file);
    reject(rejected, name, -1, why);
    return false;
  }
  if (e->kind != CW_PLUGIN_KIND_BACKEND) {
    reject(rejected, name, -1, "not a backend plugin");
    return false;
  }
  cw_registry_probe(reg, e);
  if (e->probe_state != CW_PROBE_OK) {
    reject(rejected, name, -1, e->probe_reason ? e->probe_reason : "not probed");
    return false;
  }
  char reason[1024] = "";
  if (cw_registry_open_backend(reg, e, NULL, reason, sizeof reason) != CW_OK) {
    reject(rejected, name, -1, reason);
    return false;
  }
  for (int d = 0; d < e->device_count; d++) {
    if (!in_pass(e, d, pass)) {
      if (pass == DEVICES_NOT_HOST)
        cw_log(CW_LOG_INFO, "select", "%s device %d: the host CPU, tried after the other devices", name, d);
      continue;
    }
    reason[0] = '\0';
    if (!accept || accept(e, d, user, reason, sizeof reason)) {
      *chosen = e;
      *device = d;
      return true;
    }
    reject(rejected, name, d, reason[0] ? reason : "declined");
  }
  return false;
}

static void finish(cw_selection *out, GArray *rejected) {
  out->n_rejected = rejected->len;
  out->rejected = (cw_rejection *)g_array_free(rejected, rejected->len == 0);
}

bool cw_registry_select(cw_registry *reg, const char *forced, cw_accept_fn accept, void *user,
                        cw_selection *out, char *err, size_t err_len) {
  memset(out, 0, sizeof *out);
  out->device = -1;
  GArray *rejected = g_array_new(FALSE, TRUE, sizeof(cw_rejection));
  const char *name = cw_config_canonical_backend(forced ? forced : reg->cfg->backend);
  /* Loading what is needed first: a forced backend's plugin alone (lazy loading), else all. */
  if (name && strcmp(name, "auto") != 0) cw_registry_find(reg, name);
  else cw_registry_load_all(reg);
  if (reg->config_error) {
    g_snprintf(err, err_len, "invalid configuration: %s", reg->config_error);
    finish(out, rejected);
    return false;
  }
  bool ok;
  if (name && strcmp(name, "auto") != 0) {
    out->forced = true;
    ok = try_plugin(reg, name, DEVICES_ALL, accept, user, rejected, &out->entry, &out->device);
    if (!ok) {
      GString *why = g_string_new(NULL);
      for (guint i = 0; i < rejected->len; i++) {
        cw_rejection *r = &g_array_index(rejected, cw_rejection, i);
        if (why->len) g_string_append(why, "; ");
        if (r->device >= 0) g_string_append_printf(why, "device %d: ", r->device);
        g_string_append(why, r->reason);
      }
      if (!cw_registry_find(reg, name)) {
        size_t n;
        cw_plugin_entry *const *all = cw_registry_entries(reg, &n);
        g_string_append(why, " (installed:");
        bool any = false;
        for (size_t i = 0; i < n; i++)
          if (all[i]->loaded && all[i]->kind == CW_PLUGIN_KIND_BACKEND) {
            g_string_append_printf(why, " %s", all[i]->name);
            any = true;
          }
        g_string_append(why, any ? ")" : " none)");
      }
      g_snprintf(err, err_len, "backend '%s' (%s) cannot be used: %s", name,
                 forced ? "requested" : reg->cfg->backend_origin, why->str);
      g_string_free(why, TRUE);
    }
  } else {
    /* Every device that is not the host CPU, in the configured order; then the host CPU,
     * cpu-simd first: CPU implementations of GPU APIs (lavapipe, PoCL) run the same kernels on
     * the same cores, slower than code compiled for them. */
    char **order = cw_registry_order(reg);
    ok = false;
    for (char **n = order; *n && !ok; n++)
      ok = try_plugin(reg, *n, DEVICES_NOT_HOST, accept, user, rejected, &out->entry, &out->device);
    for (int first = 1; first >= 0 && !ok; first--)
      for (char **n = order; *n && !ok; n++) {
        const cw_plugin_entry *e = cw_registry_find(reg, *n);
        /* plugins that failed above are not tried (nor reported) again */
        if ((strcmp(*n, "cpu-simd") == 0) != first || !e || e->probe_state != CW_PROBE_OK || !e->be) continue;
        ok = try_plugin(reg, *n, DEVICES_HOST, accept, user, rejected, &out->entry, &out->device);
      }
    g_strfreev(order);
    if (!ok) {
      GString *why = g_string_new("no backend can run this program:");
      for (guint i = 0; i < rejected->len; i++) {
        cw_rejection *r = &g_array_index(rejected, cw_rejection, i);
        g_string_append_printf(why, "\n  %s", r->plugin);
        if (r->device >= 0) g_string_append_printf(why, " device %d", r->device);
        g_string_append_printf(why, ": %s", r->reason);
      }
      g_strlcpy(err, why->str, err_len);
      g_string_free(why, TRUE);
    }
  }
  if (ok) cw_log(CW_LOG_INFO, "select", "selected %s device %d", out->entry->name, out->device);
  finish(out, rejected);
  return ok;
}

void cw_selection_clear(cw_selection *sel) {
  for (size_t i = 0; i < sel->n_rejected; i++) {
    g_free(sel->rejected[i].plugin);
    g_free(sel->rejected[i].reason);
  }
  g_free(sel->rejected);
  memset(sel, 0, sizeof *sel);
  sel->device = -1;
}
