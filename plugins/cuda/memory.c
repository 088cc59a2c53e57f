/* memory.c — device, managed and mapped allocations, pinned host memory, and copies/memsets in
 * stream order.  Device addresses are the driver's own (CUdeviceptr); with unified addressing a
 * managed allocation has the same address on the host, and mapped host memory is reached by the
 * device through cuMemHostGetDevicePointer.
 *
 * Synchronous copies are enqueued on the stream and then waited for: that keeps them after the
 * stream's earlier work, as the ABI asks, whatever kind of stream it is. */
#include "cuda-plugin.h"

#include <string.h>

static cw_status report(cw_backend *be, CUresult rc, const char *what) {
  if (rc != CUDA_SUCCESS) {
    char text[256];
    cuda_error_text(&be->driver, rc, text, sizeof text);
    cw_log(CW_LOG_DEBUG, "cuda", "%s: %s", what, text);
  }
  return cuda_status(rc);
}

static void remember(cw_backend *be, uint64_t addr, cuda_alloc_kind kind, int dev, void *host) {
  cuda_alloc *a = g_new0(cuda_alloc, 1);
  a->kind = kind;
  a->dev = dev;
  a->host = host;
  uint64_t *key = g_new(uint64_t, 1);
  *key = addr;
  g_mutex_lock(&be->lock);
  g_hash_table_replace(be->allocs, key, a);
  g_mutex_unlock(&be->lock);
}

static cw_status mem_alloc(cw_backend *be, int dev, size_t bytes, uint32_t flags, uint64_t *addr) {
  *addr = 0;
  cw_status st = cuda_enter(be, dev);
  if (st != CW_OK) return st;
  cuda_driver *d = &be->driver;
  CUdeviceptr p = 0;
  CUresult rc;
  if (flags & CW_MEM_MANAGED) {
    rc = d->cuMemAllocManaged(&p, bytes, CU_MEM_ATTACH_GLOBAL);
    if (rc != CUDA_SUCCESS) return report(be, rc, "cuMemAllocManaged");
    remember(be, p, CUDA_ALLOC_MANAGED, dev, (void *)(uintptr_t)p);
  } else if (flags & CW_MEM_HOST_MAPPED) {
    void *host = NULL;
    rc = d->cuMemHostAlloc(&host, bytes, CU_MEMHOSTALLOC_PORTABLE | CU_MEMHOSTALLOC_DEVICEMAP);
    if (rc != CUDA_SUCCESS) return report(be, rc, "cuMemHostAlloc");
    rc = d->cuMemHostGetDevicePointer(&p, host, 0);
    if (rc != CUDA_SUCCESS) {
      d->cuMemFreeHost(host);
      return report(be, rc, "cuMemHostGetDevicePointer");
    }
    remember(be, p, CUDA_ALLOC_MAPPED, dev, host);
  } else {
    rc = d->cuMemAlloc(&p, bytes);
    if (rc != CUDA_SUCCESS) return report(be, rc, "cuMemAlloc");
    remember(be, p, CUDA_ALLOC_DEVICE, dev, NULL);
  }
  *addr = p;
  return CW_OK;
}

static cw_status mem_free(cw_backend *be, int dev, uint64_t addr) {
  g_mutex_lock(&be->lock);
  cuda_alloc *a = g_hash_table_lookup(be->allocs, &addr);
  cuda_alloc copy = a ? *a : (cuda_alloc){0};
  if (a) g_hash_table_remove(be->allocs, &addr);
  g_mutex_unlock(&be->lock);
  if (!a) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(be, copy.dev >= 0 ? copy.dev : dev);
  if (st != CW_OK) return st;
  if (copy.kind == CUDA_ALLOC_MAPPED)
    return report(be, be->driver.cuMemFreeHost(copy.host), "cuMemFreeHost");
  return report(be, be->driver.cuMemFree((CUdeviceptr)addr), "cuMemFree");
}

static cw_status mem_alloc_host(cw_backend *be, size_t bytes, void **ptr) {
  *ptr = NULL;
  cw_status st = cuda_enter(be, 0);  /* portable: pinned for every context */
  if (st != CW_OK) return st;
  return report(be, be->driver.cuMemHostAlloc(ptr, bytes, CU_MEMHOSTALLOC_PORTABLE), "cuMemHostAlloc");
}

static cw_status mem_free_host(cw_backend *be, void *ptr) {
  cw_status st = cuda_enter(be, 0);
  if (st != CW_OK) return st;
  return report(be, be->driver.cuMemFreeHost(ptr), "cuMemFreeHost");
}

/* Waits for the stream unless the copy may stay asynchronous. */
static cw_status finish(cw_stream *s, CUresult rc, bool async, const char *what) {
  if (rc != CUDA_SUCCESS) return report(s->be, rc, what);
  if (async) return CW_OK;
  return report(s->be, s->be->driver.cuStreamSynchronize(s->s), what);
}

static cw_status copy_h2d(cw_stream *s, uint64_t dst, const void *src, size_t bytes, bool async) {
  if (!s) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  if (!bytes) return CW_OK;
  return finish(s, s->be->driver.cuMemcpyHtoDAsync(dst, src, bytes, s->s), async, "cuMemcpyHtoDAsync");
}

static cw_status copy_d2h(cw_stream *s, void *dst, uint64_t src, size_t bytes, bool async) {
  if (!s) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  if (!bytes) return CW_OK;
  return finish(s, s->be->driver.cuMemcpyDtoHAsync(dst, src, bytes, s->s), async, "cuMemcpyDtoHAsync");
}

static cw_status copy_d2d(cw_stream *s, uint64_t dst, uint64_t src, size_t bytes, bool async) {
  if (!s) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  if (!bytes) return CW_OK;
  return finish(s, s->be->driver.cuMemcpyDtoDAsync(dst, src, bytes, s->s), async, "cuMemcpyDtoDAsync");
}

static cw_status mem_set(cw_stream *s, uint64_t dst, int value, size_t bytes, bool async) {
  if (!s) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  if (!bytes) return CW_OK;
  return finish(s, s->be->driver.cuMemsetD8Async(dst, (unsigned char)value, bytes, s->s), async,
                "cuMemsetD8Async");
}

static cw_status mem_info(cw_backend *be, int dev, size_t *free_bytes, size_t *total_bytes) {
  *free_bytes = *total_bytes = 0;
  cw_status st = cuda_enter(be, dev);
  if (st != CW_OK) return st;
  return report(be, be->driver.cuMemGetInfo(free_bytes, total_bytes), "cuMemGetInfo");
}

static void *host_pointer(cw_backend *be, uint64_t addr) {
  g_mutex_lock(&be->lock);
  cuda_alloc *a = g_hash_table_lookup(be->allocs, &addr);
  void *host = a ? a->host : NULL;
  g_mutex_unlock(&be->lock);
  return host;
}

const cw_memory_ops cuda_memory_ops = {
  .struct_size = sizeof(cw_memory_ops),
  .alloc = mem_alloc,
  .free = mem_free,
  .alloc_host = mem_alloc_host,
  .free_host = mem_free_host,
  .copy_h2d = copy_h2d,
  .copy_d2h = copy_d2h,
  .copy_d2d = copy_d2d,
  .memset = mem_set,
  .mem_info = mem_info,
  .host_pointer = host_pointer,
};
