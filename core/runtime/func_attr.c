/* func_attr.c — kernel attributes (from the IR: static shared memory, launch bounds, constant
 * memory used) and the occupancy calculator, on a simple model of an SM: it holds
 * cw_rt_threads_per_sm() threads, cw_rt_shared_per_sm() bytes of shared memory and at most
 * CW_RT_MAX_BLOCKS_PER_SM blocks; registers are assumed not to limit. */
#include <string.h>

#include "runtime/rt_internal.h"

/* The kernel behind a stub, compiled and loaded for the current device. */
static cudaError_t kernel_of(const void *func, cw_rt_func **fout, cw_rt_kernel *k, int *dev) {
  cudaError_t e = cw_rt_ready_device(dev);
  if (e != cudaSuccess) return e;
  cw_rt_func *f = func ? cw_rt_func_lookup(func) : NULL;
  if (!f) return cudaErrorInvalidDeviceFunction;
  *fout = f;
  return cw_rt_module_kernel(f->module, f->host_key, *dev, k);
}

static uint64_t optin_of(const cw_device_caps *c) {
  return c->shared_mem_per_block_optin > c->shared_mem_per_block ? c->shared_mem_per_block_optin
                                                                 : c->shared_mem_per_block;
}

static int max_threads_of(const cw_ir_func *f, const cw_device_caps *c) {
  uint32_t t = c->max_threads_per_block;
  if (f->launch_bounds && f->launch_bounds < t) t = f->launch_bounds;
  return (int)t;
}

static size_t const_bytes_of(const cw_ir_func *f) {
  size_t n = 0;
  for (uint32_t i = 0; i < f->n_globals_used; i++)
    if (f->globals_used[i]->kind == CW_VAR_CONSTANT) n += f->globals_used[i]->type->size;
  return n;
}

