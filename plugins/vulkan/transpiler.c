/* transpiler.c — the transpiler vtable: supports (emit + compile, declining with the reason),
 * emit (GLSL and SPIR-V per kernel in one artifact), emit_format (glsl, spirv). */
#include <string.h>

#include "vulkan-plugin.h"
#include "glsl.h"

/* The device whose caps these are (by name), to learn what caps cannot say. */
static const vk_device *device_of(cw_backend *be, const cw_device_caps *caps) {
  if (!be || !caps) return NULL;
  for (int i = 0; i < be->count; i++)
    if (strcmp(be->devices[i].caps.name, caps->name) == 0) return &be->devices[i];
  return NULL;
}

static void target_of(cw_backend *be, const cw_device_caps *caps, glsl_target *t) {
  glsl_target_from_caps(t, caps);
  const vk_device *d = device_of(be, caps);
  if (d) {
    t->shared_float_atomic_add = d->shared_float_atomic_add;
    t->int8_storage = d->int8_storage;
    t->fp16 = (caps->flags & CW_CAP_FP16) && d->fp16_storage;
  }
}

static cw_status build(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps, bool compile,
                       glsl_module **out, char *err, size_t err_len) {
  glsl_target t;
  target_of(be, caps, &t);
  /* Vulkan promises no warp lockstep on any device: lavapipe runs lanes apart, and NVIDIA's driver
   * gave wrong results for tests/programs/warp_synchronous.cu on an H100 where its OpenCL and CUDA
   * did not.  Kernels that rely on it get an explicit __syncwarp() at each lane-step boundary. */
  cw_ir_module *owned = cw_ir_module_with_lane_syncs(ir);
  glsl_module *gm = glsl_emit_module(owned ? owned : ir, &t, err, err_len);
  if (!gm) {
    cw_ir_module_free(owned);
    return CW_ERR_UNSUPPORTED;
  }
  gm->owned_ir = owned;
  for (guint i = 0; compile && i < gm->kernels->len; i++) {
    glsl_kernel *gk = g_ptr_array_index(gm->kernels, i);
    cw_status st = glsl_compile_spirv(gk->func->name, gk->source, &gk->spirv, &gk->spirv_size, err, err_len);
    if (st != CW_OK) {
      glsl_module_free(gm);
      return st;
    }
  }
  *out = gm;
  return CW_OK;
}

bool vulkan_supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps, char *reason,
                     size_t reason_len) {
  if (!(caps->flags & CW_CAP_REAL_POINTERS)) {
    g_snprintf(reason, reason_len, "the device has no bufferDeviceAddress");
    return false;
  }
  glsl_module *gm = NULL;
  if (build(be, ir, caps, true, &gm, reason, reason_len) != CW_OK) return false;
  /* what lane-step boundaries could not fix: hazards in called functions or in other statements */
  const cw_ir_func *hk = NULL;
  cw_ir_loc hat = {0};
  bool ok = !cw_ir_module_first_warp_hazard(gm->owned_ir ? gm->owned_ir : ir, &hk, &hat);
  if (!ok)
    g_snprintf(reason, reason_len,
               "kernel %s (%s:%d:%d): warp-synchronous shared memory access without __syncwarp; "
               "Vulkan does not run 32 lanes in step",
               hk->source_name ? hk->source_name : hk->name, hat.file ? hat.file : "?", hat.line, hat.col);
  glsl_module_free(gm);
  return ok;
}

static char *all_sources(const glsl_module *gm) {
  GString *o = g_string_new(NULL);
  for (guint i = 0; i < gm->kernels->len; i++) {
    const glsl_kernel *gk = g_ptr_array_index(gm->kernels, i);
    if (i) g_string_append(o, "\n");
    g_string_append(o, gk->source);
  }
  return g_string_free(o, FALSE);
}

cw_status vulkan_emit(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps, cw_artifact **out,
                      char *err, size_t err_len) {
  *out = NULL;
  glsl_module *gm = NULL;
  cw_status st = build(be, ir, caps, true, &gm, err, err_len);
  if (st != CW_OK) return st;
  cw_artifact *a = g_new0(cw_artifact, 1);
  a->struct_size = sizeof *a;
  a->language = "glsl";
  a->source = all_sources(gm);
  a->source_len = strlen(a->source);
  a->plugin_data = gm;
  *out = a;
  return CW_OK;
}

cw_status vulkan_emit_format(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                             const char *format, char **text, char *err, size_t err_len) {
  *text = NULL;
  cw_device_caps fallback;
  if (!caps) {
    /* no device: describe a capable Vulkan 1.2 GPU */
    memset(&fallback, 0, sizeof fallback);
    fallback.struct_size = sizeof fallback;
    fallback.subgroup_size = 32;
    fallback.flags = CW_CAP_FP64 | CW_CAP_INT64 | CW_CAP_INT8_16 | CW_CAP_ATOMIC_INT32 | CW_CAP_ATOMIC_INT64 |
                     CW_CAP_ATOMIC_FLOAT32 | CW_CAP_SUBGROUPS | CW_CAP_REAL_POINTERS;
    caps = &fallback;
  }
  bool spirv = strcmp(format, "spirv") == 0;
  if (!spirv && strcmp(format, "glsl") != 0) {
    g_snprintf(err, err_len, "vulkan: unknown format %s (glsl, spirv)", format);
    return CW_ERR_INVALID_VALUE;
  }
  glsl_module *gm = NULL;
  cw_status st = build(be, ir, caps, spirv, &gm, err, err_len);
  if (st != CW_OK) return st;
  if (!spirv) {
    *text = all_sources(gm);
  } else {
    GString *o = g_string_new(NULL);
    for (guint i = 0; i < gm->kernels->len; i++) {
      const glsl_kernel *gk = g_ptr_array_index(gm->kernels, i);
      char *dis = glsl_disassemble(gk->spirv, gk->spirv_size);
      g_string_append_printf(o, "; kernel %s\n%s\n", gk->func->source_name, dis);
      g_free(dis);
    }
    *text = g_string_free(o, FALSE);
  }
  glsl_module_free(gm);
  return CW_OK;
}

void vulkan_artifact_free(cw_artifact *art) {
  if (!art) return;
  glsl_module_free(art->plugin_data);
  g_free(art->source);
  g_free(art);
}
