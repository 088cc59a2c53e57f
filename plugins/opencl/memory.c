/* memory.c — device memory in the device's address model (opencl-plugin.h).
 * SVM: clSVMAlloc blocks named by their own addresses (svm.c); managed memory is a fine-grained
 * block where the device has those.
 * Buffers: cl_mem buffers named by addresses from libcw's reserved range (cw_addr_table), so
 * host code can do pointer arithmetic on them (cudaMemcpy(d + 100, ...)): any address inside an
 * allocation maps to (buffer, offset).  Managed memory, on devices whose memory is the host's
 * (CL_DEVICE_HOST_UNIFIED_MEMORY, e.g. PoCL on the CPU), is host memory wrapped by a
 * CL_MEM_USE_HOST_PTR buffer, named by its host address.
 * Either way, copies and fills run on the
 * stream's in-order queue; a synchronous call waits for the queue (all earlier work included).
 * Host→device copies are always blocking writes (the host buffer may be reused at once, as
 * CUDA allows for pageable memory); device→host copies are asynchronous when asked.
 * Large freed buffers go to a pool for the next allocation of their size (pool.c). */
#include <stdlib.h>
#include <string.h>

#include "opencl-plugin.h"

static ocl_alloc *find_host(cw_backend *be, uint64_t addr, size_t *off) {
  ocl_alloc *found = NULL;
  g_mutex_lock(&be->lock);
  for (guint i = 0; i < be->host_allocs->len && !found; i++) {
    ocl_alloc *a = be->host_allocs->pdata[i];
    uint64_t base = (uint64_t)(uintptr_t)a->host;
    if (addr >= base && addr <= base + a->size) found = a, *off = (size_t)(addr - base);
  }
  g_mutex_unlock(&be->lock);
  return found;
}

bool ocl_lookup(cw_backend *be, uint64_t addr, cl_mem *mem, size_t *offset, size_t *room) {
  void *buf = NULL;
  size_t off = 0, size = 0;
  if (!be) return false;
  if (!cw_addr_table_lookup(be->addrs, addr, &buf, &off, &size) || !buf) buf = find_host(be, addr, &off);
  if (!buf) return false;
  ocl_alloc *a = buf;
  *mem = a->mem;
  *offset = off;
  *room = a->size > off ? a->size - off : 0;
  return true;
}

uint64_t ocl_register_buffer(cw_backend *be, int dev, cl_mem mem, size_t size) {
  ocl_alloc *a = g_new0(ocl_alloc, 1);
  a->mem = mem;
  a->dev = dev;
  a->size = size;
  return cw_addr_table_insert(be->addrs, a, size ? size : 1);
}

void ocl_unregister_buffer(cw_backend *be, uint64_t addr) {
  ocl_alloc *a = cw_addr_table_remove(be->addrs, addr);
  g_free(a);  /* the buffer itself belongs to the caller */
}

/* One address for host and device: only where the device works on host memory directly. */
static cw_status alloc_managed(cw_backend *be, int dev, size_t bytes, uint64_t *addr) {
  const cl_dev *d = &be->devices[dev];
  if (d->svm_mode) {
    /* a buffer around host memory would be no SVM pointer: fine-grained SVM or nothing (the
     * runtime then emulates managed memory by copies) */
    if (!(d->svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER)) return CW_ERR_UNSUPPORTED;
    return ocl_svm_alloc(be, dev, bytes, true, addr);
  }
  if (!d->unified) return CW_ERR_UNSUPPORTED;
  void *host = NULL;
  if (posix_memalign(&host, 4096, bytes ? bytes : 1) != 0) return CW_ERR_OUT_OF_MEMORY;
  memset(host, 0, bytes ? bytes : 1);
  cl_int rc;
  cl_mem m = clCreateBuffer(be->devices[dev].ctx, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR,
                            bytes ? bytes : 1, host, &rc);
  if (rc != CL_SUCCESS || !m) {
    free(host);
    return CW_ERR_OUT_OF_MEMORY;
  }
  ocl_alloc *a = g_new0(ocl_alloc, 1);
  a->mem = m, a->dev = dev, a->size = bytes, a->host = host;
  g_mutex_lock(&be->lock);
  g_ptr_array_add(be->host_allocs, a);
  be->allocated += bytes;
  g_mutex_unlock(&be->lock);
  *addr = (uint64_t)(uintptr_t)host;
  return CW_OK;
}

