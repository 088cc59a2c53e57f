/* check.c — what an OpenCL device cannot run, said with the kernel, construct and location.
 *
 * Device limits: double without cl_khr_fp64, 64-bit atomics without cl_khr_int64_*_atomics,
 * pointers moved through memory without SVM (device addresses are not real pointers here),
 * recursion, half precision (not emitted yet).
 *
 * Warp operations are emulated through local memory with barriers (prelude.c), so every thread
 * of the block must reach each one.  A block-uniformity analysis checks that: a value is
 * uniform when it depends only on constants, kernel parameters, block/grid indices and sizes,
 * memory read at uniform addresses, and locals only ever assigned uniform values in uniform
 * control flow; control flow is divergent under a non-uniform condition and after a return,
 * break or continue taken under one.  A warp operation (or a call of a function containing one)
 * in divergent control flow declines the kernel. */
#include <string.h>

#include "emit.h"

typedef struct ucx {
  const cw_ir_func *f;
  GHashTable *nonuni;          /* locals known non-uniform */
  GHashTable *param_nonuni;    /* "func:index" of device-function parameters called with
                                  non-uniform values (module-wide) */
  bool changed;
  bool final;
  bool diverged_exit;          /* a return under divergent control was seen */
  char *error;
} ucx;

static bool is_warp_op(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR:
  case CW_BI_BALLOT: case CW_BI_ANY: case CW_BI_ALL: case CW_BI_SYNCWARP:
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX:
    return true;
  default:
    return false;
  }
}

static char *param_key(const cw_ir_func *f, uint32_t i) { return g_strdup_printf("%p:%u", (void *)f, i); }

static void fail(ucx *c, cw_ir_loc loc, const char *what) {
  if (c->error || !c->final) return;
  c->error = g_strdup_printf("%s %s (%s:%d:%d): %s in control flow that not every thread of the "
                             "block reaches (the device has no 32-wide subgroups, so warp "
                             "operations are emulated with block barriers)",
                             c->f->is_kernel ? "kernel" : "function",
                             c->f->source_name ? c->f->source_name : c->f->name,
                             loc.file ? loc.file : "?", loc.line, loc.col, what);
}

static bool uniform(ucx *c, const cw_ir_expr *e, bool div);

static void mark_nonuniform_root(ucx *c, const cw_ir_expr *lv) {
  while (lv && (lv->kind == CW_EX_INDEX || lv->kind == CW_EX_MEMBER) && lv->a && lv->a->is_lvalue &&
         (lv->kind == CW_EX_MEMBER || (lv->a->type && lv->a->type->kind == CW_IR_ARRAY)))
    lv = lv->a;
  if (lv && lv->kind == CW_EX_VAR && lv->var->kind == CW_VAR_LOCAL &&
      !g_hash_table_contains(c->nonuni, lv->var)) {
    g_hash_table_add(c->nonuni, lv->var);
    c->changed = true;
  }
}

static bool all_args(ucx *c, const cw_ir_expr *e, bool div) {
  bool u = true;
  for (uint32_t i = 0; i < e->n_args; i++) u &= uniform(c, e->args[i], div);
  return u;
}

