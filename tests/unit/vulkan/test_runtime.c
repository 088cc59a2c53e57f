/* test_runtime.c — the runtime side of the vulkan plugin: streams in order, asynchronous copies
 * through the staging ring, memset at odd offsets, events with timestamps, cross-stream waits,
 * operations batched into few submissions, held batches submitted by the flusher, pinned host
 * memory copied without staging, probe caps, bad addresses, freed buffers kept for reuse. */
#include <string.h>
#include <unistd.h>

#include "vk_harness.h"
#include "vulkan-plugin.h"

static void caps(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  assert_true(h.caps.flags & CW_CAP_REAL_POINTERS);
  assert_true(h.caps.max_threads_per_block >= 128);
  assert_true(h.caps.shared_mem_per_block >= 16384);
  assert_true(h.caps.subgroup_size >= 1);
  assert_true(h.caps.max_grid_dim[0] >= 65535);
  assert_int_equal(h.d->backend->device_count(h.be), 1 <= h.d->backend->device_count(h.be) ? h.d->backend->device_count(h.be) : 1);
  vh_close(&h);
}

static void copies_and_memset(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  enum { N = 10 << 20 };  /* larger than the staging ring: chunked */
  unsigned char *a = g_malloc(N), *b = g_malloc(N);
  for (size_t i = 0; i < N; i++) a[i] = (unsigned char)(i * 31 + 7);
  uint64_t d1 = vh_alloc(&h, N), d2 = vh_alloc(&h, N);
  /* asynchronous upload, device copy, asynchronous download, then one synchronize */
  assert_int_equal(h.d->memory->copy_h2d(h.s, d1, a, N, true), CW_OK);
  assert_int_equal(h.d->memory->copy_d2d(h.s, d2, d1, N, true), CW_OK);
  assert_int_equal(h.d->memory->memset(h.s, d2 + 3, 0xab, 1001, true), CW_OK);
  memset(b, 0, N);
  assert_int_equal(h.d->memory->copy_d2h(h.s, b, d2, N, true), CW_OK);
  assert_int_equal(h.d->backend->stream_synchronize(h.s), CW_OK);
  for (size_t i = 0; i < N; i++) {
    unsigned char want = i >= 3 && i < 1004 ? 0xab : a[i];
    if (b[i] != want) fail_msg("byte %zu: %u, want %u", i, b[i], want);
  }
  assert_int_equal(h.d->backend->stream_query(h.s), CW_OK);
  /* synchronous memset at an odd offset and length */
  assert_int_equal(h.d->memory->memset(h.s, d1 + 1, 0, 6, false), CW_OK);
  unsigned char c[8];
  vh_get(&h, c, d1, 8);
  assert_int_equal(c[0], a[0]);
  for (int i = 1; i < 7; i++) assert_int_equal(c[i], 0);
  assert_int_equal(c[7], a[7]);
  /* addresses outside any allocation are rejected */
  assert_int_equal(h.d->memory->copy_h2d(h.s, d1 + N + 4096 * 16, a, 4, false), CW_ERR_INVALID_VALUE);
  assert_int_equal(h.d->memory->copy_h2d(h.s, d1 + N - 2, a, 4, false), CW_ERR_INVALID_VALUE);
  size_t freeb, total;
  assert_int_equal(h.d->memory->mem_info(h.be, 0, &freeb, &total), CW_OK);
  assert_true(total > 0 && freeb <= total);
  vh_free(&h, d1);
  vh_free(&h, d2);
  assert_int_equal(h.d->memory->free(h.be, 0, d1), CW_ERR_INVALID_VALUE);
  g_free(a);
  g_free(b);
  vh_close(&h);
}

