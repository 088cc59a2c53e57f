/* probe.c — Level Zero GPUs (Intel) through libze_loader, dlopened at probe time. */
#include "levelzero-plugin.h"

#include <dlfcn.h>
#include <string.h>

#include <glib.h>

static bool load_symbols(ze_loader *ze, char *reason, size_t reason_len) {
  ze->lib = dlopen("libze_loader.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!ze->lib) {
    g_snprintf(reason, reason_len, "Level Zero loader not found (%s)", dlerror());
    return false;
  }
#define SYM(name)                                                                                \
  if (!(*(void **)&ze->name = dlsym(ze->lib, #name))) {                                          \
    g_snprintf(reason, reason_len, "libze_loader.so.1 lacks %s", #name);                         \
    return false;                                                                                \
  }
  SYM(zeInit);
  SYM(zeDriverGet);
  SYM(zeDriverGetProperties);
  SYM(zeDeviceGet);
  SYM(zeDeviceGetProperties);
  SYM(zeDeviceGetComputeProperties);
  SYM(zeDeviceGetModuleProperties);
  SYM(zeDeviceGetMemoryProperties);
#undef SYM
  return true;
}

static void fill_caps(ze_loader *ze, ze_driver_handle_t drv, ze_device_handle_t dev,
                      cw_device_caps *c) {
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  ze_device_properties_t p = {.stype = ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES};
  ze->zeDeviceGetProperties(dev, &p);
  g_strlcpy(c->name, p.name, sizeof c->name);
  g_strlcpy(c->vendor, p.vendorId == 0x8086 ? "Intel" : "Level Zero", sizeof c->vendor);
  ze_driver_properties_t dp = {.stype = ZE_STRUCTURE_TYPE_DRIVER_PROPERTIES};
  ze->zeDriverGetProperties(drv, &dp);
  g_snprintf(c->driver, sizeof c->driver, "Level Zero driver %u", dp.driverVersion);
  g_snprintf(c->arch, sizeof c->arch, "ze-device-0x%04x", p.deviceId);
  c->compute_units = p.numSlices * p.numSubslicesPerSlice * p.numEUsPerSubslice;
  c->clock_mhz = p.coreClockRate;
  uint32_t nmem = 0;
  ze->zeDeviceGetMemoryProperties(dev, &nmem, NULL);
  if (nmem > 8) nmem = 8;
  ze_device_memory_properties_t mem[8];
  for (uint32_t i = 0; i < nmem; i++)
    mem[i] = (ze_device_memory_properties_t){.stype = ZE_STRUCTURE_TYPE_DEVICE_MEMORY_PROPERTIES};
  if (nmem && ze->zeDeviceGetMemoryProperties(dev, &nmem, mem) == ZE_RESULT_SUCCESS)
    for (uint32_t i = 0; i < nmem; i++) c->global_mem_bytes += mem[i].totalSize;
  ze_device_compute_properties_t cp = {.stype = ZE_STRUCTURE_TYPE_DEVICE_COMPUTE_PROPERTIES};
  ze->zeDeviceGetComputeProperties(dev, &cp);
  c->max_threads_per_block = cp.maxTotalGroupSize;
  c->max_block_dim[0] = cp.maxGroupSizeX, c->max_block_dim[1] = cp.maxGroupSizeY;
  c->max_block_dim[2] = cp.maxGroupSizeZ;
  c->max_grid_dim[0] = cp.maxGroupCountX, c->max_grid_dim[1] = cp.maxGroupCountY;
  c->max_grid_dim[2] = cp.maxGroupCountZ;
  c->shared_mem_per_block = c->shared_mem_per_block_optin = cp.maxSharedLocalMemory;
  c->const_mem_bytes = 64 * 1024;
  for (uint32_t i = 0; i < cp.numSubGroupSizes && i < ZE_SUBGROUPSIZE_COUNT; i++)
    if (cp.subGroupSizes[i] > c->subgroup_size) c->subgroup_size = cp.subGroupSizes[i];
  c->cc_major = 9, c->cc_minor = 0;
  ze_device_module_properties_t mp = {.stype = ZE_STRUCTURE_TYPE_DEVICE_MODULE_PROPERTIES};
  ze->zeDeviceGetModuleProperties(dev, &mp);
  c->flags = CW_CAP_INT64 | CW_CAP_INT8_16 | CW_CAP_ATOMIC_INT32 | CW_CAP_REAL_POINTERS |
             CW_CAP_PRINTF | CW_CAP_MANAGED;
  if (mp.flags & ZE_DEVICE_MODULE_FLAG_FP64) c->flags |= CW_CAP_FP64;
  if (mp.flags & ZE_DEVICE_MODULE_FLAG_FP16) c->flags |= CW_CAP_FP16;
  if (mp.flags & ZE_DEVICE_MODULE_FLAG_INT64_ATOMICS) c->flags |= CW_CAP_ATOMIC_INT64;
  if (cp.numSubGroupSizes) c->flags |= CW_CAP_SUBGROUPS;
}

cw_status levelzero_probe(const cw_config_section *config, cw_backend **out, char *reason,
                          size_t reason_len) {
  (void)config;
  *out = NULL;
  cw_backend *be = g_new0(cw_backend, 1);
  ze_loader *ze = &be->ze;
  if (!load_symbols(ze, reason, reason_len)) goto fail;
  ze_result_t rc = ze->zeInit(ZE_INIT_FLAG_GPU_ONLY);
  if (rc != ZE_RESULT_SUCCESS) {
    g_snprintf(reason, reason_len, "no Level Zero driver (zeInit: 0x%x)", (unsigned)rc);
    goto fail;
  }
  uint32_t ndrv = 0;
  rc = ze->zeDriverGet(&ndrv, NULL);
  if (rc != ZE_RESULT_SUCCESS || ndrv == 0) {
    g_snprintf(reason, reason_len, "no Level Zero driver (zeDriverGet found none)");
    goto fail;
  }
  ze_driver_handle_t *drivers = g_new0(ze_driver_handle_t, ndrv);
  ze->zeDriverGet(&ndrv, drivers);
  GArray *devs = g_array_new(FALSE, FALSE, sizeof(ze_device_handle_t));
  GArray *caps = g_array_new(FALSE, TRUE, sizeof(cw_device_caps));
  for (uint32_t d = 0; d < ndrv; d++) {
    uint32_t n = 0;
    if (ze->zeDeviceGet(drivers[d], &n, NULL) != ZE_RESULT_SUCCESS || n == 0) continue;
    ze_device_handle_t *h = g_new0(ze_device_handle_t, n);
    ze->zeDeviceGet(drivers[d], &n, h);
    for (uint32_t i = 0; i < n; i++) {
      cw_device_caps c;
      fill_caps(ze, drivers[d], h[i], &c);
      g_array_append_val(devs, h[i]);
      g_array_append_val(caps, c);
    }
    g_free(h);
  }
  g_free(drivers);
  be->count = (int)devs->len;
  be->devices = (ze_device_handle_t *)g_array_free(devs, FALSE);
  be->caps = (cw_device_caps *)g_array_free(caps, FALSE);
  if (be->count == 0) {
    g_snprintf(reason, reason_len, "Level Zero drivers have no GPU device");
    goto fail;
  }
  *out = be;
  return CW_OK;
fail:
  levelzero_shutdown(be);
  return CW_ERR_NO_DEVICE;
}

void levelzero_shutdown(cw_backend *be) {
  if (!be) return;
  /* The loader is left open: Level Zero has no teardown and unloading it can crash drivers. */
  g_free(be->devices);
  g_free(be->caps);
  g_free(be);
}

int levelzero_device_count(cw_backend *be) { return be ? be->count : 0; }

cw_status levelzero_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (!be || dev < 0 || dev >= be->count || !caps) return CW_ERR_INVALID_VALUE;
  uint32_t size = caps->struct_size < sizeof *caps ? caps->struct_size : sizeof *caps;
  memcpy(caps, &be->caps[dev], size);
  caps->struct_size = size;
  return CW_OK;
}
