/* cuda_runtime_api.h — the C functions of the CUDA runtime API that libcw implements.
 *
 * Includable from C and C++.  Only implemented functions are declared: a program that calls
 * anything else fails to compile or link, rather than running against a silent stub.
 * Signatures follow CUDA 12 (cudaMemPrefetchAsync/cudaMemAdvise take a device number). */
#ifndef CW_SHIM_CUDA_RUNTIME_API_H
#define CW_SHIM_CUDA_RUNTIME_API_H

#include <stddef.h>

#include "host_defines.h"
#include "driver_types.h"
#include "vector_types.h"
#include "texture_types.h"

#define CUDART_VERSION 13000
#define __CUDART_API_VERSION CUDART_VERSION

#if defined(__cplusplus)
#define CW_DV_(v) = v
extern "C" {
#else
#define CW_DV_(v)
#endif

/* ---- errors and versions ---- */
extern CW_RTAPI cudaError_t cudaGetLastError(void);
extern CW_RTAPI cudaError_t cudaPeekAtLastError(void);
extern CW_RTAPI const char *cudaGetErrorString(cudaError_t error);
extern CW_RTAPI const char *cudaGetErrorName(cudaError_t error);
extern CW_RTAPI cudaError_t cudaDriverGetVersion(int *driverVersion);
extern CW_RTAPI cudaError_t cudaRuntimeGetVersion(int *runtimeVersion);

/* ---- devices ---- */
extern CW_RTAPI cudaError_t cudaGetDeviceCount(int *count);
extern CW_RTAPI cudaError_t cudaGetDevice(int *device);
extern CW_RTAPI cudaError_t cudaSetDevice(int device);
extern CW_RTAPI cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device);
extern CW_RTAPI cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device);
extern CW_RTAPI cudaError_t cudaChooseDevice(int *device, const struct cudaDeviceProp *prop);
extern CW_RTAPI cudaError_t cudaDeviceSynchronize(void);
extern CW_RTAPI cudaError_t cudaDeviceReset(void);
extern CW_RTAPI cudaError_t cudaThreadSynchronize(void);
extern CW_RTAPI cudaError_t cudaThreadExit(void);
extern CW_RTAPI cudaError_t cudaSetDeviceFlags(unsigned int flags);
extern CW_RTAPI cudaError_t cudaGetDeviceFlags(unsigned int *flags);
extern CW_RTAPI cudaError_t cudaDeviceSetCacheConfig(enum cudaFuncCache cacheConfig);
extern CW_RTAPI cudaError_t cudaDeviceGetCacheConfig(enum cudaFuncCache *cacheConfig);
extern CW_RTAPI cudaError_t cudaDeviceSetSharedMemConfig(enum cudaSharedMemConfig config);
extern CW_RTAPI cudaError_t cudaDeviceGetSharedMemConfig(enum cudaSharedMemConfig *config);
extern CW_RTAPI cudaError_t cudaDeviceSetLimit(enum cudaLimit limit, size_t value);
extern CW_RTAPI cudaError_t cudaDeviceGetLimit(size_t *value, enum cudaLimit limit);
extern CW_RTAPI cudaError_t cudaDeviceGetStreamPriorityRange(int *leastPriority, int *greatestPriority);
extern CW_RTAPI cudaError_t cudaDeviceCanAccessPeer(int *canAccessPeer, int device, int peerDevice);
extern CW_RTAPI cudaError_t cudaMemGetInfo(size_t *free, size_t *total);

/* ---- memory ---- */
extern CW_RTAPI cudaError_t cudaMalloc(void **devPtr, size_t size);
extern CW_RTAPI cudaError_t cudaFree(void *devPtr);
extern CW_RTAPI cudaError_t cudaMallocHost(void **ptr, size_t size);
extern CW_RTAPI cudaError_t cudaHostAlloc(void **pHost, size_t size, unsigned int flags);
extern CW_RTAPI cudaError_t cudaFreeHost(void *ptr);
extern CW_RTAPI cudaError_t cudaHostGetDevicePointer(void **pDevice, void *pHost, unsigned int flags);
extern CW_RTAPI cudaError_t cudaHostGetFlags(unsigned int *pFlags, void *pHost);
extern CW_RTAPI cudaError_t cudaMallocManaged(void **devPtr, size_t size,
                                              unsigned int flags CW_DV_(cudaMemAttachGlobal));
extern CW_RTAPI cudaError_t cudaMallocPitch(void **devPtr, size_t *pitch, size_t width, size_t height);
extern CW_RTAPI cudaError_t cudaMallocAsync(void **devPtr, size_t size, cudaStream_t hStream);
extern CW_RTAPI cudaError_t cudaFreeAsync(void *devPtr, cudaStream_t hStream);
extern CW_RTAPI cudaError_t cudaPointerGetAttributes(struct cudaPointerAttributes *attributes,
                                                     const void *ptr);
