/* plugin.c — the hip descriptor: AMD GPUs through hiprtc and the HIP runtime. */
#include "hip-plugin.h"

#define CW_UNSUPPORTED_PLUGIN_NAME "hip"
#include "cw-plugin-unsupported.h"

static const cw_config_key config_keys[] = {
  {"device", CW_CONFIG_INT, "use only this device ordinal (default: all)"},
  {NULL, 0, NULL},
};

static const cw_backend_ops backend_ops =
    CW_UNSUPPORTED_BACKEND_OPS(hip_probe, hip_shutdown, hip_device_count, hip_device_caps);
static const cw_memory_ops memory_ops = CW_UNSUPPORTED_MEMORY_OPS;
static const cw_transpiler_ops transpiler_ops = CW_UNSUPPORTED_TRANSPILER_OPS("hip");

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "hip",
  .version = HIP_PLUGIN_VERSION,
  .description = "AMD GPUs: HIP C++ through hiprtc and the HIP runtime (dlopened)",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = config_keys,
  .backend = &backend_ops,
  .memory = &memory_ops,
  .transpiler = &transpiler_ops,
};

CW_PLUGIN_DEFINE(descriptor)
