/* stream.c — streams: creation, handles, synchronization, and the legacy default stream.
 *
 * Each device has one legacy default stream (handle 0 or cudaStreamLegacy; cudaStreamPerThread
 * maps to it too for now), created on first use.  CUDA orders the legacy stream against every
 * blocking stream of the device: work on it waits for work already queued on blocking streams,
 * and work on a blocking stream waits for work queued on it.  We keep that order with host-side
 * waits on the streams that have pending work (correct, though it gives up overlap between the
 * default stream and blocking streams); non-blocking streams are independent. */
#include "runtime/rt_internal.h"

#define CW_STREAM_MAGIC 0x53545245u   /* "STRE" */

static cw_rt_backend *B(void) { return &cw_rt_get()->backend; }

static cudaError_t stream_new(int dev, unsigned int flags, int priority, bool is_default,
                              cw_rt_stream **out) {
  cw_stream *s = NULL;
  uint32_t f = (flags & cudaStreamNonBlocking) ? CW_STREAM_NON_BLOCKING : 0;
  cw_status st = B()->ops.stream_create(B()->be, dev, f, priority, &s);
  if (st != CW_OK) return cw_rt_status_error(st);
  cw_rt_stream *rs = g_new0(cw_rt_stream, 1);
  rs->magic = CW_STREAM_MAGIC;
  rs->device = dev;
  rs->s = s;
  rs->flags = flags;
  rs->priority = priority;
  rs->is_default = is_default;
  *out = rs;
  return cudaSuccess;
}

static void stream_free(cw_rt_stream *rs) {
  B()->ops.stream_destroy(rs->s);
  rs->magic = 0;
  g_free(rs);
}

cudaError_t cw_rt_stream_resolve(cudaStream_t h, int dev, cw_rt_stream **out) {
  cw_rt *rt = cw_rt_get();
  if (h == NULL || h == cudaStreamLegacy || h == cudaStreamPerThread) {
    cw_rt_device_state *ds = &rt->dev[dev];
    if (!ds->default_stream) {
      cudaError_t e = stream_new(dev, 0, 0, true, &ds->default_stream);
      if (e != cudaSuccess) return e;
    }
    *out = ds->default_stream;
    return cudaSuccess;
  }
  cw_rt_stream *rs = (cw_rt_stream *)(void *)h;
  if (!g_hash_table_contains(rt->streams, rs)) return cudaErrorInvalidResourceHandle;
  *out = rs;
  return cudaSuccess;
}

cudaError_t cw_rt_stream_sync(cw_rt_stream *s) {
  cw_status st = B()->ops.stream_synchronize(s->s);
  if (st != CW_OK) return cw_rt_status_error(st);
  s->pending = false;
  return cudaSuccess;
}

cudaError_t cw_rt_stream_before_work(cw_rt_stream *s) {
  cw_rt *rt = cw_rt_get();
  cudaError_t e = cudaSuccess;
  if (s->is_default) {
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, rt->streams);
    while (e == cudaSuccess && g_hash_table_iter_next(&it, &key, NULL)) {
      cw_rt_stream *o = key;
      if (o->device == s->device && o->pending && !(o->flags & cudaStreamNonBlocking))
        e = cw_rt_stream_sync(o);
    }
  } else if (!(s->flags & cudaStreamNonBlocking)) {
    cw_rt_stream *d = rt->dev[s->device].default_stream;
    if (d && d->pending) e = cw_rt_stream_sync(d);
  }
  if (e == cudaSuccess) s->pending = true;
  return e;
}

cudaError_t cw_rt_device_sync(int dev) {
  cw_rt *rt = cw_rt_get();
  cw_status st = B()->ops.device_synchronize(B()->be, dev);
  if (st != CW_OK) return cw_rt_status_error(st);
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, rt->streams);
  while (g_hash_table_iter_next(&it, &key, NULL))
    if (((cw_rt_stream *)key)->device == dev) ((cw_rt_stream *)key)->pending = false;
  if (rt->dev[dev].default_stream) rt->dev[dev].default_stream->pending = false;
  return cudaSuccess;
}

void cw_rt_streams_reset(int dev) {
  cw_rt *rt = cw_rt_get();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, rt->streams);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    cw_rt_stream *s = key;
    if (s->device == dev) {
      g_hash_table_iter_remove(&it);
      stream_free(s);
    }
  }
  if (rt->dev[dev].default_stream) {
    stream_free(rt->dev[dev].default_stream);
    rt->dev[dev].default_stream = NULL;
  }
}

/* CUDA's priority range on current GPUs: 0 (lowest) to -5 (highest). */
#define CW_PRIORITY_LEAST 0
#define CW_PRIORITY_GREATEST (-5)

