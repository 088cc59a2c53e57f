/* pool.c — freed device buffers and SVM blocks kept for reuse.  Programs that cudaMalloc and cudaFree large
 * buffers in a loop would otherwise have the driver map fresh memory each time; where device
 * memory is host memory (PoCL) every page of it is then faulted in and zeroed again, which
 * costs more than the work on it.
 *
 * Only large buffers are kept (OCL_POOL_MIN and up, sizes rounded up to OCL_POOL_GRAIN so that
 * near sizes match), at most a quarter of the device's memory, oldest released first.  A buffer
 * may still be in use by work queued before it was freed: putting it in the pool enqueues a
 * marker on each of the device's queues, and taking it out waits for those markers. */
#include "opencl-plugin.h"

#define OCL_POOL_MIN ((size_t)1 << 20)
#define OCL_POOL_GRAIN ((size_t)1 << 20)

typedef struct pooled {
  cl_mem mem;                /* a buffer, or */
  void *svm;                 /* an SVM block (clSVMFree needs its context) */
  cl_context ctx;
  int dev;
  size_t cap;
  cl_event *done;            /* a marker per queue that existed at the free */
  guint n_done;
} pooled;

static void pooled_free(pooled *p, bool release_mem) {
  /* clSVMFree does not wait for queued work the way a released buffer does */
  if (release_mem && p->svm && p->n_done) clWaitForEvents(p->n_done, p->done);
  for (guint i = 0; i < p->n_done; i++) clReleaseEvent(p->done[i]);
  g_free(p->done);
  if (release_mem && p->mem) clReleaseMemObject(p->mem);
  if (release_mem && p->svm) clSVMFree(p->ctx, p->svm);
  g_free(p);
}

size_t ocl_pool_capacity(size_t bytes) {
  if (bytes < OCL_POOL_MIN) return bytes ? bytes : 1;
  return (bytes + OCL_POOL_GRAIN - 1) / OCL_POOL_GRAIN * OCL_POOL_GRAIN;
}

static pooled *take(cw_backend *be, int dev, size_t cap, bool svm) {
  if (cap < OCL_POOL_MIN) return NULL;
  pooled *hit = NULL;
  g_mutex_lock(&be->lock);
  for (guint i = 0; i < be->pool->len; i++) {
    pooled *p = be->pool->pdata[i];
    if (p->dev == dev && p->cap == cap && (p->svm != NULL) == svm) {
      hit = g_ptr_array_steal_index(be->pool, i);
      be->pooled_bytes -= cap;
      break;
    }
  }
  g_mutex_unlock(&be->lock);
  if (hit && hit->n_done) clWaitForEvents(hit->n_done, hit->done);
  return hit;
}

cl_mem ocl_pool_take(cw_backend *be, int dev, size_t cap) {
  pooled *hit = take(be, dev, cap, false);
  if (!hit) return NULL;
  cl_mem m = hit->mem;
  pooled_free(hit, false);
  return m;
}

void *ocl_pool_take_svm(cw_backend *be, int dev, size_t cap) {
  pooled *hit = take(be, dev, cap, true);
  if (!hit) return NULL;
  void *p = hit->svm;
  pooled_free(hit, false);
  return p;
}

static bool put(cw_backend *be, int dev, cl_mem mem, void *svm, size_t cap) {
  uint64_t limit = be->devices[dev].caps.global_mem_bytes / 4;
  if (cap < OCL_POOL_MIN || cap > limit) return false;
  pooled *p = g_new0(pooled, 1);
  p->mem = mem;
  p->svm = svm;
  p->ctx = be->devices[dev].ctx;
  p->dev = dev;
  p->cap = cap;
  GPtrArray *evicted = g_ptr_array_new();
  g_mutex_lock(&be->lock);
  p->done = g_new0(cl_event, be->streams->len ? be->streams->len : 1);
  for (guint i = 0; i < be->streams->len; i++) {
    cw_stream *s = be->streams->pdata[i];
    if (s->dev != dev) continue;
    if (clEnqueueMarkerWithWaitList(s->q, 0, NULL, &p->done[p->n_done]) == CL_SUCCESS) {
      clFlush(s->q);
      p->n_done++;
    }
  }
  g_ptr_array_add(be->pool, p);
  be->pooled_bytes += cap;
  while (be->pooled_bytes > limit && be->pool->len) {
    pooled *old = g_ptr_array_steal_index(be->pool, 0);
    be->pooled_bytes -= old->cap;
    g_ptr_array_add(evicted, old);
  }
  g_mutex_unlock(&be->lock);
  /* released outside the lock: the driver frees buffers once their queued work is done (SVM
   * blocks wait for it in pooled_free) */
  for (guint i = 0; i < evicted->len; i++) pooled_free(evicted->pdata[i], true);
  g_ptr_array_free(evicted, TRUE);
  return true;
}

bool ocl_pool_put(cw_backend *be, int dev, cl_mem mem, size_t cap) { return put(be, dev, mem, NULL, cap); }

bool ocl_pool_put_svm(cw_backend *be, int dev, void *svm, size_t cap) { return put(be, dev, NULL, svm, cap); }

bool ocl_pool_drain(cw_backend *be) {
  g_mutex_lock(&be->lock);
  GPtrArray *all = be->pool;
  be->pool = g_ptr_array_new();
  be->pooled_bytes = 0;
  g_mutex_unlock(&be->lock);
  bool any = all->len > 0;
  for (guint i = 0; i < all->len; i++) pooled_free(all->pdata[i], true);
  g_ptr_array_free(all, TRUE);
  return any;
}
