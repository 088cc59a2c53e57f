/* device.c — devices: count, selection, properties and attributes (from the backend's
 * cw_device_caps), synchronization, reset, flags, cache/shared-memory configuration, limits. */
#include <limits.h>
#include <string.h>

#include "runtime/rt_internal.h"
#include "shim/cuda_profiler_api.h"

static cw_rt_backend *B(void) { return &cw_rt_get()->backend; }

static int clamp_int(uint64_t v) { return v > INT_MAX ? INT_MAX : (int)v; }

/* CUDA reports figures the plugin ABI does not carry; these models keep them consistent with the
 * caps: an SM holds at least two full blocks' worth of threads (2048 on current GPUs) and as much
 * shared memory as one block may opt in to, plus 1 KiB reserved. */
uint32_t cw_rt_threads_per_sm(const cw_device_caps *caps) {
  uint32_t t = caps->max_threads_per_block * 2;
  return t < 2048 ? 2048 : t;
}

uint64_t cw_rt_shared_per_sm(const cw_device_caps *caps) {
  uint64_t s = caps->shared_mem_per_block_optin > caps->shared_mem_per_block
                   ? caps->shared_mem_per_block_optin : caps->shared_mem_per_block;
  return s + 1024;
}

static void fill_props(struct cudaDeviceProp *p, int dev) {
  const cw_device_caps *c = cw_rt_caps(dev);
  memset(p, 0, sizeof *p);
  g_strlcpy(p->name, c->name, sizeof p->name);
  /* A stable UUID from the backend and device name, so programs can tell devices apart. */
  GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(ck, (const guchar *)B()->name, -1);
  g_checksum_update(ck, (const guchar *)c->name, -1);
  g_checksum_update(ck, (const guchar *)&dev, sizeof dev);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_checksum_get_digest(ck, digest, &len);
  g_checksum_free(ck);
  memcpy(p->uuid.bytes, digest, sizeof p->uuid.bytes);
  bool cpu = c->simd_width_bits > 0;
  p->totalGlobalMem = c->global_mem_bytes;
  p->sharedMemPerBlock = c->shared_mem_per_block;
  p->regsPerBlock = 65536;
  p->warpSize = CW_RT_WARP_SIZE;          /* the IR's warps are 32 lanes on every backend */
  p->memPitch = INT_MAX;
  p->maxThreadsPerBlock = clamp_int(c->max_threads_per_block);
  for (int i = 0; i < 3; i++) {
    p->maxThreadsDim[i] = clamp_int(c->max_block_dim[i]);
    p->maxGridSize[i] = clamp_int(c->max_grid_dim[i]);
  }
  p->clockRate = clamp_int((uint64_t)c->clock_mhz * 1000);
  p->totalConstMem = c->const_mem_bytes;
  p->major = (int)c->cc_major;
  p->minor = (int)c->cc_minor;
  p->textureAlignment = 512;
  p->texturePitchAlignment = 32;
  p->deviceOverlap = 1;
  p->multiProcessorCount = clamp_int(c->compute_units);
  p->integrated = cpu;
  p->canMapHostMemory = 1;
  p->computeMode = cudaComputeModeDefault;
  p->surfaceAlignment = 512;
  p->concurrentKernels = 1;
  p->asyncEngineCount = cpu ? 0 : 2;
  p->unifiedAddressing = 1;
  p->memoryClockRate = clamp_int((uint64_t)c->mem_clock_mhz * 1000);
  p->memoryBusWidth = (int)c->mem_bus_width;
  p->l2CacheSize = clamp_int(c->l2_cache_bytes);
  p->maxThreadsPerMultiProcessor = clamp_int(cw_rt_threads_per_sm(c));
  p->streamPrioritiesSupported = 1;
  p->globalL1CacheSupported = 1;
  p->localL1CacheSupported = 1;
  p->sharedMemPerMultiprocessor = cw_rt_shared_per_sm(c);
  p->regsPerMultiprocessor = 65536;
  p->managedMemory = 1;   /* the backend's own, or emulated by copies (managed.c) */
  p->hostNativeAtomicSupported = cpu;
  p->singleToDoublePrecisionPerfRatio = (c->flags & CW_CAP_FP64) ? 2 : 64;
  p->pageableMemoryAccess = 0;
  p->concurrentManagedAccess = cw_rt_managed_direct(dev);
  p->computePreemptionSupported = 1;
  p->sharedMemPerBlockOptin = c->shared_mem_per_block_optin > c->shared_mem_per_block
                                  ? c->shared_mem_per_block_optin : c->shared_mem_per_block;
  p->maxBlocksPerMultiProcessor = CW_RT_MAX_BLOCKS_PER_SM;
  p->memoryPoolsSupported = 1;
  p->pciDomainID = 0;
  p->pciBusID = dev;
}

