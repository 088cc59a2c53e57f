/* test_cuda.c — cw_ir_module_to_cuda: exact text for small modules, and every sample module
 * compiled by nvcc (-Werror all-warnings) and by NVRTC (through dlopen), where present. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "ir_samples.h"

static const char *nvcc_path(void) {
  const char *env = getenv("CW_TEST_NVCC");
  if (env && *env) return env;
  if (g_file_test("/usr/local/cuda/bin/nvcc", G_FILE_TEST_IS_EXECUTABLE)) return "/usr/local/cuda/bin/nvcc";
  static char *found;
  if (!found) found = g_find_program_in_path("nvcc");
  return found;
}

static void test_saxpy_text(void **state) {
  (void)state;
  cw_ir_module *m = sample_saxpy();
  cw_ir_module_finish(m);
  char *cu = cw_ir_module_to_cuda(m);
  const char *want =
    "extern \"C\" __global__ void saxpy(int n, float a, const float *x, float *y);\n"
    "\n"
    "extern \"C\" __global__ void saxpy(int n, float a, const float *x, float *y) {\n"
    "  int i = ((int)((blockIdx.x * blockDim.x) + threadIdx.x));\n"
    "  if (i < n) {\n"
    "    y[i] = (a * x[i]) + y[i];\n"
    "  }\n"
    "}\n";
  assert_non_null(strstr(cu, want));
  assert_null(strstr(cu, "#include"));  /* no half: nothing NVRTC lacks */
  assert_non_null(strstr(cu, "extern \"C\" __device__ int printf(const char *, ...);"));
  g_free(cu);
  cw_ir_module_free(m);
}

static void test_dialect_details(void **state) {
  (void)state;
  cw_ir_module *m = sample_matmul();
  cw_ir_module_finish(m);
  char *cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "__shared__ float As[16][16];\n"));
  assert_non_null(strstr(cu, "extern \"C\" __global__ __launch_bounds__(256) void matmul("));
  assert_non_null(strstr(cu, "    #pragma unroll\n    for (int k = 0; k < 16; ++k) {\n      sum += As[ty][k] * Bs[k][tx];\n"));
  g_free(cu);
  cw_ir_module_free(m);

  m = sample_misc();
  cw_ir_module_finish(m);
  cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "extern __shared__ __align__(16) float sdata[];\n"));
  assert_non_null(strstr(cu, "__constant__ float coef[4] = {1.0f, 0.5f, (-0.25f)};\n"));
  assert_non_null(strstr(cu, "__device__ unsigned int counter = 7U;\n"));
  assert_non_null(strstr(cu, "float4 v = {sdata[tid], 2.0f};"));
  assert_non_null(strstr(cu, "  case 1:;\n    v.y = 3.0f;\n    break;\n  default:;\n"));
  assert_non_null(strstr(cu, "goto done;"));
  assert_non_null(strstr(cu, "\n  done:;\n"));
  g_free(cu);
  cw_ir_module_free(m);

  m = sample_warp_reduce();
  cw_ir_module_finish(m);
  cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "__device__ float warp_reduce(float v);\n"));
  assert_non_null(strstr(cu, "#pragma unroll 5\n"));
  assert_non_null(strstr(cu, "v += __shfl_down_sync(4294967295U, v, ((unsigned int)(offset)), 32);"));
  g_free(cu);
  cw_ir_module_free(m);

  m = sample_atomics();
  cw_ir_module_finish(m);
  cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "atomicAdd(f, -(2.0f));"));
  assert_non_null(strstr(cu, "((long long)atomicAdd((unsigned long long *)(ll), (unsigned long long)((-1LL))));"));
  assert_non_null(strstr(cu, "atomicMin(ll, 7LL);"));
  g_free(cu);
  cw_ir_module_free(m);

  m = sample_struct_param();
  cw_ir_module_finish(m);
  cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "struct Params {\n  int n;\n  float scale;\n  float *data;\n};\n"));
  assert_non_null(strstr(cu, "p.data[i] *= p.scale;"));
  g_free(cu);
  cw_ir_module_free(m);

  m = sample_builtins();
  cw_ir_module_finish(m);
  cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "#include <cuda_fp16.h>\n"));
  assert_non_null(strstr(cu, "x += sqrtf(x);"));
  assert_non_null(strstr(cu, "d += sqrt(d);"));
  assert_non_null(strstr(cu, "int n = __popcll(u);"));
  assert_non_null(strstr(cu, "n += __float2int_rn(x);"));
  assert_non_null(strstr(cu, "long long ll = __double_as_longlong(d);"));
  g_free(cu);
  cw_ir_module_free(m);
}

