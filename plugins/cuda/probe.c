/* probe.c — CUDA devices through the driver API, opened with dlopen at probe time (no CUDA
 * toolkit or driver is needed to build or load this plugin), and NVRTC, without which no kernel
 * can be compiled: a driver without NVRTC is reported as no usable device. */
#include "cuda-plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* Driver API values used here (cuda.h, stable since CUDA 4). */
enum {
  CU_ATTR_MAX_THREADS_PER_BLOCK = 1, CU_ATTR_MAX_BLOCK_DIM_X = 2, CU_ATTR_MAX_BLOCK_DIM_Y = 3,
  CU_ATTR_MAX_BLOCK_DIM_Z = 4, CU_ATTR_MAX_GRID_DIM_X = 5, CU_ATTR_MAX_GRID_DIM_Y = 6,
  CU_ATTR_MAX_GRID_DIM_Z = 7, CU_ATTR_MAX_SHARED_MEMORY_PER_BLOCK = 8,
  CU_ATTR_TOTAL_CONSTANT_MEMORY = 9, CU_ATTR_WARP_SIZE = 10, CU_ATTR_CLOCK_RATE = 13,
  CU_ATTR_MULTIPROCESSOR_COUNT = 16, CU_ATTR_MEMORY_CLOCK_RATE = 36,
  CU_ATTR_GLOBAL_MEMORY_BUS_WIDTH = 37, CU_ATTR_L2_CACHE_SIZE = 38,
  CU_ATTR_COMPUTE_CAPABILITY_MAJOR = 75, CU_ATTR_COMPUTE_CAPABILITY_MINOR = 76,
  CU_ATTR_UNIFIED_ADDRESSING = 41, CU_ATTR_MANAGED_MEMORY = 83,
  CU_ATTR_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97,
};

static int attr(cuda_driver *d, CUdevice dev, int a) {
  int v = 0;
  return d->cuDeviceGetAttribute(&v, a, dev) == 0 ? v : 0;
}

