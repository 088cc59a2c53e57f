/* test_nvrtc.c — the cuda plugin's compile path without a GPU: IR → CUDA C++ → NVRTC → PTX and
 * cubin for hand-built modules (saxpy, tiled matmul with shared memory, a shared-memory block
 * reduction, atomics of every type, warp shuffles, printf/assert, structs by value, dynamic
 * shared memory), the on-disk cache, architecture choice, and readable compile errors.
 * Skips (77) only when NVRTC cannot be found anywhere, and says where it looked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "cuda-plugin.h"
#include "cuda_test_kernels.h"

static const cuda_nvrtc *nv;

static cw_device_caps caps_for(int major, int minor) {
  cw_device_caps c;
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.cc_major = (uint32_t)major;
  c.cc_minor = (uint32_t)minor;
  return c;
}

static cw_ir_module *finished(cw_ir_module *m) {
  cw_ir_module_finish(m);
  return m;
}

/* Every module the tests compile: the ir samples and this suite's own. */
typedef struct named_module { const char *name; sample_fn make; } named_module;
static const named_module modules[] = {
  {"saxpy", sample_saxpy}, {"matmul", sample_matmul}, {"warp_reduce", sample_warp_reduce},
  {"atomics", sample_atomics}, {"struct_param", sample_struct_param}, {"printf", sample_printf},
  {"template", sample_template}, {"misc", sample_misc}, {"builtins", sample_builtins},
  {"block_sum", kernels_block_sum}, {"big_shared", kernels_big_shared}, {"fault", kernels_fault},
  {"assert_fail", kernels_assert_fail},
};

static char *cache_subdir(void) { return g_build_filename(cw_cache_dir(), "cuda", NULL); }

static int count_cache_files(void) {
  char *dir = cache_subdir();
  GDir *d = g_dir_open(dir, 0, NULL);
  int n = 0;
  const char *e;
  while (d && (e = g_dir_read_name(d)))
    if (g_str_has_suffix(e, ".cubin") || g_str_has_suffix(e, ".ptx")) n++;
  if (d) g_dir_close(d);
  g_free(dir);
  return n;
}

static void clear_cache(void) {
  char *dir = cache_subdir();
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *e;
  while (d && (e = g_dir_read_name(d))) {
    char *p = g_build_filename(dir, e, NULL);
    g_unlink(p);
    g_free(p);
  }
  if (d) g_dir_close(d);
  g_free(dir);
}

/* PTX for sm_90 without a backend (what `cwrun --backend=cuda --emit=ptx` prints on a machine
 * without a GPU): every kernel is an .entry with its IR name. */
static void test_ptx_for_every_module(void **state) {
  (void)state;
  cw_device_caps caps = caps_for(9, 0);
  for (size_t i = 0; i < G_N_ELEMENTS(modules); i++) {
    cw_ir_module *m = finished(modules[i].make());
    char *ptx = NULL, err[4096] = "";
    cw_status st = cuda_transpiler_ops.emit_format(NULL, m, &caps, "ptx", &ptx, err, sizeof err);
    if (st != CW_OK) fail_msg("%s: %s", modules[i].name, err);
    assert_non_null(ptx);
    assert_non_null(strstr(ptx, ".target sm_90"));
    for (uint32_t k = 0; k < m->n_kernels; k++) {
      char *entry = g_strdup_printf(".entry %s(", m->kernels[k]->name);
      if (!strstr(ptx, entry)) fail_msg("%s: no '%s' in the PTX", modules[i].name, entry);
      g_free(entry);
    }
    g_free(ptx);
    cw_ir_module_free(m);
  }
}

/* The features the modules use reach the PTX as the instructions that implement them. */
static void test_ptx_instructions(void **state) {
  (void)state;
  cw_device_caps caps = caps_for(8, 0);
  struct { sample_fn make; const char *needles[3]; } want[] = {
    {sample_warp_reduce, {"shfl.sync.down", "atom.global.add.f32", NULL}},
    {sample_matmul, {"bar.sync", ".shared", NULL}},
    {kernels_block_sum, {"bar.sync", ".shared", "atom.global.add.f32"}},
    {sample_printf, {"vprintf", NULL, NULL}},
    {sample_atomics, {"atom.global.add.f64", "atom.global.cas.b64", "atom.global.inc.u32"}},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
    cw_ir_module *m = finished(want[i].make());
    char *ptx = NULL, err[4096] = "";
    if (cuda_transpiler_ops.emit_format(NULL, m, &caps, "ptx", &ptx, err, sizeof err) != CW_OK)
      fail_msg("%s", err);
    assert_non_null(strstr(ptx, ".target sm_80"));
    for (int j = 0; j < 3 && want[i].needles[j]; j++)
      if (!strstr(ptx, want[i].needles[j]))
        fail_msg("%s: PTX lacks %s", m->kernels[0]->name, want[i].needles[j]);
    g_free(ptx);
    cw_ir_module_free(m);
  }
}

