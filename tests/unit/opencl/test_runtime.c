/* test_runtime.c — probe and capabilities, the config keys, memory (memset, device copies,
 * offsets, bounds, free, the buffer pool), streams and events (ordering, timing, waits), bad launches. */
#include <glib/gstdio.h>
#include <unistd.h>

#include "ocl_test.h"

static void test_probe_caps(void **state) {
  (void)state;
  assert_true(opencl_device_count(ocl_be) >= 1);
  cw_device_caps c = ocl_caps();
  assert_true(c.name[0] != 0);
  assert_true(strncmp(c.arch, "opencl-c-", 9) == 0);
  assert_true(c.max_threads_per_block >= 64);
  assert_true(c.shared_mem_per_block >= 16384);
  assert_int_equal(c.subgroup_size, 32);
  assert_true(c.flags & CW_CAP_ATOMIC_INT32);
  /* real pointers in the SVM model, buffers + offsets otherwise */
  assert_int_equal((c.flags & CW_CAP_REAL_POINTERS) != 0, ocl_test_svm());
  if (ocl_test_svm()) assert_true(ocl_be->devices[0].svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER);
  /* a small struct_size is respected */
  cw_device_caps small;
  memset(&small, 0xab, sizeof small);
  small.struct_size = offsetof(cw_device_caps, vendor);
  assert_int_equal(opencl_device_caps(ocl_be, 0, &small), CW_OK);
  assert_int_equal((unsigned char)small.vendor[0], 0xab);
  assert_int_equal(opencl_device_caps(ocl_be, 99, &small), CW_ERR_INVALID_VALUE);
}

static void test_probe_bad_config_values(void **state) {
  (void)state;
  /* without a config section every platform is used; a name that matches nothing is reported
   * (the section type is opaque: probe through a NULL section, then check the reason text of
   * a device index past the end through the same probe call path) */
  cw_backend *be = NULL;
  char reason[256] = "";
  assert_int_equal(opencl_probe(NULL, &be, reason, sizeof reason), CW_OK);
  assert_int_equal(opencl_device_count(be), opencl_device_count(ocl_be));
  opencl_shutdown(be);
  /* `svm` takes auto or a boolean; anything else is refused with the key's name */
  static const char *const texts[] = {"opencl:\n  svm: sometimes\n", "opencl:\n  svm: off\n",
                                      "opencl:\n  svm: auto\n"};
  for (int i = 0; i < 3; i++) {
    char *path = NULL;
    int fd = g_file_open_tmp("cw-ocl-XXXXXX.yaml", &path, NULL);
    assert_true(fd >= 0);
    close(fd);
    assert_true(g_file_set_contents(path, texts[i], -1, NULL));
    cw_config *cfg = cw_config_load_file(path, NULL);
    assert_non_null(cfg);
    be = NULL;
    reason[0] = 0;
    cw_status st = opencl_probe(cw_config_section_get(cfg, "opencl"), &be, reason, sizeof reason);
    if (i == 0) {
      assert_int_equal(st, CW_ERR_INVALID_VALUE);
      assert_non_null(strstr(reason, "opencl.svm = 'sometimes'"));
    } else {
      assert_int_equal(st, CW_OK);
      cw_device_caps c = {.struct_size = sizeof c};
      assert_int_equal(opencl_device_caps(be, 0, &c), CW_OK);
      /* off: never; auto: where the device has fine-grained buffer SVM */
      bool fine = (be->devices[0].svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER) != 0;
      assert_int_equal((c.flags & CW_CAP_REAL_POINTERS) != 0, i == 2 && fine);
      opencl_shutdown(be);
    }
    cw_config_free(cfg);
    g_unlink(path);
    g_free(path);
  }
}

