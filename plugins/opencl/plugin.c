/* plugin.c — the opencl descriptor: any OpenCL 1.2+ device through the ICD loader. */
#include "opencl-plugin.h"

static const cw_config_key config_keys[] = {
  {"platform", CW_CONFIG_STRING, "use only the platform with this index, or whose name contains this text"},
  {"device", CW_CONFIG_INT, "use only this device index among the matching platforms' devices"},
  {"svm", CW_CONFIG_STRING, "shared virtual memory (real pointers): auto (where the device has fine-grained buffer SVM), true (also coarse-grained only, without managed memory) or false"},
  {NULL, 0, NULL},
};

static const cw_backend_ops backend_ops = {
  .struct_size = sizeof(cw_backend_ops),
  .probe = opencl_probe,
  .shutdown = opencl_shutdown,
  .device_count = opencl_device_count,
  .device_caps = opencl_device_caps,
  .module_load = opencl_module_load,
  .module_unload = opencl_module_unload,
  .module_global = opencl_module_global,
  .launch = opencl_launch,
  .stream_create = opencl_stream_create,
  .stream_destroy = opencl_stream_destroy,
  .stream_synchronize = opencl_stream_synchronize,
  .stream_query = opencl_stream_query,
  .stream_wait_event = opencl_stream_wait_event,
  .event_create = opencl_event_create,
  .event_destroy = opencl_event_destroy,
  .event_record = opencl_event_record,
  .event_synchronize = opencl_event_synchronize,
  .event_query = opencl_event_query,
  .event_elapsed_ms = opencl_event_elapsed_ms,
  .device_synchronize = opencl_device_synchronize,
};

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "opencl",
  .version = OPENCL_PLUGIN_VERSION,
  .description = "any OpenCL 1.2+ device: OpenCL C, SVM pointers or buffers + offsets (ICD loader)",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = config_keys,
  .backend = &backend_ops,
  .memory = &opencl_memory_ops,
  .transpiler = &opencl_transpiler_ops,
};

CW_PLUGIN_DEFINE(descriptor)