static void fill_caps(cuda_driver *d, CUdevice dev, cw_device_caps *c) {
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  d->cuDeviceGetName(c->name, (int)sizeof c->name, dev);
  g_strlcpy(c->vendor, "NVIDIA", sizeof c->vendor);
  g_snprintf(c->driver, sizeof c->driver, "CUDA driver %d.%d", d->version / 1000,
             (d->version % 1000) / 10);
  size_t mem = 0;
  d->cuDeviceTotalMem(&mem, dev);
  c->global_mem_bytes = mem;
  c->cc_major = (uint32_t)attr(d, dev, CU_ATTR_COMPUTE_CAPABILITY_MAJOR);
  c->cc_minor = (uint32_t)attr(d, dev, CU_ATTR_COMPUTE_CAPABILITY_MINOR);
  g_snprintf(c->arch, sizeof c->arch, "sm_%u%u", c->cc_major, c->cc_minor);
  c->compute_units = (uint32_t)attr(d, dev, CU_ATTR_MULTIPROCESSOR_COUNT);
  c->clock_mhz = (uint32_t)attr(d, dev, CU_ATTR_CLOCK_RATE) / 1000;
  c->mem_clock_mhz = (uint32_t)attr(d, dev, CU_ATTR_MEMORY_CLOCK_RATE) / 1000;
  c->mem_bus_width = (uint32_t)attr(d, dev, CU_ATTR_GLOBAL_MEMORY_BUS_WIDTH);
  c->l2_cache_bytes = (uint64_t)attr(d, dev, CU_ATTR_L2_CACHE_SIZE);
  c->max_threads_per_block = (uint32_t)attr(d, dev, CU_ATTR_MAX_THREADS_PER_BLOCK);
  c->max_block_dim[0] = (uint32_t)attr(d, dev, CU_ATTR_MAX_BLOCK_DIM_X);
  c->max_block_dim[1] = (uint32_t)attr(d, dev, CU_ATTR_MAX_BLOCK_DIM_Y);
  c->max_block_dim[2] = (uint32_t)attr(d, dev, CU_ATTR_MAX_BLOCK_DIM_Z);
  c->max_grid_dim[0] = (uint32_t)attr(d, dev, CU_ATTR_MAX_GRID_DIM_X);
  c->max_grid_dim[1] = (uint32_t)attr(d, dev, CU_ATTR_MAX_GRID_DIM_Y);
  c->max_grid_dim[2] = (uint32_t)attr(d, dev, CU_ATTR_MAX_GRID_DIM_Z);
  c->shared_mem_per_block = (uint64_t)attr(d, dev, CU_ATTR_MAX_SHARED_MEMORY_PER_BLOCK);
  c->shared_mem_per_block_optin = (uint64_t)attr(d, dev, CU_ATTR_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
  if (c->shared_mem_per_block_optin < c->shared_mem_per_block)
    c->shared_mem_per_block_optin = c->shared_mem_per_block;
  c->const_mem_bytes = (uint64_t)attr(d, dev, CU_ATTR_TOTAL_CONSTANT_MEMORY);
  c->subgroup_size = (uint32_t)attr(d, dev, CU_ATTR_WARP_SIZE);
  c->flags = CW_CAP_FP64 | CW_CAP_INT64 | CW_CAP_INT8_16 | CW_CAP_ATOMIC_INT32 |
             CW_CAP_ATOMIC_INT64 | CW_CAP_ATOMIC_FLOAT32 | CW_CAP_SUBGROUPS |
             CW_CAP_REAL_POINTERS | CW_CAP_PRINTF;
  if (c->cc_major >= 6) c->flags |= CW_CAP_ATOMIC_FLOAT64;
  if (c->cc_major > 5 || (c->cc_major == 5 && c->cc_minor >= 3)) c->flags |= CW_CAP_FP16;
  if (c->cc_major >= 7) c->flags |= CW_CAP_INDEPENDENT_THREADS;
  /* Managed memory must have one address on host and device (the runtime checks it). */
  if (attr(d, dev, CU_ATTR_MANAGED_MEMORY) && attr(d, dev, CU_ATTR_UNIFIED_ADDRESSING))
    c->flags |= CW_CAP_MANAGED;
}

cw_status cuda_probe(const cw_config_section *config, cw_backend **out, char *reason,
                     size_t reason_len) {
  *out = NULL;
  const char *nvrtc_path = cw_config_get_string(config, "nvrtc", NULL);
  cuda_transpiler_set_nvrtc_path(nvrtc_path);
  const char *arch = cw_config_get_string(config, "arch", NULL);
  if (arch) {
    /* "sm_80", "compute_80" or "80" */
    const char *digits = strchr(arch, '_') ? strchr(arch, '_') + 1 : arch;
    int cc = atoi(digits);
    if (cc < 10 || cc > 1000) {
      g_snprintf(reason, reason_len, "cuda.arch = '%s' is not an architecture like sm_90", arch);
      return CW_ERR_INVALID_VALUE;
    }
    cuda_transpiler_set_default_arch(cc);
  }
  cw_backend *be = g_new0(cw_backend, 1);
  g_mutex_init(&be->lock);
  cuda_driver *d = &be->driver;
  cw_status st = CW_ERR_NO_DEVICE;
  char why[768] = "";
  if (!cuda_driver_open(d, cw_config_get_string(config, "driver", NULL), why, sizeof why)) goto fail;
  CUresult rc = d->cuInit(0);
  if (rc != CUDA_SUCCESS) {
    /* CUDA_ERROR_NO_DEVICE: the driver library is there but no GPU is. */
    char text[256];
    cuda_error_text(d, rc, text, sizeof text);
    g_snprintf(why, sizeof why, "cuInit failed: %s", text);
    goto fail;
  }
  d->cuDriverGetVersion(&d->version);
  int count = 0;
  rc = d->cuDeviceGetCount(&count);
  if (rc != CUDA_SUCCESS || count <= 0) {
    char text[256] = "cuDeviceGetCount found none";
    if (rc != CUDA_SUCCESS) cuda_error_text(d, rc, text, sizeof text);
    g_snprintf(why, sizeof why, "no CUDA device (%s)", text);
    goto fail;
  }
  /* Config `device`: use only that ordinal. */
  int64_t only = cw_config_get_int(config, "device", -1);
  if (only >= count) {
    g_snprintf(why, sizeof why, "cuda.device = %" G_GINT64_FORMAT ", but there are %d device(s)",
               only, count);
    st = CW_ERR_INVALID_VALUE;
    goto fail;
  }
  be->nvrtc = cuda_nvrtc_get(nvrtc_path, why, sizeof why);
  if (!be->nvrtc) {
    char found[900];
    g_snprintf(found, sizeof found, "%d CUDA device(s), but kernels cannot be compiled: %s", count,
               why);
    g_strlcpy(why, found, sizeof why);
    goto fail;
  }
  if (be->nvrtc->major * 1000 > d->version)
    cw_log(CW_LOG_WARN, "cuda", "NVRTC %d.%d (%s) is newer than the driver (CUDA %d.%d): the "
           "driver may refuse what it compiles", be->nvrtc->major, be->nvrtc->minor,
           be->nvrtc->path, d->version / 1000, (d->version % 1000) / 10);
  be->count = only >= 0 ? 1 : MIN(count, CUDA_MAX_DEVICES);
  be->caps = g_new0(cw_device_caps, be->count);
  for (int i = 0; i < be->count; i++) {
    if (d->cuDeviceGet(&be->devices[i], only >= 0 ? (int)only : i) != CUDA_SUCCESS) {
      g_snprintf(why, sizeof why, "cuDeviceGet(%d) failed", only >= 0 ? (int)only : i);
      st = CW_ERR_DRIVER;
      goto fail;
    }
    fill_caps(d, be->devices[i], &be->caps[i]);
  }
  be->allocs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
  *out = be;
  return CW_OK;
fail:
  if (st == CW_ERR_NO_DEVICE && !be->nvrtc) {
    /* Say whether compiling (cwrun --emit=ptx) still works without a device. */
    char ignored[8];
    const cuda_nvrtc *n = cuda_nvrtc_get(nvrtc_path, ignored, sizeof ignored);
    if (n && !strstr(why, "kernels cannot be compiled"))
      g_snprintf(reason, reason_len, "%s; NVRTC %d.%d (%s) can still compile (--emit=ptx)", why,
                 n->major, n->minor, n->path);
    else
      g_strlcpy(reason, why, reason_len);
  } else {
    g_strlcpy(reason, why, reason_len);
  }
  cuda_shutdown(be);
  return st;
}

void cuda_shutdown(cw_backend *be) {
  if (!be) return;
  cuda_driver *d = &be->driver;
  if (be->allocs) {
    /* What the runtime did not free goes with the contexts; only the table is ours. */
    g_hash_table_destroy(be->allocs);
  }
  for (int i = 0; i < be->count; i++)
    if (be->contexts[i]) d->cuDevicePrimaryCtxRelease(be->devices[i]);
  if (d->lib) cuda_driver_close(d);
  g_mutex_clear(&be->lock);
  g_free(be->caps);
  g_free(be);
}

int cuda_device_count(cw_backend *be) { return be ? be->count : 0; }

cw_status cuda_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (!be || dev < 0 || dev >= be->count || !caps) return CW_ERR_INVALID_VALUE;
  uint32_t size = caps->struct_size < sizeof *caps ? caps->struct_size : sizeof *caps;
  memcpy(caps, &be->caps[dev], size);
  caps->struct_size = size;
  return CW_OK;
}
