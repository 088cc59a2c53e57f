/* transpiler.c — the transpiler vtable: supports() = the device checks (check.c) plus a trial
 * emission (address spaces that cannot be expressed show up there), emit() = the OpenCL C text;
 * the driver compiles it at module load (module.c), where the program binary is cached. */
#include <string.h>

#include "emit.h"
#include "opencl-plugin.h"

static const char *const emit_formats[] = {"opencl", NULL};

/* Caps for printing without a device: an OpenCL 1.2 device with fp64 and 64-bit atomics. */
static const cw_device_caps *caps_or_default(const cw_device_caps *caps) {
  static cw_device_caps def;
  if (caps) return caps;
  def.struct_size = sizeof def;
  def.flags = CW_CAP_FP64 | CW_CAP_INT64 | CW_CAP_ATOMIC_INT32 | CW_CAP_ATOMIC_INT64 |
              CW_CAP_PRINTF | CW_CAP_INT8_16;
  return &def;
}

/* Whether the device with these caps runs a warp's 32 work-items in step (probe.c); without a
 * device (printing only) nothing is declined for it. */
static bool device_in_step(const cw_backend *be, const cw_device_caps *caps) {
  if (!be) return true;
  for (int i = 0; i < be->count; i++) {
    const cl_dev *d = &be->devices[i];
    if (!strcmp(d->caps.name, caps->name) && !strcmp(d->caps.driver, caps->driver)) return d->lanes_in_step;
  }
  return false;
}

/* The module as this device runs it: where a warp's work-items do not run in step, kernels that
 * rely on it get an explicit __syncwarp() (a work-group barrier here) at each lane-step boundary.
 * *owned is the copy to free, or NULL. */
static const cw_ir_module *for_device(const cw_backend *be, const cw_ir_module *ir,
                                      const cw_device_caps *caps, cw_ir_module **owned) {
  *owned = NULL;
  if (device_in_step(be, caps)) return ir;
  *owned = cw_ir_module_with_lane_syncs(ir);
  return *owned ? *owned : ir;
}

static bool supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                     char *reason, size_t reason_len) {
  caps = caps_or_default(caps);
  cw_ir_module *owned;
  const cw_ir_module *run = for_device(be, ir, caps, &owned);
  bool ok = ocl_check_module(run, caps, reason, reason_len) &&
            (device_in_step(be, caps) || ocl_check_lockstep(run, reason, reason_len));
  char *src = ok ? ocl_emit_module(run, caps, reason, reason_len) : NULL;
  cw_ir_module_free(owned);
  g_free(src);
  return src != NULL;
}

static cw_status emit(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                      cw_artifact **out, char *err, size_t err_len) {
  *out = NULL;
  caps = caps_or_default(caps);
  cw_ir_module *owned;
  const cw_ir_module *run = for_device(be, ir, caps, &owned);
  char *src = ocl_check_module(run, caps, err, err_len) ? ocl_emit_module(run, caps, err, err_len) : NULL;
  cw_ir_module_free(owned);
  if (!src) return CW_ERR_UNSUPPORTED;
  cw_artifact *art = g_new0(cw_artifact, 1);
  art->struct_size = sizeof *art;
  art->language = "opencl-c";
  art->source = src;
  art->source_len = strlen(src);
  *out = art;
  return CW_OK;
}

static cw_status emit_format(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                             const char *format, char **text, char *err, size_t err_len) {
  *text = NULL;
  if (g_strcmp0(format, "opencl") != 0) {
    g_snprintf(err, err_len, "opencl: unknown format '%s' (known: opencl)", format ? format : "");
    return CW_ERR_INVALID_VALUE;
  }
  caps = caps_or_default(caps);
  /* print even what the device would decline, with the reason on top */
  char why[1024] = "";
  bool ok = ocl_check_module(ir, caps, why, sizeof why);
  cw_ir_module *owned;
  char *src = ocl_emit_module(for_device(be, ir, caps, &owned), caps, err, err_len);
  cw_ir_module_free(owned);
  if (!src) return CW_ERR_UNSUPPORTED;
  *text = ok ? src : g_strdup_printf("// not runnable on this device: %s\n%s", why, src);
  if (!ok) g_free(src);
  return CW_OK;
}

static void artifact_free(cw_artifact *art) {
  if (!art) return;
  g_free(art->source);
  g_free(art->binary);
  g_free(art);
}

const cw_transpiler_ops opencl_transpiler_ops = {
  .struct_size = sizeof(cw_transpiler_ops),
  .language = "opencl-c",
  .emit_formats = emit_formats,
  .supports = supports,
  .emit = emit,
  .emit_format = emit_format,
  .artifact_free = artifact_free,
};
