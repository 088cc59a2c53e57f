/* stream.c — streams and events.
 *
 * A stream owns a command pool and a timeline semaphore.  Its operations are recorded into one
 * open batch (a command buffer), each behind a barrier that orders it after the ones before, as
 * a CUDA stream does.  The batch is submitted at once while the device has less than two of the
 * stream's batches left to run, so an idle device starts on the first launch; otherwise it is
 * held and grows, and goes when the device catches up (flusher.c), when it is full, or when the
 * host waits for the stream.  One submission per batch instead of one per operation: a
 * vkQueueSubmit and a timeline wait cost more than a small kernel (about 19 us per launch on an
 * NVIDIA H100, 200 us on lavapipe, when each launch was its own submission).
 *
 * Every submission waits for the stream's previous value and signals the next, so a stream runs
 * in order while streams overlap.  Host work that must follow a submission (copying a staged
 * download to the user's memory, printing a kernel's printf output) is queued with it and done
 * when the stream is retired (synchronize, query, or when the staging ring is full).  Events are
 * a point on a stream's timeline plus a timestamp query; recording one submits the batch, so
 * every event names a submitted value.  Events and the submissions waiting on them hold a
 * reference to the timeline, so it outlives a stream destroyed before them. */
#include <string.h>

#include "vulkan-plugin.h"

#define STAGING_BYTES (8u << 20)
/* Operations in one batch at most: a held batch goes when it is this long. */
#define BATCH_MAX_OPS 128u

typedef struct vk_submission {
  uint64_t value;
  VkCommandBuffer cb;
  vk_timeline *waited;      /* another stream's timeline this one waits on (a reference) */
  GArray *retires;          /* vk_retire, or NULL */
} vk_submission;

vk_timeline *vk_timeline_ref(vk_timeline *t) {
  if (t) g_atomic_int_inc(&t->refs);
  return t;
}

void vk_timeline_unref(cw_backend *be, vk_device *d, vk_timeline *t) {
  if (!t || !g_atomic_int_dec_and_test(&t->refs)) return;
  be->vk.DestroySemaphore(d->dev, t->sem, NULL);
  g_free(t);
}

/* Memory written by one operation is visible to the next, whatever kind each is. */
static void order_behind(cw_backend *be, VkCommandBuffer cb) {
  VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
                        .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
                        .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT};
  be->vk.CmdPipelineBarrier(cb, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 1, &mb,
                            0, NULL, 0, NULL);
}

cw_status vk_stream_begin(cw_stream *s, VkCommandBuffer *cb) {
  cw_backend *be = s->be;
  g_rec_mutex_lock(&s->lock);
  if (s->open) {
    order_behind(be, s->open);
  } else {
    VkCommandBufferAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                      .commandPool = s->pool, .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                      .commandBufferCount = 1};
    if (be->vk.AllocateCommandBuffers(s->d->dev, &ai, &s->open) != VK_SUCCESS) {
      s->open = VK_NULL_HANDLE;
      g_rec_mutex_unlock(&s->lock);
      return CW_ERR_OUT_OF_MEMORY;
    }
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    be->vk.BeginCommandBuffer(s->open, &bi);
    s->open_ops = 0;
  }
  s->recording = true;
  *cb = s->open;
  return CW_OK;  /* s->lock stays held until vk_stream_submit */
}

/* Batches of s submitted and not yet run to the end (s->lock held). */
static uint64_t in_flight(cw_stream *s) {
  uint64_t done = 0;
  s->be->vk.GetSemaphoreCounterValue(s->d->dev, s->timeline->sem, &done);
  return done < s->submitted ? s->submitted - done : 0;
}

