/* stream.c — streams and events.  Each stream has a thread that runs its work in order
 * (launches, copies, event records, waits), so asynchronous calls return at once.  Events get
 * a CLOCK_MONOTONIC timestamp when the stream reaches them. */
#include <time.h>

#include "engine.h"

typedef struct work {
  cpu_work_fn fn;
  void *data;
  void (*free_fn)(void *);
  bool at_count;   /* run fn under the stream lock, together with counting it done */
} work;

struct cw_stream {
  cw_backend *be;
  GMutex m;
  GCond c;
  GQueue q;
  uint64_t submitted, completed;
  bool quit;
  pthread_t thread;
};

struct cw_event {
  cw_backend *be;
  uint32_t flags;
  GMutex m;
  GCond c;
  uint64_t recorded, reached; /* records issued / records the stream got to */
  int64_t ns;                 /* when the latest reached record ran */
};

static void *stream_main(void *data) {
  cw_stream *s = data;
  cpu_worker own = {0};          /* for one-block launches, run here (pool.c) */
  cpu_thread_set_worker(&own);
  g_mutex_lock(&s->m);
  for (;;) {
    while (!s->quit && g_queue_is_empty(&s->q)) g_cond_wait(&s->c, &s->m);
    if (g_queue_is_empty(&s->q)) break; /* quit with nothing left */
    work *w = g_queue_pop_head(&s->q);
    g_mutex_unlock(&s->m);
    if (w->fn && !w->at_count) w->fn(w->data);
    g_mutex_lock(&s->m);
    /* an event record completes atomically with its count: whoever sees the event reached
     * sees the stream past it, and the other way round */
    if (w->fn && w->at_count) w->fn(w->data);
    s->completed++;
    g_cond_broadcast(&s->c);
    g_mutex_unlock(&s->m);
    if (w->free_fn) w->free_fn(w->data);
    g_free(w);
    g_mutex_lock(&s->m);
  }
  g_mutex_unlock(&s->m);
  cpu_thread_set_worker(NULL);
  cpu_worker_release(&own);
  return NULL;
}

static cw_stream *resolve(cw_stream *s) {
  if (s) return s;
  cw_backend *be = cpu_backend_default();
  cpu_engine *en = cpu_engine_of(be);
  return en ? en->default_stream : NULL;
}

cw_backend *cpu_stream_backend(cw_stream *s) {
  s = resolve(s);
  return s ? s->be : NULL;
}

static cw_status sticky(cw_backend *be) {
  cpu_engine *en = cpu_engine_of(be);
  return en ? (cw_status)atomic_load(&en->sticky) : CW_OK;
}

static cw_status submit(cw_stream *s, cpu_work_fn fn, void *data, void (*free_fn)(void *), bool wait,
                        bool at_count) {
  s = resolve(s);
  if (!s) {
    if (free_fn) free_fn(data);
    return CW_ERR_INVALID_VALUE;
  }
  work *w = g_new0(work, 1);
  w->fn = fn;
  w->data = data;
  w->free_fn = free_fn;
  w->at_count = at_count;
  g_mutex_lock(&s->m);
  uint64_t seq = ++s->submitted;
  g_queue_push_tail(&s->q, w);
  g_cond_broadcast(&s->c);
  if (wait)
    while (s->completed < seq) g_cond_wait(&s->c, &s->m);
  g_mutex_unlock(&s->m);
  return wait ? sticky(s->be) : CW_OK;
}

cw_status cpu_stream_submit(cw_stream *s, cpu_work_fn fn, void *data, void (*free_fn)(void *), bool wait) {
  return submit(s, fn, data, free_fn, wait, false);
}

cw_status cpu_stream_create(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out) {
  (void)flags, (void)priority;
  cpu_engine *en = cpu_engine_of(be);
  if (!en || dev != 0 || !out) return CW_ERR_INVALID_VALUE;
  cw_stream *s = g_new0(cw_stream, 1);
  s->be = be;
  g_mutex_init(&s->m);
  g_cond_init(&s->c);
  g_queue_init(&s->q);
  if (!cpu_thread_start(&s->thread, stream_main, s)) {
    g_mutex_clear(&s->m);
    g_cond_clear(&s->c);
    g_free(s);
    return CW_ERR_OUT_OF_MEMORY;
  }
  g_mutex_lock(&en->lock);
  g_ptr_array_add(en->streams, s);
  g_mutex_unlock(&en->lock);
  *out = s;
  return CW_OK;
}

void cpu_stream_destroy(cw_stream *s) {
  if (!s) return;
  cpu_engine *en = cpu_engine_of(s->be);
  g_mutex_lock(&en->lock);
  g_ptr_array_remove(en->streams, s);
  g_mutex_unlock(&en->lock);
  g_mutex_lock(&s->m);
  s->quit = true; /* the thread finishes the queued work first */
  g_cond_broadcast(&s->c);
  g_mutex_unlock(&s->m);
  pthread_join(s->thread, NULL);
  g_mutex_clear(&s->m);
  g_cond_clear(&s->c);
  g_free(s);
}

