/* memory.c — allocation (device, pinned, mapped, managed, pitched, stream-ordered), copies,
 * memset, pointer attributes.  Every address handed out is recorded in the allocation tables, so
 * that copy directions follow the pointers' real kinds and a wrong pointer is cudaErrorInvalidValue
 * instead of a crash. */
#include <string.h>

#include "runtime/rt_internal.h"

#define CW_PITCH_ALIGN 512     /* cudaMallocPitch rows start at multiples of this (as on GPUs) */
#define CW_ALLOC_FROM_POOL 0x100u  /* cw_rt_alloc.flags: made by cudaMallocAsync */

static cw_rt_backend *B(void) { return &cw_rt_get()->backend; }

/* ---- allocation ---- */

/* Enters `a` in the device address table.  On a clash (the backend handed out an address that
 * overlaps a live allocation) the backend allocation at `backend_addr` is freed and the error
 * logged. */
cudaError_t cw_rt_track_device_alloc(const cw_rt_alloc *a, uint64_t backend_addr) {
  if (cw_rt_alloc_table_add(cw_rt_device_table(), a)) return cudaSuccess;
  B()->mem.free(B()->be, a->device, backend_addr);
  cw_log(CW_LOG_ERROR, "runtime", "backend %s returned address 0x%llx that overlaps a live allocation",
         B()->name, (unsigned long long)backend_addr);
  return cudaErrorUnknown;
}

static cudaError_t device_alloc(int dev, size_t size, uint32_t mem_flags, cw_rt_alloc_kind kind,
                                unsigned int flags, uint64_t *out) {
  uint64_t addr = 0;
  cw_status st = B()->mem.alloc(B()->be, dev, size, mem_flags, &addr);
  if (st != CW_OK) return st == CW_ERR_OUT_OF_MEMORY ? cudaErrorMemoryAllocation : cw_rt_status_error(st);
  cw_rt_alloc a = {.base = addr, .size = size, .kind = kind, .device = dev, .flags = flags};
  cudaError_t e = cw_rt_track_device_alloc(&a, addr);
  if (e == cudaSuccess) *out = addr;
  return e;
}

static cudaError_t malloc_common(void **devPtr, size_t size, cw_rt_alloc_kind kind, unsigned int flags) {
  if (!devPtr) return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  if (size == 0) {   /* CUDA: success, and a NULL pointer */
    *devPtr = NULL;
    return cudaSuccess;
  }
  cw_rt_lock();
  uint64_t addr = 0;
  /* Managed memory: one address for host code and kernels (managed.c). */
  e = kind == CW_ALLOC_MANAGED ? cw_rt_managed_alloc(dev, size, flags, &addr)
                               : device_alloc(dev, size, 0, kind, flags, &addr);
  cw_rt_unlock();
  if (e != cudaSuccess) return cw_rt_error(e);
  *devPtr = (void *)(uintptr_t)addr;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaMalloc(void **devPtr, size_t size) {
  return malloc_common(devPtr, size, CW_ALLOC_DEVICE, 0);
}

CW_RT_API cudaError_t cudaMallocManaged(void **devPtr, size_t size, unsigned int flags) {
  if (flags != cudaMemAttachGlobal && flags != cudaMemAttachHost) return cw_rt_error(cudaErrorInvalidValue);
  return malloc_common(devPtr, size, CW_ALLOC_MANAGED, flags);
}

CW_RT_API cudaError_t cudaMallocPitch(void **devPtr, size_t *pitch, size_t width, size_t height) {
  if (!pitch) return cw_rt_error(cudaErrorInvalidValue);
  size_t p = (width + CW_PITCH_ALIGN - 1) / CW_PITCH_ALIGN * CW_PITCH_ALIGN;
  if (height && p > SIZE_MAX / height) return cw_rt_error(cudaErrorMemoryAllocation);
  cudaError_t e = malloc_common(devPtr, p * height, CW_ALLOC_DEVICE, 0);
  if (e == cudaSuccess) *pitch = p;
  return e;
}

/* Frees a device-table allocation made by cudaMalloc*; `sync` waits for the device first. */
static cudaError_t free_device(void *devPtr, bool sync) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return e;
  if (!devPtr) return cudaSuccess;
  uint64_t addr = (uint64_t)(uintptr_t)devPtr;
  cw_rt_lock();
  const cw_rt_alloc *a = cw_rt_alloc_table_find(cw_rt_device_table(), addr);
  if (!a || a->base != addr || (a->kind != CW_ALLOC_DEVICE && a->kind != CW_ALLOC_MANAGED) ||
      (a->flags & CW_ALLOC_VARIABLE)) {
    cw_rt_unlock();
    return cudaErrorInvalidValue;
  }
  int owner = a->device;
  bool emulated = (a->flags & CW_ALLOC_EMULATED) != 0;
  /* cudaFree waits for the device, so no kernel can still be using the memory; it is a
   * synchronization point for managed memory too. */
  if (sync) e = cw_rt_device_sync(owner);
  if (e == cudaSuccess && sync) e = cw_rt_managed_to_host();
  if (e == cudaSuccess && emulated) {
    e = cw_rt_managed_free(addr);
  } else if (e == cudaSuccess) {
    cw_rt_alloc_table_remove(cw_rt_device_table(), addr, NULL);
    e = cw_rt_status_error(B()->mem.free(B()->be, owner, addr));
  }
  cw_rt_unlock();
  return e;
}

