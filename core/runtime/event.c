/* event.c — events: markers recorded in streams, with the backend's real timestamps. */
#include "runtime/rt_internal.h"

typedef struct cw_rt_event {
  uint32_t magic;
  int device;
  cw_event *ev;
  unsigned int flags;
  bool recorded;
} cw_rt_event;

#define CW_EVENT_MAGIC 0x45564e54u   /* "EVNT" */

static cw_rt_backend *B(void) { return &cw_rt_get()->backend; }

/* The live event behind a handle, or NULL (caller holds the lock). */
static cw_rt_event *event_of(cudaEvent_t h) {
  cw_rt_event *e = (cw_rt_event *)(void *)h;
  return h && g_hash_table_contains(cw_rt_get()->events, e) ? e : NULL;
}

CW_RT_API cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags) {
  const unsigned int known = cudaEventBlockingSync | cudaEventDisableTiming | cudaEventInterprocess;
  if (!event || (flags & ~known)) return cw_rt_error(cudaErrorInvalidValue);
  /* CUDA requires interprocess events to have timing disabled. */
  if ((flags & cudaEventInterprocess) && !(flags & cudaEventDisableTiming))
    return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  uint32_t f = 0;
  if (flags & cudaEventDisableTiming) f |= CW_EVENT_DISABLE_TIMING;
  if (flags & cudaEventBlockingSync) f |= CW_EVENT_BLOCKING_SYNC;
  cw_rt_lock();
  cw_event *ev = NULL;
  cw_status st = B()->ops.event_create(B()->be, dev, f, &ev);
  if (st != CW_OK) {
    cw_rt_unlock();
    return cw_rt_error(cw_rt_status_error(st));
  }
  cw_rt_event *re = g_new0(cw_rt_event, 1);
  re->magic = CW_EVENT_MAGIC;
  re->device = dev;
  re->ev = ev;
  re->flags = flags;
  g_hash_table_add(cw_rt_get()->events, re);
  cw_rt_unlock();
  *event = (cudaEvent_t)(void *)re;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaEventCreate(cudaEvent_t *event) {
  return cudaEventCreateWithFlags(event, cudaEventDefault);
}

CW_RT_API cudaError_t cudaEventRecordWithFlags(cudaEvent_t event, cudaStream_t stream,
                                               unsigned int flags) {
  if (flags & ~(unsigned int)cudaEventRecordExternal) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_event *re = event_of(event);
  cw_rt_stream *s = NULL;
  if (!re) e = cudaErrorInvalidResourceHandle;
  if (e == cudaSuccess) e = cw_rt_stream_resolve(stream, re->device, &s);
  if (e == cudaSuccess && s->device != re->device) e = cudaErrorInvalidResourceHandle;
  if (e == cudaSuccess) e = cw_rt_stream_before_work(s);
  if (e == cudaSuccess) e = cw_rt_status_error(B()->ops.event_record(re->ev, s->s));
  if (e == cudaSuccess) re->recorded = true;
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  return cudaEventRecordWithFlags(event, stream, 0);
}

/* An event never recorded counts as complete, as in CUDA. */
CW_RT_API cudaError_t cudaEventQuery(cudaEvent_t event) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_event *re = event_of(event);
  if (!re) e = cudaErrorInvalidResourceHandle;
  else if (re->recorded) e = cw_rt_status_error(B()->ops.event_query(re->ev));
  if (e == cudaSuccess) e = cw_rt_managed_to_host();   /* a completed event is a synchronization point */
  cw_rt_unlock();
  return e == cudaSuccess || e == cudaErrorNotReady ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_event *re = event_of(event);
  cw_event *ev = re && re->recorded ? re->ev : NULL;
  if (!re) e = cudaErrorInvalidResourceHandle;
  cw_rt_unlock();
  /* The wait itself runs unlocked so that other threads can keep queueing work. */
  if (e == cudaSuccess && ev) e = cw_rt_status_error(B()->ops.event_synchronize(ev));
  if (e == cudaSuccess) e = cw_rt_managed_to_host();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end) {
  if (!ms) return cw_rt_error(cudaErrorInvalidValue);
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_event *a = event_of(start), *b = event_of(end);
  if (!a || !b) e = cudaErrorInvalidResourceHandle;
  else if ((a->flags | b->flags) & cudaEventDisableTiming) e = cudaErrorInvalidResourceHandle;
  else if (!a->recorded || !b->recorded) e = cudaErrorInvalidResourceHandle;
  else e = cw_rt_status_error(B()->ops.event_elapsed_ms(a->ev, b->ev, ms));
  cw_rt_unlock();
  return e == cudaSuccess || e == cudaErrorNotReady ? e : cw_rt_error(e);
}

CW_RT_API cudaError_t cudaEventDestroy(cudaEvent_t event) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_event *re = event_of(event);
  if (re) {
    g_hash_table_remove(cw_rt_get()->events, re);
    B()->ops.event_destroy(re->ev);
    re->magic = 0;
    g_free(re);
  }
  cw_rt_unlock();
  return re ? cudaSuccess : cw_rt_error(cudaErrorInvalidResourceHandle);
}

CW_RT_API cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags) {
  if (flags & ~(unsigned int)cudaEventWaitExternal) return cw_rt_error(cudaErrorInvalidValue);
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_lock();
  cw_rt_event *re = event_of(event);
  cw_rt_stream *s = NULL;
  if (!re) e = cudaErrorInvalidResourceHandle;
  if (e == cudaSuccess) e = cw_rt_stream_resolve(stream, dev, &s);
  /* Waiting on an event never recorded is a no-op. */
  if (e == cudaSuccess && re->recorded) {
    e = cw_rt_stream_before_work(s);
    if (e == cudaSuccess) e = cw_rt_status_error(B()->ops.stream_wait_event(s->s, re->ev));
  }
  cw_rt_unlock();
  return e == cudaSuccess ? e : cw_rt_error(e);
}

void cw_rt_events_reset(int dev) {
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, cw_rt_get()->events);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    cw_rt_event *re = key;
    if (re->device == dev) {
      g_hash_table_iter_remove(&it);
      B()->ops.event_destroy(re->ev);
      re->magic = 0;
      g_free(re);
    }
  }
}
