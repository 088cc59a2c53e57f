/* test_emit.c — the OpenCL C emitter: what it declines (with kernel, construct and location),
 * device functions cloned per address space, votes and __syncthreads_count through local
 * memory, printf output and device-side assert (sticky CW_ERR_ASSERT), --emit=opencl text. */
#include <fcntl.h>
#include <unistd.h>

#include "ocl_test.h"

static cw_ir_expr *assign(sb *b, cw_ir_expr *l, cw_ir_expr *r) {
  return cw_ir_assign(b->m, CW_OP_NONE, NULL, l, r, sl(0, 0));
}

static cw_ir_expr *at(sb *b, cw_ir_var *v, cw_ir_expr *i) { return cw_ir_index(b->m, sV(b, v), i, sl(0, 0)); }
static cw_ir_expr *tidx(sb *b) { return sBI(b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0); }

static void add_if(sb *b, cw_ir_expr *cond, cw_ir_expr *then_e, cw_ir_loc loc) {
  cw_ir_stmt *s = cw_ir_stmt_new(b->m, CW_ST_IF, loc);
  s->cond = cond;
  s->then_s = cw_ir_stmt_new(b->m, CW_ST_EXPR, loc);
  s->then_s->expr = then_e;
  cw_ir_block_append(b->m, b->blk, s);
}