/* Whether e is block-uniform; also walks e for warp ops under `div` and for assignments. */
static bool uniform(ucx *c, const cw_ir_expr *e, bool div) {
  if (!e) return true;
  switch (e->kind) {
  case CW_EX_INT: case CW_EX_FLOAT: case CW_EX_STRING: case CW_EX_NULLPTR: return true;
  case CW_EX_VAR: {
    const cw_ir_var *v = e->var;
    if (v->kind == CW_VAR_LOCAL) return !g_hash_table_contains(c->nonuni, v);
    if (v->kind == CW_VAR_PARAM) {
      if (c->f->is_kernel) return true;
      char *k = param_key(c->f, v->index);
      bool nu = g_hash_table_contains(c->param_nonuni, k);
      g_free(k);
      return !nu;
    }
    return true;  /* shared/module variables: addresses, or memory read uniformly */
  }
  case CW_EX_ASSIGN: case CW_EX_INCDEC: {
    bool ua = uniform(c, e->a, div);
    bool ub = e->kind == CW_EX_ASSIGN ? uniform(c, e->b, div) : true;
    bool u = ua && ub;
    if (!u || div) mark_nonuniform_root(c, e->a);
    return u && !div;
  }
  case CW_EX_COND: {
    bool ua = uniform(c, e->a, div);
    bool ub = uniform(c, e->b, div || !ua), uc = uniform(c, e->c, div || !ua);
    return ua && ub && uc;
  }
  case CW_EX_BINARY:
    if (e->op == CW_OP_LAND || e->op == CW_OP_LOR) {
      bool ua = uniform(c, e->a, div);
      return uniform(c, e->b, div || !ua) && ua;
    }
    return uniform(c, e->a, div) & uniform(c, e->b, div);
  case CW_EX_CALL: {
    bool u = true;
    const cw_ir_func *g = e->callee;
    for (uint32_t i = 0; i < e->n_args; i++) {
      bool ua = uniform(c, e->args[i], div);
      u &= ua;
      if (!ua && g && i < g->n_params) {
        char *k = param_key(g, i);
        if (!g_hash_table_contains(c->param_nonuni, k)) {
          g_hash_table_add(c->param_nonuni, k);
          c->changed = true;
        } else {
          g_free(k);
        }
      }
    }
    if (g && div && (g->facts & CW_FACT_WARP_OPS)) {
      char what[256];
      g_snprintf(what, sizeof what, "call of %s (which uses warp operations)",
                 g->source_name ? g->source_name : g->name);
      fail(c, e->loc, what);
    }
    return false;  /* a call's result may depend on the thread */
  }
  case CW_EX_BUILTIN: {
    bool u = all_args(c, e, div);
    if (is_warp_op(e->bi) && div) fail(c, e->loc, cw_ir_builtin_spelling(e->bi));
    switch (e->bi) {
    case CW_BI_THREAD_IDX_X: case CW_BI_THREAD_IDX_Y: case CW_BI_THREAD_IDX_Z: case CW_BI_LANE_ID:
    case CW_BI_CLOCK: case CW_BI_CLOCK64: case CW_BI_GLOBALTIMER:
      return false;
    case CW_BI_SYNCTHREADS_COUNT: case CW_BI_SYNCTHREADS_AND: case CW_BI_SYNCTHREADS_OR:
      return true;
    default:
      if (e->bi >= CW_BI_ATOMIC_ADD && e->bi <= CW_BI_ATOMIC_XOR) return false;
      if (is_warp_op(e->bi) || e->bi == CW_BI_ACTIVEMASK) return false;
      return u;
    }
  }
  case CW_EX_INIT:
    return all_args(c, e, div);
  default: {
    bool u = uniform(c, e->a, div);
    u &= uniform(c, e->b, div);
    u &= uniform(c, e->c, div);
    u &= all_args(c, e, div);
    return u;
  }
  }
}

/* Does s contain a break/continue (belonging to the loop being entered) or return? */
static bool has_jump(const cw_ir_stmt *s, bool loop_level, bool want_return) {
  if (!s) return false;
  switch (s->kind) {
  case CW_ST_RETURN: return want_return;
  case CW_ST_BREAK: case CW_ST_CONTINUE: return loop_level && !want_return;
  case CW_ST_GOTO: return true;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: case CW_ST_SWITCH:
    return has_jump(s->body, false, want_return);
  default: break;
  }
  if (has_jump(s->then_s, loop_level, want_return) || has_jump(s->else_s, loop_level, want_return))
    return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (has_jump(s->stmts[i], loop_level, want_return)) return true;
  return false;
}

static void walk(ucx *c, const cw_ir_stmt *s, bool div);