static cw_status mem_alloc(cw_backend *be, int dev, size_t bytes, uint32_t flags, uint64_t *addr) {
  *addr = 0;
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  char err[256];
  cw_status st = ocl_dev_context(be, dev, err, sizeof err);
  if (st != CW_OK) return st;
  if (be->devices[dev].max_alloc && bytes > be->devices[dev].max_alloc) return CW_ERR_OUT_OF_MEMORY;
  if (flags & (CW_MEM_MANAGED | CW_MEM_HOST_MAPPED)) return alloc_managed(be, dev, bytes, addr);
  if (be->devices[dev].svm_mode) return ocl_svm_alloc(be, dev, bytes, false, addr);
  size_t cap = ocl_pool_capacity(bytes);
  cl_int rc = CL_SUCCESS;
  cl_mem m = ocl_pool_take(be, dev, cap);
  if (!m) m = clCreateBuffer(be->devices[dev].ctx, CL_MEM_READ_WRITE, cap, NULL, &rc);
  if ((rc != CL_SUCCESS || !m) && ocl_pool_drain(be))  /* memory held for reuse: give it back */
    m = clCreateBuffer(be->devices[dev].ctx, CL_MEM_READ_WRITE, cap, NULL, &rc);
  if (rc != CL_SUCCESS || !m)
    return rc == CL_MEM_OBJECT_ALLOCATION_FAILURE || rc == CL_OUT_OF_RESOURCES ||
                   rc == CL_OUT_OF_HOST_MEMORY || rc == CL_INVALID_BUFFER_SIZE
               ? CW_ERR_OUT_OF_MEMORY : CW_ERR_DRIVER;
  *addr = ocl_register_buffer(be, dev, m, bytes);
  g_mutex_lock(&be->lock);
  be->allocated += bytes;
  g_mutex_unlock(&be->lock);
  return CW_OK;
}

static cw_status mem_free(cw_backend *be, int dev, uint64_t addr) {
  (void)dev;
  if (!be) return CW_ERR_INVALID_VALUE;
  /* SVM: the runtime has synchronized what may use the block (cudaFree: the device,
   * cudaFreeAsync: the stream); managed memory is shared with the host, so the whole device */
  ocl_alloc *sa = ocl_svm_remove(be, addr);
  if (sa) {
    ocl_texcache_forget(be, addr, sa->size ? sa->size : 1);
    if (sa->host) opencl_device_synchronize(be, sa->dev);
    ocl_svm_release(be, sa);
    return CW_OK;
  }
  ocl_alloc *a = cw_addr_table_remove(be->addrs, addr);
  if (a) ocl_texcache_forget(be, addr, a->size ? a->size : 1);
  if (!a) {
    size_t off = 1;
    a = find_host(be, addr, &off);
    if (!a || off != 0) return CW_ERR_INVALID_VALUE;
    opencl_device_synchronize(be, a->dev);  /* the host memory goes away with it: no user left */
    g_mutex_lock(&be->lock);
    g_ptr_array_remove(be->host_allocs, a);
    g_mutex_unlock(&be->lock);
  }
  /* a released buffer is freed by the driver once queued work no longer uses it */
  if (a->host || !ocl_pool_put(be, a->dev, a->mem, ocl_pool_capacity(a->size))) clReleaseMemObject(a->mem);
  free(a->host);
  g_mutex_lock(&be->lock);
  be->allocated -= MIN(be->allocated, a->size);
  g_mutex_unlock(&be->lock);
  g_free(a);
  return CW_OK;
}

static cw_status alloc_host(cw_backend *be, size_t bytes, void **ptr) {
  (void)be;
  *ptr = NULL;
  if (posix_memalign(ptr, 4096, bytes ? bytes : 1) != 0) return CW_ERR_OUT_OF_MEMORY;
  return CW_OK;
}

static cw_status free_host(cw_backend *be, void *ptr) {
  (void)be;
  free(ptr);
  return CW_OK;
}

static cw_status cl_status(cl_int rc) {
  switch (rc) {
  case CL_SUCCESS: return CW_OK;
  case CL_MEM_OBJECT_ALLOCATION_FAILURE: case CL_OUT_OF_RESOURCES: case CL_OUT_OF_HOST_MEMORY:
    return CW_ERR_OUT_OF_MEMORY;
  case CL_INVALID_VALUE: case CL_INVALID_MEM_OBJECT: case CL_MEM_COPY_OVERLAP:
    return CW_ERR_INVALID_VALUE;
  default: return CW_ERR_DRIVER;
  }
}

/* Resolves a buffer range; false when it is not inside one buffer. */
static bool range(cw_backend *be, uint64_t addr, size_t bytes, cl_mem *m, size_t *off) {
  size_t room = 0;
  return ocl_lookup(be, addr, m, off, &room) && bytes <= room;
}

/* Whether a device range lies inside one SVM block. */
static bool svm_range(cw_backend *be, uint64_t addr, size_t bytes) {
  size_t off = 0;
  const ocl_alloc *a = ocl_svm_find(be, addr, &off);
  return a && bytes <= a->size - off;
}