static void test_memory(void **state) {
  (void)state;
  cw_stream *s = NULL;
  assert_int_equal(opencl_stream_create(ocl_be, 0, 0, 0, &s), CW_OK);
  uint64_t a = ocl_dalloc(1000), b = ocl_dalloc(1000);
  assert_true(a != b);
  assert_int_equal(opencl_memory_ops.memset(s, a, 0x5a, 1000, false), CW_OK);
  assert_int_equal(opencl_memory_ops.memset(s, a + 10, 0x01, 5, true), CW_OK);
  assert_int_equal(opencl_memory_ops.copy_d2d(s, b + 100, a + 5, 20, false), CW_OK);
  unsigned char out[30];
  assert_int_equal(opencl_memory_ops.copy_d2h(s, out, b + 100, 20, true), CW_OK);
  assert_int_equal(opencl_stream_synchronize(s), CW_OK);
  for (int i = 0; i < 20; i++) assert_int_equal(out[i], (i >= 5 && i < 10) ? 0x01 : 0x5a);
  /* out of bounds, unknown addresses, double free */
  assert_int_equal(opencl_memory_ops.copy_d2h(s, out, a + 990, 20, false), CW_ERR_INVALID_VALUE);
  assert_int_equal(opencl_memory_ops.copy_h2d(s, 0x1234, out, 4, false), CW_ERR_INVALID_VALUE);
  assert_int_equal(opencl_memory_ops.copy_h2d(NULL, a, out, 4, false), CW_OK);  /* NULL stream */
  size_t fr = 0, total = 0;
  assert_int_equal(opencl_memory_ops.mem_info(ocl_be, 0, &fr, &total), CW_OK);
  assert_true(total > 0 && fr <= total);
  ocl_dfree(a);
  assert_int_equal(opencl_memory_ops.free(ocl_be, 0, a), CW_ERR_INVALID_VALUE);
  assert_int_equal(opencl_memory_ops.copy_h2d(s, a, out, 4, false), CW_ERR_INVALID_VALUE);
  ocl_dfree(b);
  void *h = NULL;
  assert_int_equal(opencl_memory_ops.alloc_host(ocl_be, 4096, &h), CW_OK);
  memset(h, 1, 4096);
  assert_int_equal(opencl_memory_ops.free_host(ocl_be, h), CW_OK);
  /* managed memory: where the device works on host memory (PoCL), one address for both */
  uint64_t m = 0;
  cw_device_caps caps = ocl_caps();
  if (caps.flags & CW_CAP_MANAGED) {
    assert_int_equal(opencl_memory_ops.alloc(ocl_be, 0, 64, CW_MEM_MANAGED, &m), CW_OK);
    assert_ptr_equal(opencl_memory_ops.host_pointer(ocl_be, m), (void *)(uintptr_t)m);
    memset((void *)(uintptr_t)m, 7, 64);
    assert_int_equal(opencl_memory_ops.memset(s, m + 8, 9, 8, false), CW_OK);
    unsigned char *hp = (unsigned char *)(uintptr_t)m;
    assert_int_equal(hp[7], 7);
    assert_int_equal(hp[8], 9);
    assert_int_equal(hp[16], 7);
    assert_int_equal(opencl_memory_ops.free(ocl_be, 0, m), CW_OK);
  } else {
    assert_int_equal(opencl_memory_ops.alloc(ocl_be, 0, 64, CW_MEM_MANAGED, &m), CW_ERR_UNSUPPORTED);
  }
  assert_null(opencl_memory_ops.host_pointer(ocl_be, b));
  opencl_stream_destroy(s);
}

