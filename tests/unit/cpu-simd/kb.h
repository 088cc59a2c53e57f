/* kb.h — shorthand for building kernel IR by hand in the cpu-simd tests, and a harness that runs
 * modules through the plugin's own vtables (probe, emit, load, copy, launch, synchronize). */
#ifndef CPU_SIMD_TEST_KB_H
#define CPU_SIMD_TEST_KB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cw/cw-ir.h>
#include <cw/cw-plugin.h>

typedef struct kb {
  cw_ir_module *m;
  cw_ir_func *f;
  cw_ir_loc loc;
} kb;

#define KLOC ((cw_ir_loc){"k.cu", __LINE__, 1})

static inline const cw_ir_type *T(kb *k, cw_ir_type_kind kind) { return cw_ir_type_scalar(k->m, kind); }
static inline const cw_ir_type *PTR(kb *k, cw_ir_type_kind kind) {
  return cw_ir_type_ptr(k->m, T(k, kind), CW_AS_GLOBAL, false);
}

/* A new kernel; its body is returned (a BLOCK). */
static inline cw_ir_stmt *kb_kernel(kb *k, const char *name) {
  k->f = cw_ir_func_new(k->m, name, name, NULL, true, KLOC);
  k->f->body = cw_ir_stmt_new(k->m, CW_ST_BLOCK, KLOC);
  return k->f->body;
}
static inline cw_ir_stmt *kb_device_func(kb *k, const char *name, const cw_ir_type *ret) {
  k->f = cw_ir_func_new(k->m, name, name, ret, false, KLOC);
  k->f->body = cw_ir_stmt_new(k->m, CW_ST_BLOCK, KLOC);
  return k->f->body;
}
static inline cw_ir_var *kb_param(kb *k, const char *name, const cw_ir_type *t) {
  return cw_ir_func_add_param(k->m, k->f, name, t, KLOC);
}

static inline cw_ir_expr *V(kb *k, cw_ir_var *v) { return cw_ir_var_ref(k->m, v, KLOC); }
static inline cw_ir_expr *I(kb *k, int64_t v) { return cw_ir_int(k->m, T(k, CW_IR_I32), (uint64_t)v, KLOC); }
static inline cw_ir_expr *U(kb *k, uint64_t v) { return cw_ir_int(k->m, T(k, CW_IR_U32), v, KLOC); }
static inline cw_ir_expr *F(kb *k, double v) { return cw_ir_float(k->m, T(k, CW_IR_F32), v, KLOC); }
static inline cw_ir_expr *BIN(kb *k, cw_ir_op op, cw_ir_expr *a, cw_ir_expr *b) {
  return cw_ir_binary(k->m, op, NULL, a, b, KLOC);
}
static inline cw_ir_expr *CAST(kb *k, cw_ir_type_kind to, cw_ir_expr *a) {
  return cw_ir_cast(k->m, T(k, to), a, KLOC);
}
static inline cw_ir_expr *AT(kb *k, cw_ir_expr *base, cw_ir_expr *idx) { return cw_ir_index(k->m, base, idx, KLOC); }
static inline cw_ir_expr *SET(kb *k, cw_ir_expr *lhs, cw_ir_expr *rhs) {
  return cw_ir_assign(k->m, CW_OP_NONE, NULL, lhs, rhs, KLOC);
}
static inline cw_ir_expr *OPSET(kb *k, cw_ir_op op, cw_ir_expr *lhs, cw_ir_expr *rhs) {
  return cw_ir_assign(k->m, op, NULL, lhs, rhs, KLOC);
}
static inline cw_ir_expr *BI(kb *k, cw_ir_builtin bi, const cw_ir_type *t, int n, ...) {
  cw_ir_expr *args[8];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n && i < 8; i++) args[i] = va_arg(ap, cw_ir_expr *);
  va_end(ap);
  return cw_ir_builtin_call(k->m, bi, t, args, (uint32_t)n, KLOC);
}
/* (int)threadIdx.x etc. */
static inline cw_ir_expr *GEO(kb *k, cw_ir_builtin bi) {
  return CAST(k, CW_IR_I32, BI(k, bi, T(k, CW_IR_U32), 0));
}
/* blockIdx.x * blockDim.x + threadIdx.x as int */
static inline cw_ir_expr *GID(kb *k) {
  return BIN(k, CW_OP_ADD, BIN(k, CW_OP_MUL, GEO(k, CW_BI_BLOCK_IDX_X), GEO(k, CW_BI_BLOCK_DIM_X)),
             GEO(k, CW_BI_THREAD_IDX_X));
}