/* emit: the CUDA text plus a cubin (ELF) for the device's architecture, cached on disk; a
 * second emit is served from the cache; a damaged cache file is compiled again. */
static void test_emit_cubin_and_cache(void **state) {
  (void)state;
  clear_cache();
  cw_device_caps caps = caps_for(9, 0);
  cw_ir_module *m = finished(sample_saxpy());
  cw_artifact *a = NULL;
  char err[4096] = "";
  if (cuda_transpiler_ops.emit(NULL, m, &caps, &a, err, sizeof err) != CW_OK) fail_msg("%s", err);
  assert_string_equal(a->language, "cuda");
  assert_non_null(strstr(a->source, "extern \"C\" __global__ void saxpy("));
  assert_true(a->binary_size > 4);
  assert_memory_equal(a->binary, "\x7f" "ELF", 4);
  assert_int_equal(count_cache_files(), 1);

  /* The cached file holds exactly the binary. */
  char *dir = cache_subdir();
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *name = g_dir_read_name(d);
  while (name && !g_str_has_suffix(name, ".cubin")) name = g_dir_read_name(d);
  assert_non_null(name);
  char *path = g_build_filename(dir, name, NULL);
  g_dir_close(d);
  char *data = NULL;
  gsize size = 0;
  assert_true(g_file_get_contents(path, &data, &size, NULL));
  assert_int_equal(size, a->binary_size);
  assert_memory_equal(data, a->binary, size);
  g_free(data);

  /* Served from the cache: a compile would have replaced the file (a new inode, by rename). */
  GStatBuf before, after;
  assert_int_equal(g_stat(path, &before), 0);
  cw_artifact *b = NULL;
  assert_int_equal(cuda_transpiler_ops.emit(NULL, m, &caps, &b, err, sizeof err), CW_OK);
  assert_int_equal(b->binary_size, a->binary_size);
  assert_memory_equal(b->binary, a->binary, a->binary_size);
  assert_int_equal(count_cache_files(), 1);
  assert_int_equal(g_stat(path, &after), 0);
  assert_int_equal(before.st_ino, after.st_ino);
  cuda_transpiler_ops.artifact_free(b);

  /* A damaged entry (not an ELF file) is replaced by a fresh compile. */
  assert_true(g_file_set_contents(path, "garbage", -1, NULL));
  cw_artifact *c = NULL;
  assert_int_equal(cuda_transpiler_ops.emit(NULL, m, &caps, &c, err, sizeof err), CW_OK);
  assert_memory_equal(c->binary, "\x7f" "ELF", 4);
  assert_true(g_file_get_contents(path, &data, &size, NULL));
  assert_int_equal(size, c->binary_size);
  assert_memory_equal(data, "\x7f" "ELF", 4);
  g_free(data);
  cuda_transpiler_ops.artifact_free(c);

  /* Another architecture is another entry. */
  cw_device_caps caps80 = caps_for(8, 0);
  cw_artifact *e = NULL;
  assert_int_equal(cuda_transpiler_ops.emit(NULL, m, &caps80, &e, err, sizeof err), CW_OK);
  assert_int_equal(count_cache_files(), 2);
  cuda_transpiler_ops.artifact_free(e);

  cuda_transpiler_ops.artifact_free(a);
  g_free(path);
  g_free(dir);
  cw_ir_module_free(m);
}

/* Every module compiles to a cubin for the H100 (sm_90) and for an sm_75 card. */
static void test_cubin_for_every_module(void **state) {
  (void)state;
  int ccs[][2] = {{9, 0}, {7, 5}};
  for (size_t c = 0; c < G_N_ELEMENTS(ccs); c++) {
    cw_device_caps caps = caps_for(ccs[c][0], ccs[c][1]);
    for (size_t i = 0; i < G_N_ELEMENTS(modules); i++) {
      cw_ir_module *m = finished(modules[i].make());
      char reason[512] = "";
      assert_true(cuda_transpiler_ops.supports(NULL, m, &caps, reason, sizeof reason));
      cw_artifact *a = NULL;
      char err[4096] = "";
      if (cuda_transpiler_ops.emit(NULL, m, &caps, &a, err, sizeof err) != CW_OK)
        fail_msg("%s for sm_%d%d: %s", modules[i].name, ccs[c][0], ccs[c][1], err);
      assert_memory_equal(a->binary, "\x7f" "ELF", 4);
      cuda_transpiler_ops.artifact_free(a);
      cw_ir_module_free(m);
    }
  }
}

