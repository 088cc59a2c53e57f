/* test_streams.c — streams run work in order on their own threads, events time it, a stream can
 * wait for another's event, and async copies/launches return before the work is done. */
#include <string.h>

#include "kb.h"

static void test_streams_events_order(void **state) {
  (void)state;
  harness h;
  h_open(&h);
  cw_ir_module *m = kb_saxpy_module();
  h_load(&h, m);
  enum { N = 1 << 18 };
  float *x = g_new(float, N), *y = g_new(float, N);
  for (int i = 0; i < N; i++) x[i] = 1.0f, y[i] = (float)(i % 100);
  cw_stream *s1 = NULL, *s2 = NULL;
  cw_event *e0 = NULL, *e1 = NULL, *never = NULL;
  assert_int_equal(cpu_backend_ops.stream_create(h.be, 0, 0, 0, &s1), CW_OK);
  assert_int_equal(cpu_backend_ops.stream_create(h.be, 0, 0, 0, &s2), CW_OK);
  assert_int_equal(cpu_backend_ops.event_create(h.be, 0, 0, &e0), CW_OK);
  assert_int_equal(cpu_backend_ops.event_create(h.be, 0, 0, &e1), CW_OK);
  assert_int_equal(cpu_backend_ops.event_create(h.be, 0, 0, &never), CW_OK);
  uint64_t dx = h_alloc(&h, N * sizeof(float)), dy = h_alloc(&h, N * sizeof(float));
  /* everything on s1, asynchronously: copies, three launches, copy back on s2 after e1 */
  assert_int_equal(cpu_memory_ops.copy_h2d(s1, dx, x, N * sizeof(float), true), CW_OK);
  assert_int_equal(cpu_memory_ops.copy_h2d(s1, dy, y, N * sizeof(float), true), CW_OK);
  assert_int_equal(cpu_backend_ops.event_record(e0, s1), CW_OK);
  int n = N;
  float a = 2.0f;
  void *args[] = {&n, &a, &dx, &dy};
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {N / 256, 1, 1}, .block = {256, 1, 1}};
  char err[256];
  for (int r = 0; r < 3; r++)
    assert_int_equal(cpu_backend_ops.launch(s1, h.mod, 0, &d, (void *const *)args, err, sizeof err), CW_OK);
  assert_int_equal(cpu_backend_ops.event_record(e1, s1), CW_OK);
  float *back = g_new0(float, N);
  assert_int_equal(cpu_backend_ops.stream_wait_event(s2, e1), CW_OK);
  assert_int_equal(cpu_memory_ops.copy_d2h(s2, back, dy, N * sizeof(float), true), CW_OK);
  assert_int_equal(cpu_backend_ops.stream_synchronize(s2), CW_OK);
  for (int i = 0; i < N; i++) assert_float_equal(back[i], (float)(i % 100) + 6.0f, 0);
  assert_int_equal(cpu_backend_ops.event_synchronize(e1), CW_OK);
  assert_int_equal(cpu_backend_ops.event_query(e1), CW_OK);
  float ms = -1;
  assert_int_equal(cpu_backend_ops.event_elapsed_ms(e0, e1, &ms), CW_OK);
  assert_true(ms >= 0.0f && ms < 60000.0f);
  assert_int_equal(cpu_backend_ops.event_elapsed_ms(e0, never, &ms), CW_ERR_INVALID_VALUE);
  assert_int_equal(cpu_backend_ops.stream_query(s1), CW_OK);
  assert_int_equal(cpu_backend_ops.device_synchronize(h.be, 0), CW_OK);
  /* a bad configuration is refused at launch */
  cw_launch_dims bad = {.struct_size = sizeof bad, .grid = {1, 1, 1}, .block = {2048, 1, 1}};
  assert_int_equal(cpu_backend_ops.launch(s1, h.mod, 0, &bad, (void *const *)args, err, sizeof err), CW_ERR_LAUNCH);
  assert_non_null(strstr(err, "invalid configuration"));
  /* freeing an unknown address is an error, not a crash */
  assert_int_equal(cpu_memory_ops.free(h.be, 0, 0x1234), CW_ERR_INVALID_VALUE);
  cpu_backend_ops.event_destroy(e0);
  cpu_backend_ops.event_destroy(e1);
  cpu_backend_ops.event_destroy(never);
  cpu_backend_ops.stream_destroy(s1);
  cpu_backend_ops.stream_destroy(s2);
  h_free(&h, dx);
  h_free(&h, dy);
  g_free(x);
  g_free(y);
  g_free(back);
  h_close(&h);
  cw_ir_module_free(m);
}

/* A freed large block is handed out again for an allocation of the same size (no fresh pages per
 * iteration of an allocate/free loop); its memory works, and freeing it twice is still an error. */
static void test_large_block_reuse(void **state) {
  (void)state;
  harness h;
  h_open(&h);
  enum { BIG = 4 << 20 };
  uint64_t a = h_alloc(&h, BIG);
  h_free(&h, a);
  assert_int_equal(cpu_memory_ops.free(h.be, 0, a), CW_ERR_INVALID_VALUE);
  uint64_t b = h_alloc(&h, BIG);
  assert_true(b == a);
  uint64_t c = h_alloc(&h, BIG); /* none kept any more: a new block */
  assert_true(c != b);
  unsigned char *src = g_malloc(BIG), *back = g_malloc0(BIG);
  for (int i = 0; i < BIG; i++) src[i] = (unsigned char)(i * 7);
  h_put(&h, c, src, BIG);
  h_get(&h, back, c, BIG);
  assert_memory_equal(src, back, BIG);
  h_free(&h, b);
  h_free(&h, c);
  g_free(src);
  g_free(back);
  h_close(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_streams_events_order),
    cmocka_unit_test(test_large_block_reuse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
