/* webgpu-plugin.h — the webgpu plugin's context (a webgpu.h implementation, dlopened). */
#ifndef CW_WEBGPU_PLUGIN_H
#define CW_WEBGPU_PLUGIN_H

#include <cw/cw-plugin.h>

#define WEBGPU_PLUGIN_VERSION "0.1.0"

struct cw_backend {
  void *lib;
};

cw_status webgpu_probe(const cw_config_section *config, cw_backend **out, char *reason,
                       size_t reason_len);
void webgpu_shutdown(cw_backend *be);
int webgpu_device_count(cw_backend *be);
cw_status webgpu_device_caps(cw_backend *be, int dev, cw_device_caps *caps);

#endif
