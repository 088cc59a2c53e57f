/* probe.c — every OpenCL platform and device (optionally narrowed by the config's `platform`
 * name or index and `device` index), with capabilities from device queries and extensions;
 * the per-device context and default queue, created on first use. */
#include "opencl-plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define CW_CL_PLATFORM_NOT_FOUND_KHR (-1001) /* cl_khr_icd: the ICD loader found no platform */

static GMutex live_lock;
static GPtrArray *live;  /* backends probed and not shut down, oldest first */

static char *device_string(cl_device_id d, cl_device_info what) {
  size_t n = 0;
  if (clGetDeviceInfo(d, what, 0, NULL, &n) != CL_SUCCESS || n == 0) return g_strdup("");
  char *s = g_malloc0(n + 1);
  clGetDeviceInfo(d, what, n, s, NULL);
  return s;
}

static char *platform_string(cl_platform_id p, cl_platform_info what) {
  size_t n = 0;
  if (clGetPlatformInfo(p, what, 0, NULL, &n) != CL_SUCCESS || n == 0) return g_strdup("");
  char *s = g_malloc0(n + 1);
  clGetPlatformInfo(p, what, n, s, NULL);
  return s;
}

static cl_uint platform_major(cl_platform_id p) {
  char *v = platform_string(p, CL_PLATFORM_VERSION);
  unsigned major = 1;
  sscanf(v, "OpenCL %u", &major);
  g_free(v);
  return major;
}

static uint64_t device_u64(cl_device_id d, cl_device_info what, size_t size) {
  uint64_t v = 0; /* little-endian: a narrower value lands in the low bytes */
  if (clGetDeviceInfo(d, what, size, &v, NULL) != CL_SUCCESS) return 0;
  return v;
}