static void events_and_streams(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__global__ void spin(float *x, int n, int reps) {\n"
          "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  if (i < n) { float v = x[i]; for (int r = 0; r < reps; r++) v = v * 0.999f + 1.0f; x[i] = v; }\n"
          "}\n"
          "__global__ void add(float *x, float *y, int n) {\n"
          "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  if (i < n) y[i] += x[i];\n"
          "}\n");
  const cw_backend_ops *b = h.d->backend;
  cw_stream *s2;
  assert_int_equal(b->stream_create(h.be, 0, CW_STREAM_NON_BLOCKING, 0, &s2), CW_OK);
  cw_event *e0, *e1, *e2;
  assert_int_equal(b->event_create(h.be, 0, 0, &e0), CW_OK);
  assert_int_equal(b->event_create(h.be, 0, 0, &e1), CW_OK);
  assert_int_equal(b->event_create(h.be, 0, CW_EVENT_DISABLE_TIMING, &e2), CW_OK);
  enum { N = 1 << 16 };
  static float x[N], y[N];
  for (int i = 0; i < N; i++) x[i] = 1.0f, y[i] = (float)i;
  uint64_t dx = vh_alloc(&h, sizeof x), dy = vh_alloc(&h, sizeof y);
  vh_put(&h, dx, x, sizeof x);
  assert_int_equal(h.d->memory->copy_h2d(s2, dy, y, sizeof y, false), CW_OK);
  int n = N, reps = 200;
  void *a1[] = {&dx, &n, &reps};
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {N / 256, 1, 1}, .block = {256, 1, 1}};
  char err[256];
  assert_int_equal(b->event_record(e0, h.s), CW_OK);
  assert_int_equal(b->launch(h.s, h.mod, 0, &d, (void *const *)a1, err, sizeof err), CW_OK);
  assert_int_equal(b->event_record(e1, h.s), CW_OK);
  assert_int_equal(b->event_record(e2, h.s), CW_OK);
  /* s2 waits for the first stream's kernel before adding */
  assert_int_equal(b->stream_wait_event(s2, e2), CW_OK);
  void *a2[] = {&dx, &dy, &n};
  assert_int_equal(b->launch(s2, h.mod, 1, &d, (void *const *)a2, err, sizeof err), CW_OK);
  assert_int_equal(b->stream_synchronize(s2), CW_OK);
  assert_int_equal(b->event_query(e1), CW_OK);
  assert_int_equal(b->event_synchronize(e1), CW_OK);
  float ms = -1;
  assert_int_equal(b->event_elapsed_ms(e0, e1, &ms), CW_OK);
  assert_true(ms >= 0.0f && ms < 60000.0f);
  assert_int_equal(b->event_elapsed_ms(e0, e2, &ms), CW_ERR_INVALID_VALUE);
  assert_int_equal(h.d->memory->copy_d2h(s2, y, dy, sizeof y, false), CW_OK);
  float v = 1.0f;
  for (int r = 0; r < reps; r++) v = v * 0.999f + 1.0f;
  for (int i = 0; i < N; i += 997) assert_float_equal(y[i], (float)i + v, 1e-2);
  assert_int_equal(b->device_synchronize(h.be, 0), CW_OK);
  b->event_destroy(e0);
  b->event_destroy(e1);
  b->event_destroy(e2);
  b->stream_destroy(s2);
  vh_close(&h);
}

/* Kernels, copies and fills queued without waiting: few submissions carry them, each still sees
 * the one before (every kernel reads what the previous one wrote), and the held batch is
 * submitted by the flusher thread while the host makes no call at all. */