static void test_emit_cuda_text(void **state) {
  (void)state;
  cw_ir_module *m = finished(sample_warp_reduce());
  char *text = NULL, err[256] = "";
  assert_int_equal(cuda_transpiler_ops.emit_format(NULL, m, NULL, "cuda", &text, err, sizeof err), CW_OK);
  assert_non_null(strstr(text, "extern \"C\" __global__ void reduce("));
  assert_non_null(strstr(text, "__shfl_down_sync"));
  g_free(text);
  assert_int_equal(cuda_transpiler_ops.emit_format(NULL, m, NULL, "sass", &text, err, sizeof err),
                   CW_ERR_INVALID_VALUE);
  assert_null(text);
  assert_non_null(strstr(err, "sass"));
  const char *const *f = cuda_transpiler_ops.emit_formats;
  assert_string_equal(f[0], "ptx");
  assert_string_equal(f[1], "cuda");
  assert_null(f[2]);
  cw_ir_module_free(m);
}

/* Without caps (no device): the default target, sm_90. */
static void test_default_arch(void **state) {
  (void)state;
  cw_ir_module *m = finished(sample_saxpy());
  char *ptx = NULL, err[1024] = "";
  cw_device_caps none = caps_for(0, 0);
  assert_int_equal(cuda_transpiler_ops.emit_format(NULL, m, &none, "ptx", &ptx, err, sizeof err), CW_OK);
  assert_non_null(strstr(ptx, ".target sm_90"));
  g_free(ptx);
  cw_ir_module_free(m);
}

static void test_pick_arch(void **state) {
  (void)state;
  int archs[] = {75, 80, 86, 87, 89, 90, 100, 120};
  cuda_nvrtc fake;
  memset(&fake, 0, sizeof fake);
  fake.archs = archs;
  fake.n_archs = (int)G_N_ELEMENTS(archs);
  assert_int_equal(cuda_nvrtc_pick_arch(&fake, 90), 90);
  assert_int_equal(cuda_nvrtc_pick_arch(&fake, 88), 87);
  assert_int_equal(cuda_nvrtc_pick_arch(&fake, 121), 120);
  assert_int_equal(cuda_nvrtc_pick_arch(&fake, 70), 0);
  /* The real NVRTC knows sm_90 and everything it lists is ascending. */
  assert_int_equal(cuda_nvrtc_pick_arch(nv, 90), 90);
  for (int i = 1; i < nv->n_archs; i++) assert_true(nv->archs[i] > nv->archs[i - 1]);
}

/* A device older than NVRTC's oldest target is declined with a reason. */
static void test_supports_declines_old_device(void **state) {
  (void)state;
  if (nv->archs[0] <= 30) skip();
  cw_device_caps old = caps_for(3, 0);
  cw_ir_module *m = finished(sample_saxpy());
  char reason[512] = "";
  assert_false(cuda_transpiler_ops.supports(NULL, m, &old, reason, sizeof reason));
  assert_non_null(strstr(reason, "sm_30"));
  assert_non_null(strstr(reason, "NVRTC"));
  cw_artifact *a = NULL;
  char err[512] = "";
  assert_int_not_equal(cuda_transpiler_ops.emit(NULL, m, &old, &a, err, sizeof err), CW_OK);
  assert_null(a);
  cw_ir_module_free(m);
}

/* NVRTC's errors come back with the generated line they point at. */
static void test_compile_error_shows_line(void **state) {
  (void)state;
  const char *src =
      "extern \"C\" __global__ void k(float *p) {\n"
      "  p[0] = 1.0f;\n"
      "  p[1] = undefined_thing_42 * 2.0f;\n"
      "}\n";
  cuda_compiled out;
  char *log = NULL;
  assert_int_equal(cuda_nvrtc_compile(nv, src, "bad.cw-cuda.cu", 90, true, NULL, &out, &log), CW_ERR_COMPILE);
  assert_null(out.image);
  assert_non_null(log);
  assert_non_null(strstr(log, "bad.cw-cuda.cu(3)"));
  assert_non_null(strstr(log, "undefined_thing_42"));
  assert_non_null(strstr(log, "p[1] = undefined_thing_42 * 2.0f;"));
  g_free(log);
}

