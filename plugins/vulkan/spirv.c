/* spirv.c — GLSL → SPIR-V with libshaderc (Vulkan 1.2 target, optimized), cached on disk by
 * the SHA-256 of the source under cw_cache_dir()/vulkan/, and SPIR-V disassembly. */
#include <string.h>

#include <shaderc/shaderc.h>
#include <spirv-tools/libspirv.h>

#include "glsl.h"

static char *cache_path(const char *source) {
  char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, source, -1);
  char *dir = g_build_filename(cw_cache_dir(), "vulkan", NULL);
  g_mkdir_with_parents(dir, 0755);
  char *file = g_strdup_printf("%s.spv", sum);
  char *path = g_build_filename(dir, file, NULL);
  g_free(sum);
  g_free(dir);
  g_free(file);
  return path;
}

cw_status glsl_compile_spirv(const char *name, const char *source, uint32_t **spirv, size_t *size,
                             char *err, size_t err_len) {
  *spirv = NULL;
  *size = 0;
  char *path = cache_path(source);
  gchar *data = NULL;
  gsize len = 0;
  if (g_file_get_contents(path, &data, &len, NULL) && len >= 20 && len % 4 == 0 &&
      ((uint32_t *)data)[0] == 0x07230203u) {
    *spirv = (uint32_t *)data;
    *size = len;
    g_free(path);
    return CW_OK;
  }
  g_free(data);
  shaderc_compiler_t compiler = shaderc_compiler_initialize();
  shaderc_compile_options_t opts = shaderc_compile_options_initialize();
  shaderc_compile_options_set_target_env(opts, shaderc_target_env_vulkan, shaderc_env_version_vulkan_1_2);
  shaderc_compile_options_set_optimization_level(opts, shaderc_optimization_level_performance);
  shaderc_compilation_result_t r = shaderc_compile_into_spv(compiler, source, strlen(source),
                                                            shaderc_compute_shader, name, "main", opts);
  cw_status st = CW_OK;
  if (shaderc_result_get_compilation_status(r) != shaderc_compilation_status_success) {
    g_snprintf(err, err_len, "kernel %s: generated GLSL does not compile (a bug in the Vulkan "
               "emitter): %s", name, shaderc_result_get_error_message(r));
    st = CW_ERR_COMPILE;
  } else {
    *size = shaderc_result_get_length(r);
    *spirv = g_memdup2(shaderc_result_get_bytes(r), *size);
    if (!cw_cache_write_atomic(path, *spirv, *size))
      cw_log(CW_LOG_DEBUG, "vulkan", "cannot write %s", path);
  }
  shaderc_result_release(r);
  shaderc_compile_options_release(opts);
  shaderc_compiler_release(compiler);
  g_free(path);
  return st;
}

char *glsl_disassemble(const uint32_t *spirv, size_t size) {
  spv_context ctx = spvContextCreate(SPV_ENV_VULKAN_1_2);
  spv_text text = NULL;
  spv_diagnostic diag = NULL;
  char *out;
  if (spvBinaryToText(ctx, spirv, size / 4, SPV_BINARY_TO_TEXT_OPTION_FRIENDLY_NAMES |
                      SPV_BINARY_TO_TEXT_OPTION_INDENT, &text, &diag) == SPV_SUCCESS && text) {
    out = g_strndup(text->str, text->length);
  } else {
    out = g_strdup_printf("; disassembly failed: %s\n", diag && diag->error ? diag->error : "?");
  }
  spvTextDestroy(text);
  spvDiagnosticDestroy(diag);
  spvContextDestroy(ctx);
  return out;
}