static void test_streams_events(void **state) {
  (void)state;
  loaded l = ocl_load(sample_saxpy());
  cw_stream *other = NULL;
  assert_int_equal(opencl_stream_create(ocl_be, 0, CW_STREAM_NON_BLOCKING, 0, &other), CW_OK);
  cw_event *e0 = NULL, *e1 = NULL;
  assert_int_equal(opencl_event_create(ocl_be, 0, 0, &e0), CW_OK);
  assert_int_equal(opencl_event_create(ocl_be, 0, 0, &e1), CW_OK);
  assert_int_equal(opencl_event_query(e0), CW_OK);  /* never recorded */
  enum { N = 1 << 18 };
  float *x = g_new(float, N);
  for (int i = 0; i < N; i++) x[i] = 1.0f;
  uint64_t dx = ocl_dalloc(N * 4), dy = ocl_dalloc(N * 4);
  ocl_h2d(&l, dx, x, N * 4);
  ocl_h2d(&l, dy, x, N * 4);
  int n = N;
  float a = 2.0f;
  void *args[] = {&n, &a, &dx, &dy};
  assert_int_equal(opencl_event_record(e0, l.stream), CW_OK);
  for (int r = 0; r < 4; r++) ocl_launch(&l, 0, N / 256, 256, 1, 0, args);
  assert_int_equal(opencl_event_record(e1, l.stream), CW_OK);
  /* the other stream reads y only after the launches */
  assert_int_equal(opencl_stream_wait_event(other, e1), CW_OK);
  assert_int_equal(opencl_memory_ops.copy_d2h(other, x, dy, N * 4, false), CW_OK);
  for (int i = 0; i < N; i += 997) assert_float_equal(x[i], 9.0f, 0);  /* 1 + 4 * 2 */
  assert_int_equal(opencl_event_synchronize(e1), CW_OK);
  assert_int_equal(opencl_event_query(e1), CW_OK);
  float ms = -1;
  assert_int_equal(opencl_event_elapsed_ms(e0, e1, &ms), CW_OK);
  assert_true(ms >= 0.0f && ms < 60000.0f);
  assert_int_equal(opencl_stream_query(l.stream), CW_OK);
  assert_int_equal(opencl_device_synchronize(ocl_be, 0), CW_OK);

  /* bad launches: a block too large, an address that is not device memory */
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {1, 1, 1}, .block = {1u << 20, 1, 1}};
  char err[512] = "";
  assert_int_equal(opencl_launch(l.stream, l.mod, 0, &d, (void *const *)args, err, sizeof err), CW_ERR_LAUNCH);
  assert_non_null(strstr(err, "saxpy"));
  if (!ocl_test_svm()) {
    /* buffers: an address that is no allocation cannot be passed (with SVM the kernel gets the
     * bits, as in CUDA) */
    uint64_t bogus = 0x1000;
    void *bad[] = {&n, &a, &bogus, &dy};
    d.block[0] = 32;
    assert_int_equal(opencl_launch(l.stream, l.mod, 0, &d, (void *const *)bad, err, sizeof err), CW_ERR_INVALID_VALUE);
    assert_non_null(strstr(err, "argument 3"));
  }
  opencl_event_destroy(e0);
  opencl_event_destroy(e1);
  opencl_stream_destroy(other);
  ocl_dfree(dx);
  ocl_dfree(dy);
  g_free(x);
  ocl_unload(&l);
}

static void test_build_cache(void **state) {
  (void)state;
  /* the second load of the same source comes from the binary cache and still runs */
  for (int round = 0; round < 2; round++) {
    loaded l = ocl_load(sample_template());
    uint64_t d = ocl_dalloc(256 * 4);
    void *args[] = {&d};
    ocl_launch(&l, 0, 2, 128, 1, 0, args);
    float out[256];
    ocl_d2h(&l, out, d, sizeof out);
    assert_float_equal(out[255], 255.0f, 0);
    ocl_dfree(d);
    ocl_unload(&l);
  }
  char *dir = g_build_filename(cw_cache_dir(), "opencl", NULL);
  GDir *gd = g_dir_open(dir, 0, NULL);
  assert_non_null(gd);
  int bins = 0;
  for (const char *n; (n = g_dir_read_name(gd));) bins += g_str_has_suffix(n, ".bin");
  g_dir_close(gd);
  g_free(dir);
  assert_true(bins >= 1);
}

/* The storage behind device address a in either model (a cl_mem, or an SVM block as clSVMAlloc
 * gave it) and the bytes from a to the allocation's end; NULL when a is no allocation. */
static void *storage_at(uint64_t a, size_t *room) {
  size_t off = 0;
  if (ocl_test_svm()) {
    const ocl_alloc *al = ocl_svm_find(ocl_be, a, &off);
    if (!al) return NULL;
    *room = al->size - off;
    return al->block;
  }
  cl_mem m = NULL;
  return ocl_lookup(ocl_be, a, &m, &off, room) ? (void *)m : NULL;
}

/* Large freed buffers (or SVM blocks) are reused by the next allocation of their size, once the
 * work queued before the free is done; contents written through the new address are its own. */
