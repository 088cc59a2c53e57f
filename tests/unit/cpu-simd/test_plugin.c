/* test_plugin.c — the built cw-cpu-simd.so as the registry sees it: dlopen, the descriptor and
 * its vtables, then a whole saxpy (probe, emit, load, copy, launch, synchronize) through them. */
#include <dlfcn.h>
#include <string.h>

#include "kb.h"

static void test_descriptor_and_saxpy_through_dlopen(void **state) {
  (void)state;
  const char *path = g_getenv("CW_CPU_SIMD_PLUGIN");
  assert_non_null(path);
  void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!dl) fail_msg("dlopen %s: %s", path, dlerror());
  cw_plugin_describe_fn describe = (cw_plugin_describe_fn)dlsym(dl, CW_PLUGIN_DESCRIBE_SYMBOL);
  assert_non_null(describe);
  const cw_plugin_descriptor *d = describe();
  assert_int_equal(d->abi_version >> 16, CW_PLUGIN_ABI_MAJOR);
  assert_string_equal(d->name, "cpu-simd");
  assert_int_equal(d->kind, CW_PLUGIN_KIND_BACKEND);
  assert_non_null(d->backend);
  assert_non_null(d->memory);
  assert_non_null(d->transpiler);
  assert_string_equal(d->transpiler->language, "c");
  const cw_backend_ops *B = d->backend;
  const cw_memory_ops *M = d->memory;
  const cw_transpiler_ops *X = d->transpiler;
  /* every entry is filled */
  assert_true(B->probe && B->shutdown && B->device_count && B->device_caps && B->module_load &&
              B->module_unload && B->module_global && B->launch && B->stream_create && B->stream_destroy &&
              B->stream_synchronize && B->stream_query && B->stream_wait_event && B->event_create &&
              B->event_destroy && B->event_record && B->event_synchronize && B->event_query &&
              B->event_elapsed_ms && B->device_synchronize);
  assert_true(M->alloc && M->free && M->alloc_host && M->free_host && M->copy_h2d && M->copy_d2h &&
              M->copy_d2d && M->memset && M->mem_info && M->host_pointer);
  assert_true(X->supports && X->emit && X->emit_format && X->artifact_free);

  char reason[256] = "";
  cw_backend *be = NULL;
  assert_int_equal(B->probe(NULL, &be, reason, sizeof reason), CW_OK);
  assert_int_equal(B->device_count(be), 1);
  cw_device_caps caps = {.struct_size = sizeof caps};
  assert_int_equal(B->device_caps(be, 0, &caps), CW_OK);
  assert_true(caps.flags & CW_CAP_REAL_POINTERS);
  cw_ir_module *m = kb_saxpy_module();
  cw_ir_module_finish(m);
  char err[1024] = "";
  assert_true(X->supports(be, m, &caps, err, sizeof err));
  cw_artifact *art = NULL;
  assert_int_equal(X->emit(be, m, &caps, &art, err, sizeof err), CW_OK);
  cw_module *mod = NULL;
  if (B->module_load(be, 0, m, art, &mod, err, sizeof err) != CW_OK) fail_msg("%s", err);
  cw_stream *s = NULL;
  assert_int_equal(B->stream_create(be, 0, 0, 0, &s), CW_OK);
  enum { N = 3000 };
  float x[N], y[N];
  for (int i = 0; i < N; i++) x[i] = (float)i, y[i] = 1.0f;
  uint64_t dx = 0, dy = 0;
  assert_int_equal(M->alloc(be, 0, sizeof x, 0, &dx), CW_OK);
  assert_int_equal(M->alloc(be, 0, sizeof y, CW_MEM_MANAGED, &dy), CW_OK);
  assert_ptr_equal(M->host_pointer(be, dy), (void *)(uintptr_t)dy);
  assert_int_equal(M->copy_h2d(s, dx, x, sizeof x, true), CW_OK);
  assert_int_equal(M->memset(s, dy, 0, sizeof y, true), CW_OK);
  assert_int_equal(M->copy_h2d(s, dy, y, sizeof y, true), CW_OK);
  int n = N;
  float a = 3.0f;
  void *args[] = {&n, &a, &dx, &dy};
  cw_launch_dims dims = {.struct_size = sizeof dims, .grid = {(N + 255) / 256, 1, 1}, .block = {256, 1, 1}};
  assert_int_equal(B->launch(s, mod, 0, &dims, (void *const *)args, err, sizeof err), CW_OK);
  assert_int_equal(M->copy_d2h(s, y, dy, sizeof y, false), CW_OK);
  for (int i = 0; i < N; i++) assert_float_equal(y[i], 3.0f * (float)i + 1.0f, 1e-3);
  size_t fr = 0, tot = 0;
  assert_int_equal(M->mem_info(be, 0, &fr, &tot), CW_OK);
  assert_true(tot > 0 && fr <= tot);
  char *text = NULL;
  assert_int_equal(X->emit_format(be, m, &caps, "c", &text, err, sizeof err), CW_OK);
  assert_non_null(strstr(text, "cw_module_info"));
  g_free(text);
  assert_int_equal(X->emit_format(be, m, &caps, "wgsl", &text, err, sizeof err), CW_ERR_INVALID_VALUE);
  M->free(be, 0, dx);
  M->free(be, 0, dy);
  B->stream_destroy(s);
  B->module_unload(mod);
  X->artifact_free(art);
  B->shutdown(be);
  cw_ir_module_free(m);
  dlclose(dl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_descriptor_and_saxpy_through_dlopen),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