/* Submits the open batch (s->lock held, no operation being recorded). */
static cw_status flush_locked(cw_stream *s) {
  cw_backend *be = s->be;
  if (!s->open || s->recording) return CW_OK;
  VkCommandBuffer cb = s->open;
  s->open = VK_NULL_HANDLE;
  vk_flusher_release(s);
  /* downloads are read by the host once the batch signals */
  VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER, .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
                        .dstAccessMask = VK_ACCESS_HOST_READ_BIT};
  be->vk.CmdPipelineBarrier(cb, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, NULL,
                            0, NULL);
  be->vk.EndCommandBuffer(cb);
  vk_timeline *extra_wait = s->open_wait;
  uint64_t prev = s->submitted, next = prev + 1;
  VkSemaphore waits[2] = {s->timeline->sem, extra_wait ? extra_wait->sem : VK_NULL_HANDLE};
  uint64_t wait_values[2] = {prev, s->open_wait_value};
  VkPipelineStageFlags stages[2] = {VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT};
  VkTimelineSemaphoreSubmitInfo ti = {.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
                                      .waitSemaphoreValueCount = extra_wait ? 2 : 1,
                                      .pWaitSemaphoreValues = wait_values,
                                      .signalSemaphoreValueCount = 1,
                                      .pSignalSemaphoreValues = &next};
  VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .pNext = &ti,
                     .waitSemaphoreCount = extra_wait ? 2 : 1, .pWaitSemaphores = waits,
                     .pWaitDstStageMask = stages, .commandBufferCount = 1, .pCommandBuffers = &cb,
                     .signalSemaphoreCount = 1, .pSignalSemaphores = &s->timeline->sem};
  g_mutex_lock(&s->d->lock);
  VkResult rc = be->vk.QueueSubmit(s->d->queue, 1, &si, VK_NULL_HANDLE);
  g_mutex_unlock(&s->d->lock);
  GArray *retires = s->open_retires;
  s->open_retires = NULL;
  s->open_wait = NULL;
  s->open_ops = 0;
  if (rc != VK_SUCCESS) {
    /* the batch's operations are lost: the stream reports it from now on */
    be->vk.FreeCommandBuffers(s->d->dev, s->pool, 1, &cb);
    vk_timeline_unref(be, s->d, extra_wait);
    if (retires) g_array_free(retires, TRUE);
    if (s->sticky == CW_OK) s->sticky = rc == VK_ERROR_DEVICE_LOST ? CW_ERR_DRIVER : CW_ERR_OUT_OF_MEMORY;
    return rc == VK_ERROR_DEVICE_LOST ? CW_ERR_DRIVER : CW_ERR_OUT_OF_MEMORY;
  }
  __atomic_store_n(&s->submitted, next, __ATOMIC_RELAXED);  /* the flusher peeks at it */
  vk_submission *sub = g_new0(vk_submission, 1);
  sub->value = next;
  sub->cb = cb;
  sub->waited = extra_wait;  /* the batch's reference moves to the submission */
  sub->retires = retires;
  g_queue_push_tail(&s->pending, sub);
  return CW_OK;
}

cw_status vk_stream_submit(cw_stream *s, VkCommandBuffer cb, const vk_retire *retire, vk_timeline *extra_wait,
                           uint64_t extra_value) {
  g_assert(cb == s->open && s->recording);
  s->recording = false;
  if (retire) {
    if (!s->open_retires) s->open_retires = g_array_new(FALSE, FALSE, sizeof(vk_retire));
    g_array_append_val(s->open_retires, *retire);
  }
  if (extra_wait) {
    g_assert(!s->open_wait && s->open_ops == 0);
    s->open_wait = vk_timeline_ref(extra_wait);
    s->open_wait_value = extra_value;
  }
  s->open_ops++;
  cw_status st = CW_OK;
  if (s->open_ops >= BATCH_MAX_OPS || in_flight(s) < 2) st = flush_locked(s);
  else vk_flusher_hold(s);
  g_rec_mutex_unlock(&s->lock);
  return st;
}

cw_status vk_stream_flush(cw_stream *s) {
  g_rec_mutex_lock(&s->lock);
  cw_status st = flush_locked(s);
  g_rec_mutex_unlock(&s->lock);
  return st;
}

void vk_stream_flush_if_due(cw_stream *s) {
  g_rec_mutex_lock(&s->lock);
  if (s->open && !s->recording && in_flight(s) < 2) flush_locked(s);
  g_rec_mutex_unlock(&s->lock);
}

