/* plugin.c — the levelzero descriptor: Intel GPUs through Level Zero. */
#include "levelzero-plugin.h"

#define CW_UNSUPPORTED_PLUGIN_NAME "levelzero"
#include "cw-plugin-unsupported.h"

static const cw_config_key config_keys[] = {
  {NULL, 0, NULL},
};

static const cw_backend_ops backend_ops =
    CW_UNSUPPORTED_BACKEND_OPS(levelzero_probe, levelzero_shutdown, levelzero_device_count, levelzero_device_caps);
static const cw_memory_ops memory_ops = CW_UNSUPPORTED_MEMORY_OPS;
static const cw_transpiler_ops transpiler_ops = CW_UNSUPPORTED_TRANSPILER_OPS("spirv");

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "levelzero",
  .version = LEVELZERO_PLUGIN_VERSION,
  .description = "Intel GPUs: OpenCL C to SPIR-V on Level Zero (loader dlopened)",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = config_keys,
  .backend = &backend_ops,
  .memory = &memory_ops,
  .transpiler = &transpiler_ops,
};

CW_PLUGIN_DEFINE(descriptor)
