/* stream.c — streams and events (one CUstream / CUevent each, in the device's primary context)
 * and device-wide synchronization.  Waits report the sticky errors of kernels that faulted. */
#include "cuda-plugin.h"

static cw_status logged(cw_backend *be, CUresult rc, const char *what) {
  if (rc != CUDA_SUCCESS && rc != CUDA_ERROR_NOT_READY) {
    char text[256];
    cuda_error_text(&be->driver, rc, text, sizeof text);
    cw_log(CW_LOG_DEBUG, "cuda", "%s: %s", what, text);
  }
  return cuda_status(rc);
}

cw_status cuda_stream_create(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out) {
  *out = NULL;
  cw_status st = cuda_enter(be, dev);
  if (st != CW_OK) return st;
  CUstream s = NULL;
  unsigned cu_flags = (flags & CW_STREAM_NON_BLOCKING) ? CU_STREAM_NON_BLOCKING : 0;
  CUresult rc = be->driver.cuStreamCreateWithPriority(&s, cu_flags, priority);
  if (rc != CUDA_SUCCESS) return logged(be, rc, "cuStreamCreateWithPriority");
  cw_stream *cs = g_new0(cw_stream, 1);
  cs->be = be;
  cs->dev = dev;
  cs->s = s;
  *out = cs;
  return CW_OK;
}

void cuda_stream_destroy(cw_stream *s) {
  if (!s) return;
  if (cuda_enter(s->be, s->dev) == CW_OK) s->be->driver.cuStreamDestroy(s->s);
  g_free(s);
}

cw_status cuda_stream_synchronize(cw_stream *s) {
  if (!s) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  return logged(s->be, s->be->driver.cuStreamSynchronize(s->s), "cuStreamSynchronize");
}

cw_status cuda_stream_query(cw_stream *s) {
  if (!s) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  return logged(s->be, s->be->driver.cuStreamQuery(s->s), "cuStreamQuery");
}

cw_status cuda_stream_wait_event(cw_stream *s, cw_event *ev) {
  if (!s || !ev) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  return logged(s->be, s->be->driver.cuStreamWaitEvent(s->s, ev->ev, 0), "cuStreamWaitEvent");
}

cw_status cuda_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out) {
  *out = NULL;
  cw_status st = cuda_enter(be, dev);
  if (st != CW_OK) return st;
  unsigned cu_flags = 0;
  if (flags & CW_EVENT_DISABLE_TIMING) cu_flags |= CU_EVENT_DISABLE_TIMING;
  if (flags & CW_EVENT_BLOCKING_SYNC) cu_flags |= CU_EVENT_BLOCKING_SYNC;
  CUevent ev = NULL;
  CUresult rc = be->driver.cuEventCreate(&ev, cu_flags);
  if (rc != CUDA_SUCCESS) return logged(be, rc, "cuEventCreate");
  cw_event *ce = g_new0(cw_event, 1);
  ce->be = be;
  ce->dev = dev;
  ce->ev = ev;
  *out = ce;
  return CW_OK;
}

void cuda_event_destroy(cw_event *ev) {
  if (!ev) return;
  if (cuda_enter(ev->be, ev->dev) == CW_OK) ev->be->driver.cuEventDestroy(ev->ev);
  g_free(ev);
}

cw_status cuda_event_record(cw_event *ev, cw_stream *s) {
  if (!ev || !s) return CW_ERR_INVALID_VALUE;
  if (ev->dev != s->dev) return CW_ERR_INVALID_VALUE;  /* CUDA: the event's device must match */
  cw_status st = cuda_enter(s->be, s->dev);
  if (st != CW_OK) return st;
  return logged(s->be, s->be->driver.cuEventRecord(ev->ev, s->s), "cuEventRecord");
}

cw_status cuda_event_synchronize(cw_event *ev) {
  if (!ev) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(ev->be, ev->dev);
  if (st != CW_OK) return st;
  return logged(ev->be, ev->be->driver.cuEventSynchronize(ev->ev), "cuEventSynchronize");
}

cw_status cuda_event_query(cw_event *ev) {
  if (!ev) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(ev->be, ev->dev);
  if (st != CW_OK) return st;
  return logged(ev->be, ev->be->driver.cuEventQuery(ev->ev), "cuEventQuery");
}

cw_status cuda_event_elapsed_ms(cw_event *start, cw_event *end, float *ms) {
  if (!start || !end || !ms) return CW_ERR_INVALID_VALUE;
  *ms = 0;
  cw_status st = cuda_enter(start->be, start->dev);
  if (st != CW_OK) return st;
  return logged(start->be, start->be->driver.cuEventElapsedTime(ms, start->ev, end->ev),
                "cuEventElapsedTime");
}

cw_status cuda_device_synchronize(cw_backend *be, int dev) {
  cw_status st = cuda_enter(be, dev);
  if (st != CW_OK) return st;
  return logged(be, be->driver.cuCtxSynchronize(), "cuCtxSynchronize");
}