static void run_retire(cw_stream *s, const vk_retire *r) {
  if (r->host_dst) memcpy(r->host_dst, r->staging_src, r->bytes);
  if (r->printf_module) {
    cw_status st = vk_printf_drain(r->printf_module);
    if (st != CW_OK && s->sticky == CW_OK) s->sticky = st;
  }
}

cw_status vk_stream_retire(cw_stream *s, bool wait) {
  cw_backend *be = s->be;
  g_rec_mutex_lock(&s->lock);
  flush_locked(s);  /* the host is asking about the stream: held work goes now */
  if (wait && s->submitted) {
    VkSemaphoreWaitInfo wi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO, .semaphoreCount = 1,
                              .pSemaphores = &s->timeline->sem, .pValues = &s->submitted};
    VkResult rc = be->vk.WaitSemaphores(s->d->dev, &wi, UINT64_MAX);
    if (rc != VK_SUCCESS && s->sticky == CW_OK) s->sticky = CW_ERR_DRIVER;
  }
  uint64_t done = 0;
  be->vk.GetSemaphoreCounterValue(s->d->dev, s->timeline->sem, &done);
  vk_submission *sub;
  while ((sub = g_queue_peek_head(&s->pending)) && sub->value <= done) {
    g_queue_pop_head(&s->pending);
    for (guint i = 0; sub->retires && i < sub->retires->len; i++)
      run_retire(s, &g_array_index(sub->retires, vk_retire, i));
    if (sub->retires) g_array_free(sub->retires, TRUE);
    be->vk.FreeCommandBuffers(s->d->dev, s->pool, 1, &sub->cb);
    vk_timeline_unref(be, s->d, sub->waited);
    g_free(sub);
  }
  /* the staging ring is free once nothing submitted or recorded uses it */
  if (g_queue_is_empty(&s->pending) && !s->open) s->staging_head = 0;
  g_rec_mutex_unlock(&s->lock);
  return CW_OK;
}

bool vk_stream_idle(cw_stream *s) {
  g_rec_mutex_lock(&s->lock);
  bool idle = g_queue_is_empty(&s->pending) && !s->open;
  g_rec_mutex_unlock(&s->lock);
  return idle;
}

cw_status vk_stream_staging(cw_stream *s, size_t bytes, size_t align, size_t *offset, void **host) {
  if (bytes > STAGING_BYTES) return CW_ERR_INVALID_VALUE;
  g_rec_mutex_lock(&s->lock);
  if (!s->staging) {
    cw_status st = vk_buffer_create(s->be, s->d, STAGING_BYTES, true, &s->staging);
    if (st == CW_OK && !s->staging->mapped) st = CW_ERR_DRIVER;
    if (st != CW_OK) {
      g_rec_mutex_unlock(&s->lock);
      return st;
    }
  }
  size_t at = (s->staging_head + align - 1) / align * align;
  if (at + bytes > STAGING_BYTES) {
    vk_stream_retire(s, true);  /* the ring is full: let the stream drain */
    at = 0;
  }
  s->staging_head = at + bytes;
  *offset = at;
  *host = (char *)s->staging->mapped + at;
  g_rec_mutex_unlock(&s->lock);
  return CW_OK;
}

cw_status vk_stream_scratch(cw_stream *s, size_t bytes, uint64_t *addr) {
  g_rec_mutex_lock(&s->lock);
  if (!s->scratch || s->scratch->size < bytes) {
    vk_stream_retire(s, true);  /* earlier launches may still use the old one */
    vk_buffer_destroy(s->be, s->d, s->scratch);
    s->scratch = NULL;
    size_t size = bytes < (1u << 20) ? (1u << 20) : bytes;
    cw_status st = vk_buffer_create(s->be, s->d, size, false, &s->scratch);
    if (st != CW_OK) {
      g_rec_mutex_unlock(&s->lock);
      return st;
    }
  }
  *addr = s->scratch->addr;
  g_rec_mutex_unlock(&s->lock);
  return CW_OK;
}