/* assert goes through CUDA's __assertfail (cudaErrorAssert, CUDA's message); #line directives
 * only where the compiler's numbering would otherwise be wrong. */
static void test_assert_and_lines(void **state) {
  (void)state;
  cw_ir_module *m = sample_printf();
  cw_ir_module_finish(m);
  char *cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "extern \"C\" __device__ void __assertfail(const char *, const char *, unsigned int, const char *,\n"
                             "                                          unsigned long);\n"));
  assert_non_null(strstr(cu, "((threadIdx.x < 1024U) ? (void)0 : __assertfail(\"threadIdx.x < 1024\", \"t.cu\", 0U, \"hello\", 1UL));"));
  assert_null(strstr(cu, "__trap"));
  assert_null(strstr(cu, "#line"));  /* off unless asked for */
  g_free(cu);
  cu = cw_ir_module_to_cuda_ex(m, true);
  /* the function at 1:1 and its statements at lines 2..5 of t.cu follow each other: one directive */
  assert_non_null(strstr(cu, "\n#line 1 \"t.cu\"\nextern \"C\" __global__ void hello(void) {\n  printf("));
  assert_null(strstr(cu, "#line 2 "));
  g_free(cu);
  /* the second printf moved to line 40: directives before it and before the assert after it */
  m->funcs[0]->body->stmts[2]->loc.line = 40;
  cu = cw_ir_module_to_cuda_ex(m, true);
  assert_non_null(strstr(cu, "  const char *msg = \"str\";\n  #line 40 \"t.cu\"\n  printf(\"%s\\n\", msg);\n"
                             "  #line 5 \"t.cu\"\n  ((threadIdx.x"));
  g_free(cu);
  cw_ir_module_free(m);
}

static void test_template_and_align(void **state) {
  (void)state;
  cw_ir_module *m = sample_template();
  cw_ir_module_finish(m);
  char *cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "extern \"C\" __global__ void fill_float_256(float *d) {"));
  g_free(cu);
  char *dump = cw_ir_module_dump(m);
  assert_non_null(strstr(dump, "func kernel fill_float_256 : void (fill<float,256>) @1:1\n"));
  g_free(dump);
  cw_ir_module_free(m);

  m = cw_ir_module_new("a.cu");
  cw_ir_type *s = cw_ir_type_struct_new(m, "A", NULL, false, sl(1, 1));
  cw_ir_type_struct_add_field(m, s, "x", cw_ir_type_scalar(m, CW_IR_F32));
  cw_ir_type_struct_close(m, s, 16);
  cw_ir_module_finish(m);
  cu = cw_ir_module_to_cuda(m);
  assert_non_null(strstr(cu, "struct __align__(16) A {\n  float x;\n};\n"));
  g_free(cu);
  cw_ir_module_free(m);
}

/* Writes every sample to dir/NAME.cu and, with #line directives, to dir/NAME_lines.cu; returns
 * the file names. */
static GPtrArray *write_samples(const char *dir) {
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  for (unsigned i = 0; i < n_samples; i++) {
    for (int lines = 0; lines < 2; lines++) {
      cw_ir_module *m = samples[i].make();
      cw_ir_module_finish(m);
      char *cu = cw_ir_module_to_cuda_ex(m, lines);
      char *path = g_strdup_printf("%s/%s%s.cu", dir, samples[i].name, lines ? "_lines" : "");
      assert_true(g_file_set_contents(path, cu, -1, NULL));
      g_ptr_array_add(files, path);
      g_free(cu);
      cw_ir_module_free(m);
    }
  }
  return files;
}

/* Starts `nvcc -c` on some of the files, output and messages into dir; returns the pid. */
static GPid start_nvcc(const char *nvcc, const char *dir, GPtrArray *files, guint from, guint to,
                       const char *log) {
  GString *cmd = g_string_new(NULL);
  char *q = g_shell_quote(nvcc);
  char *qd = g_shell_quote(dir);
  g_string_append_printf(cmd, "%s -c -arch=sm_90 -Werror all-warnings --output-directory %s", q, qd);
  for (guint i = from; i < to; i++) {
    char *qf = g_shell_quote(files->pdata[i]);
    g_string_append_printf(cmd, " %s", qf);
    g_free(qf);
  }
  char *ql = g_shell_quote(log);
  g_string_append_printf(cmd, " >%s 2>&1", ql);
  char *argv[] = { "/bin/sh", "-c", cmd->str, NULL };
  GPid pid = 0;
  GError *error = NULL;
  if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error))
    fail_msg("cannot run %s: %s", nvcc, error->message);
  g_free(q);
  g_free(qd);
  g_free(ql);
  g_string_free(cmd, TRUE);
  return pid;
}

