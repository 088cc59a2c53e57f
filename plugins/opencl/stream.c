/* stream.c — streams are in-order command queues (profiling on, for event timing); events are
 * markers (clEnqueueMarkerWithWaitList) timed with CL_PROFILING_COMMAND_END; a stream waits for
 * an event through a barrier with a wait list.  Launches of kernels that can assert leave an
 * error buffer with their stream; synchronizing reads those buffers and turns a raised flag
 * into a sticky CW_ERR_ASSERT. */
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "opencl-plugin.h"

typedef struct ocl_pending {
  cl_mem errbuf;
  char *kernel;
  GPtrArray *sites;          /* the module's ocl_assert_site list (a reference) */
} ocl_pending;

static void pending_free(gpointer p) {
  ocl_pending *pd = p;
  clReleaseMemObject(pd->errbuf);
  g_free(pd->kernel);
  if (pd->sites) g_ptr_array_unref(pd->sites);
  g_free(pd);
}

cw_stream *ocl_stream_resolve(cw_stream *s) {
  if (s) return s;
  cw_backend *be = ocl_default_backend();
  if (!be || be->count == 0) return NULL;
  char err[256];
  if (ocl_dev_context(be, 0, err, sizeof err) != CW_OK) return NULL;
  return be->devices[0].dflt;
}

static cl_command_queue make_queue(cw_backend *be, int dev, cl_int *rc) {
  cl_dev *d = &be->devices[dev];
  if (d->cl_major >= 2) {
    cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    return clCreateCommandQueueWithProperties(d->ctx, d->id, props, rc);
  }
  return clCreateCommandQueue(d->ctx, d->id, CL_QUEUE_PROFILING_ENABLE, rc);
}

cw_stream *ocl_stream_new(cw_backend *be, int dev, bool is_default, cl_int *rc) {
  cl_command_queue q = make_queue(be, dev, rc);
  if (*rc != CL_SUCCESS || !q) return NULL;
  cw_stream *s = g_new0(cw_stream, 1);
  s->be = be;
  s->dev = dev;
  s->q = q;
  s->is_default = is_default;
  s->pending = g_ptr_array_new_with_free_func(pending_free);
  g_mutex_lock(&be->lock);
  g_ptr_array_add(be->streams, s);
  g_mutex_unlock(&be->lock);
  return s;
}

void ocl_stream_free(cw_stream *s) {
  if (!s) return;
  clFinish(s->q);
  g_mutex_lock(&s->be->lock);
  g_ptr_array_remove_fast(s->be->streams, s);
  g_mutex_unlock(&s->be->lock);
  g_ptr_array_free(s->pending, TRUE);
  clReleaseCommandQueue(s->q);
  g_free(s);
}

cw_status opencl_stream_create(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out) {
  (void)flags, (void)priority;
  *out = NULL;
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  char err[256];
  cw_status st = ocl_dev_context(be, dev, err, sizeof err);
  if (st != CW_OK) return st;
  cl_int rc = CL_SUCCESS;
  *out = ocl_stream_new(be, dev, false, &rc);
  return *out ? CW_OK : CW_ERR_DRIVER;
}

void opencl_stream_destroy(cw_stream *s) {
  if (!s || s->is_default) return;
  ocl_stream_free(s);
}

void ocl_stream_add_pending(cw_stream *s, cl_mem errbuf, const char *kernel, GPtrArray *sites) {
  ocl_pending *pd = g_new0(ocl_pending, 1);
  pd->errbuf = errbuf;
  pd->kernel = g_strdup(kernel);
  pd->sites = sites ? g_ptr_array_ref(sites) : NULL;
  g_ptr_array_add(s->pending, pd);
}

/* Reads the error buffers of finished launches (the queue has been finished). */
cw_status ocl_stream_check(cw_stream *s) {
  for (guint i = 0; i < s->pending->len; i++) {
    ocl_pending *pd = s->pending->pdata[i];
    cl_int e[OCL_ERRBUF_INTS] = {0};
    if (clEnqueueReadBuffer(s->q, pd->errbuf, CL_TRUE, 0, sizeof e, e, 0, NULL, NULL) != CL_SUCCESS ||
        !e[0])
      continue;
    if (e[0] == 1 && pd->sites && e[1] >= 0 && (guint)e[1] < pd->sites->len) {
      const ocl_assert_site *site = pd->sites->pdata[e[1]];
      /* CUDA's message, on stderr like the other backends */
      fprintf(stderr, "%s:%d: block: [%d,%d,%d], thread: [%d,%d,%d] Assertion `%s` failed.\n",
              site->file, site->line, e[2], e[3], e[4], e[5], e[6], e[7], site->text);
    } else {
      cw_log(CW_LOG_ERROR, "opencl", "kernel %s: %s", pd->kernel,
             e[0] == 2 ? "__trap() was called" : "device-side assert failed");
    }
    if (s->sticky == CW_OK) s->sticky = CW_ERR_ASSERT;
  }
  g_ptr_array_set_size(s->pending, 0);
  return s->sticky;
}