extern CW_RTAPI cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind);
extern CW_RTAPI cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count,
                                            enum cudaMemcpyKind kind, cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch,
                                         size_t width, size_t height, enum cudaMemcpyKind kind);
extern CW_RTAPI cudaError_t cudaMemcpy2DAsync(void *dst, size_t dpitch, const void *src, size_t spitch,
                                              size_t width, size_t height, enum cudaMemcpyKind kind,
                                              cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMemset(void *devPtr, int value, size_t count);
extern CW_RTAPI cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count,
                                            cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMemset2D(void *devPtr, size_t pitch, int value, size_t width, size_t height);
extern CW_RTAPI cudaError_t cudaMemset2DAsync(void *devPtr, size_t pitch, int value, size_t width,
                                              size_t height, cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMemPrefetchAsync(const void *devPtr, size_t count, int dstDevice,
                                                 cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMemAdvise(const void *devPtr, size_t count, enum cudaMemoryAdvise advice,
                                          int device);
extern CW_RTAPI cudaError_t cudaStreamAttachMemAsync(cudaStream_t stream, void *devPtr,
                                                     size_t length CW_DV_(0),
                                                     unsigned int flags CW_DV_(cudaMemAttachSingle));
extern CW_RTAPI cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t *memPool, int device);
extern CW_RTAPI cudaError_t cudaDeviceGetMemPool(cudaMemPool_t *memPool, int device);
extern CW_RTAPI cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t memPool, enum cudaMemPoolAttr attr,
                                                    void *value);
extern CW_RTAPI cudaError_t cudaMemPoolGetAttribute(cudaMemPool_t memPool, enum cudaMemPoolAttr attr,
                                                    void *value);
extern CW_RTAPI cudaError_t cudaMemPoolTrimTo(cudaMemPool_t memPool, size_t minBytesToKeep);

/* ---- symbols (__constant__ / __device__ variables, named by their host shadow) ---- */
extern CW_RTAPI cudaError_t cudaMemcpyToSymbol(const void *symbol, const void *src, size_t count,
                                               size_t offset CW_DV_(0),
                                               enum cudaMemcpyKind kind CW_DV_(cudaMemcpyHostToDevice));
extern CW_RTAPI cudaError_t cudaMemcpyFromSymbol(void *dst, const void *symbol, size_t count,
                                                 size_t offset CW_DV_(0),
                                                 enum cudaMemcpyKind kind CW_DV_(cudaMemcpyDeviceToHost));
extern CW_RTAPI cudaError_t cudaMemcpyToSymbolAsync(const void *symbol, const void *src, size_t count,
                                                    size_t offset, enum cudaMemcpyKind kind,
                                                    cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMemcpyFromSymbolAsync(void *dst, const void *symbol, size_t count,
                                                      size_t offset, enum cudaMemcpyKind kind,
                                                      cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaGetSymbolAddress(void **devPtr, const void *symbol);
extern CW_RTAPI cudaError_t cudaGetSymbolSize(size_t *size, const void *symbol);

/* ---- streams ---- */
extern CW_RTAPI cudaError_t cudaStreamCreate(cudaStream_t *pStream);
extern CW_RTAPI cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags);
extern CW_RTAPI cudaError_t cudaStreamCreateWithPriority(cudaStream_t *pStream, unsigned int flags,
                                                         int priority);
extern CW_RTAPI cudaError_t cudaStreamDestroy(cudaStream_t stream);
extern CW_RTAPI cudaError_t cudaStreamSynchronize(cudaStream_t stream);
extern CW_RTAPI cudaError_t cudaStreamQuery(cudaStream_t stream);
extern CW_RTAPI cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event,
                                                unsigned int flags CW_DV_(0));
extern CW_RTAPI cudaError_t cudaStreamGetFlags(cudaStream_t hStream, unsigned int *flags);
extern CW_RTAPI cudaError_t cudaStreamGetPriority(cudaStream_t hStream, int *priority);
extern CW_RTAPI cudaError_t cudaStreamAddCallback(cudaStream_t stream, cudaStreamCallback_t callback,
                                                  void *userData, unsigned int flags);
extern CW_RTAPI cudaError_t cudaLaunchHostFunc(cudaStream_t stream, cudaHostFn_t fn, void *userData);

/* ---- events ---- */
extern CW_RTAPI cudaError_t cudaEventCreate(cudaEvent_t *event);
extern CW_RTAPI cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags);
extern CW_RTAPI cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaEventRecordWithFlags(cudaEvent_t event, cudaStream_t stream CW_DV_(0),
                                                     unsigned int flags CW_DV_(0));
extern CW_RTAPI cudaError_t cudaEventQuery(cudaEvent_t event);
extern CW_RTAPI cudaError_t cudaEventSynchronize(cudaEvent_t event);
extern CW_RTAPI cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end);
extern CW_RTAPI cudaError_t cudaEventDestroy(cudaEvent_t event);