CW_RT_API cudaError_t cudaFree(void *devPtr) {
  cudaError_t e = free_device(devPtr, true);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaHostAlloc(void **pHost, size_t size, unsigned int flags) {
  const unsigned int known = cudaHostAllocPortable | cudaHostAllocMapped | cudaHostAllocWriteCombined;
  if (!pHost || (flags & ~known)) return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  if (size == 0) {
    *pHost = NULL;
    return cudaSuccess;
  }
  cw_rt_lock();
  void *host = NULL;
  if (flags & cudaHostAllocMapped) {
    /* Host memory the device can address: allocated by the backend as mapped memory. */
    uint64_t addr = 0;
    e = device_alloc(dev, size, CW_MEM_HOST_MAPPED, CW_ALLOC_MAPPED, flags, &addr);
    if (e == cudaSuccess) {
      host = B()->mem.host_pointer ? B()->mem.host_pointer(B()->be, addr) : NULL;
      cw_rt_alloc h = {.base = (uint64_t)(uintptr_t)host, .size = size, .kind = CW_ALLOC_MAPPED,
                       .device = dev, .device_addr = addr, .host = host, .flags = flags};
      if (!host || !cw_rt_alloc_table_add(cw_rt_host_table(), &h)) {
        cw_rt_alloc_table_remove(cw_rt_device_table(), addr, NULL);
        B()->mem.free(B()->be, dev, addr);
        cw_rt_set_detail("backend %s cannot map host memory for the device", B()->name);
        e = cudaErrorNotSupported;
      } else {
        /* Remember the host pointer on the device entry too (pointer attributes). */
        cw_rt_alloc *d = (cw_rt_alloc *)cw_rt_alloc_table_find(cw_rt_device_table(), addr);
        d->host = host;
      }
    }
  } else {
    cw_status st = B()->mem.alloc_host(B()->be, size, &host);
    if (st != CW_OK) {
      e = st == CW_ERR_OUT_OF_MEMORY ? cudaErrorMemoryAllocation : cw_rt_status_error(st);
    } else {
      cw_rt_alloc h = {.base = (uint64_t)(uintptr_t)host, .size = size, .kind = CW_ALLOC_HOST,
                       .device = dev, .host = host, .flags = flags};
      if (!cw_rt_alloc_table_add(cw_rt_host_table(), &h)) {
        B()->mem.free_host(B()->be, host);
        e = cudaErrorUnknown;
      }
    }
  }
  cw_rt_unlock();
  if (e != cudaSuccess) return cw_rt_error(e);
  *pHost = host;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaMallocHost(void **ptr, size_t size) { return cudaHostAlloc(ptr, size, 0); }

CW_RT_API cudaError_t cudaFreeHost(void *ptr) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  if (!ptr) return cudaSuccess;
  uint64_t base = (uint64_t)(uintptr_t)ptr;
  cw_rt_lock();
  const cw_rt_alloc *a = cw_rt_alloc_table_find(cw_rt_host_table(), base);
  if (!a || a->base != base) {
    cw_rt_unlock();
    return cw_rt_error(cudaErrorInvalidValue);
  }
  cw_rt_alloc h = *a;
  e = cw_rt_device_sync(h.device);   /* async copies may still read it */
  if (e == cudaSuccess) e = cw_rt_managed_to_host();
  if (e == cudaSuccess) {
    cw_rt_alloc_table_remove(cw_rt_host_table(), base, NULL);
    if (h.kind == CW_ALLOC_MAPPED) {
      cw_rt_alloc_table_remove(cw_rt_device_table(), h.device_addr, NULL);
      e = cw_rt_status_error(B()->mem.free(B()->be, h.device, h.device_addr));
    } else {
      e = cw_rt_status_error(B()->mem.free_host(B()->be, ptr));
    }
  }
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaHostGetDevicePointer(void **pDevice, void *pHost, unsigned int flags) {
  if (!pDevice || !pHost || flags != 0) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  uint64_t p = (uint64_t)(uintptr_t)pHost;
  cw_rt_lock();
  const cw_rt_alloc *h = cw_rt_alloc_table_find(cw_rt_host_table(), p);
  const cw_rt_alloc *d = cw_rt_alloc_table_find(cw_rt_device_table(), p);
  e = cudaErrorInvalidValue;
  if (h && h->kind == CW_ALLOC_MAPPED) {
    *pDevice = (void *)(uintptr_t)(h->device_addr + (p - h->base));
    e = cudaSuccess;
  } else if (d && d->kind == CW_ALLOC_MANAGED) {
    *pDevice = pHost;
    e = cudaSuccess;
  }
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaHostGetFlags(unsigned int *pFlags, void *pHost) {
  if (!pFlags) return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_lock();
  const cw_rt_alloc *h = cw_rt_alloc_table_find(cw_rt_host_table(), (uint64_t)(uintptr_t)pHost);
  if (h) *pFlags = h->flags;
  cw_rt_unlock();
  return h ? cudaSuccess : cw_rt_error(cudaErrorInvalidValue);
}

/* ---- stream-ordered allocation (one default pool per device) ---- */

struct CUmemPoolHandle_st {
  int device;
  int reuse[3];                  /* cudaMemPoolReuse* */
  uint64_t release_threshold;
  uint64_t used, used_high;      /* bytes allocated through cudaMallocAsync */
};
static struct CUmemPoolHandle_st pools[CW_RT_MAX_DEVICES];

CW_RT_API cudaError_t cudaMallocAsync(void **devPtr, size_t size, cudaStream_t hStream) {
  int dev;
  cudaError_t e = devPtr ? cw_rt_ready_device(&dev) : cudaErrorInvalidValue;
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(hStream, dev, &s);
  uint64_t addr = 0;
  /* The memory exists from now on, which is (earlier than) what stream order requires. */
  if (e == cudaSuccess && size) e = device_alloc(dev, size, 0, CW_ALLOC_DEVICE, CW_ALLOC_FROM_POOL, &addr);
  if (e == cudaSuccess) {
    pools[dev].used += size;
    if (pools[dev].used > pools[dev].used_high) pools[dev].used_high = pools[dev].used;
  }
  cw_rt_unlock();
  if (e != cudaSuccess) return cw_rt_error(e);
  *devPtr = (void *)(uintptr_t)addr;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaFreeAsync(void *devPtr, cudaStream_t hStream) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  if (!devPtr) return cw_rt_error(cudaErrorInvalidValue);
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(hStream, dev, &s);
  const cw_rt_alloc *a = cw_rt_alloc_table_find(cw_rt_device_table(), (uint64_t)(uintptr_t)devPtr);
  if (e == cudaSuccess && (!a || a->base != (uint64_t)(uintptr_t)devPtr)) e = cudaErrorInvalidValue;
  size_t size = a ? a->size : 0;
  bool from_pool = a && (a->flags & CW_ALLOC_FROM_POOL);
  int owner = a ? a->device : dev;
  /* Freed once the work queued before it on the stream has completed. */
  if (e == cudaSuccess) e = cw_rt_stream_sync(s);
  if (e == cudaSuccess) e = free_device(devPtr, false);
  if (e == cudaSuccess && from_pool) pools[owner].used -= size;
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

void cw_rt_pool_reset(int dev) {
  pools[dev].used = pools[dev].used_high = 0;
}

CW_RT_API cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t *memPool, int device) {
  cudaError_t e = memPool ? cw_rt_ready() : cudaErrorInvalidValue;
  if (e != cudaSuccess) return cw_rt_error(e);
  if (device < 0 || device >= cw_rt_get()->backend.device_count) return cw_rt_error(cudaErrorInvalidDevice);
  pools[device].device = device;
  *memPool = &pools[device];
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaDeviceGetMemPool(cudaMemPool_t *memPool, int device) {
  return cudaDeviceGetDefaultMemPool(memPool, device);
}

static bool pool_valid(cudaMemPool_t p) {
  return p >= &pools[0] && p < &pools[CW_RT_MAX_DEVICES] &&
         p->device < cw_rt_get()->backend.device_count;
}

CW_RT_API cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t memPool, enum cudaMemPoolAttr attr,
                                              void *value) {
  if (!value || !pool_valid(memPool)) return cw_rt_error(cudaErrorInvalidValue);
  switch (attr) {
  case cudaMemPoolReuseFollowEventDependencies:
  case cudaMemPoolReuseAllowOpportunistic:
  case cudaMemPoolReuseAllowInternalDependencies:
    memPool->reuse[attr - 1] = *(int *)value;
    return cudaSuccess;
  case cudaMemPoolAttrReleaseThreshold:
    memPool->release_threshold = *(uint64_t *)value;
    return cudaSuccess;
  case cudaMemPoolAttrReservedMemHigh:
  case cudaMemPoolAttrUsedMemHigh:
    /* Only resetting the high-water marks (to 0) is allowed. */
    if (*(uint64_t *)value != 0) return cw_rt_error(cudaErrorInvalidValue);
    memPool->used_high = memPool->used;
    return cudaSuccess;
  default:
    return cw_rt_error(cudaErrorInvalidValue);
  }
}

CW_RT_API cudaError_t cudaMemPoolGetAttribute(cudaMemPool_t memPool, enum cudaMemPoolAttr attr,
                                              void *value) {
  if (!value || !pool_valid(memPool)) return cw_rt_error(cudaErrorInvalidValue);
  switch (attr) {
  case cudaMemPoolReuseFollowEventDependencies:
  case cudaMemPoolReuseAllowOpportunistic:
  case cudaMemPoolReuseAllowInternalDependencies:
    *(int *)value = memPool->reuse[attr - 1];
    return cudaSuccess;
  case cudaMemPoolAttrReleaseThreshold: *(uint64_t *)value = memPool->release_threshold; return cudaSuccess;
  /* Nothing is cached: reserved memory is what is in use. */
  case cudaMemPoolAttrReservedMemCurrent:
  case cudaMemPoolAttrUsedMemCurrent: *(uint64_t *)value = memPool->used; return cudaSuccess;
  case cudaMemPoolAttrReservedMemHigh:
  case cudaMemPoolAttrUsedMemHigh: *(uint64_t *)value = memPool->used_high; return cudaSuccess;
  default: return cw_rt_error(cudaErrorInvalidValue);
  }
}

/* Freed memory goes straight back to the backend, so there is never anything to trim. */
CW_RT_API cudaError_t cudaMemPoolTrimTo(cudaMemPool_t memPool, size_t minBytesToKeep) {
  (void)minBytesToKeep;
  return pool_valid(memPool) ? cudaSuccess : cw_rt_error(cudaErrorInvalidValue);
}

/* ---- pointer attributes ---- */

CW_RT_API cudaError_t cudaPointerGetAttributes(struct cudaPointerAttributes *attributes, const void *ptr) {
  if (!attributes) return cw_rt_error(cudaErrorInvalidValue);
  memset(attributes, 0, sizeof *attributes);
  attributes->type = cudaMemoryTypeUnregistered;
  attributes->device = cudaInvalidDeviceId;
  uint64_t p = (uint64_t)(uintptr_t)ptr;
  cw_rt_lock();
  const cw_rt_alloc *d = cw_rt_alloc_table_find(cw_rt_device_table(), p);
  const cw_rt_alloc *h = d ? NULL : cw_rt_alloc_table_find(cw_rt_host_table(), p);
  if (d) {
    attributes->device = d->device;
    attributes->devicePointer = (void *)ptr;
    switch (d->kind) {
    case CW_ALLOC_MANAGED:
      attributes->type = cudaMemoryTypeManaged;
      attributes->hostPointer = (void *)ptr;
      break;
    case CW_ALLOC_MAPPED:
      attributes->type = cudaMemoryTypeHost;
      attributes->hostPointer = (char *)d->host + (p - d->base);
      break;
    default:
      attributes->type = cudaMemoryTypeDevice;
      break;
    }
  } else if (h) {
    attributes->type = cudaMemoryTypeHost;
    attributes->device = h->device;
    attributes->hostPointer = (void *)ptr;
    if (h->kind == CW_ALLOC_MAPPED)
      attributes->devicePointer = (void *)(uintptr_t)(h->device_addr + (p - h->base));
  }
  cw_rt_unlock();
  return cudaSuccess;
}

/* ---- copies ---- */

/* A side of a copy in emulated managed memory is used through its host copy (managed.c). */
static cudaError_t managed_sides(cw_rt_copy_dir *dir, uint64_t da, uint64_t sa, size_t dlen, size_t slen) {
  bool d_dev = *dir == CW_COPY_H2D || *dir == CW_COPY_D2D, s_dev = *dir == CW_COPY_D2H || *dir == CW_COPY_D2D;
  bool d_host = false, s_host = false;
  cudaError_t e = cw_rt_managed_copy_sides(d_dev ? da : 0, d_dev ? dlen : 0, s_dev ? sa : 0, s_dev ? slen : 0,
                                           &d_host, &s_host);
  d_dev = d_dev && !d_host;
  s_dev = s_dev && !s_host;
  *dir = d_dev ? (s_dev ? CW_COPY_D2D : CW_COPY_H2D) : (s_dev ? CW_COPY_D2H : CW_COPY_H2H);
  return e;
}

/* Host memory a copy may read or write after the call returned: only pinned memory (CUDA stages
 * pageable memory, so the caller may reuse it at once). */
static bool host_side_pinned(const void *p) {
  return cw_rt_classify(NULL, cw_rt_host_table(), p).cls == CW_PTR_PINNED;
}

static cudaError_t copy_on(cw_rt_stream *s, cw_rt_copy_dir dir, void *dst, const void *src,
                           uint64_t dst_addr, uint64_t src_addr, size_t count, bool async) {
  cw_status st = CW_OK;
  switch (dir) {
  case CW_COPY_H2H: {
    /* Stream order still applies to a host-to-host cudaMemcpyAsync. */
    cudaError_t e = cw_rt_stream_sync(s);
    if (e != cudaSuccess) return e;
    memmove(dst, src, count);
    return cudaSuccess;
  }
  case CW_COPY_H2D:
    st = B()->mem.copy_h2d(s->s, dst_addr, src, count, async && host_side_pinned(src));
    break;
  case CW_COPY_D2H:
    st = B()->mem.copy_d2h(s->s, dst, src_addr, count, async && host_side_pinned(dst));
    break;
  case CW_COPY_D2D:
    st = B()->mem.copy_d2d(s->s, dst_addr, src_addr, count, async);
    break;
  }
  return cw_rt_status_error(st);
}

cudaError_t cw_rt_memcpy(void *dst, const void *src, size_t count, int kind, cudaStream_t stream,
                         bool sync_api) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return e;
  cw_rt_lock();
  cw_rt_copy_dir dir;
  uint64_t da = 0, sa = 0;
  cw_rt_stream *s = NULL;
  e = cw_rt_plan_copy(cw_rt_device_table(), cw_rt_host_table(), dst, src, count, kind, &dir, &da, &sa);
  if (e == cudaSuccess) e = managed_sides(&dir, da, sa, count, count);
  if (e == cudaSuccess) e = cw_rt_stream_resolve(stream, dev, &s);
  if (e == cudaSuccess && count == 0) {
    cw_rt_unlock();
    return cudaSuccess;
  }
  if (e == cudaSuccess && !(sync_api && dir == CW_COPY_H2H)) e = cw_rt_stream_before_work(s);
  if (e == cudaSuccess) {
    if (sync_api && dir == CW_COPY_H2H) {
      memmove(dst, src, count);
    } else {
      e = copy_on(s, dir, dst, src, da, sa, count, !sync_api);
      if (e == cudaSuccess && (dir == CW_COPY_H2D || dir == CW_COPY_D2D))
        cw_rt_module_symbol_written(da, count, s);
      if (e == cudaSuccess && sync_api) e = cw_rt_stream_sync(s);
    }
  }
  if (e == cudaSuccess && sync_api) e = cw_rt_managed_to_host();
  cw_rt_unlock();
  return e;
}

CW_RT_API cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind) {
  cudaError_t e = cw_rt_memcpy(dst, src, count, kind, NULL, true);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind,
                                      cudaStream_t stream) {
  cudaError_t e = cw_rt_memcpy(dst, src, count, kind, stream, false);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

/* 2D copies: row by row, after checking both whole extents. */
static cudaError_t memcpy2d(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width,
                            size_t height, int kind, cudaStream_t stream, bool sync_api) {
  if (width > dpitch || width > spitch) return cudaErrorInvalidPitchValue;
  if (width == 0 || height == 0) return cudaSuccess;
  if (dpitch == width && spitch == width)
    return cw_rt_memcpy(dst, src, width * height, kind, stream, sync_api);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return e;
  cw_rt_lock();
  cw_rt_copy_dir dir;
  uint64_t da = 0, sa = 0;
  cw_rt_stream *s = NULL;
  e = cw_rt_plan_copy(cw_rt_device_table(), cw_rt_host_table(), dst, src, 1, kind, &dir, &da, &sa);
  size_t dext = dpitch * (height - 1) + width, sext = spitch * (height - 1) + width;
  if (e == cudaSuccess && (dir == CW_COPY_H2D || dir == CW_COPY_D2D) &&
      !cw_rt_alloc_table_range(cw_rt_device_table(), da, dext, NULL))
    e = cudaErrorInvalidValue;
  if (e == cudaSuccess && (dir == CW_COPY_D2H || dir == CW_COPY_D2D) &&
      !cw_rt_alloc_table_range(cw_rt_device_table(), sa, sext, NULL))
    e = cudaErrorInvalidValue;
  if (e == cudaSuccess) e = managed_sides(&dir, da, sa, dext, sext);
  if (e == cudaSuccess) e = cw_rt_stream_resolve(stream, dev, &s);
  if (e == cudaSuccess) e = cw_rt_stream_before_work(s);
  for (size_t r = 0; e == cudaSuccess && r < height; r++)
    e = copy_on(s, dir, (char *)dst + r * dpitch, (const char *)src + r * spitch, da + r * dpitch,
                sa + r * spitch, width, true);
  if (e == cudaSuccess && (dir == CW_COPY_H2D || dir == CW_COPY_D2D)) cw_rt_module_symbol_written(da, dext, s);
  if (e == cudaSuccess && sync_api) e = cw_rt_stream_sync(s);
  if (e == cudaSuccess && sync_api) e = cw_rt_managed_to_host();
  cw_rt_unlock();
  return e;
}

CW_RT_API cudaError_t cudaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width,
                                   size_t height, enum cudaMemcpyKind kind) {
  cudaError_t e = memcpy2d(dst, dpitch, src, spitch, width, height, kind, NULL, true);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemcpy2DAsync(void *dst, size_t dpitch, const void *src, size_t spitch,
                                        size_t width, size_t height, enum cudaMemcpyKind kind,
                                        cudaStream_t stream) {
  cudaError_t e = memcpy2d(dst, dpitch, src, spitch, width, height, kind, stream, false);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

/* ---- memset ---- */

/* `sync_api`: cudaMemset/cudaMemset2D, a synchronization point for managed memory. */
static cudaError_t memset2d(void *devPtr, size_t pitch, int value, size_t width, size_t height,
                            cudaStream_t stream, bool sync_api) {
  if (width > pitch) return cudaErrorInvalidPitchValue;
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return e;
  if (width == 0 || height == 0) return cudaSuccess;
  uint64_t addr = (uint64_t)(uintptr_t)devPtr;
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  size_t extent = pitch * (height - 1) + width;
  bool on_host = false, unused = false;
  const cw_rt_alloc *a = NULL;
  if (!cw_rt_alloc_table_range(cw_rt_device_table(), addr, extent, &a))
    e = cudaErrorInvalidValue;
  /* CUDA: a memset of managed or mapped memory is synchronous with the host (the host may use
   * the memory as soon as it returns); of device memory it is not. */
  bool host_visible = e == cudaSuccess && (a->kind == CW_ALLOC_MANAGED || a->kind == CW_ALLOC_MAPPED);
  if (e == cudaSuccess) e = cw_rt_managed_copy_sides(addr, extent, 0, 0, &on_host, &unused);
  if (e == cudaSuccess) e = cw_rt_stream_resolve(stream, dev, &s);
  if (e == cudaSuccess) e = cw_rt_stream_before_work(s);
  if (e == cudaSuccess && on_host) {   /* emulated managed memory: its host copy is current */
    for (size_t r = 0; r < height; r++) memset((char *)devPtr + r * pitch, value, width);
  } else if (e == cudaSuccess && pitch == width) {
    e = cw_rt_status_error(B()->mem.memset(s->s, addr, value, width * height, true));
  } else {
    for (size_t r = 0; e == cudaSuccess && r < height; r++)
      e = cw_rt_status_error(B()->mem.memset(s->s, addr + r * pitch, value, width, true));
  }
  if (e == cudaSuccess && !on_host) cw_rt_module_symbol_written(addr, extent, s);
  if (e == cudaSuccess && sync_api && host_visible && !on_host) e = cw_rt_stream_sync(s);
  if (e == cudaSuccess && sync_api) e = cw_rt_managed_to_host();
  cw_rt_unlock();
  return e;
}

CW_RT_API cudaError_t cudaMemset(void *devPtr, int value, size_t count) {
  cudaError_t e = memset2d(devPtr, count, value, count, 1, NULL, true);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream) {
  cudaError_t e = memset2d(devPtr, count, value, count, 1, stream, false);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemset2D(void *devPtr, size_t pitch, int value, size_t width, size_t height) {
  cudaError_t e = memset2d(devPtr, pitch, value, width, height, NULL, true);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemset2DAsync(void *devPtr, size_t pitch, int value, size_t width, size_t height,
                                        cudaStream_t stream) {
  cudaError_t e = memset2d(devPtr, pitch, value, width, height, stream, false);
  return e == cudaSuccess ? e : cw_rt_error(e);
}

/* ---- hints: validated, then nothing to do (memory is where the backend put it), except that a
 * prefetch to the CPU brings emulated managed memory back ---- */

static cudaError_t check_managed_range(const void *p, size_t count) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return e;
  const cw_rt_alloc *a = NULL;
  cw_rt_lock();
  bool ok = cw_rt_alloc_table_range(cw_rt_device_table(), (uint64_t)(uintptr_t)p, count, &a) &&
            a->kind == CW_ALLOC_MANAGED;
  cw_rt_unlock();
  return ok ? cudaSuccess : cudaErrorInvalidValue;
}

static bool device_or_cpu(int device) {
  return device == cudaCpuDeviceId || (device >= 0 && device < cw_rt_get()->backend.device_count);
}

CW_RT_API cudaError_t cudaMemPrefetchAsync(const void *devPtr, size_t count, int dstDevice,
                                           cudaStream_t stream) {
  cudaError_t e = check_managed_range(devPtr, count);
  if (e == cudaSuccess && !device_or_cpu(dstDevice)) e = cudaErrorInvalidDevice;
  if (e == cudaSuccess) {
    cw_rt_lock();
    cw_rt_stream *s = NULL;
    e = cw_rt_stream_resolve(stream, cw_rt_current_device(), &s);
    /* To the CPU: emulated managed memory comes back now (kernels before it are waited for). */
    if (e == cudaSuccess && dstDevice == cudaCpuDeviceId) e = cw_rt_managed_to_host();
    cw_rt_unlock();
  }
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemAdvise(const void *devPtr, size_t count, enum cudaMemoryAdvise advice,
                                    int device) {
  cudaError_t e = check_managed_range(devPtr, count);
  if (e == cudaSuccess && (advice < cudaMemAdviseSetReadMostly || advice > cudaMemAdviseUnsetAccessedBy))
    e = cudaErrorInvalidValue;
  if (e == cudaSuccess && advice != cudaMemAdviseSetReadMostly && advice != cudaMemAdviseUnsetReadMostly &&
      !device_or_cpu(device))
    e = cudaErrorInvalidDevice;
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaStreamAttachMemAsync(cudaStream_t stream, void *devPtr, size_t length,
                                               unsigned int flags) {
  if (flags != cudaMemAttachGlobal && flags != cudaMemAttachHost && flags != cudaMemAttachSingle)
    return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = check_managed_range(devPtr, length ? length : 1);
  if (e == cudaSuccess) {
    cw_rt_lock();
    cw_rt_stream *s = NULL;
    e = cw_rt_stream_resolve(stream, cw_rt_current_device(), &s);
    cw_rt_unlock();
  }
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total_bytes) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  size_t f = 0, t = 0;
  cw_rt_lock();
  cw_status st = B()->mem.mem_info ? B()->mem.mem_info(B()->be, dev, &f, &t) : CW_ERR_UNSUPPORTED;
  if (st != CW_OK) {   /* estimate from the caps and what we handed out */
    t = cw_rt_caps(dev)->global_mem_bytes;
    size_t used = 0;
    const cw_rt_alloc_table *d = cw_rt_device_table();
    for (size_t i = 0; i < cw_rt_alloc_table_count(d); i++) {
      const cw_rt_alloc *a = cw_rt_alloc_table_at(d, i);
      if (a->device == dev && a->kind != CW_ALLOC_SYMBOL) used += a->size;
    }
    f = used < t ? t - used : 0;
  }
  cw_rt_unlock();
  if (free_bytes) *free_bytes = f;
  if (total_bytes) *total_bytes = t;
  return cudaSuccess;
}