cw_status cpu_stream_synchronize(cw_stream *s) {
  s = resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&s->m);
  uint64_t target = s->submitted;
  while (s->completed < target) g_cond_wait(&s->c, &s->m);
  g_mutex_unlock(&s->m);
  return sticky(s->be);
}

cw_status cpu_stream_query(cw_stream *s) {
  s = resolve(s);
  if (!s) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&s->m);
  bool idle = s->completed == s->submitted;
  g_mutex_unlock(&s->m);
  return idle ? CW_OK : CW_ERR_NOT_READY;
}

cw_status cpu_device_synchronize(cw_backend *be, int dev) {
  cpu_engine *en = cpu_engine_of(be);
  if (!en || dev != 0) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&en->lock);
  GPtrArray *copy = g_ptr_array_new();
  for (guint i = 0; i < en->streams->len; i++) g_ptr_array_add(copy, en->streams->pdata[i]);
  g_mutex_unlock(&en->lock);
  for (guint i = 0; i < copy->len; i++) cpu_stream_synchronize(copy->pdata[i]);
  g_ptr_array_free(copy, TRUE);
  return sticky(be);
}

/* ---- events --------------------------------------------------------------------------------- */

typedef struct event_mark {
  cw_event *ev;
  uint64_t gen;
} event_mark;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void reach(void *data) {
  event_mark *mk = data;
  cw_event *ev = mk->ev;
  int64_t t = now_ns();
  g_mutex_lock(&ev->m);
  if (mk->gen > ev->reached) {
    ev->reached = mk->gen;
    ev->ns = t;
  }
  g_cond_broadcast(&ev->c);
  g_mutex_unlock(&ev->m);
}

static void wait_mark(void *data) {
  event_mark *mk = data;
  cw_event *ev = mk->ev;
  g_mutex_lock(&ev->m);
  while (ev->reached < mk->gen) g_cond_wait(&ev->c, &ev->m);
  g_mutex_unlock(&ev->m);
}

cw_status cpu_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out) {
  if (!be || dev != 0 || !out) return CW_ERR_INVALID_VALUE;
  cw_event *ev = g_new0(cw_event, 1);
  ev->be = be;
  ev->flags = flags;
  g_mutex_init(&ev->m);
  g_cond_init(&ev->c);
  *out = ev;
  return CW_OK;
}

void cpu_event_destroy(cw_event *ev) {
  if (!ev) return;
  cpu_event_synchronize(ev); /* queued records still point at it */
  g_mutex_clear(&ev->m);
  g_cond_clear(&ev->c);
  g_free(ev);
}

cw_status cpu_event_record(cw_event *ev, cw_stream *s) {
  if (!ev || !resolve(s)) return CW_ERR_INVALID_VALUE; /* else the record would never be reached */
  event_mark *mk = g_new0(event_mark, 1);
  mk->ev = ev;
  g_mutex_lock(&ev->m);
  mk->gen = ++ev->recorded;
  g_mutex_unlock(&ev->m);
  return submit(s, reach, mk, g_free, false, true);
}

cw_status cpu_event_synchronize(cw_event *ev) {
  if (!ev) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&ev->m);
  uint64_t target = ev->recorded;
  while (ev->reached < target) g_cond_wait(&ev->c, &ev->m);
  g_mutex_unlock(&ev->m);
  return sticky(ev->be);
}

cw_status cpu_event_query(cw_event *ev) {
  if (!ev) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&ev->m);
  bool done = ev->reached >= ev->recorded;
  g_mutex_unlock(&ev->m);
  return done ? CW_OK : CW_ERR_NOT_READY;
}

cw_status cpu_event_elapsed_ms(cw_event *start, cw_event *end, float *ms) {
  if (!start || !end || !ms) return CW_ERR_INVALID_VALUE;
  if ((start->flags | end->flags) & CW_EVENT_DISABLE_TIMING) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&start->m);
  bool s_rec = start->recorded > 0, s_done = start->reached >= start->recorded;
  int64_t t0 = start->ns;
  g_mutex_unlock(&start->m);
  g_mutex_lock(&end->m);
  bool e_rec = end->recorded > 0, e_done = end->reached >= end->recorded;
  int64_t t1 = end->ns;
  g_mutex_unlock(&end->m);
  if (!s_rec || !e_rec) return CW_ERR_INVALID_VALUE;
  if (!s_done || !e_done) return CW_ERR_NOT_READY;
  *ms = (float)((double)(t1 - t0) / 1e6);
  return CW_OK;
}

cw_status cpu_stream_wait_event(cw_stream *s, cw_event *ev) {
  if (!ev) return CW_ERR_INVALID_VALUE;
  event_mark *mk = g_new0(event_mark, 1);
  mk->ev = ev;
  g_mutex_lock(&ev->m);
  mk->gen = ev->recorded; /* the latest record at the time of the call */
  g_mutex_unlock(&ev->m);
  return cpu_stream_submit(s, wait_mark, mk, g_free, false);
}