static cw_status finish(cw_stream *s, bool async, cl_int rc) {
  if (rc != CL_SUCCESS) return cl_status(rc);
  if (async) return CW_OK;
  return opencl_stream_synchronize(s);
}

static cw_status copy_h2d(cw_stream *s, uint64_t dst, const void *src, size_t bytes, bool async) {
  s = ocl_stream_resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  ocl_texcache_forget(s->be, dst, bytes);
  (void)async;  /* blocking either way: the source may be reused as soon as we return */
  if (svm_range(s->be, dst, bytes))
    return finish(s, true, clEnqueueSVMMemcpy(s->q, CL_TRUE, (void *)(uintptr_t)dst, src, bytes, 0, NULL, NULL));
  cl_mem m;
  size_t off;
  if (!range(s->be, dst, bytes, &m, &off)) return CW_ERR_INVALID_VALUE;
  cl_int rc = clEnqueueWriteBuffer(s->q, m, CL_TRUE, off, bytes, src, 0, NULL, NULL);
  return finish(s, true, rc);
}

static cw_status copy_d2h(cw_stream *s, void *dst, uint64_t src, size_t bytes, bool async) {
  s = ocl_stream_resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  if (svm_range(s->be, src, bytes))
    return finish(s, async, clEnqueueSVMMemcpy(s->q, async ? CL_FALSE : CL_TRUE, dst,
                                               (const void *)(uintptr_t)src, bytes, 0, NULL, NULL));
  cl_mem m;
  size_t off;
  if (!range(s->be, src, bytes, &m, &off)) return CW_ERR_INVALID_VALUE;
  cl_int rc = clEnqueueReadBuffer(s->q, m, async ? CL_FALSE : CL_TRUE, off, bytes, dst, 0, NULL, NULL);
  return finish(s, async, rc);
}

static cw_status copy_d2d(cw_stream *s, uint64_t dst, uint64_t src, size_t bytes, bool async) {
  s = ocl_stream_resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  ocl_texcache_forget(s->be, dst, bytes);
  if (svm_range(s->be, dst, bytes) && svm_range(s->be, src, bytes))
    return finish(s, async, clEnqueueSVMMemcpy(s->q, CL_FALSE, (void *)(uintptr_t)dst,
                                               (const void *)(uintptr_t)src, bytes, 0, NULL, NULL));
  cl_mem dm, sm;
  size_t doff, soff;
  if (!range(s->be, dst, bytes, &dm, &doff) || !range(s->be, src, bytes, &sm, &soff))
    return CW_ERR_INVALID_VALUE;
  cl_int rc = clEnqueueCopyBuffer(s->q, sm, dm, soff, doff, bytes, 0, NULL, NULL);
  return finish(s, async, rc);
}

static cw_status mem_set(cw_stream *s, uint64_t dst, int value, size_t bytes, bool async) {
  s = ocl_stream_resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  ocl_texcache_forget(s->be, dst, bytes);
  cl_uchar pattern = (cl_uchar)value;
  if (svm_range(s->be, dst, bytes))
    return finish(s, async, clEnqueueSVMMemFill(s->q, (void *)(uintptr_t)dst, &pattern, 1, bytes, 0, NULL, NULL));
  cl_mem m;
  size_t off;
  if (!range(s->be, dst, bytes, &m, &off)) return CW_ERR_INVALID_VALUE;
  cl_int rc = clEnqueueFillBuffer(s->q, m, &pattern, 1, off, bytes, 0, NULL, NULL);
  return finish(s, async, rc);
}

static cw_status mem_info(cw_backend *be, int dev, size_t *free_bytes, size_t *total_bytes) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  uint64_t total = be->devices[dev].caps.global_mem_bytes;
  g_mutex_lock(&be->lock);
  uint64_t used = be->allocated;
  g_mutex_unlock(&be->lock);
  *total_bytes = (size_t)total;
  *free_bytes = (size_t)(total > used ? total - used : 0);
  return CW_OK;
}

static void *host_pointer(cw_backend *be, uint64_t addr) {
  size_t off = 0;
  /* managed memory is the host's; plain buffers and coarse-grained SVM are not host-visible */
  const ocl_alloc *sa = ocl_svm_find(be, addr, &off);
  if (sa) return sa->host ? (void *)(uintptr_t)addr : NULL;
  return be && find_host(be, addr, &off) ? (void *)(uintptr_t)addr : NULL;
}

const cw_memory_ops opencl_memory_ops = {
  .struct_size = sizeof(cw_memory_ops),
  .alloc = mem_alloc,
  .free = mem_free,
  .alloc_host = alloc_host,
  .free_host = free_host,
  .copy_h2d = copy_h2d,
  .copy_d2h = copy_d2h,
  .copy_d2d = copy_d2d,
  .memset = mem_set,
  .mem_info = mem_info,
  .host_pointer = host_pointer,
};