static void batched_operations(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__global__ void step(unsigned *x, int n, unsigned k) {\n"
          "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  if (i < n) x[i] = x[i] * 3u + k;\n"
          "}\n");
  const cw_backend_ops *b = h.d->backend;
  enum { N = 4096, OPS = 300 };
  static unsigned x[N], want[N];
  for (int i = 0; i < N; i++) x[i] = want[i] = (unsigned)i;
  uint64_t dx = vh_alloc(&h, sizeof x), d2 = vh_alloc(&h, sizeof x);
  vh_put(&h, dx, x, sizeof x);
  uint64_t before = h.s->submitted;
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {N / 128, 1, 1}, .block = {128, 1, 1}};
  char err[256];
  int n = N;
  for (unsigned k = 0; k < OPS; k++) {
    /* x*3 + k: applying the steps in another order gives another result */
    void *args[] = {&dx, &n, &k};
    assert_int_equal(b->launch(h.s, h.mod, 0, &d, (void *const *)args, err, sizeof err), CW_OK);
    for (int i = 0; i < N; i++) want[i] = want[i] * 3u + k;
    if (k % 50 == 49) {
      /* a device copy and a fill between kernels, in stream order */
      assert_int_equal(h.d->memory->copy_d2d(h.s, d2, dx, sizeof x, true), CW_OK);
      assert_int_equal(h.d->memory->memset(h.s, dx, 0, 64, true), CW_OK);
      assert_int_equal(h.d->memory->copy_d2d(h.s, dx + 64, d2 + 64, sizeof x - 64, true), CW_OK);
      memset(want, 0, 64);
    }
  }
  /* the flusher submits what is held: wait for the timeline without calling the plugin */
  gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
  for (;;) {
    g_rec_mutex_lock(&h.s->lock);
    bool held = h.s->open != VK_NULL_HANDLE;
    uint64_t submitted = h.s->submitted, done = 0;
    h.be->vk.GetSemaphoreCounterValue(h.s->d->dev, h.s->timeline->sem, &done);
    g_rec_mutex_unlock(&h.s->lock);
    if (!held && done == submitted) break;
    if (g_get_monotonic_time() > deadline) fail_msg("held work was not submitted (%d held)", held);
    g_usleep(1000);
  }
  uint64_t batches = h.s->submitted - before;
  assert_true(batches >= 1);
  /* the host queues faster than the device runs, so most operations share a submission */
  if (batches > OPS / 2) fail_msg("%llu submissions for %d kernels: not batched", (unsigned long long)batches, OPS);
  vh_get(&h, x, dx, sizeof x);
  for (int i = 0; i < N; i++)
    if (x[i] != want[i]) fail_msg("element %d: %u, want %u", i, x[i], want[i]);
  vh_free(&h, dx);
  vh_free(&h, d2);
  vh_close(&h);
}

/* cudaMallocHost memory is a buffer of device 0: asynchronous copies to and from it, inside it at
 * an offset, are device copies in stream order (no staging ring); other host memory still
 * stages; free_host takes both kinds. */
static void pinned_host_memory(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  const cw_memory_ops *m = h.d->memory;
  enum { N = 3 << 20 };  /* more than one staging chunk */
  unsigned char *pin = NULL, *pin2 = NULL;
  assert_int_equal(m->alloc_host(h.be, N, (void **)&pin), CW_OK);
  assert_int_equal(m->alloc_host(h.be, N, (void **)&pin2), CW_OK);
  size_t off = 0;
  assert_non_null(vk_pinned_lookup(h.be, &h.be->devices[0], pin + 5, N - 5, &off));
  assert_int_equal(off, 5);
  assert_null(vk_pinned_lookup(h.be, &h.be->devices[0], pin + 5, N, &off));  /* runs past its end */
  for (size_t i = 0; i < N; i++) pin[i] = (unsigned char)(i * 13 + 1);
  uint64_t dev = vh_alloc(&h, N);
  /* a long kernel first: a device whose memory the host maps (lavapipe) copies by memcpy only on
   * an idle stream, and these copies must queue behind it */
  vh_load(&h, "__global__ void spin(float *x, int reps) {\n"
              "  float v = x[threadIdx.x];\n"
              "  for (int r = 0; r < reps; r++) v = v * 0.999f + 1.0f;\n"
              "  x[threadIdx.x] = v;\n"
              "}\n");
  uint64_t scratch = vh_alloc(&h, 1024 * sizeof(float));
  int reps = 1 << 22;
  void *args[] = {&scratch, &reps};
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {1, 1, 1}, .block = {1024, 1, 1}};
  char err[256];
  assert_int_equal(h.d->backend->launch(h.s, h.mod, 0, &d, (void *const *)args, err, sizeof err), CW_OK);
  uint64_t staging_before = h.s->staging_head;
  assert_int_equal(m->copy_h2d(h.s, dev, pin, N, true), CW_OK);
  assert_int_equal(m->memset(h.s, dev + 100, 7, 48, true), CW_OK);  /* whole words: no staging */
  memset(pin2, 0, N);
  assert_int_equal(m->copy_d2h(h.s, pin2 + 1, dev + 1, N - 1, true), CW_OK);
  assert_int_equal(h.s->staging_head, staging_before);  /* nothing went through the ring */
  assert_false(vk_stream_idle(h.s));                      /* queued, not copied by the host */
  assert_int_equal(h.d->backend->stream_synchronize(h.s), CW_OK);
  assert_int_equal(pin2[0], 0);
  for (size_t i = 1; i < N; i++) {
    unsigned char want = i >= 100 && i < 148 ? 7 : pin[i];
    if (pin2[i] != want) fail_msg("byte %zu: %u, want %u", i, pin2[i], want);
  }
  vh_free(&h, dev);
  vh_free(&h, scratch);
  assert_int_equal(m->free_host(h.be, pin), CW_OK);
  assert_int_equal(m->free_host(h.be, pin2), CW_OK);
  assert_null(vk_pinned_lookup(h.be, &h.be->devices[0], pin, 1, &off));
  vh_close(&h);
}

