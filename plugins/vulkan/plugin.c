/* plugin.c — the vulkan descriptor: Vulkan compute. */
#include "vulkan-plugin.h"

#define CW_UNSUPPORTED_PLUGIN_NAME "vulkan"
#include "cw-plugin-unsupported.h"

static const cw_config_key config_keys[] = {
  {"device", CW_CONFIG_INT, "use only this physical device index (default: all)"},
  {NULL, 0, NULL},
};

static const cw_backend_ops backend_ops =
    CW_UNSUPPORTED_BACKEND_OPS(vulkan_probe, vulkan_shutdown, vulkan_device_count, vulkan_device_caps);
static const cw_memory_ops memory_ops = CW_UNSUPPORTED_MEMORY_OPS;
static const cw_transpiler_ops transpiler_ops = CW_UNSUPPORTED_TRANSPILER_OPS("glsl");

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "vulkan",
  .version = VULKAN_PLUGIN_VERSION,
  .description = "any GPU with Vulkan compute: GLSL through libshaderc to SPIR-V (loader dlopened)",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = config_keys,
  .backend = &backend_ops,
  .memory = &memory_ops,
  .transpiler = &transpiler_ops,
};

CW_PLUGIN_DEFINE(descriptor)