CW_RT_API cudaError_t cudaGetDeviceCount(int *count) {
  if (!count) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  cw_rt *rt = cw_rt_get();
  *count = rt->init_error == cudaSuccess ? rt->backend.device_count : 0;
  /* A sticky error does not hide the devices. */
  if (rt->init_error != cudaSuccess) return cw_rt_error(rt->init_error);
  (void)e;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaGetDevice(int *device) {
  if (!device) return cw_rt_error(cudaErrorInvalidValue);
  *device = cw_rt_current_device();
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaSetDevice(int device) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  if (device < 0 || device >= B()->device_count) return cw_rt_error(cudaErrorInvalidDevice);
  cw_rt_set_current_device(device);
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device) {
  if (!prop) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  if (device < 0 || device >= B()->device_count) return cw_rt_error(cudaErrorInvalidDevice);
  fill_props(prop, device);
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device) {
  if (!value) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  if (device < 0 || device >= B()->device_count) return cw_rt_error(cudaErrorInvalidDevice);
  struct cudaDeviceProp p;
  fill_props(&p, device);
  int v;
  switch (attr) {
  case cudaDevAttrMaxThreadsPerBlock: v = p.maxThreadsPerBlock; break;
  case cudaDevAttrMaxBlockDimX: v = p.maxThreadsDim[0]; break;
  case cudaDevAttrMaxBlockDimY: v = p.maxThreadsDim[1]; break;
  case cudaDevAttrMaxBlockDimZ: v = p.maxThreadsDim[2]; break;
  case cudaDevAttrMaxGridDimX: v = p.maxGridSize[0]; break;
  case cudaDevAttrMaxGridDimY: v = p.maxGridSize[1]; break;
  case cudaDevAttrMaxGridDimZ: v = p.maxGridSize[2]; break;
  case cudaDevAttrMaxSharedMemoryPerBlock: v = clamp_int(p.sharedMemPerBlock); break;
  case cudaDevAttrTotalConstantMemory: v = clamp_int(p.totalConstMem); break;
  case cudaDevAttrWarpSize: v = p.warpSize; break;
  case cudaDevAttrMaxPitch: v = clamp_int(p.memPitch); break;
  case cudaDevAttrMaxRegistersPerBlock: v = p.regsPerBlock; break;
  case cudaDevAttrClockRate: v = p.clockRate; break;
  case cudaDevAttrTextureAlignment: v = clamp_int(p.textureAlignment); break;
  case cudaDevAttrGpuOverlap: v = p.deviceOverlap; break;
  case cudaDevAttrMultiProcessorCount: v = p.multiProcessorCount; break;
  case cudaDevAttrKernelExecTimeout: v = p.kernelExecTimeoutEnabled; break;
  case cudaDevAttrIntegrated: v = p.integrated; break;
  case cudaDevAttrCanMapHostMemory: v = p.canMapHostMemory; break;
  case cudaDevAttrComputeMode: v = p.computeMode; break;
  case cudaDevAttrSurfaceAlignment: v = clamp_int(p.surfaceAlignment); break;
  case cudaDevAttrConcurrentKernels: v = p.concurrentKernels; break;
  case cudaDevAttrEccEnabled: v = p.ECCEnabled; break;
  case cudaDevAttrPciBusId: v = p.pciBusID; break;
  case cudaDevAttrPciDeviceId: v = p.pciDeviceID; break;
  case cudaDevAttrPciDomainId: v = p.pciDomainID; break;
  case cudaDevAttrTccDriver: v = p.tccDriver; break;
  case cudaDevAttrMemoryClockRate: v = p.memoryClockRate; break;
  case cudaDevAttrGlobalMemoryBusWidth: v = p.memoryBusWidth; break;
  case cudaDevAttrL2CacheSize: v = p.l2CacheSize; break;
  case cudaDevAttrMaxThreadsPerMultiProcessor: v = p.maxThreadsPerMultiProcessor; break;
  case cudaDevAttrAsyncEngineCount: v = p.asyncEngineCount; break;
  case cudaDevAttrUnifiedAddressing: v = p.unifiedAddressing; break;
  case cudaDevAttrTexturePitchAlignment: v = clamp_int(p.texturePitchAlignment); break;
  case cudaDevAttrComputeCapabilityMajor: v = p.major; break;
  case cudaDevAttrComputeCapabilityMinor: v = p.minor; break;
  case cudaDevAttrStreamPrioritiesSupported: v = p.streamPrioritiesSupported; break;
  case cudaDevAttrGlobalL1CacheSupported: v = p.globalL1CacheSupported; break;
  case cudaDevAttrLocalL1CacheSupported: v = p.localL1CacheSupported; break;
  case cudaDevAttrMaxSharedMemoryPerMultiprocessor: v = clamp_int(p.sharedMemPerMultiprocessor); break;
  case cudaDevAttrMaxRegistersPerMultiprocessor: v = p.regsPerMultiprocessor; break;
  case cudaDevAttrManagedMemory: v = p.managedMemory; break;
  case cudaDevAttrIsMultiGpuBoard: v = p.isMultiGpuBoard; break;
  case cudaDevAttrMultiGpuBoardGroupID: v = p.multiGpuBoardGroupID; break;
  case cudaDevAttrHostNativeAtomicSupported: v = p.hostNativeAtomicSupported; break;
  case cudaDevAttrSingleToDoublePrecisionPerfRatio: v = p.singleToDoublePrecisionPerfRatio; break;
  case cudaDevAttrPageableMemoryAccess: v = p.pageableMemoryAccess; break;
  case cudaDevAttrConcurrentManagedAccess: v = p.concurrentManagedAccess; break;
  case cudaDevAttrComputePreemptionSupported: v = p.computePreemptionSupported; break;
  case cudaDevAttrCanUseHostPointerForRegisteredMem: v = p.canUseHostPointerForRegisteredMem; break;
  case cudaDevAttrCooperativeLaunch: v = p.cooperativeLaunch; break;
  case cudaDevAttrCooperativeMultiDeviceLaunch: v = p.cooperativeMultiDeviceLaunch; break;
  case cudaDevAttrMaxSharedMemoryPerBlockOptin: v = clamp_int(p.sharedMemPerBlockOptin); break;
  case cudaDevAttrCanFlushRemoteWrites: v = 0; break;
  case cudaDevAttrHostRegisterSupported: v = p.hostRegisterSupported; break;
  case cudaDevAttrPageableMemoryAccessUsesHostPageTables: v = p.pageableMemoryAccessUsesHostPageTables; break;
  case cudaDevAttrDirectManagedMemAccessFromHost: v = p.directManagedMemAccessFromHost; break;
  case cudaDevAttrMaxBlocksPerMultiprocessor: v = p.maxBlocksPerMultiProcessor; break;
  case cudaDevAttrMaxPersistingL2CacheSize: v = p.persistingL2CacheMaxSize; break;
  case cudaDevAttrMaxAccessPolicyWindowSize: v = p.accessPolicyMaxWindowSize; break;
  case cudaDevAttrReservedSharedMemoryPerBlock: v = clamp_int(p.reservedSharedMemPerBlock); break;
  case cudaDevAttrSparseCudaArraySupported: v = p.sparseCudaArraySupported; break;
  case cudaDevAttrHostRegisterReadOnlySupported: v = p.hostRegisterReadOnlySupported; break;
  case cudaDevAttrTimelineSemaphoreInteropSupported: v = p.timelineSemaphoreInteropSupported; break;
  case cudaDevAttrMemoryPoolsSupported: v = p.memoryPoolsSupported; break;
  case cudaDevAttrGPUDirectRDMASupported: v = p.gpuDirectRDMASupported; break;
  case cudaDevAttrClusterLaunch: v = p.clusterLaunch; break;
  case cudaDevAttrDeferredMappingCudaArraySupported: v = p.deferredMappingCudaArraySupported; break;
  case cudaDevAttrIpcEventSupport: v = p.ipcEventSupported; break;
  default: return cw_rt_error(cudaErrorInvalidValue);   /* textures and others we do not model */
  }
  *value = v;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaChooseDevice(int *device, const struct cudaDeviceProp *prop) {
  if (!device || !prop) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  /* The first device with at least the requested compute capability, else device 0. */
  *device = 0;
  for (int d = 0; d < B()->device_count; d++) {
    const cw_device_caps *c = cw_rt_caps(d);
    if ((int)c->cc_major > prop->major || ((int)c->cc_major == prop->major && (int)c->cc_minor >= prop->minor)) {
      *device = d;
      break;
    }
  }
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceSynchronize(void) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  e = cw_rt_device_sync(dev);
  if (e == cudaSuccess) e = cw_rt_managed_to_host();
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaThreadSynchronize(void) { return cudaDeviceSynchronize(); }

/* Destroys everything the device context owned (allocations, streams, events, loaded modules)
 * and clears a sticky error, as cudaDeviceReset does; the next call starts afresh. */
CW_RT_API cudaError_t cudaDeviceReset(void) {
  cw_rt *rt = cw_rt_get();
  cudaError_t e = cw_rt_ready();
  if (rt->init_error != cudaSuccess) return cw_rt_error(rt->init_error);
  (void)e;
  int dev = cw_rt_current_device();
  if (dev < 0 || dev >= B()->device_count) return cw_rt_error(cudaErrorInvalidDevice);
  cw_rt_lock();
  (void)B()->ops.device_synchronize(B()->be, dev);   /* errors are what the reset clears */
  cw_rt_managed_reset(dev);
  for (int pass = 0; pass < 2; pass++) {
    cw_rt_alloc_table *t = pass == 0 ? cw_rt_device_table() : cw_rt_host_table();
    for (size_t i = cw_rt_alloc_table_count(t); i-- > 0;) {
      cw_rt_alloc a = *cw_rt_alloc_table_at(t, i);
      if (a.device != dev || a.kind == CW_ALLOC_SYMBOL || (a.flags & CW_ALLOC_VARIABLE)) continue;
      cw_rt_alloc_table_remove(t, a.base, NULL);
      if (pass == 0 && a.kind != CW_ALLOC_MAPPED) B()->mem.free(B()->be, dev, a.base);
      else if (pass == 1 && a.kind == CW_ALLOC_MAPPED) B()->mem.free(B()->be, dev, a.device_addr);
      else if (pass == 1) B()->mem.free_host(B()->be, a.host);
    }
  }
  cw_rt_events_reset(dev);
  cw_rt_streams_reset(dev);
  cw_rt_modules_unload_device(dev);
  cw_rt_pool_reset(dev);
  rt->dev[dev].flags = 0;
  rt->dev[dev].cache_config = cudaFuncCachePreferNone;
  rt->dev[dev].shmem_config = cudaSharedMemBankSizeDefault;
  cw_rt_set_sticky(cudaSuccess);
  cw_rt_clear_last_error();
  cw_rt_unlock();
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaThreadExit(void) { return cudaDeviceReset(); }

CW_RT_API cudaError_t cudaSetDeviceFlags(unsigned int flags) {
  if (flags & ~(unsigned int)(cudaDeviceScheduleMask | cudaDeviceMapHost | cudaDeviceLmemResizeToMax |
                              cudaDeviceSyncMemops))
    return cw_rt_error(cudaErrorInvalidValue);
  unsigned int sched = flags & cudaDeviceScheduleMask;
  if (sched != cudaDeviceScheduleAuto && sched != cudaDeviceScheduleSpin && sched != cudaDeviceScheduleYield &&
      sched != cudaDeviceScheduleBlockingSync)
    return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_get()->dev[dev].flags = flags;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaGetDeviceFlags(unsigned int *flags) {
  if (!flags) return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  /* CUDA always reports cudaDeviceMapHost: mapping is always available with UVA. */
  *flags = cw_rt_get()->dev[dev].flags | cudaDeviceMapHost;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceSetCacheConfig(enum cudaFuncCache cacheConfig) {
  if (cacheConfig < cudaFuncCachePreferNone || cacheConfig > cudaFuncCachePreferEqual)
    return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_get()->dev[dev].cache_config = cacheConfig;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceGetCacheConfig(enum cudaFuncCache *cacheConfig) {
  int dev;
  cudaError_t e = cacheConfig ? cw_rt_ready_device(&dev) : cudaErrorInvalidValue;
  if (e != cudaSuccess) return cw_rt_error(e);
  *cacheConfig = (enum cudaFuncCache)cw_rt_get()->dev[dev].cache_config;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceSetSharedMemConfig(enum cudaSharedMemConfig config) {
  if (config < cudaSharedMemBankSizeDefault || config > cudaSharedMemBankSizeEightByte)
    return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_get()->dev[dev].shmem_config = config;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceGetSharedMemConfig(enum cudaSharedMemConfig *config) {
  int dev;
  cudaError_t e = config ? cw_rt_ready_device(&dev) : cudaErrorInvalidValue;
  if (e != cudaSuccess) return cw_rt_error(e);
  *config = (enum cudaSharedMemConfig)cw_rt_get()->dev[dev].shmem_config;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceSetLimit(enum cudaLimit limit, size_t value) {
  if ((int)limit < 0 || limit > cudaLimitPersistingL2CacheSize) return cw_rt_error(cudaErrorUnsupportedLimit);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  if (limit == cudaLimitMaxL2FetchGranularity && (value > 128 || (value & (value - 1))))
    return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_get()->dev[dev].limits[limit] = value;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceGetLimit(size_t *value, enum cudaLimit limit) {
  if (!value) return cw_rt_error(cudaErrorInvalidValue);
  if ((int)limit < 0 || limit > cudaLimitPersistingL2CacheSize) return cw_rt_error(cudaErrorUnsupportedLimit);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  *value = cw_rt_get()->dev[dev].limits[limit];
  return cudaSuccess;
}

/* One backend per process, and its devices do not share memory with each other. */
CW_RT_API cudaError_t cudaDeviceCanAccessPeer(int *canAccessPeer, int device, int peerDevice) {
  if (!canAccessPeer) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  int n = B()->device_count;
  if (device < 0 || device >= n || peerDevice < 0 || peerDevice >= n) return cw_rt_error(cudaErrorInvalidDevice);
  *canAccessPeer = 0;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDriverGetVersion(int *driverVersion) {
  if (!driverVersion) return cw_rt_error(cudaErrorInvalidValue);
  *driverVersion = CUDART_VERSION;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaRuntimeGetVersion(int *runtimeVersion) {
  if (!runtimeVersion) return cw_rt_error(cudaErrorInvalidValue);
  *runtimeVersion = CUDART_VERSION;
  return cudaSuccess;
}

/* No profiler is ever attached: CUDA returns success then too. */
CW_RT_API cudaError_t cudaProfilerStart(void) { return cudaSuccess; }
CW_RT_API cudaError_t cudaProfilerStop(void) { return cudaSuccess; }
