/* check.c — what an OpenCL device cannot run, said with the kernel, construct and location:
 * double without cl_khr_fp64, 64-bit atomics without cl_khr_int64_*_atomics, pointers moved
 * through device memory without SVM (device addresses are not real pointers here), recursion,
 * and warp operations where not every thread of the block
 * gets to them (uniform.c). */
#include <string.h>

#include "emit.h"

/* ---- device limits ------------------------------------------------------------------- */

typedef struct finder {
  bool (*pred)(const cw_ir_expr *e);
  cw_ir_loc loc;
  bool found;
} finder;

static void find_expr(finder *fd, const cw_ir_expr *e) {
  if (!e || fd->found) return;
  if (fd->pred(e)) {
    fd->found = true;
    fd->loc = e->loc;
    return;
  }
  find_expr(fd, e->a);
  find_expr(fd, e->b);
  find_expr(fd, e->c);
  for (uint32_t i = 0; i < e->n_args; i++) find_expr(fd, e->args[i]);
}

static void find_stmt(finder *fd, const cw_ir_stmt *s) {
  if (!s || fd->found) return;
  find_expr(fd, s->expr);
  find_expr(fd, s->cond);
  find_expr(fd, s->step);
  find_stmt(fd, s->init);
  find_stmt(fd, s->then_s);
  find_stmt(fd, s->else_s);
  find_stmt(fd, s->body);
  for (uint32_t i = 0; i < s->n_stmts; i++) find_stmt(fd, s->stmts[i]);
}

static bool is_f64_expr(const cw_ir_expr *e) { return e->type && e->type->kind == CW_IR_F64; }
static bool is_atomic64_expr(const cw_ir_expr *e) {
  if (e->kind != CW_EX_BUILTIN || e->bi < CW_BI_ATOMIC_ADD || e->bi > CW_BI_ATOMIC_XOR) return false;
  const cw_ir_type *pt = e->n_args ? e->args[0]->type : NULL;
  return pt && pt->kind == CW_IR_PTR && pt->elem && pt->elem->size == 8;
}

/* Where in f (or the functions it calls) the predicate first holds; f's own location else. */
static cw_ir_loc locate(const cw_ir_func *f, bool (*pred)(const cw_ir_expr *), int depth) {
  finder fd = {.pred = pred};
  find_stmt(&fd, f->body);
  if (fd.found) return fd.loc;
  for (uint32_t i = 0; depth < 8 && i < f->n_callees; i++) {
    cw_ir_loc l = locate(f->callees[i], pred, depth + 1);
    if (l.line) return l;
  }
  return depth ? (cw_ir_loc){0} : f->loc;
}

static void say(char *reason, size_t len, const cw_ir_func *k, cw_ir_loc loc, const char *what) {
  g_snprintf(reason, len, "kernel %s (%s:%d:%d): %s", k->source_name ? k->source_name : k->name,
             loc.file ? loc.file : (k->loc.file ? k->loc.file : "?"), loc.line ? loc.line : k->loc.line,
             loc.line ? loc.col : k->loc.col, what);
}

/* Warp-synchronous shared-memory code (`s[t] += s[t + 16]; s[t] += s[t + 8];` without
 * __syncwarp) gives wrong results where work-items do not run in step: declined, not run wrong. */
bool ocl_check_lockstep(const cw_ir_module *ir, char *reason, size_t len) {
  for (uint32_t i = 0; i < ir->n_kernels; i++) {
    const cw_ir_func *k = ir->kernels[i];
    cw_ir_loc where = k->loc;
    if (cw_ir_func_first_warp_hazard(k, NULL, &where)) {
      say(reason, len, k, where,
          "warp-synchronous shared memory access without __syncwarp; this device does not run 32 "
          "lanes in step");
      return false;
    }
  }
  return true;
}

bool ocl_check_module(const cw_ir_module *ir, const cw_device_caps *caps, char *reason, size_t len) {
  for (uint32_t i = 0; i < ir->n_kernels; i++) {
    const cw_ir_func *k = ir->kernels[i];
    uint32_t f = k->facts;
    if ((f & CW_FACT_F64) && !(caps->flags & CW_CAP_FP64)) {
      say(reason, len, k, locate(k, is_f64_expr, 0), "uses double, and the device has no fp64 (cl_khr_fp64)");
      return false;
    }
    if ((f & CW_FACT_ATOMIC_64) && !(caps->flags & CW_CAP_ATOMIC_INT64)) {
      say(reason, len, k, locate(k, is_atomic64_expr, 0),
          "uses a 64-bit atomic, and the device lacks cl_khr_int64_base_atomics");
      return false;
    }
    /* pointers moved through memory (CW_FACT_POINTER_IN_MEMORY) are checked precisely by the
     * emitter: through the thread's own memory they work (struct parameters' pointers are
     * rebuilt at entry), through device memory they are declined (as.c) */
    if (f & CW_FACT_RECURSION) {
      say(reason, len, k, k->loc, "is recursive (OpenCL C has no recursion)");
      return false;
    }
  }
  char *err = NULL;
  ocl_uni *u = ocl_uni_new(ir, &err);
  ocl_uni_free(u);
  if (err) {
    g_strlcpy(reason, err, len);
    g_free(err);
    return false;
  }
  return true;
}
