/* --emit=FORMAT handed to the plugin that knows FORMAT: first the plugin usually offering it
 * (loading just that one, core/plugin/registry.h), else every plugin in discovery order. */
#include <string.h>

#include "driver/driver_internal.h"
#include "driver/emit_internal.h"
#include "plugin/registry.h"

static bool lists(const char *const *v, const char *s) {
  for (; v && *v; v++)
    if (!strcmp(*v, s))
      return true;
  return false;
}

/* "opencl" means OpenCL C, "c" the CPU plugin's C. */
static bool language_is(const char *lang, const char *format) {
  if (!lang)
    return false;
  return !strcmp(lang, format) || (!strcmp(format, "opencl") && !strcmp(lang, "opencl-c"));
}

static void default_caps(cw_device_caps *caps) {
  memset(caps, 0, sizeof *caps);
  caps->struct_size = sizeof *caps;
  caps->max_threads_per_block = 1024;
  caps->max_block_dim[0] = caps->max_block_dim[1] = 1024;
  caps->max_block_dim[2] = 64;
  caps->max_grid_dim[0] = 0x7fffffff;
  caps->max_grid_dim[1] = caps->max_grid_dim[2] = 65535;
  caps->shared_mem_per_block = caps->shared_mem_per_block_optin = 48 * 1024;
  caps->const_mem_bytes = 64 * 1024;
  caps->subgroup_size = 32;
}

static char *via_emit_format(const cw_driver_options *o, cw_registry *reg, cw_plugin_entry *e,
                             const cw_ir_module *m, const char *format) {
  cw_backend *be = NULL;
  char reason[512] = "";
  cw_device_caps caps;
  default_caps(&caps);
  if (cw_registry_open_backend(reg, e, &be, reason, sizeof reason) == CW_OK && e->device_count > 0)
    caps = e->devices[0];
  else
    be = NULL;
  char *text = NULL, err[1024] = "";
  cw_status st = e->transpiler.emit_format(be, m, &caps, format, &text, err, sizeof err);
  if (st != CW_OK) {
    drv_error(o, "%s: %s", e->name, err[0] ? err : cw_status_name(st));
    g_free(text);
    return NULL;
  }
  return text;
}

static char *via_emit(const cw_driver_options *o, cw_registry *reg, cw_plugin_entry *e, const cw_ir_module *m) {
  cw_backend *be = NULL;
  char reason[512] = "";
  if (cw_registry_open_backend(reg, e, &be, reason, sizeof reason) != CW_OK || e->device_count < 1) {
    drv_error(o, "%s emits this format but has no device here: %s", e->name, reason[0] ? reason : "no device");
    return NULL;
  }
  cw_device_caps caps = e->devices[0];
  char err[1024] = "";
  if (e->transpiler.supports && !e->transpiler.supports(be, m, &caps, err, sizeof err)) {
    drv_error(o, "%s: %s", e->name, err);
    return NULL;
  }
  cw_artifact *art = NULL;
  cw_status st = e->transpiler.emit(be, m, &caps, &art, err, sizeof err);
  if (st != CW_OK || !art) {
    drv_error(o, "%s: %s", e->name, err[0] ? err : cw_status_name(st));
    return NULL;
  }
  char *text = art->source ? g_strndup(art->source, art->source_len ? art->source_len : strlen(art->source)) : NULL;
  if (!text)
    drv_error(o, "%s made a binary artifact only (%zu bytes)", e->name, art->binary_size);
  if (e->transpiler.artifact_free)
    e->transpiler.artifact_free(art);
  return text;
}

/* The in-tree plugin that offers `format` (its emit_formats or transpiler language), or NULL. */
static const char *usual_plugin(const char *format) {
  static const char *const map[][2] = {
      {"c", "cpu-simd"}, {"opencl", "opencl"}, {"glsl", "vulkan"}, {"spirv", "vulkan"},
      {"opencl-c", "opencl"}, {"wgsl", "webgpu"}, {"ptx", "cuda"}, {"hip", "hip"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
    if (!strcmp(map[i][0], format))
      return map[i][1];
  return NULL;
}

char *drv_emit_with_plugin(const cw_driver_options *o, const cw_ir_module *m, const char *format) {
  cw_registry *reg = cw_registry_get();
  if (!reg) {
    drv_error(o, "%s", cw_registry_global_error() ? cw_registry_global_error() : "no plugin registry");
    return NULL;
  }
  /* Checked, not trusted: a build without that plugin, or one that no longer offers the format,
   * falls through to the scan. */
  const char *usual = usual_plugin(format);
  cw_plugin_entry *u = usual ? cw_registry_find(reg, usual) : NULL;
  if (u && u->loaded && u->transpiler.emit_format && lists(u->transpiler.emit_formats, format))
    return via_emit_format(o, reg, u, m, format);
  if (u && u->loaded && u->transpiler.emit && language_is(u->transpiler.language, format))
    return via_emit(o, reg, u, m);
  size_t n = 0;
  cw_plugin_entry *const *entries = cw_registry_entries(reg, &n);
  for (size_t i = 0; i < n; i++) {
    cw_plugin_entry *e = entries[i];
    if (e->loaded && e->transpiler.emit_format && lists(e->transpiler.emit_formats, format))
      return via_emit_format(o, reg, e, m, format);
  }
  for (size_t i = 0; i < n; i++) {
    cw_plugin_entry *e = entries[i];
    if (e->loaded && e->transpiler.emit && language_is(e->transpiler.language, format))
      return via_emit(o, reg, e, m);
  }
  GString *known = g_string_new("host, device, ir, cuda");
  for (size_t i = 0; i < n; i++) {
    cw_plugin_entry *e = entries[i];
    if (!e->loaded)
      continue;
    if (e->transpiler.language)
      g_string_append_printf(known, ", %s (%s)", e->transpiler.language, e->name);
    for (const char *const *f = e->transpiler.emit_formats; f && *f; f++)
      if (!e->transpiler.language || strcmp(*f, e->transpiler.language))
        g_string_append_printf(known, ", %s (%s)", *f, e->name);
  }
  drv_error(o, "unknown --emit format '%s'; available: %s", format, known->str);
  g_string_free(known, TRUE);
  return NULL;
}
