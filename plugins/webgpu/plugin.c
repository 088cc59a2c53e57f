/* plugin.c — the webgpu descriptor: WebGPU through webgpu.h. */
#include "webgpu-plugin.h"

#define CW_UNSUPPORTED_PLUGIN_NAME "webgpu"
#include "cw-plugin-unsupported.h"

static const cw_config_key config_keys[] = {
  {"library", CW_CONFIG_STRING, "path of the webgpu.h library (default: CW_WEBGPU_LIBRARY, then libwebgpu_dawn.so, libwgpu_native.so, libwebgpu_wrapper.so)"},
  {"backend", CW_CONFIG_STRING, "adapter backend to request: vulkan, gl, metal, d3d12, null (default: the implementation's choice)"},
  {NULL, 0, NULL},
};

static const cw_backend_ops backend_ops =
    CW_UNSUPPORTED_BACKEND_OPS(webgpu_probe, webgpu_shutdown, webgpu_device_count, webgpu_device_caps);
static const cw_memory_ops memory_ops = CW_UNSUPPORTED_MEMORY_OPS;
static const cw_transpiler_ops transpiler_ops = CW_UNSUPPORTED_TRANSPILER_OPS("wgsl");

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "webgpu",
  .version = WEBGPU_PLUGIN_VERSION,
  .description = "WebGPU (Dawn, wgpu-native): WGSL through a dlopened webgpu.h implementation",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = config_keys,
  .backend = &backend_ops,
  .memory = &memory_ops,
  .transpiler = &transpiler_ops,
};

CW_PLUGIN_DEFINE(descriptor)
