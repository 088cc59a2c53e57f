/* plugin.c — the vulkan descriptor: Vulkan compute through GLSL → SPIR-V (libshaderc). */
#include "vulkan-plugin.h"

static const cw_config_key config_keys[] = {
  {"device", CW_CONFIG_INT, "use only this physical device index (default: all)"},
  {NULL, 0, NULL},
};

static const cw_backend_ops backend_ops = {
  .struct_size = sizeof(cw_backend_ops),
  .probe = vulkan_probe,
  .shutdown = vulkan_shutdown,
  .device_count = vulkan_device_count,
  .device_caps = vulkan_device_caps,
  .module_load = vulkan_module_load,
  .module_unload = vulkan_module_unload,
  .module_global = vulkan_module_global,
  .launch = vulkan_launch,
  .stream_create = vulkan_stream_create,
  .stream_destroy = vulkan_stream_destroy,
  .stream_synchronize = vulkan_stream_synchronize,
  .stream_query = vulkan_stream_query,
  .stream_wait_event = vulkan_stream_wait_event,
  .event_create = vulkan_event_create,
  .event_destroy = vulkan_event_destroy,
  .event_record = vulkan_event_record,
  .event_synchronize = vulkan_event_synchronize,
  .event_query = vulkan_event_query,
  .event_elapsed_ms = vulkan_event_elapsed_ms,
  .device_synchronize = vulkan_device_synchronize,
};

static const cw_memory_ops memory_ops = {
  .struct_size = sizeof(cw_memory_ops),
  .alloc = vulkan_alloc,
  .free = vulkan_free,
  .alloc_host = vulkan_alloc_host,
  .free_host = vulkan_free_host,
  .copy_h2d = vulkan_copy_h2d,
  .copy_d2h = vulkan_copy_d2h,
  .copy_d2d = vulkan_copy_d2d,
  .memset = vulkan_memset,
  .mem_info = vulkan_mem_info,
  .host_pointer = vulkan_host_pointer,
};

static const char *const emit_formats[] = {"glsl", "spirv", NULL};

static const cw_transpiler_ops transpiler_ops = {
  .struct_size = sizeof(cw_transpiler_ops),
  .language = "glsl",
  .emit_formats = emit_formats,
  .supports = vulkan_supports,
  .emit = vulkan_emit,
  .emit_format = vulkan_emit_format,
  .artifact_free = vulkan_artifact_free,
};

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