static bool has_ext(const char *exts, const char *name) {
  size_t len = strlen(name);
  for (const char *p = exts; (p = strstr(p, name)); p += len)
    if ((p == exts || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0')) return true;
  return false;
}

/* Whether the device runs the 32 work-items of a CUDA warp in step, as warp-synchronous code
 * without __syncwarp expects.  CPU devices (PoCL and the like) run work-items one after another
 * between barriers; of the GPUs, NVIDIA's warps (32) and AMD's wavefronts (32 or 64) hold a whole
 * warp, while others (Intel: SIMD 8 or 16 unless a kernel asks otherwise) may split it. */
static bool ocl_lanes_in_step(cl_device_type type, cl_uint vendor_id) {
  if (!(type & CL_DEVICE_TYPE_GPU)) return false;
  return vendor_id == 0x10de /* NVIDIA */ || vendor_id == 0x1002 /* AMD */;
}

/* The config's `svm`: auto (default), or a boolean. */
typedef enum { OCL_SVM_AUTO, OCL_SVM_ON, OCL_SVM_OFF } ocl_svm_choice;

static bool parse_svm(const char *v, ocl_svm_choice *out) {
  static const char *const on[] = {"true", "yes", "on", NULL}, *const off[] = {"false", "no", "off", NULL};
  if (!v || !g_ascii_strcasecmp(v, "auto")) return *out = OCL_SVM_AUTO, true;
  for (int i = 0; on[i]; i++)
    if (!g_ascii_strcasecmp(v, on[i])) return *out = OCL_SVM_ON, true;
  for (int i = 0; off[i]; i++)
    if (!g_ascii_strcasecmp(v, off[i])) return *out = OCL_SVM_OFF, true;
  return false;
}

/* Whether a device with these SVM capabilities uses the SVM address model.  auto: only with
 * fine-grained buffer SVM, where managed memory is simply a shared block.  With coarse-grained SVM
 * alone (NVIDIA), managed memory must be emulated by copies (core/runtime/managed.c), which maps
 * host memory at the device address: SVM addresses there lie in the driver's own reservation, so
 * only the buffer model's addresses (libcw's reservation) allow it.  `svm: true` takes SVM there
 * anyway, without managed memory. */
static bool svm_chosen(ocl_svm_choice want, cl_device_svm_capabilities svm) {
  if (want == OCL_SVM_OFF || !(svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER)) return false;
  return want == OCL_SVM_ON || (svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER);
}

static void fill_caps(cl_dev *dev, cw_device_caps *c, ocl_svm_choice want_svm) {
  cl_device_id d = dev->id;
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  char *name = device_string(d, CL_DEVICE_NAME), *vendor = device_string(d, CL_DEVICE_VENDOR);
  char *version = device_string(d, CL_DEVICE_VERSION), *drv = device_string(d, CL_DRIVER_VERSION);
  char *clc = device_string(d, CL_DEVICE_OPENCL_C_VERSION);
  char *exts = device_string(d, CL_DEVICE_EXTENSIONS), *profile = device_string(d, CL_DEVICE_PROFILE);
  g_strlcpy(c->name, g_strstrip(name), sizeof c->name);
  g_strlcpy(c->vendor, g_strstrip(vendor), sizeof c->vendor);
  g_snprintf(c->driver, sizeof c->driver, "%s, driver %s", g_strstrip(version), g_strstrip(drv));
  /* "OpenCL C 1.2 pocl" → "opencl-c-1.2" */
  unsigned major = 1, minor = 2;
  sscanf(clc, "OpenCL C %u.%u", &major, &minor);
  g_snprintf(c->arch, sizeof c->arch, "opencl-c-%u.%u", major, minor);
  c->global_mem_bytes = device_u64(d, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof(cl_ulong));
  c->compute_units = (uint32_t)device_u64(d, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof(cl_uint));
  c->clock_mhz = (uint32_t)device_u64(d, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof(cl_uint));
  c->l2_cache_bytes = device_u64(d, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE, sizeof(cl_ulong));
  /* CUDA's limits (1024 threads, z <= 64) where the device allows more: programs size their
   * blocks from them, and some check that a larger block is rejected */
  static const uint32_t cuda_dim[3] = {1024, 1024, 64};
  size_t wg = (size_t)device_u64(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof(size_t));
  c->max_threads_per_block = wg > 1024 ? 1024 : (uint32_t)wg;
  size_t items[3] = {0, 0, 0};
  clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof items, items, NULL);
  dev->max_alloc = device_u64(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(cl_ulong));
  dev->unified = device_u64(d, CL_DEVICE_HOST_UNIFIED_MEMORY, sizeof(cl_bool)) != 0;
  for (int i = 0; i < 3; i++) {
    c->max_block_dim[i] = items[i] > cuda_dim[i] ? cuda_dim[i] : (uint32_t)items[i];
    c->max_grid_dim[i] = i == 0 ? 0x7fffffff : 65535; /* OpenCL has no grid limit below size_t */
  }
  c->shared_mem_per_block = c->shared_mem_per_block_optin =
      device_u64(d, CL_DEVICE_LOCAL_MEM_SIZE, sizeof(cl_ulong));
  c->const_mem_bytes = device_u64(d, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE, sizeof(cl_ulong));
  c->subgroup_size = 32;  /* warps are emulated 32 wide (prelude.c) */
  c->cc_major = 9, c->cc_minor = 0;

  c->flags = CW_CAP_INT8_16 | CW_CAP_ATOMIC_INT32;
  if (strcmp(g_strstrip(profile), "FULL_PROFILE") == 0 || has_ext(exts, "cles_khr_int64"))
    c->flags |= CW_CAP_INT64;
  if (has_ext(exts, "cl_khr_fp64") || device_u64(d, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof(cl_ulong)))
    c->flags |= CW_CAP_FP64;
  if (has_ext(exts, "cl_khr_fp16")) c->flags |= CW_CAP_FP16;
  if (has_ext(exts, "cl_khr_int64_base_atomics")) c->flags |= CW_CAP_ATOMIC_INT64;
  if (has_ext(exts, "cl_ext_float_atomics")) c->flags |= CW_CAP_ATOMIC_FLOAT32;
  /* subgroups: the extensions, or OpenCL 3.0's optional feature (max sub-groups > 0) */
  cl_uint max_sg = major >= 2 ? (cl_uint)device_u64(d, CL_DEVICE_MAX_NUM_SUB_GROUPS, sizeof(cl_uint)) : 0;
  if (has_ext(exts, "cl_khr_subgroups") || has_ext(exts, "cl_intel_subgroups") || max_sg > 0)
    c->flags |= CW_CAP_SUBGROUPS;
  if (major > 1 || minor >= 2) c->flags |= CW_CAP_PRINTF;
  /* SVM (OpenCL 2.0+; optional in 3.0): coarse-grained buffer SVM is enough for the SVM address
   * model (opencl-plugin.h), where device addresses are real pointers; kernels stay OpenCL C 1.2
   * with __global pointers, which need no generic address space */
  char *dver = device_string(d, CL_DEVICE_VERSION);
  unsigned dmaj = 1;
  sscanf(dver, "OpenCL %u", &dmaj);
  g_free(dver);
  dev->svm = dmaj >= 2 && dev->cl_major >= 2
                 ? (cl_device_svm_capabilities)device_u64(d, CL_DEVICE_SVM_CAPABILITIES,
                                                          sizeof(cl_device_svm_capabilities)) : 0;
  dev->svm_mode = svm_chosen(want_svm, dev->svm);
  if (dev->svm_mode) c->flags |= CW_CAP_REAL_POINTERS;
  /* what --list-backends shows of it: the kind of SVM and the address model in use */
  size_t dl = strlen(c->driver);
  g_snprintf(c->driver + dl, sizeof c->driver - dl, ", SVM %s%s%s, %s",
             dev->svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER ? "coarse" : "none",
             dev->svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER ? "+fine" : "",
             dev->svm & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM ? "+system" : "",
             dev->svm_mode ? "real pointers" : "buffers + offsets");
  cl_device_type type = (cl_device_type)device_u64(d, CL_DEVICE_TYPE, sizeof(cl_device_type));
  dev->lanes_in_step = ocl_lanes_in_step(type, (cl_uint)device_u64(d, CL_DEVICE_VENDOR_ID, sizeof(cl_uint)));
  if (type & CL_DEVICE_TYPE_CPU) c->flags |= CW_CAP_HOST_CPU;  /* PoCL's pthread device */
  /* managed memory (memory.c): fine-grained SVM, or host memory wrapped in buffers */
  if (dev->svm_mode ? (dev->svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER) != 0 : dev->unified)
    c->flags |= CW_CAP_MANAGED;
  dev->driver_key = g_strdup_printf("%s|%s|%s", c->name, c->vendor, c->driver);
  g_free(name), g_free(vendor), g_free(version), g_free(drv), g_free(clc), g_free(exts);
  g_free(profile);
}

cw_status opencl_probe(const cw_config_section *config, cw_backend **out, char *reason,
                       size_t reason_len) {
  *out = NULL;
  cl_uint nplat = 0;
  cl_int rc = clGetPlatformIDs(0, NULL, &nplat);
  if (rc == CW_CL_PLATFORM_NOT_FOUND_KHR || (rc == CL_SUCCESS && nplat == 0)) {
    g_snprintf(reason, reason_len, "no OpenCL platform (no ICD in /etc/OpenCL/vendors?)");
    return CW_ERR_NO_DEVICE;
  }
  if (rc != CL_SUCCESS) {
    g_snprintf(reason, reason_len, "clGetPlatformIDs failed (%d)", (int)rc);
    return CW_ERR_NO_DEVICE;
  }
  cl_platform_id *plats = g_new0(cl_platform_id, nplat);
  clGetPlatformIDs(nplat, plats, NULL);
  const char *want_platform = cw_config_get_string(config, "platform", NULL);
  int64_t want_device = cw_config_get_int(config, "device", -1);
  GArray *devs = g_array_new(FALSE, TRUE, sizeof(cl_dev));
  int matched_platforms = 0;
  /* `platform`: a number is an index, anything else a piece of the name */
  char *endp = NULL;
  long want_index = want_platform ? strtol(want_platform, &endp, 10) : -1;
  bool by_index = want_platform && *want_platform && endp && *endp == '\0';
  for (cl_uint p = 0; p < nplat; p++) {
    char *pname = platform_string(plats[p], CL_PLATFORM_NAME);
    bool match = !want_platform || (by_index ? (long)p == want_index : strstr(pname, want_platform) != NULL);
    g_free(pname);
    if (!match) continue;
    matched_platforms++;
    cl_uint n = 0;
    if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n) != CL_SUCCESS || n == 0) continue;
    cl_device_id *ids = g_new0(cl_device_id, n);
    clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, n, ids, NULL);
    for (cl_uint i = 0; i < n; i++) {
      cl_dev d = {.platform = plats[p], .id = ids[i], .cl_major = platform_major(plats[p])};
      g_array_append_val(devs, d);
    }
    g_free(ids);
  }
  g_free(plats);
  cw_backend *be = g_new0(cw_backend, 1);
  if (want_device >= 0) {
    if (want_device >= (int64_t)devs->len) {
      g_snprintf(reason, reason_len, "opencl.device = %" G_GINT64_FORMAT ", but there are %u device(s)",
                 want_device, devs->len);
      g_array_free(devs, TRUE);
      g_free(be);
      return CW_ERR_INVALID_VALUE;
    }
    cl_dev only = g_array_index(devs, cl_dev, want_device);
    g_array_set_size(devs, 1);
    g_array_index(devs, cl_dev, 0) = only;
  }
  be->count = (int)devs->len;
  be->devices = (cl_dev *)g_array_free(devs, FALSE);
  if (be->count == 0) {
    if (want_platform && matched_platforms == 0)
      g_snprintf(reason, reason_len, "no OpenCL platform matches opencl.platform = '%s'", want_platform);
    else
      g_snprintf(reason, reason_len, "OpenCL platforms have no device");
    opencl_shutdown(be);
    return CW_ERR_NO_DEVICE;
  }
  ocl_svm_choice want_svm;
  const char *svm_value = cw_config_get_string(config, "svm", NULL);
  if (!parse_svm(svm_value, &want_svm)) {
    g_snprintf(reason, reason_len, "opencl.svm = '%s': expected auto, true or false", svm_value);
    opencl_shutdown(be);
    return CW_ERR_INVALID_VALUE;
  }
  for (int i = 0; i < be->count; i++) fill_caps(&be->devices[i], &be->devices[i].caps, want_svm);
  be->addrs = cw_addr_table_new();
  be->streams = g_ptr_array_new();
  be->host_allocs = g_ptr_array_new();
  be->pool = g_ptr_array_new();
  g_mutex_init(&be->lock);
  g_mutex_lock(&live_lock);
  if (!live) live = g_ptr_array_new();
  g_ptr_array_add(live, be);
  g_mutex_unlock(&live_lock);
  *out = be;
  return CW_OK;
}