static void test_buffer_pool(void **state) {
  (void)state;
  cw_stream *s = NULL;
  assert_int_equal(opencl_stream_create(ocl_be, 0, 0, 0, &s), CW_OK);
  const size_t big = (4u << 20) + 100;  /* rounded up to a pool size */
  uint64_t a = ocl_dalloc(big);
  size_t room = 0;
  void *ma = storage_at(a, &room);
  assert_non_null(ma);
  assert_int_equal(room, big);  /* bounds stay the requested size */
  assert_int_equal(a % 256, 0);  /* cudaMalloc's alignment */
  assert_int_equal(opencl_memory_ops.memset(s, a, 0x11, big, true), CW_OK);
  if (ocl_test_svm()) assert_int_equal(opencl_stream_synchronize(s), CW_OK);  /* the runtime's part */
  ocl_dfree(a);  /* buffers: the memset may still be queued */
  uint64_t b = ocl_dalloc(big - 50);  /* the same rounded size: the same storage */
  assert_ptr_equal(storage_at(b, &room), ma);
  assert_int_equal(room, big - 50);
  unsigned char out[4];
  assert_int_equal(opencl_memory_ops.memset(s, b, 0x22, 4, false), CW_OK);
  assert_int_equal(opencl_memory_ops.copy_d2h(s, out, b, 4, false), CW_OK);
  assert_int_equal(out[3], 0x22);
  /* another size gets storage of its own; small allocations are never pooled */
  uint64_t c = ocl_dalloc(2u << 20);
  void *mc = storage_at(c, &room);
  assert_non_null(mc);
  assert_ptr_not_equal(mc, ma);
  uint64_t d = ocl_dalloc(1000);
  assert_non_null(storage_at(d, &room));
  ocl_dfree(d);
  assert_false(ocl_pool_take(ocl_be, 0, 1000));
  assert_null(ocl_pool_take_svm(ocl_be, 0, 1000));
  ocl_dfree(b);
  ocl_dfree(c);
  assert_true(ocl_pool_drain(ocl_be));
  assert_false(ocl_pool_drain(ocl_be));
  uint64_t e = ocl_dalloc(big);
  assert_non_null(storage_at(e, &room));
  ocl_dfree(e);
  opencl_stream_destroy(s);
}

/* Texture descriptors' texel addresses are kept until their memory is written or freed. */
static void test_texture_descriptor_cache(void **state) {
  (void)state;
  uint64_t d = ocl_dalloc(64), v = 0;
  assert_false(ocl_texcache_get(ocl_be, d + 16, &v));
  ocl_texcache_put(ocl_be, d + 16, 0x1234);
  assert_true(ocl_texcache_get(ocl_be, d + 16, &v));
  assert_int_equal(v, 0x1234);
  uint64_t x = 7;
  ocl_h2d(NULL, d, &x, 8);  /* beside it: kept */
  assert_true(ocl_texcache_get(ocl_be, d + 16, &v));
  ocl_h2d(NULL, d + 20, &x, 4);  /* across its 8 bytes: forgotten */
  assert_false(ocl_texcache_get(ocl_be, d + 16, &v));
  ocl_texcache_put(ocl_be, d + 16, 0x5678);
  assert_int_equal(opencl_memory_ops.memset(NULL, d + 8, 0, 9, false), CW_OK);
  assert_false(ocl_texcache_get(ocl_be, d + 16, &v));
  ocl_texcache_put(ocl_be, d, 0x9abc);
  ocl_dfree(d);  /* freed: forgotten (a new descriptor may come at that address) */
  assert_false(ocl_texcache_get(ocl_be, d, &v));
}

int main(void) {
  int rc = ocl_test_probe();
  if (rc) return rc;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_probe_caps),
    cmocka_unit_test(test_probe_bad_config_values),
    cmocka_unit_test(test_memory),
    cmocka_unit_test(test_buffer_pool),
    cmocka_unit_test(test_streams_events),
    cmocka_unit_test(test_build_cache),
    cmocka_unit_test(test_texture_descriptor_cache),
  };
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  opencl_shutdown(ocl_be);
  return rc;
}
