/* hip-plugin.h — the hip plugin's context and the HIP runtime entry points it uses. */
#ifndef CW_HIP_PLUGIN_H
#define CW_HIP_PLUGIN_H

#include <stddef.h>

#include <cw/cw-plugin.h>

#define HIP_PLUGIN_VERSION "0.1.0"

typedef struct hip_runtime {
  void *lib;
  const char *soname;
  int (*hipInit)(unsigned flags);
  int (*hipGetDeviceCount)(int *count);
  int (*hipDeviceGetName)(char *name, int len, int dev);
  int (*hipDeviceTotalMem)(size_t *bytes, int dev);
  int (*hipRuntimeGetVersion)(int *version);
  const char *(*hipGetErrorString)(int error);
} hip_runtime;

struct cw_backend {
  hip_runtime rt;
  int count;
  cw_device_caps *caps;
};

cw_status hip_probe(const cw_config_section *config, cw_backend **out, char *reason,
                    size_t reason_len);
void hip_shutdown(cw_backend *be);
int hip_device_count(cw_backend *be);
cw_status hip_device_caps(cw_backend *be, int dev, cw_device_caps *caps);

#endif
