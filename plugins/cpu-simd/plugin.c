/* plugin.c — the cpu-simd descriptor: backend (backend.c, module.c, stream.c), memory
 * (memory.c) and transpiler (transpiler.c, emit_*.c). */
#include "engine.h"

static const cw_config_key config_keys[] = {
  {"threads", CW_CONFIG_INT, "worker threads for blocks (0 = every core)"},
  {"cc", CW_CONFIG_STRING, "C compiler for kernels (default: cc)"},
  {"cflags", CW_CONFIG_STRING_LIST, "extra flags for the kernel compiler"},
  {NULL, 0, NULL},
};

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "cpu-simd",
  .version = CPU_SIMD_VERSION,
  .description = "the host CPU: kernels as C thread loops, compiled by the system C compiler",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = config_keys,
  .backend = &cpu_backend_ops,
  .memory = &cpu_memory_ops,
  .transpiler = &cpu_transpiler_ops,
};

CW_PLUGIN_DEFINE(descriptor)
