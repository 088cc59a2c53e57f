/* test_fiber_switch.c — the fiber context switch on its own: a new context starts its entry on its
 * own stack with the ABI's alignment (formatted double output and 16-byte vector locals would fault
 * otherwise), values the compiler keeps in callee-saved registers survive many switches both ways,
 * and each context keeps its own floating-point rounding mode. */
#include <fenv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fiber_switch.h"

#define STACK (128u << 10)
#define ROUNDS 10000

static cpu_fctx main_ctx, fib_ctx;
static volatile long fib_sum;
static volatile int fib_round_mode, fib_aligned;
static char fib_text[64];

typedef float v4sf __attribute__((vector_size(16)));

static __attribute__((noinline)) int aligned_here(void) {
  v4sf v = {1, 2, 3, 4};
  volatile v4sf *p = &v; /* must be 16-byte aligned for movaps */
  return ((uintptr_t)p & 15) == 0;
}

static void entry(void) {
  fib_aligned = aligned_here();
  snprintf(fib_text, sizeof fib_text, "%.3f", 2.0 / 3.0);
  fesetround(FE_UPWARD);
  long a = 3, b = 5, c = 7;
  for (int i = 0; i < ROUNDS; i++) {
    a += i, b ^= i, c += a & 7;
    cpu_fctx_switch(&fib_ctx, &main_ctx);
  }
  fib_round_mode = fegetround();
  fib_sum = a + b + c;
  cpu_fctx_jump(&main_ctx);
}

static void test_ping_pong(void **state) {
  (void)state;
  void *stack = malloc(STACK);
  assert_non_null(stack);
  int mode = fegetround();
  cpu_fctx_make(&fib_ctx, stack, STACK, entry);
  long x = 11, y = 13;
  for (int i = 0; i <= ROUNDS; i++) {
    cpu_fctx_switch(&main_ctx, &fib_ctx);
    x = x * 3 + i, y += x & 15;
    assert_int_equal(fegetround(), mode); /* the fiber's FE_UPWARD stays its own */
  }
  /* the same arithmetic without switches */
  long ea = 3, eb = 5, ec = 7, ex = 11, ey = 13;
  for (int i = 0; i < ROUNDS; i++) ea += i, eb ^= i, ec += ea & 7;
  for (int i = 0; i <= ROUNDS; i++) ex = ex * 3 + i, ey += ex & 15;
  assert_int_equal(fib_sum, ea + eb + ec);
  assert_int_equal(x, ex);
  assert_int_equal(y, ey);
  assert_int_equal(fib_round_mode, FE_UPWARD);
  assert_true(fib_aligned);
  assert_string_equal(fib_text, "0.667");
  free(stack);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ping_pong),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
