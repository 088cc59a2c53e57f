/* backend_select.c — the runtime's one contact with core/plugin: picks the process's backend
 * with the registry's fallback chain (plugin/fallback.h: forced by CW_BACKEND / config
 * `backend`, else the configured order), accepting a (plugin, device) when its transpiler
 * supports every module the program registered.  The choice and the reasons for every candidate
 * passed over are logged at info level (`cwrun --verbose`, CW_LOG=info): the candidates by the
 * registry ("cw[select]"), the outcome here ("cw[runtime]"). */
#include <stdio.h>
#include <string.h>

#include "plugin/config.h"
#include "plugin/fallback.h"
#include "plugin/registry.h"
#include "runtime/rt_internal.h"

typedef struct modules {
  const cw_ir_module *const *irs;
  int n;
} modules;

static bool supports_all(const cw_plugin_entry *p, int device, void *user, char *reason, size_t reason_len) {
  const modules *m = user;
  if (!p->transpiler.supports) return true;
  for (int i = 0; i < m->n; i++) {
    if (p->transpiler.supports(p->be, m->irs[i], &p->devices[device], reason, reason_len)) continue;
    /* The kernels' own account names no __managed__ variable: say where such a pointer comes from. */
    if (cw_rt_has_managed_var(m->irs[i]) && strlen(reason) + 1 < reason_len)
      g_strlcat(reason, " (kernels reach __managed__ variables through pointers kept in device memory)", reason_len);
    return false;
  }
  return true;
}

static cudaError_t select_backend(const cw_ir_module *const *irs, int n, cw_rt_backend *out, int *device,
                                  char *reason, size_t reason_len) {
  cw_registry *reg = cw_registry_get();
  if (!reg) {
    g_strlcpy(reason, cw_registry_global_error() ? cw_registry_global_error() : "invalid configuration",
              reason_len);
    return cudaErrorInitializationError;
  }
  modules m = {irs, n};
  cw_selection sel;
  memset(&sel, 0, sizeof sel);
  /* The registry logs each candidate passed over, with its reason, at info level. */
  bool ok = cw_registry_select(reg, NULL, supports_all, &m, &sel, reason, reason_len);
  cudaError_t e = cudaSuccess;
  if (!ok || !sel.entry) {
    /* A device that declined the program is "no kernel image", not "no device". */
    e = cudaErrorNoDevice;
    for (size_t i = 0; i < sel.n_rejected; i++)
      if (sel.rejected[i].device >= 0) e = cudaErrorNoKernelImageForDevice;
  } else {
    cw_plugin_entry *p = sel.entry;
    out->name = g_strdup(p->name);
    out->ops = p->backend;
    out->mem = p->memory;
    out->tr = p->transpiler;
    out->be = p->be;
    out->device_count = MIN(p->device_count, CW_RT_MAX_DEVICES);
    for (int i = 0; i < out->device_count; i++) out->caps[i] = p->devices[i];
    *device = sel.device < out->device_count ? sel.device : 0;
    cw_log(CW_LOG_INFO, "runtime", "backend %s%s: device %d (%s)", p->name, sel.forced ? " (forced)" : "",
           sel.device, p->devices[sel.device].name);
  }
  cw_selection_clear(&sel);
  return e;
}

__attribute__((constructor)) static void install_selector(void) {
  cw_rt_set_backend_selector(select_backend);
}

bool cw_rt_configure(const char *config_path, char **error) {
  GError *err = NULL;
  if (cw_config_init(config_path, &err)) return true;
  if (error) *error = g_strdup(err ? err->message : "invalid configuration");
  g_clear_error(&err);
  return false;
}