CW_RT_API cudaError_t cudaFuncGetAttributes(struct cudaFuncAttributes *attr, const void *func) {
  if (!attr) return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_func *f;
  cw_rt_kernel k;
  int dev;
  cudaError_t e = kernel_of(func, &f, &k, &dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  const cw_device_caps *c = cw_rt_caps(dev);
  uint64_t stat = k.func->static_shared_bytes;
  memset(attr, 0, sizeof *attr);
  attr->sharedSizeBytes = stat;
  attr->constSizeBytes = const_bytes_of(k.func);
  attr->localSizeBytes = 0;
  attr->maxThreadsPerBlock = max_threads_of(k.func, c);
  attr->numRegs = 32;
  attr->ptxVersion = attr->binaryVersion = (int)(c->cc_major * 10 + c->cc_minor);
  attr->maxDynamicSharedSizeBytes =
      f->max_dynamic_shared >= 0 ? f->max_dynamic_shared
                                 : (int)(c->shared_mem_per_block > stat ? c->shared_mem_per_block - stat : 0);
  attr->preferredShmemCarveout = f->carveout;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaFuncSetAttribute(const void *func, enum cudaFuncAttribute attr, int value) {
  cw_rt_func *f;
  cw_rt_kernel k;
  int dev;
  cudaError_t e = kernel_of(func, &f, &k, &dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  const cw_device_caps *c = cw_rt_caps(dev);
  switch (attr) {
  case cudaFuncAttributeMaxDynamicSharedMemorySize:
    if (value < 0 || (uint64_t)value + k.func->static_shared_bytes > optin_of(c))
      return cw_rt_error(cudaErrorInvalidValue);
    f->max_dynamic_shared = value;
    return cudaSuccess;
  case cudaFuncAttributePreferredSharedMemoryCarveout:
    if (value < -1 || value > 100) return cw_rt_error(cudaErrorInvalidValue);
    f->carveout = value;
    return cudaSuccess;
  default:
    /* Thread block clusters are not supported by any backend. */
    return cw_rt_error(attr >= cudaFuncAttributeClusterDimMustBeSet && attr < cudaFuncAttributeMax
                           ? cudaErrorNotSupported : cudaErrorInvalidValue);
  }
}

/* The registered kernel behind a stub pointer, for the per-function settings below (errors are
 * recorded as the CUDA call would). */
static cudaError_t func_for_setting(const void *func, cw_rt_func **out) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  *out = func ? cw_rt_func_lookup(func) : NULL;
  return *out ? cudaSuccess : cw_rt_error(cudaErrorInvalidDeviceFunction);
}

CW_RT_API cudaError_t cudaFuncSetCacheConfig(const void *func, enum cudaFuncCache cacheConfig) {
  if (cacheConfig < cudaFuncCachePreferNone || cacheConfig > cudaFuncCachePreferEqual)
    return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_func *f;
  cudaError_t e = func_for_setting(func, &f);
  if (e == cudaSuccess) f->cache_config = cacheConfig;
  return e;
}

CW_RT_API cudaError_t cudaFuncSetSharedMemConfig(const void *func, enum cudaSharedMemConfig config) {
  if (config < cudaSharedMemBankSizeDefault || config > cudaSharedMemBankSizeEightByte)
    return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_func *f;
  cudaError_t e = func_for_setting(func, &f);
  if (e == cudaSuccess) f->shmem_config = config;
  return e;
}

/* Resident blocks of `block_size` threads per SM (0 when the block cannot run at all). */
static int blocks_per_sm(const cw_device_caps *c, const cw_ir_func *f, int block_size, size_t dyn) {
  if (block_size <= 0 || block_size > max_threads_of(f, c)) return 0;
  uint64_t smem = f->static_shared_bytes + dyn;
  if (smem > optin_of(c)) return 0;
  uint32_t warps = ((uint32_t)block_size + CW_RT_WARP_SIZE - 1) / CW_RT_WARP_SIZE;
  uint32_t by_threads = cw_rt_threads_per_sm(c) / CW_RT_WARP_SIZE / warps;
  uint64_t by_smem = smem ? cw_rt_shared_per_sm(c) / smem : CW_RT_MAX_BLOCKS_PER_SM;
  uint64_t n = MIN(MIN((uint64_t)by_threads, by_smem), (uint64_t)CW_RT_MAX_BLOCKS_PER_SM);
  return (int)n;
}

CW_RT_API cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
    int *numBlocks, const void *func, int blockSize, size_t dynamicSMemSize, unsigned int flags) {
  if (!numBlocks || (flags & ~(unsigned int)cudaOccupancyDisableCachingOverride))
    return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_func *f;
  cw_rt_kernel k;
  int dev;
  cudaError_t e = kernel_of(func, &f, &k, &dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  *numBlocks = blocks_per_sm(cw_rt_caps(dev), k.func, blockSize, dynamicSMemSize);
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, const void *func,
                                                                    int blockSize, size_t dynamicSMemSize) {
  return cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(numBlocks, func, blockSize,
                                                                dynamicSMemSize, cudaOccupancyDefault);
}

CW_RT_API cudaError_t cudaOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize, const void *func,
                                                                int numBlocks, int blockSize) {
  if (!dynamicSmemSize || numBlocks <= 0) return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_func *f;
  cw_rt_kernel k;
  int dev;
  cudaError_t e = kernel_of(func, &f, &k, &dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  const cw_device_caps *c = cw_rt_caps(dev);
  uint64_t stat = k.func->static_shared_bytes;
  *dynamicSmemSize = 0;
  if (blocks_per_sm(c, k.func, blockSize, 0) < numBlocks) return cudaSuccess;
  uint64_t per_block = cw_rt_shared_per_sm(c) / (uint64_t)numBlocks;
  per_block = MIN(per_block, optin_of(c));
  *dynamicSmemSize = per_block > stat ? per_block - stat : 0;
  return cudaSuccess;
}

/* The block size (a multiple of the warp size, or the largest allowed) giving the most resident
 * threads per SM; ties go to the larger block, as CUDA's calculator does. */
CW_RT_API cudaError_t __cwOccupancyMaxPotentialBlockSize(int *minGridSize, int *blockSize, const void *func,
                                                         size_t dynamicSMemSize, int blockSizeLimit) {
  if (!minGridSize || !blockSize || blockSizeLimit < 0) return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_func *f;
  cw_rt_kernel k;
  int dev;
  cudaError_t e = kernel_of(func, &f, &k, &dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  const cw_device_caps *c = cw_rt_caps(dev);
  int limit = max_threads_of(k.func, c);
  if (blockSizeLimit > 0 && blockSizeLimit < limit) limit = blockSizeLimit;
  int best_size = 0, best_blocks = 0;
  long best_threads = 0;
  for (int bs = limit; bs > 0; bs = (bs % CW_RT_WARP_SIZE) ? bs / CW_RT_WARP_SIZE * CW_RT_WARP_SIZE
                                                           : bs - CW_RT_WARP_SIZE) {
    int blocks = blocks_per_sm(c, k.func, bs, dynamicSMemSize);
    if ((long)blocks * bs > best_threads) {
      best_threads = (long)blocks * bs;
      best_size = bs;
      best_blocks = blocks;
    }
  }
  *blockSize = best_size;
  *minGridSize = best_blocks * (int)c->compute_units;
  return cudaSuccess;
}
