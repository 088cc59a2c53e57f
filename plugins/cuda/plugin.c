/* plugin.c — the cuda descriptor: NVIDIA GPUs through NVRTC and the driver API, both dlopened. */
#include "cuda-plugin.h"

static const cw_config_key config_keys[] = {
  {"device", CW_CONFIG_INT, "use only this device ordinal (default: all)"},
  {"nvrtc", CW_CONFIG_STRING, "libnvrtc.so file or directory to try first (default: search)"},
  {"driver", CW_CONFIG_STRING, "path of libcuda.so.1 (default: the loader's search)"},
  {"arch", CW_CONFIG_STRING, "target when no GPU is present, e.g. sm_80 (default sm_90)"},
  {NULL, 0, NULL},
};

static const cw_backend_ops backend_ops = {
  .struct_size = sizeof(cw_backend_ops),
  .probe = cuda_probe,
  .shutdown = cuda_shutdown,
  .device_count = cuda_device_count,
  .device_caps = cuda_device_caps,
  .module_load = cuda_module_load,
  .module_unload = cuda_module_unload,
  .module_global = cuda_module_global,
  .launch = cuda_launch,
  .stream_create = cuda_stream_create,
  .stream_destroy = cuda_stream_destroy,
  .stream_synchronize = cuda_stream_synchronize,
  .stream_query = cuda_stream_query,
  .stream_wait_event = cuda_stream_wait_event,
  .event_create = cuda_event_create,
  .event_destroy = cuda_event_destroy,
  .event_record = cuda_event_record,
  .event_synchronize = cuda_event_synchronize,
  .event_query = cuda_event_query,
  .event_elapsed_ms = cuda_event_elapsed_ms,
  .device_synchronize = cuda_device_synchronize,
};

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "cuda",
  .version = CUDA_PLUGIN_VERSION,
  .description = "NVIDIA GPUs: CUDA C++ through NVRTC and the driver API (dlopened)",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = config_keys,
  .backend = &backend_ops,
  .memory = &cuda_memory_ops,
  .transpiler = &cuda_transpiler_ops,
};

CW_PLUGIN_DEFINE(descriptor)