cw_backend *ocl_default_backend(void) {
  g_mutex_lock(&live_lock);
  cw_backend *be = live && live->len ? live->pdata[0] : NULL;
  g_mutex_unlock(&live_lock);
  return be;
}

cw_status ocl_dev_context(cw_backend *be, int dev, char *err, size_t err_len) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  cl_dev *d = &be->devices[dev];
  cw_status st = CW_OK;
  g_mutex_lock(&be->lock);
  if (!d->ctx) {
    cl_int rc;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)d->platform, 0};
    d->ctx = clCreateContext(props, 1, &d->id, NULL, NULL, &rc);
    if (rc != CL_SUCCESS || !d->ctx) {
      d->ctx = NULL;
      g_snprintf(err, err_len, "clCreateContext: %s", ocl_error_name(rc));
      st = CW_ERR_DRIVER;
    }
  }
  g_mutex_unlock(&be->lock);
  if (st == CW_OK && !d->dflt) {
    cl_int rc = CL_SUCCESS;
    cw_stream *s = ocl_stream_new(be, dev, true, &rc);
    g_mutex_lock(&be->lock);
    if (!s) {
      g_snprintf(err, err_len, "creating a command queue: %s", ocl_error_name(rc));
      st = CW_ERR_DRIVER;
    } else if (!d->dflt) {
      d->dflt = s;
      s = NULL;
    }
    g_mutex_unlock(&be->lock);
    if (s) ocl_stream_free(s);  /* another thread was first */
  }
  return st;
}