cw_status opencl_stream_synchronize(cw_stream *s) {
  s = ocl_stream_resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  cl_int rc = clFinish(s->q);
  cw_status st = ocl_stream_check(s);
  if (st == CW_OK && rc != CL_SUCCESS) st = CW_ERR_LAUNCH;
  return st;
}

static bool queue_idle(cl_command_queue q) {
  cl_event ev = NULL;
  if (clEnqueueMarkerWithWaitList(q, 0, NULL, &ev) != CL_SUCCESS) return true;
  clFlush(q);
  cl_int status = CL_COMPLETE;
  /* the marker itself takes the driver a moment even on an idle queue: look a few times */
  for (int i = 0; i < 20; i++) {
    clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL);
    if (status == CL_COMPLETE || status < 0) break;
    g_usleep(50);
  }
  clReleaseEvent(ev);
  return status == CL_COMPLETE || status < 0;
}

cw_status opencl_stream_query(cw_stream *s) {
  s = ocl_stream_resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  if (!queue_idle(s->q)) return CW_ERR_NOT_READY;
  return ocl_stream_check(s);
}

cw_status opencl_stream_wait_event(cw_stream *s, cw_event *ev) {
  s = ocl_stream_resolve(s);
  if (!s || !ev) return CW_ERR_INVALID_VALUE;
  if (!ev->ev) return CW_OK;  /* never recorded: nothing to wait for, as in CUDA */
  if (ev->dev != s->dev) return clWaitForEvents(1, &ev->ev) == CL_SUCCESS ? CW_OK : CW_ERR_DRIVER;
  return clEnqueueBarrierWithWaitList(s->q, 1, &ev->ev, NULL) == CL_SUCCESS ? CW_OK : CW_ERR_DRIVER;
}

cw_status opencl_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out) {
  *out = NULL;
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  cw_event *ev = g_new0(cw_event, 1);
  ev->be = be;
  ev->dev = dev;
  ev->flags = flags;
  *out = ev;
  return CW_OK;
}

void opencl_event_destroy(cw_event *ev) {
  if (!ev) return;
  if (ev->ev) clReleaseEvent(ev->ev);
  g_free(ev);
}

cw_status opencl_event_record(cw_event *ev, cw_stream *s) {
  s = ocl_stream_resolve(s);
  if (!ev || !s) return CW_ERR_INVALID_VALUE;
  cl_event e = NULL;
  if (clEnqueueMarkerWithWaitList(s->q, 0, NULL, &e) != CL_SUCCESS) return CW_ERR_DRIVER;
  clFlush(s->q);
  if (ev->ev) clReleaseEvent(ev->ev);
  ev->ev = e;
  ev->dev = s->dev;
  return CW_OK;
}

cw_status opencl_event_synchronize(cw_event *ev) {
  if (!ev) return CW_ERR_INVALID_VALUE;
  if (!ev->ev) return CW_OK;
  return clWaitForEvents(1, &ev->ev) == CL_SUCCESS ? CW_OK : CW_ERR_LAUNCH;
}

cw_status opencl_event_query(cw_event *ev) {
  if (!ev) return CW_ERR_INVALID_VALUE;
  if (!ev->ev) return CW_OK;
  cl_int status = CL_COMPLETE;
  clGetEventInfo(ev->ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL);
  return status == CL_COMPLETE || status < 0 ? CW_OK : CW_ERR_NOT_READY;
}

static bool event_end(cw_event *ev, cl_ulong *ns) {
  if (!ev->ev || clWaitForEvents(1, &ev->ev) != CL_SUCCESS) return false;
  return clGetEventProfilingInfo(ev->ev, CL_PROFILING_COMMAND_END, sizeof *ns, ns, NULL) == CL_SUCCESS;
}

cw_status opencl_event_elapsed_ms(cw_event *start, cw_event *end, float *ms) {
  *ms = 0;
  if (!start || !end) return CW_ERR_INVALID_VALUE;
  if ((start->flags | end->flags) & CW_EVENT_DISABLE_TIMING) return CW_ERR_INVALID_VALUE;
  if (!start->ev || !end->ev) return CW_ERR_INVALID_VALUE;
  if (opencl_event_query(start) != CW_OK || opencl_event_query(end) != CW_OK) return CW_ERR_NOT_READY;
  cl_ulong a = 0, b = 0;
  if (!event_end(start, &a) || !event_end(end, &b)) return CW_ERR_DRIVER;
  *ms = (float)((double)((int64_t)(b - a)) / 1e6);
  return CW_OK;
}

cw_status opencl_device_synchronize(cw_backend *be, int dev) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&be->lock);
  GPtrArray *mine = g_ptr_array_new();
  for (guint i = 0; i < be->streams->len; i++) {
    cw_stream *s = be->streams->pdata[i];
    if (s->dev == dev) g_ptr_array_add(mine, s);
  }
  g_mutex_unlock(&be->lock);
  cw_status st = CW_OK;
  for (guint i = 0; i < mine->len; i++) {
    cw_status r = opencl_stream_synchronize(mine->pdata[i]);
    if (st == CW_OK) st = r;
  }
  g_ptr_array_free(mine, TRUE);
  return st;
}