cw_status vulkan_stream_create(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out) {
  (void)flags, (void)priority;
  *out = NULL;
  vk_device *d;
  cw_status st = vk_device_open(be, dev, &d);
  if (st != CW_OK) return st;
  cw_stream *s = g_new0(cw_stream, 1);
  s->be = be;
  s->d = d;
  g_rec_mutex_init(&s->lock);
  g_queue_init(&s->pending);
  VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                                .queueFamilyIndex = d->compute_queue_family};
  VkSemaphoreTypeCreateInfo ti = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
                                  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE, .initialValue = 0};
  VkSemaphoreCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, .pNext = &ti};
  s->timeline = g_new0(vk_timeline, 1);
  s->timeline->refs = 1;
  if (be->vk.CreateCommandPool(d->dev, &pi, NULL, &s->pool) != VK_SUCCESS ||
      be->vk.CreateSemaphore(d->dev, &si, NULL, &s->timeline->sem) != VK_SUCCESS) {
    if (s->pool) be->vk.DestroyCommandPool(d->dev, s->pool, NULL);
    g_free(s->timeline);
    g_rec_mutex_clear(&s->lock);
    g_free(s);
    return CW_ERR_DRIVER;
  }
  g_mutex_lock(&d->lock);
  g_ptr_array_add(d->streams, s);
  g_mutex_unlock(&d->lock);
  *out = s;
  return CW_OK;
}

void vulkan_stream_destroy(cw_stream *s) {
  if (!s) return;
  vk_stream_retire(s, true);
  vk_flusher_forget(s);
  vk_device *d = s->d;
  g_mutex_lock(&d->lock);
  g_ptr_array_remove(d->streams, s);
  /* The stream's last batch has signalled its timeline, but the queue may not be done with the
   * stream's command buffers and semaphore: lavapipe (Mesa 25.0.7) crashed in about 1 of 10 runs
   * of streams that are destroyed while other streams still work (HeCBench streamPriority, under
   * load); waiting for the queue first, 0 of 12.  Submissions hold d->lock, so this is the only
   * user of the queue now.  (CUDA returns at once here; destroying a stream is rare.) */
  s->be->vk.DeviceWaitIdle(d->dev);
  g_mutex_unlock(&d->lock);
  vk_timeline_unref(s->be, d, s->timeline);  /* events recorded on s may keep it */
  s->be->vk.DestroyCommandPool(d->dev, s->pool, NULL);
  vk_buffer_destroy(s->be, d, s->staging);
  vk_buffer_destroy(s->be, d, s->scratch);
  g_rec_mutex_clear(&s->lock);
  g_free(s);
}

cw_status vulkan_stream_synchronize(cw_stream *s) {
  cw_status st = vk_stream_retire(s, true);
  return st != CW_OK ? st : s->sticky;
}

cw_status vulkan_stream_query(cw_stream *s) {
  vk_stream_retire(s, false);
  if (s->sticky != CW_OK) return s->sticky;
  return vk_stream_idle(s) ? CW_OK : CW_ERR_NOT_READY;
}

cw_status vulkan_stream_wait_event(cw_stream *s, cw_event *ev) {
  if (!ev->recorded) return CW_OK;
  /* the wait starts a batch of its own, so that the work before it need not wait; the stream's
   * lock keeps other threads' operations out from between the two */
  g_rec_mutex_lock(&s->lock);
  cw_status st = vk_stream_flush(s);
  VkCommandBuffer cb;
  if (st == CW_OK) st = vk_stream_begin(s, &cb);
  if (st == CW_OK) st = vk_stream_submit(s, cb, NULL, ev->timeline, ev->value);
  g_rec_mutex_unlock(&s->lock);
  return st;
}

cw_status vulkan_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out) {
  *out = NULL;
  vk_device *d;
  cw_status st = vk_device_open(be, dev, &d);
  if (st != CW_OK) return st;
  cw_event *ev = g_new0(cw_event, 1);
  ev->be = be;
  ev->d = d;
  ev->flags = flags;
  if (!(flags & CW_EVENT_DISABLE_TIMING) && d->timestamp_valid_bits) {
    VkQueryPoolCreateInfo qi = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
                                .queryType = VK_QUERY_TYPE_TIMESTAMP, .queryCount = 1};
    if (be->vk.CreateQueryPool(d->dev, &qi, NULL, &ev->query) != VK_SUCCESS) ev->query = VK_NULL_HANDLE;
  }
  *out = ev;
  return CW_OK;
}