static void test_nvcc_compiles(void **state) {
  (void)state;
  const char *nvcc = nvcc_path();
  if (!nvcc) {
    print_message("SKIP: nvcc not found (set CW_TEST_NVCC)\n");
    skip();
  }
  char *dir = g_dir_make_tmp("cw-ir-cuda-XXXXXX", NULL);
  assert_non_null(dir);
  GPtrArray *files = write_samples(dir);
  /* two nvcc runs side by side, each on half of the files (nvcc is the slow part of the suite) */
  guint half = files->len / 2;
  char *log[2] = { g_strdup_printf("%s/nvcc0.log", dir), g_strdup_printf("%s/nvcc1.log", dir) };
  GPid pid[2] = { start_nvcc(nvcc, dir, files, 0, half, log[0]),
                  start_nvcc(nvcc, dir, files, half, files->len, log[1]) };
  for (int k = 0; k < 2; k++) {
    int status = 0;
    while (waitpid(pid[k], &status, 0) < 0) {}
    g_spawn_close_pid(pid[k]);
    char *text = NULL;
    g_file_get_contents(log[k], &text, NULL, NULL);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || (text && strstr(text, "warning")))
      fail_msg("nvcc failed:\n%s", text ? text : "");
    g_free(text);
    g_remove(log[k]);
    g_free(log[k]);
  }
  for (guint i = 0; i < files->len; i++) {
    char *base = g_path_get_basename(files->pdata[i]);
    base[strlen(base) - 3] = 0;
    char *obj = g_strdup_printf("%s/%s.o", dir, base);
    assert_true(g_file_test(obj, G_FILE_TEST_EXISTS));
    g_remove(obj);
    g_remove(files->pdata[i]);
    g_free(obj);
    g_free(base);
  }
  g_ptr_array_free(files, TRUE);
  g_rmdir(dir);
  g_free(dir);
}

/* NVRTC, as the CUDA backend uses it. */
typedef int (*nvrtc_create_fn)(void **, const char *, const char *, int, const char *const *, const char *const *);
typedef int (*nvrtc_compile_fn)(void *, int, const char *const *);
typedef int (*nvrtc_logsize_fn)(void *, size_t *);
typedef int (*nvrtc_log_fn)(void *, char *);
typedef int (*nvrtc_destroy_fn)(void **);

static void test_nvrtc_compiles(void **state) {
  (void)state;
  void *h = dlopen("libnvrtc.so", RTLD_NOW);
  if (!h) h = dlopen("/usr/local/cuda/lib64/libnvrtc.so", RTLD_NOW);
  if (!h) {
    print_message("SKIP: libnvrtc.so not found\n");
    skip();
  }
  nvrtc_create_fn create = (nvrtc_create_fn)dlsym(h, "nvrtcCreateProgram");
  nvrtc_compile_fn compile = (nvrtc_compile_fn)dlsym(h, "nvrtcCompileProgram");
  nvrtc_logsize_fn logsize = (nvrtc_logsize_fn)dlsym(h, "nvrtcGetProgramLogSize");
  nvrtc_log_fn getlog = (nvrtc_log_fn)dlsym(h, "nvrtcGetProgramLog");
  nvrtc_destroy_fn destroy = (nvrtc_destroy_fn)dlsym(h, "nvrtcDestroyProgram");
  assert_true(create && compile && logsize && getlog && destroy);
  for (unsigned k = 0; k < 2 * n_samples; k++) {
    unsigned i = k / 2;  /* each sample without and with #line directives */
    cw_ir_module *m = samples[i].make();
    cw_ir_module_finish(m);
    char *cu = cw_ir_module_to_cuda_ex(m, k % 2);
    void *prog = NULL;
    assert_int_equal(create(&prog, cu, samples[i].name, 0, NULL, NULL), 0);
    /* cuda_fp16.h lives in the toolkit's include directory, which NVRTC must be told */
    const char *opts[] = { "--gpu-architecture=compute_90", "-I/usr/local/cuda/include" };
    int rc = compile(prog, 2, opts);
    size_t n = 0;
    logsize(prog, &n);
    char *log = g_malloc0(n + 1);
    getlog(prog, log);
    if (rc != 0 || strstr(log, "warning")) fail_msg("NVRTC on %s (rc %d):\n%s\n%s", samples[i].name, rc, log, cu);
    g_free(log);
    destroy(&prog);
    g_free(cu);
    cw_ir_module_free(m);
  }
  dlclose(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_saxpy_text),     cmocka_unit_test(test_dialect_details),
    cmocka_unit_test(test_template_and_align), cmocka_unit_test(test_assert_and_lines),
    cmocka_unit_test(test_nvrtc_compiles),
    cmocka_unit_test(test_nvcc_compiles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
