/* fiber.c — fiber mode: each thread of a block is a fiber (fiber_switch.h) on its own stack, and the
 * worker schedules them round-robin.  __syncthreads parks a fiber until every live thread of the
 * block arrived; a warp operation parks it until every live lane of its warp deposited a value.
 * Always correct for code that CUDA allows, whatever its control flow; a block whose threads
 * wait at different barriers forever is reported as a failed launch instead of hanging. */
#include <string.h>
#include <sys/mman.h>

#include "engine.h"
#include "fiber_switch.h"


typedef enum { F_READY, F_WAIT_BAR, F_WAIT_WARP, F_DONE } fiber_state;

typedef struct fiber {
  cpu_fctx ctx;
  cw_thr thr;
  fiber_state state;
  uint32_t gen;              /* generation of the barrier or warp exchange it waits for */
  struct cpu_fibers *owner;
} fiber;

typedef struct warp_state {
  uint32_t live, arrived, gen, present, snap_mask;
  uint64_t slots[32], snap[32];
} warp_state;

typedef struct cpu_fibers {
  cpu_fctx sched;
  fiber *f;
  uint32_t cap;              /* fibers and stacks allocated */
  size_t stack;              /* bytes per fiber stack (reserved; pages are committed on use) */
  unsigned char *stacks;
  uint32_t n, live;
  uint32_t bar_arrived, bar_gen;
  int bar_count, bar_result, bar_live;
  warp_state warps[32];
  cpu_launch *launch;
} cpu_fibers;

static __thread cpu_fibers *tls_fibers;
static __thread uint32_t tls_index;

static void release_barrier(cpu_fibers *fs) {
  fs->bar_result = fs->bar_count;
  fs->bar_live = (int)fs->bar_arrived;
  fs->bar_count = 0;
  fs->bar_arrived = 0;
  fs->bar_gen++;
}

static void release_warp(warp_state *w) {
  memcpy(w->snap, w->slots, sizeof w->snap);
  w->snap_mask = w->present;
  w->present = 0;
  w->arrived = 0;
  w->gen++;
}

static __attribute__((noreturn)) void finish(fiber *f) {
  cpu_fibers *fs = f->owner;
  warp_state *w = &fs->warps[f->thr.lin / 32];
  f->state = F_DONE;
  fs->live--;
  w->live--;
  /* the others no longer wait for this thread */
  if (fs->bar_arrived > 0 && fs->bar_arrived >= fs->live) release_barrier(fs);
  if (w->arrived > 0 && w->arrived >= w->live) release_warp(w);
  cpu_fctx_jump(&fs->sched);
}

static void trampoline(void) {
  cpu_fibers *fs = tls_fibers;
  fiber *f = &fs->f[tls_index];
  fs->launch->kernel->thread((const void *const *)fs->launch->args, &f->thr);
  finish(f);
}

void cpu_fiber_exit(void *fiber_ptr) { finish(fiber_ptr); }

int cpu_fiber_barrier(cw_thr *T, int pred, int *live) {
  fiber *f = T->fiber;
  if (!f) { /* not in fiber mode: a single thread passes */
    if (live) *live = 1;
    return pred != 0;
  }
  cpu_fibers *fs = f->owner;
  fs->bar_count += pred != 0;
  fs->bar_arrived++;
  f->gen = fs->bar_gen;
  if (fs->bar_arrived >= fs->live) {
    release_barrier(fs);
  } else {
    f->state = F_WAIT_BAR;
    cpu_fctx_switch(&f->ctx, &fs->sched);
  }
  if (live) *live = fs->bar_live;
  return fs->bar_result;
}

const uint64_t *cpu_fiber_warp_exchange(cw_thr *T, uint64_t v, uint32_t *part) {
  fiber *f = T->fiber;
  uint32_t lane = T->lin & 31u;
  if (!f) { /* not in fiber mode: a lone lane sees its own value everywhere */
    static __thread uint64_t solo[32];
    for (int i = 0; i < 32; i++) solo[i] = v;
    *part = 1u << lane;
    return solo;
  }
  cpu_fibers *fs = f->owner;
  warp_state *w = &fs->warps[T->lin / 32];
  w->slots[lane] = v;
  w->present |= 1u << lane;
  w->arrived++;
  f->gen = w->gen;
  if (w->arrived >= w->live) {
    release_warp(w);
  } else {
    f->state = F_WAIT_WARP;
    cpu_fctx_switch(&f->ctx, &fs->sched);
  }
  /* the snapshot changes only when every live lane, this one included, arrived again */
  *part = w->snap_mask;
  return w->snap;
}