/* __global__ void div_shfl(float *p) { float v = p[t]; if (t < 16) v = __shfl_down_sync(~0, v, 1); p[t] = v; } */
static cw_ir_module *div_shfl(void) {
  sb b = {cw_ir_module_new("div.cu"), NULL, NULL};
  cw_ir_func *f = sFunc(&b, "div_shfl", NULL, true);
  cw_ir_var *p = cw_ir_func_add_param(b.m, f, "p", cw_ir_type_ptr(b.m, sT(&b, CW_IR_F32), CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_var *v = sDecl(&b, "v", sT(&b, CW_IR_F32), at(&b, p, tidx(&b)));
  cw_ir_expr *sh = sBI(&b, CW_BI_SHFL_DOWN, CW_IR_F32, 4, sU(&b, ~0u), sV(&b, v), sU(&b, 1), sI(&b, 32));
  sh->loc = sl(3, 20);
  add_if(&b, sBin(&b, CW_OP_LT, tidx(&b), sU(&b, 16)), assign(&b, sV(&b, v), sh), sl(3, 3));
  sExpr(&b, assign(&b, at(&b, p, tidx(&b)), sV(&b, v)));
  return b.m;
}

/* __global__ void div_loop(float *p) { float v = p[t];
 *   for (int i = threadIdx.x; i < 64; i += 32) v += __shfl_xor_sync(~0, v, 1); p[t] = v; } */
static cw_ir_module *div_loop(void) {
  sb b = {cw_ir_module_new("loop.cu"), NULL, NULL};
  const cw_ir_type *i32 = sT(&b, CW_IR_I32), *f32 = sT(&b, CW_IR_F32);
  cw_ir_func *f = sFunc(&b, "div_loop", NULL, true);
  cw_ir_var *p = cw_ir_func_add_param(b.m, f, "p", cw_ir_type_ptr(b.m, f32, CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_var *v = sDecl(&b, "v", f32, at(&b, p, tidx(&b)));
  cw_ir_stmt *loop = cw_ir_stmt_new(b.m, CW_ST_FOR, sl(3, 3));
  cw_ir_var *i = cw_ir_func_add_local(b.m, f, "i", i32, sl(3, 8));
  loop->init = cw_ir_stmt_new(b.m, CW_ST_DECL, sl(3, 8));
  loop->init->var = i;
  loop->init->expr = sCast(&b, CW_IR_I32, tidx(&b));
  loop->cond = sBin(&b, CW_OP_LT, sV(&b, i), sI(&b, 64));
  loop->step = cw_ir_assign(b.m, CW_OP_ADD, i32, sV(&b, i), sI(&b, 32), sl(3, 30));
  loop->body = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(4, 5));
  cw_ir_expr *sh = sBI(&b, CW_BI_SHFL_XOR, CW_IR_F32, 4, sU(&b, ~0u), sV(&b, v), sI(&b, 1), sI(&b, 32));
  sh->loc = sl(4, 12);
  loop->body->expr = cw_ir_assign(b.m, CW_OP_ADD, f32, sV(&b, v), sh, sl(4, 5));
  cw_ir_block_append(b.m, b.blk, loop);
  sExpr(&b, assign(&b, at(&b, p, tidx(&b)), sV(&b, v)));
  return b.m;
}

/* __global__ void early_exit(float *p) { if (threadIdx.x >= 40) return; p[t] = __shfl_down_sync(~0, p[t], 1); } */
static cw_ir_module *early_exit(void) {
  sb b = {cw_ir_module_new("exit.cu"), NULL, NULL};
  cw_ir_func *f = sFunc(&b, "early_exit", NULL, true);
  cw_ir_var *p = cw_ir_func_add_param(b.m, f, "p", cw_ir_type_ptr(b.m, sT(&b, CW_IR_F32), CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_stmt *s = cw_ir_stmt_new(b.m, CW_ST_IF, sl(2, 3));
  s->cond = sBin(&b, CW_OP_GE, tidx(&b), sU(&b, 40));
  s->then_s = cw_ir_stmt_new(b.m, CW_ST_RETURN, sl(2, 30));
  cw_ir_block_append(b.m, b.blk, s);
  cw_ir_expr *sh = sBI(&b, CW_BI_SHFL_DOWN, CW_IR_F32, 4, sU(&b, ~0u), at(&b, p, tidx(&b)), sU(&b, 1), sI(&b, 32));
  sh->loc = sl(3, 10);
  sExpr(&b, assign(&b, at(&b, p, tidx(&b)), sh));
  return b.m;
}

/* __global__ void indirect(float **pp) { pp[0][threadIdx.x] = 1.0f; } */
static cw_ir_module *ptr_in_memory(void) {
  sb b = {cw_ir_module_new("ind.cu"), NULL, NULL};
  cw_ir_func *k = sFunc(&b, "indirect", NULL, true);
  const cw_ir_type *fp = cw_ir_type_ptr(b.m, sT(&b, CW_IR_F32), CW_AS_GENERIC, false);
  cw_ir_var *pp = cw_ir_func_add_param(b.m, k, "pp", cw_ir_type_ptr(b.m, fp, CW_AS_GENERIC, false), sl(1, 1));
  sExpr(&b, assign(&b, cw_ir_index(b.m, at(&b, pp, sI(&b, 0)), tidx(&b), sl(1, 40)), sF(&b, 1.0f)));
  return b.m;
}

/* __device__ void addone(float *p, int i) { p[i] += 1; }
 * __global__ void spec(float *g) { __shared__ float s[64]; s[t] = g[t]; addone(s, t);
 *   __syncthreads(); g[t] = s[t]; addone(g, t); } */
static cw_ir_module *spec(void) {
  sb b = {cw_ir_module_new("spec.cu"), NULL, NULL};
  const cw_ir_type *f32 = sT(&b, CW_IR_F32), *i32 = sT(&b, CW_IR_I32);
  const cw_ir_type *fp = cw_ir_type_ptr(b.m, f32, CW_AS_GENERIC, false);
  cw_ir_func *d = sFunc(&b, "addone", NULL, false);
  cw_ir_var *p = cw_ir_func_add_param(b.m, d, "p", fp, sl(1, 1));
  cw_ir_var *i = cw_ir_func_add_param(b.m, d, "i", i32, sl(1, 1));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, f32, at(&b, p, sV(&b, i)), sF(&b, 1.0f), sl(1, 40)));
  cw_ir_var *s = cw_ir_global_new(b.m, CW_VAR_SHARED, "s", "spec::s", cw_ir_type_array(b.m, f32, 64), sl(2, 3));
  cw_ir_func *k = sFunc(&b, "spec", NULL, true);
  s->owner = k;
  cw_ir_var *g = cw_ir_func_add_param(b.m, k, "g", fp, sl(2, 1));
  cw_ir_var *t = sDecl(&b, "t", i32, sCast(&b, CW_IR_I32, tidx(&b)));
  sExpr(&b, assign(&b, at(&b, s, sV(&b, t)), at(&b, g, sV(&b, t))));
  cw_ir_expr *a1[] = {sV(&b, s), sV(&b, t)};
  a1[0] = cw_ir_cast(b.m, fp, a1[0], sl(0, 0));  /* array decays to float* */
  sExpr(&b, cw_ir_call(b.m, d, a1, 2, sl(3, 3)));
  sExpr(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0));
  sExpr(&b, assign(&b, at(&b, g, sV(&b, t)), at(&b, s, sV(&b, t))));
  cw_ir_expr *a2[] = {sV(&b, g), sV(&b, t)};
  sExpr(&b, cw_ir_call(b.m, d, a2, 2, sl(4, 3)));
  return b.m;
}

/* __global__ void votes(int *out) { int c = __syncthreads_count(t & 1);
 *   unsigned m = __ballot_sync(~0, t % 3 == 0); out[t] = c; out[64 + t] = m; } */
static cw_ir_module *votes(void) {
  sb b = {cw_ir_module_new("votes.cu"), NULL, NULL};
  const cw_ir_type *i32 = sT(&b, CW_IR_I32), *u32 = sT(&b, CW_IR_U32);
  cw_ir_func *k = sFunc(&b, "votes", NULL, true);
  cw_ir_var *out = cw_ir_func_add_param(b.m, k, "out", cw_ir_type_ptr(b.m, i32, CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_var *t = sDecl(&b, "t", i32, sCast(&b, CW_IR_I32, tidx(&b)));
  cw_ir_var *c = sDecl(&b, "c", i32, sBI(&b, CW_BI_SYNCTHREADS_COUNT, CW_IR_I32, 1,
                                         sBin(&b, CW_OP_AND, sV(&b, t), sI(&b, 1))));
  cw_ir_var *m = sDecl(&b, "m", u32, sBI(&b, CW_BI_BALLOT, CW_IR_U32, 2, sU(&b, ~0u),
                                         sBin(&b, CW_OP_EQ, sBin(&b, CW_OP_MOD, sV(&b, t), sI(&b, 3)), sI(&b, 0))));
  sExpr(&b, assign(&b, at(&b, out, sV(&b, t)), sV(&b, c)));
  sExpr(&b, assign(&b, at(&b, out, sBin(&b, CW_OP_ADD, sI(&b, 64), sV(&b, t))), sCast(&b, CW_IR_I32, sV(&b, m))));
  return b.m;
}

/* __global__ void check(int *p) { assert(threadIdx.x < 4); p[threadIdx.x] = 1; } */
static cw_ir_module *asserting(void) {
  sb b = {cw_ir_module_new("assert.cu"), NULL, NULL};
  cw_ir_func *k = sFunc(&b, "check", NULL, true);
  cw_ir_var *p = cw_ir_func_add_param(b.m, k, "p", cw_ir_type_ptr(b.m, sT(&b, CW_IR_I32), CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_expr *a = sBI(&b, CW_BI_ASSERT, CW_IR_VOID, 2, sBin(&b, CW_OP_LT, tidx(&b), sU(&b, 4)),
                      cw_ir_string(b.m, "threadIdx.x < 4", 15, sl(0, 0)));
  a->loc = sl(2, 3);
  sExpr(&b, a);
  sExpr(&b, assign(&b, at(&b, p, tidx(&b)), sI(&b, 1)));
  return b.m;
}

static void test_declines(void **state) {
  (void)state;
  char why[1024];
  cw_ir_module *m = early_exit();  /* a warp op after a return only some threads take */
  cw_ir_module_finish(m);
  assert_false(ocl_supported(m, why, sizeof why));
  assert_non_null(strstr(why, "early_exit"));
  assert_non_null(strstr(why, "__shfl_down_sync"));
  assert_non_null(strstr(why, "t.cu:3:10"));
  cw_ir_module_free(m);

  /* a pointer read from device memory: an address with SVM (PoCL has it), nothing without */
  m = ptr_in_memory();
  cw_ir_module_finish(m);
  cw_device_caps svm_caps = ocl_caps();
  assert_true(svm_caps.flags & CW_CAP_REAL_POINTERS);
  assert_true(opencl_transpiler_ops.supports(ocl_be, m, &svm_caps, why, sizeof why));
  cw_device_caps buffer_caps = svm_caps;
  buffer_caps.flags &= ~(uint32_t)CW_CAP_REAL_POINTERS;
  assert_false(opencl_transpiler_ops.supports(ocl_be, m, &buffer_caps, why, sizeof why));
  assert_non_null(strstr(why, "kernel indirect"));
  assert_non_null(strstr(why, "SVM"));
  cw_ir_module_free(m);


  /* a device without fp64 declines double, naming the kernel */
  m = sample_atomics();
  cw_ir_module_finish(m);
  cw_device_caps caps = ocl_caps();
  caps.flags &= ~(uint32_t)CW_CAP_FP64;
  assert_false(opencl_transpiler_ops.supports(ocl_be, m, &caps, why, sizeof why));
  assert_non_null(strstr(why, "kernel atomics"));
  assert_non_null(strstr(why, "fp64"));
  caps = ocl_caps();
  caps.flags &= ~(uint32_t)CW_CAP_ATOMIC_INT64;
  assert_false(opencl_transpiler_ops.supports(ocl_be, m, &caps, why, sizeof why));
  assert_non_null(strstr(why, "64-bit atomic"));
  cw_ir_module_free(m);
}

/* A shuffle under `if (threadIdx.x < 16)`: predicated, so every thread reaches the barriers. */
static void test_predicated_branch(void **state) {
  (void)state;
  loaded l = ocl_load(div_shfl());
  assert_non_null(strstr(l.art->source, "bool cw_p"));
  float v[64];
  for (int i = 0; i < 64; i++) v[i] = (float)(i * 3);
  uint64_t d = ocl_dalloc(sizeof v);
  ocl_h2d(&l, d, v, sizeof v);
  void *args[] = {&d};
  ocl_launch(&l, 0, 1, 64, 1, 0, args);
  float out[64];
  ocl_d2h(&l, out, d, sizeof out);
  for (int t = 0; t < 64; t++) {
    if (t < 15 || (t >= 32 && t < 47)) {
      if (t < 15) assert_float_equal(out[t], v[t + 1], 0);  /* lane t reads lane t+1 */
      else assert_float_equal(out[t], v[t], 0);            /* the second warp is not < 16 */
    } else if (t >= 16) {
      assert_float_equal(out[t], v[t], 0);                 /* inactive: unchanged */
    }
  }
  ocl_dfree(d);
  ocl_unload(&l);
}

/* Every type-dependent builtin spelling (math on float and double, bit casts, conversions with
 * rounding, popc/clz, ballot, shuffles of double, half conversions, __ldg): builds and runs. */
/* A shuffle in a loop whose trip count depends on the thread: warp 0 runs 2 rounds, warp 1 one. */
static void test_predicated_loop(void **state) {
  (void)state;
  loaded l = ocl_load(div_loop());
  assert_non_null(strstr(l.art->source, "cw_sync_or(cw_scratch"));
  float v[64], out[64];
  for (int i = 0; i < 64; i++) v[i] = (float)(i + 1);
  uint64_t d = ocl_dalloc(sizeof v);
  ocl_h2d(&l, d, v, sizeof v);
  void *args[] = {&d};
  ocl_launch(&l, 0, 1, 64, 1, 0, args);
  ocl_d2h(&l, out, d, sizeof out);
  for (int t = 0; t < 64; t++) {
    float once = v[t] + v[t ^ 1];
    assert_float_equal(out[t], t < 32 ? 2.0f * once : once, 0);
  }
  ocl_dfree(d);
  ocl_unload(&l);
}

static void test_builtins_build_and_run(void **state) {
  (void)state;
  loaded l = ocl_load(sample_builtins());
  uint64_t pf = ocl_dalloc(4), pd = ocl_dalloc(8), pu = ocl_dalloc(8), ph = ocl_dalloc(2);
  float f = 0.5f;
  double d = 0.25;
  uint64_t u = 0xff;
  ocl_h2d(&l, pf, &f, 4);
  ocl_h2d(&l, pd, &d, 8);
  ocl_h2d(&l, pu, &u, 8);
  void *args[] = {&pf, &pd, &pu, &ph};
  ocl_launch(&l, 0, 1, 32, 1, 0, args);
  uint16_t h = 0;
  assert_int_equal(opencl_stream_synchronize(l.stream), CW_OK);
  ocl_d2h(&l, &h, ph, 2);
  assert_true(h != 0);  /* a half was stored (x grows past 0 through the math chain) */
  ocl_dfree(pf);
  ocl_dfree(pd);
  ocl_dfree(pu);
  ocl_dfree(ph);
  ocl_unload(&l);
}

static void test_specialized_device_function(void **state) {
  (void)state;
  loaded l = ocl_load(spec());
  assert_non_null(strstr(l.art->source, "cwf_addone_l("));
  assert_non_null(strstr(l.art->source, "cwf_addone_g("));
  float g[64];
  for (int i = 0; i < 64; i++) g[i] = (float)i;
  uint64_t dg = ocl_dalloc(sizeof g);
  ocl_h2d(&l, dg, g, sizeof g);
  void *args[] = {&dg};
  ocl_launch(&l, 0, 1, 64, 1, 0, args);
  ocl_d2h(&l, g, dg, sizeof g);
  for (int i = 0; i < 64; i++) assert_float_equal(g[i], (float)i + 2.0f, 0);
  ocl_dfree(dg);
  ocl_unload(&l);
}

static void test_votes(void **state) {
  (void)state;
  loaded l = ocl_load(votes());
  uint64_t d = ocl_dalloc(128 * sizeof(int));
  void *args[] = {&d};
  ocl_launch(&l, 0, 1, 64, 1, 0, args);
  int out[128];
  ocl_d2h(&l, out, d, sizeof out);
  for (int t = 0; t < 64; t++) {
    assert_int_equal(out[t], 32);
    uint32_t want = 0;
    for (int i = 0; i < 32; i++)
      if (((t & ~31) + i) % 3 == 0) want |= 1u << i;
    assert_int_equal((uint32_t)out[64 + t], want);
  }
  ocl_dfree(d);
  ocl_unload(&l);
}

/* Runs fn with fd `which` (1 stdout, 2 stderr) going to a file; returns what was written. */
static char *capture_fd(int which, void (*fn)(void *), void *arg) {
  char path[] = "/tmp/cw-ocl-out-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  fflush(stdout);
  fflush(stderr);
  int saved = dup(which);
  dup2(fd, which);
  fn(arg);
  fflush(stdout);
  fflush(stderr);
  dup2(saved, which);
  close(saved);
  close(fd);
  char *text = NULL;
  g_file_get_contents(path, &text, NULL, NULL);
  unlink(path);
  return text;
}

static void run_printf(void *arg) {
  loaded *l = arg;
  void *args[] = {NULL};
  ocl_launch(l, 0, 1, 2, 1, 0, args);
  assert_int_equal(opencl_stream_synchronize(l->stream), CW_OK);
}

static void test_printf(void **state) {
  (void)state;
  loaded l = ocl_load(sample_printf());
  char *text = capture_fd(1, run_printf, &l);
  assert_non_null(text);
  assert_non_null(strstr(text, "hello 0 1.500000 \"q\""));
  assert_non_null(strstr(text, "hello 1 1.500000 \"q\""));
  assert_non_null(strstr(text, "str\n"));
  g_free(text);
  ocl_unload(&l);
}

static void run_assert(void *arg) {
  loaded *l = arg;
  uint64_t d = ocl_dalloc(8 * sizeof(int));
  void *args[] = {&d};
  ocl_launch(l, 0, 1, 8, 1, 0, args);
  assert_int_equal(opencl_stream_synchronize(l->stream), CW_ERR_ASSERT);
  assert_int_equal(opencl_stream_synchronize(l->stream), CW_ERR_ASSERT);  /* sticky */
  ocl_dfree(d);
}

static void test_assert(void **state) {
  (void)state;
  loaded l = ocl_load(asserting());
  char *text = capture_fd(2, run_assert, &l);  /* CUDA's message, on stderr */
  /* the first failing thread (4..7) reports */
  const char *at = strstr(text, "t.cu:2: block: [0,0,0], thread: [");
  assert_non_null(at);
  int t = atoi(at + strlen("t.cu:2: block: [0,0,0], thread: ["));
  assert_true(t >= 4 && t <= 7);
  assert_non_null(strstr(at, ",0,0] Assertion `threadIdx.x < 4` failed.\n"));
  g_free(text);
  ocl_unload(&l);
}

static void test_emit_format(void **state) {
  (void)state;
  cw_ir_module *m = sample_saxpy();
  cw_ir_module_finish(m);
  char *text = NULL, err[256];
  /* no device needed: default caps */
  assert_int_equal(opencl_transpiler_ops.emit_format(NULL, m, NULL, "opencl", &text, err, sizeof err), CW_OK);
  assert_non_null(strstr(text, "__kernel void cwk_saxpy(int n, float a, __global char *cw_b_x, ulong cw_o_x"));
  assert_non_null(strstr(text, "// t.cu:1: kernel saxpy"));
  g_free(text);
  assert_int_equal(opencl_transpiler_ops.emit_format(NULL, m, NULL, "glsl", &text, err, sizeof err),
                   CW_ERR_INVALID_VALUE);
  assert_string_equal(opencl_transpiler_ops.language, "opencl-c");
  assert_string_equal(opencl_transpiler_ops.emit_formats[0], "opencl");
  cw_ir_module_free(m);
}

int main(void) {
  int rc = ocl_test_probe();
  if (rc) return rc;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_declines),
    cmocka_unit_test(test_predicated_branch),
    cmocka_unit_test(test_predicated_loop),
    cmocka_unit_test(test_builtins_build_and_run),
    cmocka_unit_test(test_specialized_device_function),
    cmocka_unit_test(test_votes),
    cmocka_unit_test(test_printf),
    cmocka_unit_test(test_assert),
    cmocka_unit_test(test_emit_format),
  };
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  opencl_shutdown(ocl_be);
  return rc;
}
