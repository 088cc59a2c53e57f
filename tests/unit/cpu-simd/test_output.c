/* test_output.c — device printf (whole lines, never interleaved) and assert (CUDA's message,
 * the launch fails with CW_ERR_ASSERT and the context stays broken), in loop and fiber mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb.h"

/* Runs `fn` with file descriptor `fd` (1 or 2) redirected to a file; returns what was written. */
typedef struct capture {
  int fd, saved;
  char path[64];
} capture;

static void capture_start(capture *c, int fd) {
  fflush(fd == 1 ? stdout : stderr);
  c->fd = fd;
  g_strlcpy(c->path, "/tmp/cw-cpu-simd-test-XXXXXX", sizeof c->path);
  int f = mkstemp(c->path);
  assert_true(f >= 0);
  c->saved = dup(fd);
  dup2(f, fd);
  close(f);
}

static char *capture_end(capture *c) {
  fflush(c->fd == 1 ? stdout : stderr);
  dup2(c->saved, c->fd);
  close(c->saved);
  char *text = NULL;
  assert_true(g_file_get_contents(c->path, &text, NULL, NULL));
  unlink(c->path);
  return text;
}

/* if (t < n) printf("thread %d of %d: %.2f\n", t, n, t * 0.5); */
static void test_printf_lines(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("pf.cu")};
  cw_ir_stmt *b = kb_kernel(&k, "hello");
  cw_ir_var *n = kb_param(&k, "n", T(&k, CW_IR_I32));
  cw_ir_var *t = DECL(&k, b, "t", T(&k, CW_IR_I32), GID(&k));
  cw_ir_stmt *in = IF(&k, b, BIN(&k, CW_OP_LT, V(&k, t), V(&k, n)));
  const char *fmt = "thread %d of %d: %.2f\n";
  EXPR(&k, in, BI(&k, CW_BI_PRINTF, T(&k, CW_IR_I32), 4, cw_ir_string(k.m, fmt, (uint32_t)strlen(fmt), KLOC),
                  V(&k, t), V(&k, n),
                  BIN(&k, CW_OP_MUL, CAST(&k, CW_IR_F64, V(&k, t)), cw_ir_float(k.m, T(&k, CW_IR_F64), 0.5, KLOC))));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  int nn = 300;
  void *args[] = {&nn};
  capture c;
  capture_start(&c, 1);
  cw_status st = h_launch(&h, 0, 4, 128, 0, args);
  char *text = capture_end(&c);
  assert_int_equal(st, CW_OK);
  char **lines = g_strsplit(text, "\n", -1);
  int count = 0;
  for (char **l = lines; *l; l++) {
    if (!**l) continue;
    int a = -1, bb = -1;
    double v = -1;
    assert_int_equal(sscanf(*l, "thread %d of %d: %lf", &a, &bb, &v), 3);
    assert_int_equal(bb, 300);
    assert_float_equal(v, a * 0.5, 1e-9);
    count++;
  }
  assert_int_equal(count, 300);
  g_strfreev(lines);
  g_free(text);
  h_close(&h);
  cw_ir_module_free(k.m);
}

/* i = gid; assert(in[i] < 5); in[i] = -1; */
static void run_assert(void) {
  kb k = {.m = cw_ir_module_new("as.cu")};
  cw_ir_stmt *b = kb_kernel(&k, "chk");
  cw_ir_var *in = kb_param(&k, "in", PTR(&k, CW_IR_I32));
  cw_ir_var *i = DECL(&k, b, "i", T(&k, CW_IR_I32), GID(&k));
  const char *text = "in[i] < 5";
  EXPR(&k, b, BI(&k, CW_BI_ASSERT, NULL, 2, BIN(&k, CW_OP_LT, AT(&k, V(&k, in), V(&k, i)), I(&k, 5)),
                 cw_ir_string(k.m, text, (uint32_t)strlen(text), KLOC)));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, in), V(&k, i)), I(&k, -1)));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  int hin[64] = {0};
  hin[39] = 9; /* block 1, thread 7 */
  uint64_t d = h_alloc(&h, sizeof hin);
  h_put(&h, d, hin, sizeof hin);
  void *args[] = {&d};
  capture c;
  capture_start(&c, 2);
  cw_status st = h_launch(&h, 0, 2, 32, 0, args);
  char *err = capture_end(&c);
  assert_int_equal(st, CW_ERR_ASSERT);
  if (!strstr(err, "void chk(int *): block: [1,0,0], thread: [7,0,0] Assertion `in[i] < 5` failed."))
    fail_msg("assert message: %s", err);
  assert_non_null(strstr(err, "k.cu:"));
  g_free(err);
  /* the failing thread stopped before its store */
  int back[64];
  assert_int_equal(cpu_memory_ops.copy_d2h(NULL, back, d, sizeof back, false), CW_ERR_ASSERT);
  assert_int_equal(back[39], 9);
  /* sticky: later work fails too */
  cw_launch_dims dims = {.struct_size = sizeof dims, .grid = {1, 1, 1}, .block = {1, 1, 1}};
  char msg[256];
  assert_int_equal(cpu_backend_ops.launch(NULL, h.mod, 0, &dims, (void *const *)args, msg, sizeof msg), CW_ERR_ASSERT);
  assert_int_equal(cpu_backend_ops.device_synchronize(h.be, 0), CW_ERR_ASSERT);
  h_close(&h);
  cw_ir_module_free(k.m);
}

static void test_assert_loop_mode(void **state) {
  (void)state;
  run_assert();
}

static void test_assert_fiber_mode(void **state) {
  (void)state;
  g_setenv("CW_CPU_SIMD_MODE", "fibers", TRUE);
  run_assert();
}

/* if (t == 3) __trap(); — the launch fails with CW_ERR_LAUNCH, reported on stderr */
static void test_trap(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("trap.cu")};
  cw_ir_stmt *b = kb_kernel(&k, "boom");
  cw_ir_var *t = DECL(&k, b, "t", T(&k, CW_IR_I32), GID(&k));
  EXPR(&k, IF(&k, b, BIN(&k, CW_OP_EQ, V(&k, t), I(&k, 3))), BI(&k, CW_BI_TRAP, NULL, 0));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  capture c;
  capture_start(&c, 2);
  cw_status st = h_launch(&h, 0, 1, 8, 0, NULL);
  char *err = capture_end(&c);
  assert_int_equal(st, CW_ERR_LAUNCH);
  assert_non_null(strstr(err, "thread: [3,0,0] __trap() called"));
  g_free(err);
  h_close(&h);
  cw_ir_module_free(k.m);
}

static int unforce(void **state) {
  (void)state;
  g_unsetenv("CW_CPU_SIMD_MODE");
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_printf_lines),
    cmocka_unit_test(test_assert_loop_mode),
    cmocka_unit_test_teardown(test_assert_fiber_mode, unforce),
    cmocka_unit_test(test_trap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