static bool runnable(const cpu_fibers *fs, const fiber *f) {
  switch (f->state) {
  case F_READY: return true;
  case F_WAIT_BAR: return fs->bar_gen != f->gen;
  case F_WAIT_WARP: return fs->warps[f->thr.lin / 32].gen != f->gen;
  default: return false;
  }
}

static cpu_fibers *fibers_for(cpu_worker *w, uint32_t n, size_t stack) {
  cpu_fibers *fs = w->fibers;
  if (fs && fs->cap >= n && fs->stack >= stack) return fs;
  if (fs) cpu_fibers_free(fs);
  fs = g_new0(cpu_fibers, 1);
  uint32_t cap = n < 32 ? 32 : n;
  void *st = mmap(NULL, (size_t)cap * stack, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (st == MAP_FAILED) {
    g_free(fs);
    w->fibers = NULL;
    return NULL;
  }
  /* a guard page at the bottom of each stack: an overflow faults instead of corrupting the
   * neighbouring thread's stack */
  for (uint32_t i = 0; i < cap; i++) mprotect((unsigned char *)st + (size_t)i * stack, 4096, PROT_NONE);
  fs->stacks = st;
  fs->stack = stack;
  fs->cap = cap;
  fs->f = g_new0(fiber, cap);
  w->fibers = fs;
  return fs;
}

void cpu_fibers_free(cpu_fibers *fs) {
  if (!fs) return;
  munmap(fs->stacks, (size_t)fs->cap * fs->stack);
  g_free(fs->f);
  g_free(fs);
}

static void make_fiber(fiber *f, unsigned char *stack, size_t size) {
  cpu_fctx_make(&f->ctx, stack, size, trampoline);
  f->state = F_READY;
}

void cpu_fibers_run_block(cpu_worker *w, cpu_launch *l, cw_blk *C) {
  uint32_t n = C->nt;
  cpu_fibers *fs = fibers_for(w, n, l->fiber_stack);
  if (!fs) {
    cpu_launch_fail(l, CW_ERR_OUT_OF_MEMORY);
    return;
  }
  fs->n = fs->live = n;
  fs->bar_arrived = fs->bar_gen = 0;
  fs->bar_count = fs->bar_result = fs->bar_live = 0;
  memset(fs->warps, 0, sizeof fs->warps);
  fs->launch = l;
  uint32_t bx = C->bdim[0], by = C->bdim[1];
  for (uint32_t i = 0; i < n; i++) {
    fiber *f = &fs->f[i];
    memset(f, 0, sizeof *f);
    f->owner = fs;
    f->thr = (cw_thr){C, i % bx, (i / bx) % by, i / (bx * by), i, f};
    fs->warps[i / 32].live++;
    make_fiber(f, fs->stacks + (size_t)i * fs->stack, fs->stack);
  }
  cpu_fibers *saved = tls_fibers;
  tls_fibers = fs;
  bool progress = true;
  while (fs->live > 0 && progress) {
    progress = false;
    for (uint32_t i = 0; i < n; i++) {
      fiber *f = &fs->f[i];
      if (!runnable(fs, f)) continue;
      f->state = F_READY;
      tls_index = i;
      cpu_fctx_switch(&fs->sched, &f->ctx);
      progress = true;
    }
  }
  tls_fibers = saved;
  if (fs->live > 0) {
    cw_log(CW_LOG_ERROR, "cpu-simd",
           "kernel %s: block [%u,%u,%u]: %u threads wait at barriers the others never reach",
           l->kernel->name, C->bid[0], C->bid[1], C->bid[2], fs->live);
    cpu_launch_fail(l, CW_ERR_LAUNCH);
  }
}
