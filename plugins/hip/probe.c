/* probe.c — AMD GPUs through the HIP runtime, dlopened at probe time.
 *
 * Only entry points whose signatures are the same in every ROCm release are used: the device
 * name and memory are queried; hipDeviceAttribute_t values changed between ROCm 4 and 5, so the
 * remaining limits are the values common to all GCN/CDNA/RDNA GPUs (wave size 64 is the GCN/CDNA
 * value; RDNA runs wave32 too). */
#include "hip-plugin.h"

#include <dlfcn.h>
#include <string.h>

#include <glib.h>

static const char *const libhip_names[] = {"libamdhip64.so", "libamdhip64.so.6", "libamdhip64.so.5",
                                           NULL};

static bool load_symbols(hip_runtime *rt, char *reason, size_t reason_len) {
  for (const char *const *n = libhip_names; *n && !rt->lib; n++) {
    rt->lib = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
    rt->soname = *n;
  }
  if (!rt->lib) {
    g_snprintf(reason, reason_len, "HIP runtime not found (looked for libamdhip64.so, .so.6, .so.5)");
    return false;
  }
#define SYM(field, name)                                                                         \
  if (!(*(void **)&rt->field = dlsym(rt->lib, name))) {                                          \
    g_snprintf(reason, reason_len, "%s lacks %s", rt->soname, name);                             \
    return false;                                                                                \
  }
  SYM(hipInit, "hipInit");
  SYM(hipGetDeviceCount, "hipGetDeviceCount");
  SYM(hipDeviceGetName, "hipDeviceGetName");
  SYM(hipDeviceTotalMem, "hipDeviceTotalMem");
  SYM(hipRuntimeGetVersion, "hipRuntimeGetVersion");
  SYM(hipGetErrorString, "hipGetErrorString");
#undef SYM
  return true;
}

static void fill_caps(hip_runtime *rt, int dev, int version, cw_device_caps *c) {
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  rt->hipDeviceGetName(c->name, (int)sizeof c->name, dev);
  g_strlcpy(c->vendor, "AMD", sizeof c->vendor);
  g_snprintf(c->driver, sizeof c->driver, "HIP runtime %d.%d (%s)", version / 10000000,
             (version / 100000) % 100, rt->soname);
  g_strlcpy(c->arch, "amdgpu", sizeof c->arch);
  size_t mem = 0;
  rt->hipDeviceTotalMem(&mem, dev);
  c->global_mem_bytes = mem;
  c->max_threads_per_block = 1024;
  c->max_block_dim[0] = 1024, c->max_block_dim[1] = 1024, c->max_block_dim[2] = 1024;
  c->max_grid_dim[0] = 0x7fffffff, c->max_grid_dim[1] = 65535, c->max_grid_dim[2] = 65535;
  c->shared_mem_per_block = c->shared_mem_per_block_optin = 64 * 1024;
  c->const_mem_bytes = 64 * 1024;
  c->subgroup_size = 64;
  c->cc_major = 9, c->cc_minor = 0;
  c->flags = CW_CAP_FP64 | CW_CAP_INT64 | CW_CAP_FP16 | CW_CAP_INT8_16 | CW_CAP_ATOMIC_INT32 |
             CW_CAP_ATOMIC_INT64 | CW_CAP_ATOMIC_FLOAT32 | CW_CAP_SUBGROUPS |
             CW_CAP_REAL_POINTERS | CW_CAP_PRINTF | CW_CAP_MANAGED;
}

cw_status hip_probe(const cw_config_section *config, cw_backend **out, char *reason,
                    size_t reason_len) {
  *out = NULL;
  cw_backend *be = g_new0(cw_backend, 1);
  hip_runtime *rt = &be->rt;
  cw_status st = CW_ERR_NO_DEVICE;
  if (!load_symbols(rt, reason, reason_len)) goto fail;
  int rc = rt->hipInit(0);
  if (rc != 0) {
    g_snprintf(reason, reason_len, "no AMD GPU: hipInit failed: %s (%d)", rt->hipGetErrorString(rc),
               rc);
    goto fail;
  }
  int count = 0;
  rc = rt->hipGetDeviceCount(&count);
  if (rc != 0 || count <= 0) {
    g_snprintf(reason, reason_len, "no AMD GPU (%s)",
               rc ? rt->hipGetErrorString(rc) : "hipGetDeviceCount returned 0");
    goto fail;
  }
  int64_t only = cw_config_get_int(config, "device", -1);
  if (only >= count) {
    g_snprintf(reason, reason_len, "hip.device = %" G_GINT64_FORMAT ", but there are %d device(s)",
               only, count);
    st = CW_ERR_INVALID_VALUE;
    goto fail;
  }
  int version = 0;
  rt->hipRuntimeGetVersion(&version);
  be->count = only >= 0 ? 1 : count;
  be->caps = g_new0(cw_device_caps, be->count);
  for (int i = 0; i < be->count; i++) fill_caps(rt, only >= 0 ? (int)only : i, version, &be->caps[i]);
  *out = be;
  return CW_OK;
fail:
  hip_shutdown(be);
  return st;
}

void hip_shutdown(cw_backend *be) {
  if (!be) return;
  if (be->rt.lib) dlclose(be->rt.lib);
  g_free(be->caps);
  g_free(be);
}

int hip_device_count(cw_backend *be) { return be ? be->count : 0; }

cw_status hip_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (!be || dev < 0 || dev >= be->count || !caps) return CW_ERR_INVALID_VALUE;
  uint32_t size = caps->struct_size < sizeof *caps ? caps->struct_size : sizeof *caps;
  memcpy(caps, &be->caps[dev], size);
  caps->struct_size = size;
  return CW_OK;
}
