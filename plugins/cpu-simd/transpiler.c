/* transpiler.c — the cpu-simd transpiler vtable: IR -> one C translation unit. */
#include <string.h>

#include "emit.h"
#include "engine.h"

/* The CPU runs everything the IR expresses; what it declines is what the C emitter cannot
 * express (bfloat16 atomics), found by emitting. */
static bool supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps, char *reason,
                     size_t reason_len) {
  (void)be, (void)caps;
  char *c = emit_c_module(ir, NULL, reason, reason_len);
  if (!c) return false;
  g_free(c);
  return true;
}

static cw_status emit(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps, cw_artifact **out,
                      char *err, size_t err_len) {
  (void)be, (void)caps;
  *out = NULL;
  if (!ir) return CW_ERR_INVALID_VALUE;
  char *src = emit_c_module(ir, NULL, err, err_len);
  if (!src) return CW_ERR_UNSUPPORTED;
  cw_artifact *a = g_new0(cw_artifact, 1);
  a->struct_size = sizeof *a;
  a->language = "c";
  a->source = src;
  a->source_len = strlen(src);
  *out = a;
  return CW_OK;
}

static cw_status emit_format(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                             const char *format, char **text, char *err, size_t err_len) {
  (void)be, (void)caps;
  *text = NULL;
  if (!format || strcmp(format, "c") != 0) {
    g_snprintf(err, err_len, "cpu-simd prints only \"c\", not \"%s\"", format ? format : "(null)");
    return CW_ERR_INVALID_VALUE;
  }
  *text = emit_c_module(ir, NULL, err, err_len);
  return *text ? CW_OK : CW_ERR_UNSUPPORTED;
}

static void artifact_free(cw_artifact *a) {
  if (!a) return;
  g_free(a->source);
  g_free(a->binary);
  g_free(a);
}

static const char *const formats[] = {"c", NULL};

const cw_transpiler_ops cpu_transpiler_ops = {
  .struct_size = sizeof(cw_transpiler_ops),
  .language = "c",
  .emit_formats = formats,
  .supports = supports,
  .emit = emit,
  .emit_format = emit_format,
  .artifact_free = artifact_free,
};