static inline void EXPR(kb *k, cw_ir_stmt *blk, cw_ir_expr *e) {
  cw_ir_stmt *s = cw_ir_stmt_new(k->m, CW_ST_EXPR, KLOC);
  s->expr = e;
  cw_ir_block_append(k->m, blk, s);
}
static inline cw_ir_var *DECL(kb *k, cw_ir_stmt *blk, const char *name, const cw_ir_type *t, cw_ir_expr *init) {
  cw_ir_var *v = cw_ir_func_add_local(k->m, k->f, name, t, KLOC);
  cw_ir_stmt *s = cw_ir_stmt_new(k->m, CW_ST_DECL, KLOC);
  s->var = v;
  s->expr = init;
  cw_ir_block_append(k->m, blk, s);
  return v;
}
/* if (c) { returned block } */
static inline cw_ir_stmt *IF(kb *k, cw_ir_stmt *blk, cw_ir_expr *c) {
  cw_ir_stmt *s = cw_ir_stmt_new(k->m, CW_ST_IF, KLOC);
  s->cond = c;
  s->then_s = cw_ir_stmt_new(k->m, CW_ST_BLOCK, KLOC);
  cw_ir_block_append(k->m, blk, s);
  return s->then_s;
}
/* for (int name = init; cond(var); step(var)) { returned block }: the caller fills cond/step
 * through the returned statement's fields after creating the variable. */
static inline cw_ir_stmt *FOR(kb *k, cw_ir_stmt *blk, cw_ir_var **var, const char *name, cw_ir_expr *init) {
  cw_ir_stmt *s = cw_ir_stmt_new(k->m, CW_ST_FOR, KLOC);
  cw_ir_stmt *ib = cw_ir_stmt_new(k->m, CW_ST_BLOCK, KLOC);
  *var = DECL(k, ib, name, T(k, CW_IR_I32), init);
  s->init = ib->stmts[0];
  s->body = cw_ir_stmt_new(k->m, CW_ST_BLOCK, KLOC);
  cw_ir_block_append(k->m, blk, s);
  return s;
}
static inline void SYNC(kb *k, cw_ir_stmt *blk) { EXPR(k, blk, BI(k, CW_BI_SYNCTHREADS, NULL, 0)); }
static inline void RET(kb *k, cw_ir_stmt *blk) {
  cw_ir_block_append(k->m, blk, cw_ir_stmt_new(k->m, CW_ST_RETURN, KLOC));
}

/* ---- harness ----------------------------------------------------------------------------- */

typedef struct harness {
  cw_backend *be;
  cw_module *mod;
  cw_artifact *art;
} harness;

void h_open(harness *h);
void h_close(harness *h);
/* Finishes, emits, compiles and loads a module (asserts success). */
void h_load(harness *h, cw_ir_module *m);
uint64_t h_alloc(harness *h, size_t bytes);
void h_put(harness *h, uint64_t dst, const void *src, size_t bytes);
void h_get(harness *h, void *dst, uint64_t src, size_t bytes);
void h_free(harness *h, uint64_t addr);
/* Launches kernel `index` (1D when gy/by are 0) and synchronizes; returns the status. */
cw_status h_launch(harness *h, uint32_t index, uint32_t gx, uint32_t bx, uint32_t dyn, void **args);
/* The same with a 2D/3D grid and block. */
cw_status h_launch3(harness *h, uint32_t index, const uint32_t grid[3], const uint32_t block[3], uint32_t dyn,
                    void **args);
/* How the kernel runs: "plain loop", "fission (N regions)", "fibers: ..." */
const char *h_path(harness *h, uint32_t index);

/* kernels.c */
cw_ir_module *kb_saxpy_module(void);

extern const cw_backend_ops cpu_backend_ops;
extern const cw_memory_ops cpu_memory_ops;
extern const cw_transpiler_ops cpu_transpiler_ops;

#endif
