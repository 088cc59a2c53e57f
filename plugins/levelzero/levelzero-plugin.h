/* levelzero-plugin.h — the levelzero plugin's context and the loader entry points it uses.
 * Types come from <level_zero/ze_api.h>; the loader itself is dlopened at probe time. */
#ifndef CW_LEVELZERO_PLUGIN_H
#define CW_LEVELZERO_PLUGIN_H

#include <level_zero/ze_api.h>

#include <cw/cw-plugin.h>

#define LEVELZERO_PLUGIN_VERSION "0.1.0"

typedef struct ze_loader {
  void *lib;
  ze_result_t (*zeInit)(ze_init_flags_t flags);
  ze_result_t (*zeDriverGet)(uint32_t *count, ze_driver_handle_t *drivers);
  ze_result_t (*zeDriverGetProperties)(ze_driver_handle_t driver, ze_driver_properties_t *props);
  ze_result_t (*zeDeviceGet)(ze_driver_handle_t driver, uint32_t *count, ze_device_handle_t *devs);
  ze_result_t (*zeDeviceGetProperties)(ze_device_handle_t dev, ze_device_properties_t *props);
  ze_result_t (*zeDeviceGetComputeProperties)(ze_device_handle_t dev,
                                              ze_device_compute_properties_t *props);
  ze_result_t (*zeDeviceGetModuleProperties)(ze_device_handle_t dev,
                                             ze_device_module_properties_t *props);
  ze_result_t (*zeDeviceGetMemoryProperties)(ze_device_handle_t dev, uint32_t *count,
                                             ze_device_memory_properties_t *props);
} ze_loader;

struct cw_backend {
  ze_loader ze;
  int count;
  ze_device_handle_t *devices;
  cw_device_caps *caps;
};

cw_status levelzero_probe(const cw_config_section *config, cw_backend **out, char *reason,
                          size_t reason_len);
void levelzero_shutdown(cw_backend *be);
int levelzero_device_count(cw_backend *be);
cw_status levelzero_device_caps(cw_backend *be, int dev, cw_device_caps *caps);

#endif