void opencl_shutdown(cw_backend *be) {
  if (!be) return;
  g_mutex_lock(&live_lock);
  if (live) g_ptr_array_remove(live, be);
  g_mutex_unlock(&live_lock);
  if (be->pool) {
    ocl_pool_drain(be);
    g_ptr_array_free(be->pool, TRUE);
  }
  for (int i = 0; i < be->count; i++) {
    cl_dev *d = &be->devices[i];
    if (d->dflt) ocl_stream_free(d->dflt);
  }
  if (be->streams) {
    while (be->streams->len) ocl_stream_free(be->streams->pdata[be->streams->len - 1]);
    g_ptr_array_free(be->streams, TRUE);
  }
  ocl_svm_free_all(be);  /* before their contexts */
  for (int i = 0; i < be->count; i++) {
    cl_dev *d = &be->devices[i];
    if (d->ctx) clReleaseContext(d->ctx);
    g_free(d->driver_key);
  }
  if (be->addrs) cw_addr_table_free(be->addrs);  /* buffers die with their contexts */
  if (be->host_allocs) g_ptr_array_free(be->host_allocs, TRUE);
  if (be->tex_cache) g_array_free(be->tex_cache, TRUE);
  g_mutex_clear(&be->lock);
  g_free(be->devices);
  g_free(be);
}

