/* flusher.c — the thread that submits the batches streams hold.
 *
 * A stream holds its operations back while the device still has two of its batches to run
 * (stream.c), so that one submission carries many launches.  Someone must submit the held batch
 * once the device catches up even when the program makes no further call: it may be doing host
 * work meanwhile, or waiting on mapped memory that a held kernel writes.  One thread per device
 * waits on the timelines of the holding streams and submits each batch as it becomes due.
 *
 * Locks: the program's threads take a stream's lock, then flush_lock (hold, release); this thread
 * never holds flush_lock while it takes a stream's lock, and marks the stream it works on in
 * d->flushing so that a stream being destroyed can wait for it (vk_flusher_forget). */
#include "vulkan-plugin.h"

/* How long one wait lasts before the thread looks again for streams that began holding. */
#define FLUSHER_POLL_NS 500000u

static void wait_for_progress(vk_device *d) {
  guint n = d->holding->len;
  vk_timeline **tls = g_new(vk_timeline *, n);
  VkSemaphore *sems = g_new(VkSemaphore, n);
  uint64_t *values = g_new(uint64_t, n);
  for (guint i = 0; i < n; i++) {
    cw_stream *s = g_ptr_array_index(d->holding, i);
    tls[i] = vk_timeline_ref(s->timeline);
    sems[i] = tls[i]->sem;
    uint64_t submitted = __atomic_load_n(&s->submitted, __ATOMIC_RELAXED);
    values[i] = submitted ? submitted - 1 : 0;  /* due once less than two batches are left */
  }
  g_mutex_unlock(&d->flush_lock);
  VkSemaphoreWaitInfo wi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO, .flags = VK_SEMAPHORE_WAIT_ANY_BIT,
                            .semaphoreCount = n, .pSemaphores = sems, .pValues = values};
  d->be->vk.WaitSemaphores(d->dev, &wi, FLUSHER_POLL_NS);
  for (guint i = 0; i < n; i++) vk_timeline_unref(d->be, d, tls[i]);
  g_free(tls);
  g_free(sems);
  g_free(values);
  g_mutex_lock(&d->flush_lock);
}

static gpointer flusher_main(gpointer data) {
  vk_device *d = data;
  g_mutex_lock(&d->flush_lock);
  while (!d->flush_stop) {
    if (!d->holding->len) {
      g_cond_wait(&d->flush_cond, &d->flush_lock);
      continue;
    }
    wait_for_progress(d);
    for (guint i = 0; i < d->holding->len && !d->flush_stop;) {
      cw_stream *s = g_ptr_array_index(d->holding, i);
      d->flushing = s;
      g_mutex_unlock(&d->flush_lock);
      vk_stream_flush_if_due(s);
      g_mutex_lock(&d->flush_lock);
      d->flushing = NULL;
      g_cond_broadcast(&d->flush_cond);
      if (i < d->holding->len && g_ptr_array_index(d->holding, i) == s) i++;  /* not due yet */
    }
  }
  g_mutex_unlock(&d->flush_lock);
  return NULL;
}

void vk_flusher_start(vk_device *d) {
  g_mutex_init(&d->flush_lock);
  g_cond_init(&d->flush_cond);
  d->holding = g_ptr_array_new();
  d->flush_stop = false;
  d->flusher = g_thread_new("cw-vk-flusher", flusher_main, d);
}

void vk_flusher_stop(vk_device *d) {
  if (!d->flusher) return;
  g_mutex_lock(&d->flush_lock);
  d->flush_stop = true;
  g_cond_broadcast(&d->flush_cond);
  g_mutex_unlock(&d->flush_lock);
  g_thread_join(d->flusher);
  d->flusher = NULL;
  g_ptr_array_free(d->holding, TRUE);
  d->holding = NULL;
  g_cond_clear(&d->flush_cond);
  g_mutex_clear(&d->flush_lock);
}

void vk_flusher_hold(cw_stream *s) {
  if (s->held) return;
  vk_device *d = s->d;
  s->held = true;
  g_mutex_lock(&d->flush_lock);
  g_ptr_array_add(d->holding, s);
  g_cond_broadcast(&d->flush_cond);
  g_mutex_unlock(&d->flush_lock);
}

void vk_flusher_release(cw_stream *s) {
  if (!s->held) return;
  vk_device *d = s->d;
  s->held = false;
  g_mutex_lock(&d->flush_lock);
  g_ptr_array_remove(d->holding, s);
  g_mutex_unlock(&d->flush_lock);
}

void vk_flusher_forget(cw_stream *s) {
  vk_device *d = s->d;
  g_mutex_lock(&d->flush_lock);
  g_ptr_array_remove(d->holding, s);
  s->held = false;
  while (d->flushing == s) g_cond_wait(&d->flush_cond, &d->flush_lock);
  g_mutex_unlock(&d->flush_lock);
}