/* managed memory where the device's addresses are host pointers (lavapipe); declined elsewhere */
static void managed(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  uint64_t a = 0;
  cw_status st = h.d->memory->alloc(h.be, 0, 4096, CW_MEM_MANAGED, &a);
  if (!(h.caps.flags & CW_CAP_MANAGED)) {
    assert_int_equal(st, CW_ERR_UNSUPPORTED);
    vh_close(&h);
    return;
  }
  assert_int_equal(st, CW_OK);
  int *host = h.d->memory->host_pointer(h.be, a);
  assert_true(host == (int *)(uintptr_t)a);
  for (int i = 0; i < 1024; i++) host[i] = i;
  vh_load(&h, "__global__ void twice(int *v) { v[threadIdx.x + blockIdx.x * blockDim.x] *= 2; }\n");
  void *args[] = {&a};
  assert_int_equal(vh_run(&h, "twice", 4, 256, 0, args), CW_OK);
  for (int i = 0; i < 1024; i++) assert_int_equal(host[i], 2 * i);
  assert_null(h.d->memory->host_pointer(h.be, 12345));
  vh_free(&h, a);
  vh_close(&h);
}

/* A freed large buffer is handed out again for the next allocation of its rounded size, with
 * the new size as its bounds; other sizes get their own buffers. */
static void freed_buffers_reused(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  enum { A = (3 << 20) + 1, B = (7 << 19), C = 8 << 20 };  /* A and B round up to 4 MiB */
  static unsigned char buf[C];
  size_t free0, free1, total;
  assert_int_equal(h.d->memory->mem_info(h.be, 0, &free0, &total), CW_OK);
  uint64_t a = vh_alloc(&h, A);
  vh_free(&h, a);
  assert_int_equal(h.d->memory->mem_info(h.be, 0, &free1, &total), CW_OK);
  assert_true(free1 == free0);  /* a kept buffer is not counted as in use */
  assert_int_equal(h.be->devices[0].spare_bytes, 4 << 20);
  uint64_t b = vh_alloc(&h, B);
  assert_true(b == a);
  assert_int_equal(h.be->devices[0].spare_bytes, 0);
  memset(buf, 0x5a, B);
  vh_put(&h, b, buf, B);
  assert_int_equal(h.d->memory->copy_h2d(h.s, b + B - 2, buf, 4, false), CW_ERR_INVALID_VALUE);
  uint64_t c = vh_alloc(&h, C);
  assert_true(c != b);
  vh_free(&h, b);
  assert_int_equal(h.d->memory->free(h.be, 0, b), CW_ERR_INVALID_VALUE);
  vh_free(&h, c);
  assert_int_equal(h.be->devices[0].spare_bytes, 12 << 20);
  /* both kept; the 8 MiB one comes back for 8 MiB, the other for 4 MiB */
  uint64_t c2 = vh_alloc(&h, C), b2 = vh_alloc(&h, A);
  assert_true(c2 == c && b2 == b);
  memset(buf, 0, B);
  vh_get(&h, buf, b2, 16);  /* reused memory still holds what was written (not zeroed) */
  assert_int_equal(buf[0], 0x5a);
  vh_free(&h, b2);
  vh_free(&h, c2);
  vh_close(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(caps),
    cmocka_unit_test(copies_and_memset),
    cmocka_unit_test(events_and_streams),
    cmocka_unit_test(batched_operations),
    cmocka_unit_test(pinned_host_memory),
    cmocka_unit_test(managed),
    cmocka_unit_test(freed_buffers_reused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