const char *ocl_error_name(cl_int rc) {
  switch (rc) {
#define E(x) case x: return #x;
  E(CL_SUCCESS) E(CL_DEVICE_NOT_FOUND) E(CL_DEVICE_NOT_AVAILABLE) E(CL_COMPILER_NOT_AVAILABLE)
  E(CL_MEM_OBJECT_ALLOCATION_FAILURE) E(CL_OUT_OF_RESOURCES) E(CL_OUT_OF_HOST_MEMORY)
  E(CL_PROFILING_INFO_NOT_AVAILABLE) E(CL_MEM_COPY_OVERLAP) E(CL_BUILD_PROGRAM_FAILURE)
  E(CL_INVALID_VALUE) E(CL_INVALID_DEVICE) E(CL_INVALID_CONTEXT) E(CL_INVALID_COMMAND_QUEUE)
  E(CL_INVALID_MEM_OBJECT) E(CL_INVALID_BINARY) E(CL_INVALID_BUILD_OPTIONS)
  E(CL_INVALID_PROGRAM) E(CL_INVALID_PROGRAM_EXECUTABLE) E(CL_INVALID_KERNEL_NAME)
  E(CL_INVALID_KERNEL) E(CL_INVALID_ARG_INDEX) E(CL_INVALID_ARG_VALUE) E(CL_INVALID_ARG_SIZE)
  E(CL_INVALID_KERNEL_ARGS) E(CL_INVALID_WORK_DIMENSION) E(CL_INVALID_WORK_GROUP_SIZE)
  E(CL_INVALID_WORK_ITEM_SIZE) E(CL_INVALID_GLOBAL_OFFSET) E(CL_INVALID_EVENT)
  E(CL_INVALID_OPERATION) E(CL_INVALID_BUFFER_SIZE) E(CL_INVALID_GLOBAL_WORK_SIZE)
  E(CL_MISALIGNED_SUB_BUFFER_OFFSET) E(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
#undef E
  default: return "unknown OpenCL error";
  }
}

int opencl_device_count(cw_backend *be) { return be ? be->count : 0; }

cw_status opencl_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (!be || dev < 0 || dev >= be->count || !caps) return CW_ERR_INVALID_VALUE;
  uint32_t size = caps->struct_size < sizeof *caps ? caps->struct_size : sizeof *caps;
  memcpy(caps, &be->devices[dev].caps, size);
  caps->struct_size = size;
  return CW_OK;
}