void vulkan_event_destroy(cw_event *ev) {
  if (!ev) return;
  if (ev->recorded) vulkan_event_synchronize(ev);
  vk_timeline_unref(ev->be, ev->d, ev->timeline);
  if (ev->query) ev->be->vk.DestroyQueryPool(ev->d->dev, ev->query, NULL);
  g_free(ev);
}

cw_status vulkan_event_record(cw_event *ev, cw_stream *s) {
  VkCommandBuffer cb;
  g_rec_mutex_lock(&s->lock);  /* the value read below is the batch holding the timestamp */
  cw_status st = vk_stream_begin(s, &cb);
  if (st != CW_OK) {
    g_rec_mutex_unlock(&s->lock);
    return st;
  }
  if (ev->query) {
    ev->be->vk.CmdResetQueryPool(cb, ev->query, 0, 1);
    ev->be->vk.CmdWriteTimestamp(cb, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, ev->query, 0);
  }
  st = vk_stream_submit(s, cb, NULL, VK_NULL_HANDLE, 0);
  if (st == CW_OK) st = vk_stream_flush(s);  /* the event names a submitted value */
  if (st == CW_OK) {
    vk_timeline_unref(ev->be, ev->d, ev->timeline);
    ev->timeline = vk_timeline_ref(s->timeline);
    ev->value = s->submitted;
    ev->recorded = true;
  }
  g_rec_mutex_unlock(&s->lock);
  return st;
}

cw_status vulkan_event_synchronize(cw_event *ev) {
  if (!ev->recorded) return CW_OK;
  VkSemaphoreWaitInfo wi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO, .semaphoreCount = 1,
                            .pSemaphores = &ev->timeline->sem, .pValues = &ev->value};
  if (ev->be->vk.WaitSemaphores(ev->d->dev, &wi, UINT64_MAX) != VK_SUCCESS) return CW_ERR_DRIVER;
  return CW_OK;
}

cw_status vulkan_event_query(cw_event *ev) {
  if (!ev->recorded) return CW_OK;
  uint64_t done = 0;
  ev->be->vk.GetSemaphoreCounterValue(ev->d->dev, ev->timeline->sem, &done);
  return done >= ev->value ? CW_OK : CW_ERR_NOT_READY;
}

static cw_status timestamp(cw_event *ev, uint64_t *ticks) {
  if (!ev->query || !ev->recorded) return CW_ERR_INVALID_VALUE;
  if (vulkan_event_query(ev) != CW_OK) return CW_ERR_NOT_READY;
  VkResult rc = ev->be->vk.GetQueryPoolResults(ev->d->dev, ev->query, 0, 1, sizeof *ticks, ticks, sizeof *ticks,
                                               VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
  return rc == VK_SUCCESS ? CW_OK : CW_ERR_DRIVER;
}

cw_status vulkan_event_elapsed_ms(cw_event *start, cw_event *end, float *ms) {
  *ms = 0;
  uint64_t a, b;
  cw_status st = timestamp(start, &a);
  if (st == CW_OK) st = timestamp(end, &b);
  if (st != CW_OK) return st;
  uint32_t bits = start->d->timestamp_valid_bits;
  uint64_t mask = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
  uint64_t diff = (b - a) & mask;
  *ms = (float)((double)diff * start->d->timestamp_period / 1e6);
  return CW_OK;
}

cw_status vulkan_device_synchronize(cw_backend *be, int dev) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  vk_device *d = &be->devices[dev];
  if (!d->opened) return CW_OK;
  g_mutex_lock(&d->lock);
  GPtrArray *streams = g_ptr_array_copy(d->streams, NULL, NULL);
  g_mutex_unlock(&d->lock);
  cw_status st = CW_OK;
  for (guint i = 0; i < streams->len; i++) {
    cw_stream *s = g_ptr_array_index(streams, i);
    vk_stream_retire(s, true);
    if (st == CW_OK && s->sticky != CW_OK) st = s->sticky;
  }
  g_ptr_array_free(streams, TRUE);
  return st;
}