CW_RT_API cudaError_t cudaStreamCreateWithPriority(cudaStream_t *pStream, unsigned int flags,
                                                   int priority) {
  if (!pStream || (flags & ~(unsigned int)cudaStreamNonBlocking)) return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  if (priority > CW_PRIORITY_LEAST) priority = CW_PRIORITY_LEAST;     /* CUDA clamps */
  if (priority < CW_PRIORITY_GREATEST) priority = CW_PRIORITY_GREATEST;
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = stream_new(dev, flags, priority, false, &s);
  if (e == cudaSuccess) g_hash_table_add(cw_rt_get()->streams, s);
  cw_rt_unlock();
  if (e != cudaSuccess) return cw_rt_error(e);
  *pStream = (cudaStream_t)(void *)s;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags) {
  return cudaStreamCreateWithPriority(pStream, flags, 0);
}

CW_RT_API cudaError_t cudaStreamCreate(cudaStream_t *pStream) {
  return cudaStreamCreateWithPriority(pStream, cudaStreamDefault, 0);
}

CW_RT_API cudaError_t cudaDeviceGetStreamPriorityRange(int *leastPriority, int *greatestPriority) {
  if (leastPriority) *leastPriority = CW_PRIORITY_LEAST;
  if (greatestPriority) *greatestPriority = CW_PRIORITY_GREATEST;
  return cudaSuccess;
}

/* Work still queued on a destroyed stream completes first (as in CUDA). */
CW_RT_API cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  if (stream == NULL || stream == cudaStreamLegacy || stream == cudaStreamPerThread)
    return cw_rt_error(cudaErrorInvalidResourceHandle);
  cw_rt_lock();
  cw_rt_stream *s = (cw_rt_stream *)(void *)stream;
  if (!g_hash_table_remove(cw_rt_get()->streams, s)) {
    cw_rt_unlock();
    return cw_rt_error(cudaErrorInvalidResourceHandle);
  }
  e = cw_rt_stream_sync(s);
  stream_free(s);
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(stream, dev, &s);
  if (e == cudaSuccess) e = cw_rt_stream_sync(s);
  if (e == cudaSuccess) e = cw_rt_managed_to_host();
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaStreamQuery(cudaStream_t stream) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(stream, dev, &s);
  if (e == cudaSuccess) {
    cw_status st = B()->ops.stream_query(s->s);
    e = cw_rt_status_error(st);
    if (st == CW_OK) s->pending = false;
    if (st == CW_OK) e = cw_rt_managed_to_host();   /* an idle stream is a synchronization point */
  }
  cw_rt_unlock();
  /* cudaErrorNotReady is an answer, not a failure: it is not recorded. */
  return e == cudaSuccess || e == cudaErrorNotReady ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaStreamGetFlags(cudaStream_t hStream, unsigned int *flags) {
  int dev;
  cudaError_t e = flags ? cw_rt_ready_device(&dev) : cudaErrorInvalidValue;
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(hStream, dev, &s);
  if (e == cudaSuccess) *flags = s->flags;
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaStreamGetPriority(cudaStream_t hStream, int *priority) {
  int dev;
  cudaError_t e = priority ? cw_rt_ready_device(&dev) : cudaErrorInvalidValue;
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(hStream, dev, &s);
  if (e == cudaSuccess) *priority = s->priority;
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

/* Host functions run in stream order.  They are run here, on the calling thread, once the work
 * before them has completed, which keeps their order with respect to the stream (the call blocks
 * where CUDA would return at once). */
static cudaError_t run_host_fn(cudaStream_t stream, void (*fn)(cudaStream_t, cudaError_t, void *),
                               cudaHostFn_t host_fn, void *user) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(stream, dev, &s);
  if (e == cudaSuccess) e = cw_rt_stream_before_work(s);
  cudaError_t status = e == cudaSuccess ? cw_rt_stream_sync(s) : e;
  if (status == cudaSuccess) status = cw_rt_managed_to_host();
  cw_rt_unlock();
  if (e != cudaSuccess) return cw_rt_error(e);
  if (fn) fn(stream, status, user);
  else if (status == cudaSuccess) host_fn(user);
  return status == cudaSuccess ? status : cw_rt_error(status);
}

CW_RT_API cudaError_t cudaStreamAddCallback(cudaStream_t stream, cudaStreamCallback_t callback,
                                            void *userData, unsigned int flags) {
  if (!callback || flags != 0) return cw_rt_error(cudaErrorInvalidValue);
  return run_host_fn(stream, callback, NULL, userData);
}

CW_RT_API cudaError_t cudaLaunchHostFunc(cudaStream_t stream, cudaHostFn_t fn, void *userData) {
  if (!fn) return cw_rt_error(cudaErrorInvalidValue);
  return run_host_fn(stream, NULL, fn, userData);
}
