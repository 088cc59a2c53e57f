/* pool.c — the worker threads that run blocks.
 *
 * A launch is put on the pool's queue; every idle worker takes blocks from the front launch by an
 * atomic counter until none is left, so the blocks of a grid spread over all cores and launches
 * from several streams share the workers.  Workers have large stacks (loop fission keeps
 * per-thread arrays of a whole block on the stack) and keep their shared-memory buffers and
 * fiber stacks between blocks. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define WORKER_STACK (256u << 20) /* reserved, not committed: pages are touched on use */

struct cpu_pool {
  pthread_mutex_t m;
  pthread_cond_t work;       /* a launch was queued, or quit */
  pthread_cond_t finished;   /* a launch's last block finished */
  GQueue queue;              /* cpu_launch*, removed by their submitter once finished */
  bool quit;
  int n;
  pthread_t *threads;
};

/* The first queued launch with blocks left to claim (pool lock held). */
static cpu_launch *pick(cpu_pool *p) {
  for (GList *it = p->queue.head; it; it = it->next) {
    cpu_launch *l = it->data;
    if (atomic_load(&l->next) < l->n_blocks) return l;
  }
  return NULL;
}

/* How many blocks a worker claims at a time.  One atomic add per block costs more than a small
 * block's work when two cores fight over the counter's cache line (a 2^24-element saxpy is 65536
 * blocks of 256 threads: 2.8x slower than PoCL with one block per claim); claims of up to 64
 * blocks, with at least 16 claims per worker, keep the grid balanced. */
static uint64_t claim_size(const cpu_launch *l, int workers) {
  uint64_t per = l->n_blocks / ((uint64_t)(workers > 0 ? workers : 1) * 16u);
  return per < 1 ? 1 : per > 64 ? 64 : per;
}

static void *worker_main(void *arg) {
  cpu_pool *p = arg;
  cpu_worker w = {0};
  pthread_mutex_lock(&p->m);
  while (!p->quit) {
    cpu_launch *l = pick(p);
    if (!l) {
      pthread_cond_wait(&p->work, &p->m);
      continue;
    }
    l->active_workers++; /* keeps l alive while this worker touches it */
    uint64_t chunk = claim_size(l, p->n);
    pthread_mutex_unlock(&p->m);
    for (;;) {
      uint64_t b = atomic_fetch_add(&l->next, chunk);
      if (b >= l->n_blocks) break;
      uint64_t end = b + chunk < l->n_blocks ? b + chunk : l->n_blocks;
      for (uint64_t i = b; i < end; i++)
        if (!atomic_load(&l->abort)) cpu_run_block(l, i, &w);
      atomic_fetch_add(&l->done, end - b);
    }
    pthread_mutex_lock(&p->m);
    if (--l->active_workers == 0 && atomic_load(&l->done) >= l->n_blocks)
      pthread_cond_broadcast(&p->finished);
  }
  pthread_mutex_unlock(&p->m);
  cpu_worker_release(&w);
  return NULL;
}

void cpu_worker_release(cpu_worker *w) {
  free(w->shm);
  free(w->dshm);
  if (w->fibers) cpu_fibers_free(w->fibers);
  memset(w, 0, sizeof *w);
}

cpu_pool *cpu_pool_new(int threads) {
  cpu_pool *p = g_new0(cpu_pool, 1);
  pthread_mutex_init(&p->m, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_cond_init(&p->finished, NULL);
  g_queue_init(&p->queue);
  p->threads = g_new0(pthread_t, threads > 0 ? threads : 1);
  for (int i = 0; i < (threads > 0 ? threads : 1); i++)
    if (cpu_thread_start(&p->threads[p->n], worker_main, p)) p->n++;
  if (p->n == 0) cw_log(CW_LOG_ERROR, "cpu-simd", "cannot start any worker thread");
  return p;
}

void cpu_pool_free(cpu_pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->m);
  p->quit = true;
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->m);
  for (int i = 0; i < p->n; i++) pthread_join(p->threads[i], NULL);
  g_queue_clear(&p->queue);
  pthread_cond_destroy(&p->work);
  pthread_cond_destroy(&p->finished);
  pthread_mutex_destroy(&p->m);
  g_free(p->threads);
  g_free(p);
}

static __thread cpu_worker *own_worker; /* a stream thread's, for the blocks it runs itself */

void cpu_thread_set_worker(cpu_worker *w) { own_worker = w; }

bool cpu_thread_start(pthread_t *t, void *(*fn)(void *), void *arg) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, WORKER_STACK);
  bool ok = pthread_create(t, &attr, fn, arg) == 0;
  pthread_attr_destroy(&attr);
  return ok;
}

cw_status cpu_pool_run(cpu_pool *p, cpu_launch *l) {
  if (l->n_blocks == 1 && own_worker) {
    if (!atomic_load(&l->abort)) cpu_run_block(l, 0, own_worker);
    atomic_store(&l->done, 1);
    return (cw_status)atomic_load(&l->status);
  }
  if (p->n == 0) return CW_ERR_LAUNCH;
  pthread_mutex_lock(&p->m);
  g_queue_push_tail(&p->queue, l);
  pthread_cond_broadcast(&p->work);
  while (atomic_load(&l->done) < l->n_blocks || l->active_workers > 0)
    pthread_cond_wait(&p->finished, &p->m);
  g_queue_remove(&p->queue, l);
  pthread_mutex_unlock(&p->m);
  return (cw_status)atomic_load(&l->status);
}