/* ---- kernels (func is the kernel's host stub) ---- */
extern CW_RTAPI cudaError_t cudaLaunchKernel(const void *func, dim3 gridDim, dim3 blockDim, void **args,
                                             size_t sharedMem, cudaStream_t stream);
extern CW_RTAPI cudaError_t cudaFuncGetAttributes(struct cudaFuncAttributes *attr, const void *func);
extern CW_RTAPI cudaError_t cudaFuncSetAttribute(const void *func, enum cudaFuncAttribute attr, int value);
extern CW_RTAPI cudaError_t cudaFuncSetCacheConfig(const void *func, enum cudaFuncCache cacheConfig);
extern CW_RTAPI cudaError_t cudaFuncSetSharedMemConfig(const void *func, enum cudaSharedMemConfig config);
extern CW_RTAPI cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, const void *func,
                                                                          int blockSize,
                                                                          size_t dynamicSMemSize);
extern CW_RTAPI cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
    int *numBlocks, const void *func, int blockSize, size_t dynamicSMemSize, unsigned int flags);
extern CW_RTAPI cudaError_t cudaOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize,
                                                                      const void *func, int numBlocks,
                                                                      int blockSize);
/* The block size with the highest occupancy (used by the C++ template in cuda_runtime.h). */
extern CW_RTAPI cudaError_t __cwOccupancyMaxPotentialBlockSize(int *minGridSize, int *blockSize,
                                                               const void *func, size_t dynamicSMemSize,
                                                               int blockSizeLimit);

/* ---- texture objects and CUDA arrays (texture.c) ---- */
extern CW_RTAPI struct cudaChannelFormatDesc cudaCreateChannelDesc(int x, int y, int z, int w,
                                                                   enum cudaChannelFormatKind f);
extern CW_RTAPI cudaError_t cudaCreateTextureObject(cudaTextureObject_t *pTexObject,
                                                    const struct cudaResourceDesc *pResDesc,
                                                    const struct cudaTextureDesc *pTexDesc,
                                                    const struct cudaResourceViewDesc *pResViewDesc);
extern CW_RTAPI cudaError_t cudaDestroyTextureObject(cudaTextureObject_t texObject);
extern CW_RTAPI cudaError_t cudaGetTextureObjectResourceDesc(struct cudaResourceDesc *pResDesc,
                                                             cudaTextureObject_t texObject);
extern CW_RTAPI cudaError_t cudaGetTextureObjectTextureDesc(struct cudaTextureDesc *pTexDesc,
                                                            cudaTextureObject_t texObject);
extern CW_RTAPI cudaError_t cudaGetTextureObjectResourceViewDesc(struct cudaResourceViewDesc *pResViewDesc,
                                                                 cudaTextureObject_t texObject);
extern CW_RTAPI cudaError_t cudaMallocArray(cudaArray_t *array, const struct cudaChannelFormatDesc *desc,
                                            size_t width, size_t height CW_DV_(0),
                                            unsigned int flags CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMalloc3DArray(cudaArray_t *array, const struct cudaChannelFormatDesc *desc,
                                              struct cudaExtent extent, unsigned int flags CW_DV_(0));
extern CW_RTAPI cudaError_t cudaFreeArray(cudaArray_t array);
extern CW_RTAPI cudaError_t cudaArrayGetInfo(struct cudaChannelFormatDesc *desc, struct cudaExtent *extent,
                                             unsigned int *flags, cudaArray_t array);
extern CW_RTAPI cudaError_t cudaGetChannelDesc(struct cudaChannelFormatDesc *desc, cudaArray_const_t array);
extern CW_RTAPI cudaError_t cudaMemcpy2DToArray(cudaArray_t dst, size_t wOffset, size_t hOffset, const void *src,
                                                size_t spitch, size_t width, size_t height,
                                                enum cudaMemcpyKind kind);
extern CW_RTAPI cudaError_t cudaMemcpy2DToArrayAsync(cudaArray_t dst, size_t wOffset, size_t hOffset,
                                                     const void *src, size_t spitch, size_t width,
                                                     size_t height, enum cudaMemcpyKind kind,
                                                     cudaStream_t stream CW_DV_(0));
extern CW_RTAPI cudaError_t cudaMemcpy2DFromArray(void *dst, size_t dpitch, cudaArray_const_t src, size_t wOffset,
                                                  size_t hOffset, size_t width, size_t height,
                                                  enum cudaMemcpyKind kind);
extern CW_RTAPI cudaError_t cudaMemcpyToArray(cudaArray_t dst, size_t wOffset, size_t hOffset, const void *src,
                                              size_t count, enum cudaMemcpyKind kind);
extern CW_RTAPI cudaError_t cudaMemcpyFromArray(void *dst, cudaArray_const_t src, size_t wOffset, size_t hOffset,
                                                size_t count, enum cudaMemcpyKind kind);

#if defined(__cplusplus)
}
#endif
#undef CW_DV_

#endif
