/* rt_services.c — what compiled kernels call back into the plugin for: printf output, assert
 * and __trap, and the fiber scheduler's barrier and warp exchange. */
#include <stdio.h>

#include "engine.h"

static GMutex out_lock;

static void write_out(const char *buf, size_t len) {
  /* one fwrite per printf: lines of different threads never interleave */
  g_mutex_lock(&out_lock);
  fwrite(buf, 1, len, stdout);
  g_mutex_unlock(&out_lock);
}

void cpu_launch_fail(cpu_launch *l, cw_status st) {
  int expected = CW_OK;
  atomic_compare_exchange_strong(&l->status, &expected, (int)st);
  atomic_store(&l->abort, true);
}

static void assert_fail(cw_blk *C, uint32_t tx, uint32_t ty, uint32_t tz, void *fiber, const char *file,
                        int line, const char *kernel, const char *cond) {
  /* CUDA's wording, so tools that grep for it keep working */
  fflush(stdout);
  fprintf(stderr, "%s:%d: %s: block: [%u,%u,%u], thread: [%u,%u,%u] Assertion `%s` failed.\n", file, line,
          kernel, C->bid[0], C->bid[1], C->bid[2], tx, ty, tz, cond);
  cpu_launch_fail(C->launch, CW_ERR_ASSERT);
  if (fiber) cpu_fiber_exit(fiber);
}

static void trap(cw_blk *C, uint32_t tx, uint32_t ty, uint32_t tz, void *fiber, const char *file, int line,
                 const char *kernel) {
  fprintf(stderr, "%s:%d: %s: block: [%u,%u,%u], thread: [%u,%u,%u] __trap() called\n", file, line, kernel,
          C->bid[0], C->bid[1], C->bid[2], tx, ty, tz);
  cpu_launch_fail(C->launch, CW_ERR_LAUNCH);
  if (fiber) cpu_fiber_exit(fiber);
}

const cw_rt cpu_rt = {
  .write_out = write_out,
  .assert_fail = assert_fail,
  .trap = trap,
  .barrier = cpu_fiber_barrier,
  .warp_exchange = cpu_fiber_warp_exchange,
};