static void walk_branch(ucx *c, const cw_ir_stmt *s, bool div) {
  walk(c, s, div);
  /* a return taken only by some threads leaves the rest of the function divergent */
  if (div && has_jump(s, false, true)) c->diverged_exit = true;
}

static void walk(ucx *c, const cw_ir_stmt *s, bool div) {
  if (!s) return;
  div = div || c->diverged_exit;
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++) walk(c, s->stmts[i], div || c->diverged_exit);
    return;
  case CW_ST_DECL: {
    bool u = uniform(c, s->expr, div);
    if (s->var && s->expr && (!u || div) && !g_hash_table_contains(c->nonuni, s->var)) {
      g_hash_table_add(c->nonuni, s->var);
      c->changed = true;
    }
    return;
  }
  case CW_ST_EXPR: case CW_ST_RETURN:
    uniform(c, s->expr, div);
    return;
  case CW_ST_IF: {
    bool u = uniform(c, s->cond, div);
    walk_branch(c, s->then_s, div || !u);
    walk_branch(c, s->else_s, div || !u);
    return;
  }
  case CW_ST_SWITCH: {
    bool u = uniform(c, s->cond, div);
    walk_branch(c, s->body, div || !u);
    return;
  }
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: {
    walk(c, s->init, div);
    /* the condition is re-evaluated after the body: walk twice so assignments in the body
     * are seen by the condition (the outer fixpoint finishes the job) */
    bool u = uniform(c, s->cond, div) && uniform(c, s->step, div);
    bool jumps = has_jump(s->body, true, false);
    bool inner = div || !u;
    /* a break or continue under a divergent condition makes later iterations divergent:
     * find out by walking once with the loop's own divergence, then decide */
    walk(c, s->body, inner || jumps);
    uniform(c, s->step, inner);
    if (has_jump(s->body, false, true) && inner) c->diverged_exit = true;
    return;
  }
  default:
    return;
  }
}

static char *check_uniform(const cw_ir_module *ir) {
  GHashTable *param_nonuni = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  char *error = NULL;
  bool again = true;
  /* callers before callees (funcs lists callees first), repeated until parameters settle */
  for (int round = 0; again && round < 8; round++) {
    again = false;
    for (uint32_t fi = ir->n_funcs; fi-- > 0;) {
      const cw_ir_func *f = ir->funcs[fi];
      if (!f->body) continue;
      ucx c = {.f = f, .param_nonuni = param_nonuni};
      c.nonuni = g_hash_table_new(g_direct_hash, g_direct_equal);
      for (int it = 0; it < 32; it++) {
        c.changed = false;
        c.diverged_exit = false;
        walk(&c, f->body, false);
        if (!c.changed) break;
        again = true;
      }
      c.final = true;
      c.diverged_exit = false;
      walk(&c, f->body, false);
      g_hash_table_destroy(c.nonuni);
      if (c.error && !error) error = c.error;
      else g_free(c.error);
    }
    if (error) break;
  }
  g_hash_table_destroy(param_nonuni);
  return error;
}

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
static bool is_half_expr(const cw_ir_expr *e) {
  return e->type && (e->type->kind == CW_IR_F16 || e->type->kind == CW_IR_BF16);
}
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
    if (f & CW_FACT_F16) {
      say(reason, len, k, locate(k, is_half_expr, 0),
          "uses half precision, which the OpenCL emitter does not support yet");
      return false;
    }
    if ((f & CW_FACT_POINTER_IN_MEMORY) && !(caps->flags & CW_CAP_REAL_POINTERS)) {
      say(reason, len, k, k->loc, "stores or loads a pointer through memory, and the device has no "
          "SVM (device addresses are buffer offsets, not pointers)");
      return false;
    }
    if (f & CW_FACT_RECURSION) {
      say(reason, len, k, k->loc, "is recursive (OpenCL C has no recursion)");
      return false;
    }
  }
  char *err = check_uniform(ir);
  if (err) {
    g_strlcpy(reason, err, len);
    g_free(err);
    return false;
  }
  return true;
}
