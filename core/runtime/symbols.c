/* symbols.c — __constant__ and __device__ variables, named by their host shadows (registered by
 * __cwRegisterVar), resolved to device addresses through backend->module_global. */
#include "runtime/rt_internal.h"

static cudaError_t symbol_address(const void *symbol, uint64_t *addr, size_t *size) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return e;
  cw_rt_var *v = symbol ? cw_rt_var_lookup(symbol) : NULL;
  if (!v) return cudaErrorInvalidSymbol;
  return cw_rt_module_var(v, dev, addr, size);
}

static cudaError_t to_symbol(const void *symbol, const void *src, size_t count, size_t offset,
                             enum cudaMemcpyKind kind, cudaStream_t stream, bool sync_api) {
  if (kind != cudaMemcpyHostToDevice && kind != cudaMemcpyDeviceToDevice && kind != cudaMemcpyDefault)
    return cudaErrorInvalidMemcpyDirection;
  uint64_t addr = 0;
  size_t size = 0;
  cudaError_t e = symbol_address(symbol, &addr, &size);
  if (e != cudaSuccess) return e;
  if (offset > size || count > size - offset) return cudaErrorInvalidValue;
  return cw_rt_memcpy((void *)(uintptr_t)(addr + offset), src, count, kind, stream, sync_api);
}

static cudaError_t from_symbol(void *dst, const void *symbol, size_t count, size_t offset,
                               enum cudaMemcpyKind kind, cudaStream_t stream, bool sync_api) {
  if (kind != cudaMemcpyDeviceToHost && kind != cudaMemcpyDeviceToDevice && kind != cudaMemcpyDefault)
    return cudaErrorInvalidMemcpyDirection;
  uint64_t addr = 0;
  size_t size = 0;
  cudaError_t e = symbol_address(symbol, &addr, &size);
  if (e != cudaSuccess) return e;
  if (offset > size || count > size - offset) return cudaErrorInvalidValue;
  return cw_rt_memcpy(dst, (const void *)(uintptr_t)(addr + offset), count, kind, stream, sync_api);
}

CW_RT_API cudaError_t cudaMemcpyToSymbol(const void *symbol, const void *src, size_t count, size_t offset,
                                         enum cudaMemcpyKind kind) {
  cudaError_t e = to_symbol(symbol, src, count, offset, kind, NULL, true);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemcpyToSymbolAsync(const void *symbol, const void *src, size_t count,
                                              size_t offset, enum cudaMemcpyKind kind, cudaStream_t stream) {
  cudaError_t e = to_symbol(symbol, src, count, offset, kind, stream, false);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemcpyFromSymbol(void *dst, const void *symbol, size_t count, size_t offset,
                                           enum cudaMemcpyKind kind) {
  cudaError_t e = from_symbol(dst, symbol, count, offset, kind, NULL, true);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemcpyFromSymbolAsync(void *dst, const void *symbol, size_t count,
                                                size_t offset, enum cudaMemcpyKind kind,
                                                cudaStream_t stream) {
  cudaError_t e = from_symbol(dst, symbol, count, offset, kind, stream, false);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaGetSymbolAddress(void **devPtr, const void *symbol) {
  if (!devPtr) return cw_rt_error(cudaErrorInvalidValue);
  uint64_t addr = 0;
  size_t size = 0;
  cudaError_t e = symbol_address(symbol, &addr, &size);
  if (e != cudaSuccess) return cw_rt_error(e);
  *devPtr = (void *)(uintptr_t)addr;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaGetSymbolSize(size_t *size, const void *symbol) {
  if (!size) return cw_rt_error(cudaErrorInvalidValue);
  uint64_t addr = 0;
  size_t n = 0;
  cudaError_t e = symbol_address(symbol, &addr, &n);
  if (e != cudaSuccess) return cw_rt_error(e);
  *size = n;
  return cudaSuccess;
}