static void test_annotate_log(void **state) {
  (void)state;
  const char *src = "first\nsecond line\n  third(x);\n";
  char *a = cuda_annotate_log("m.cu(3): error: boom\nm.cu(9): error: past the end\nnote\n", src, NULL);
  assert_non_null(strstr(a, "m.cu(3): error: boom\n  generated line 3: third(x);\n"));
  assert_non_null(strstr(a, "m.cu(9): error: past the end\nnote"));
  g_free(a);
  /* Already followed by the line itself (newer NVRTCs): not repeated. */
  a = cuda_annotate_log("m.cu(2): error: x\n    second line\n    ^\n", src, NULL);
  assert_null(strstr(a, "generated line"));
  g_free(a);
  a = cuda_annotate_log("", src, NULL);
  assert_string_equal(a, "");
  g_free(a);
}

/* A diagnostic inside a generated function names that function and where the user wrote it. */
static void test_annotate_names_function(void **state) {
  (void)state;
  cw_ir_module *m = finished(sample_warp_reduce());
  char *src = cw_ir_module_to_cuda(m);
  long shfl_line = 0, atomic_line = 0, line = 1;
  for (const char *p = src; *p; p++) {
    if (strncmp(p, "__shfl_down_sync", 16) == 0 && !shfl_line) shfl_line = line;
    if (strncmp(p, "atomicAdd", 9) == 0 && !atomic_line) atomic_line = line;
    if (*p == '\n') line++;
  }
  assert_true(shfl_line > 0 && atomic_line > 0);
  char *log = g_strdup_printf("r.cu(%ld): error: one\nr.cu(%ld): error: two\n", shfl_line, atomic_line);
  char *a = cuda_annotate_log(log, src, m);
  assert_non_null(strstr(a, "r.cu(" ) );
  assert_non_null(strstr(a, "in function warp_reduce, from t.cu:1\n  generated line"));
  assert_non_null(strstr(a, "in kernel reduce, from t.cu:1\n  generated line"));
  assert_non_null(strstr(a, "atomicAdd"));
  g_free(a);
  g_free(log);
  g_free(src);
  cw_ir_module_free(m);

  /* A kernel header with __launch_bounds__(N) before the name. */
  m = finished(sample_matmul());
  src = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(src, "__launch_bounds__(256) void matmul("));
  long sync_line = 0;
  line = 1;
  for (const char *p = src; *p && !sync_line; p++) {
    if (strncmp(p, "__syncthreads", 13) == 0) sync_line = line;
    if (*p == '\n') line++;
  }
  log = g_strdup_printf("m.cu(%ld): error: x\n", sync_line);
  a = cuda_annotate_log(log, src, m);
  assert_non_null(strstr(a, "in kernel matmul, from t.cu:1\n"));
  g_free(a);
  g_free(log);
  /* With #line directives NVRTC names the user's file itself: such lines are left as they are. */
  log = g_strdup_printf("t.cu(%ld): error: x\n", sync_line);
  a = cuda_annotate_log(log, src, m);
  assert_string_equal(a, log);
  g_free(a);
  g_free(log);
  g_free(src);
  cw_ir_module_free(m);
}

int main(void) {
  char reason[2048] = "";
  nv = cuda_nvrtc_get(NULL, reason, sizeof reason);
  if (!nv) {
    printf("SKIP: %s\n", reason);
    return 77;
  }
  printf("# NVRTC %d.%d from %s (targets sm_%d..sm_%d)\n", nv->major, nv->minor, nv->path,
         nv->archs[0], nv->archs[nv->n_archs - 1]);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ptx_for_every_module),
    cmocka_unit_test(test_ptx_instructions),
    cmocka_unit_test(test_emit_cubin_and_cache),
    cmocka_unit_test(test_cubin_for_every_module),
    cmocka_unit_test(test_emit_cuda_text),
    cmocka_unit_test(test_default_arch),
    cmocka_unit_test(test_pick_arch),
    cmocka_unit_test(test_supports_declines_old_device),
    cmocka_unit_test(test_compile_error_shows_line),
    cmocka_unit_test(test_annotate_log),
    cmocka_unit_test(test_annotate_names_function),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
