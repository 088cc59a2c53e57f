/* glsl_fission.c — kernels with barriers or warp operations on CPU Vulkan devices (lavapipe):
 * one invocation runs one warp, its 32 threads one after another, with loop fission.
 *
 * Why: llvmpipe runs each 8-lane SIMD group of a work group as a coroutine and switches through
 * all of them at every barrier, and its subgroups are 8 wide, so a 32-lane shuffle costs
 * work-group barriers (glsl_warp.c).  A 16x16 block with 2 barriers and 8 shuffles (HeCBench
 * jacobi's step) took 363 ms per launch of 16384 blocks; the same kernel written by hand in this
 * form took 32 ms.  Here a work group has one invocation per warp (local_size_x_id =
 * GLSL_SPEC_WARPS), so a barrier switches between few coroutines and a warp operation reads the
 * warp's values from the invocation's own arrays, with no barrier at all.
 *
 * The shape is cpu-simd's loop fission (plugins/cpu-simd/emit_fission.c, analyses in
 * core/ir/fission_scan.c): statements without barriers form regions, each a loop over the warp's
 * threads (cw_k = lane); __syncthreads between regions is barrier(); control flow holding
 * barriers runs once per invocation with per-thread masks (bool arrays indexed by lane);
 * variables used in several regions live in per-thread arrays (T cw_h_x[32]).  What differs:
 *  - a warp operation needs no exchange: its operands are stored in the invocation's arrays by
 *    one region and read by the next;
 *  - an if or loop holding a __syncthreads must be run by every invocation alike: its branches
 *    are never skipped for a warp that has no thread in them, and a non-uniform loop decides to
 *    go on by a vote of the block in shared memory;
 *  - threadIdx is the region's cw_tid; called functions and printf read a module-scope copy
 *    (cw_gtid), set for each thread when the kernel has them.
 * Kernels this cannot express (a return inside a loop of thread code, a pointer to a local kept
 * across regions, ...) are emitted the usual way (glsl_fission_begin says why). */
#include <string.h>

#include "glsl_internal.h"

#define MAX_CHAIN 64

typedef struct chain {
  char *items[MAX_CHAIN];
  int n;
} chain;

static GString *O(glsl_ctx *c) { return cw_cprinter_out(c->fis->p); }
static void out(glsl_ctx *c, const char *s) { g_string_append(O(c), s); }
static void nl(glsl_ctx *c) { cw_cprinter_newline(c->fis->p); }
static void expr(glsl_ctx *c, const cw_ir_expr *e) { cw_cprinter_expr(c->fis->p, e); }

static void push(glsl_ctx *c, chain *ch, char *item) {
  if (ch->n >= MAX_CHAIN) {
    glsl_fail(c, c->kernel->loc, "barriers nested too deeply for loop fission");
    g_free(item);
    return;
  }
  ch->items[ch->n++] = item;
}
static void pop(chain *ch) { g_free(ch->items[--ch->n]); }

/* ---- what it cannot do ------------------------------------------------------------------------ */

static bool is_block_sync(const cw_ir_expr *e) {
  return e->kind == CW_EX_BUILTIN && (e->bi == CW_BI_SYNCTHREADS || e->bi == CW_BI_SYNCTHREADS_COUNT ||
                                      e->bi == CW_BI_SYNCTHREADS_AND || e->bi == CW_BI_SYNCTHREADS_OR);
}

static bool expr_block_sync(const cw_ir_expr *e) {
  if (!e) return false;
  if (is_block_sync(e)) return true;
  if (expr_block_sync(e->a) || expr_block_sync(e->b) || expr_block_sync(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_block_sync(e->args[i])) return true;
  return false;
}

/* Whether s holds a __syncthreads*: every invocation must then run it alike. */
static bool stmt_block_sync(const cw_ir_stmt *s) {
  if (!s) return false;
  if (expr_block_sync(s->expr) || expr_block_sync(s->cond) || expr_block_sync(s->step)) return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (stmt_block_sync(s->stmts[i])) return true;
  return stmt_block_sync(s->then_s) || stmt_block_sync(s->else_s) || stmt_block_sync(s->init) ||
         stmt_block_sync(s->body);
}

typedef struct scan {
  const char *why;
  cw_ir_loc loc;
} scan;

static void block_on(scan *b, const char *why, cw_ir_loc loc) {
  if (!b->why) b->why = why, b->loc = loc;
}

/* A thread ends its turn in a region with `continue` of the region's loop, which only works where
 * that loop is the innermost one: not inside a loop or switch of the thread code. */
static void scan_jumps(scan *b, const cw_ir_stmt *s, int loops, int switches) {
  if (!s || b->why) return;
  bool thread_code = !cw_ir_sync_stmt_has(s);
  switch (s->kind) {
  case CW_ST_RETURN:
    if (loops || switches) block_on(b, "a return inside a loop or switch of a region", s->loc);
    return;
  case CW_ST_CONTINUE:
    if (!loops && switches) block_on(b, "a continue inside a switch of a region", s->loc);
    return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR:
    scan_jumps(b, s->init, loops, switches);
    scan_jumps(b, s->body, loops + (thread_code ? 1 : 0), switches);
    return;
  case CW_ST_SWITCH:
    scan_jumps(b, s->body, loops, switches + 1);
    return;
  default:
    for (uint32_t i = 0; i < s->n_stmts; i++) scan_jumps(b, s->stmts[i], loops, switches);
    scan_jumps(b, s->then_s, loops, switches);
    scan_jumps(b, s->else_s, loops, switches);
    scan_jumps(b, s->body, loops, switches);
    return;
  }
}

/* Warp operations and __syncthreads* each stand alone or in a statement that can be split;
 * __syncthreads/__syncwarp as a value cannot. */
static void scan_ops(scan *b, const cw_ir_stmt *s) {
  if (!s || b->why || !cw_ir_sync_stmt_has(s)) return;
  if ((s->kind == CW_ST_EXPR || s->kind == CW_ST_DECL) && s->expr) {
    const char *why = NULL;
    const cw_ir_expr *op = cw_ir_sync_find_splittable(s->expr, &why);
    if (op && (op->bi == CW_BI_SYNCTHREADS || op->bi == CW_BI_SYNCWARP) && s->expr != op)
      block_on(b, "__syncthreads or __syncwarp inside an expression", s->loc);
  }
  for (uint32_t i = 0; i < s->n_stmts; i++) scan_ops(b, s->stmts[i]);
  scan_ops(b, s->then_s);
  scan_ops(b, s->else_s);
  scan_ops(b, s->init);
  scan_ops(b, s->body);
}

/* Why k cannot be printed this way, before the per-thread variables are known, or NULL. */
static const char *blocker(glsl_ctx *c, const cw_ir_func *k, cw_ir_loc *where) {
  const char *why = cw_ir_fission_blocker(k, where);
  if (why) return why;
  scan b = {0};
  scan_jumps(&b, k->body, 0, 0);
  scan_ops(&b, k->body);
  if (!b.why && c->frame_size) block_on(&b, "locals whose address is taken (a per-thread frame)", k->loc);
  if (b.why) *where = b.loc;
  return b.why;
}

/* ---- regions ---------------------------------------------------------------------------------- */

/* Opens a region: the loop over the warp's threads whose masks in ch are all set; with act, the
 * array act records which those are.  The test is an if around the body, not a `continue`:
 * llvmpipe ran jacobi's step 1.6x slower with continues. */
static void region_open(glsl_ctx *c, const chain *ch, const char *act) {
  glsl_fission *F = c->fis;
  F->n_regions++;
  nl(c);
  out(c, "for (uint cw_k = 0u; cw_k < cw_nl; cw_k++) {");
  cw_cprinter_indent(F->p, 1);
  nl(c);
  out(c, "const uint cw_lin = cw_w * 32u + cw_k;");
  nl(c);
  out(c, "const uvec3 cw_tid = uvec3(cw_lin % CW_BDX, cw_lin / CW_BDX % CW_BDY, cw_lin / (CW_BDX * CW_BDY));");
  if (F->global_tid) {
    nl(c);
    out(c, "cw_gtid = cw_tid; cw_glane = cw_k;");
  }
  GString *pred = g_string_new(F->has_exit ? "!cw_ex[cw_k]" : "true");
  for (int i = 0; i < ch->n; i++) g_string_append_printf(pred, " && %s", ch->items[i]);
  F->region_if = act || ch->n || F->has_exit;
  if (act) {
    nl(c);
    g_string_append_printf(O(c), "%s[cw_k] = %s;", act, pred->str);
    nl(c);
    g_string_append_printf(O(c), "if (%s[cw_k]) {", act);
  } else if (F->region_if) {
    nl(c);
    g_string_append_printf(O(c), "if (%s) {", pred->str);
  }
  if (F->region_if) cw_cprinter_indent(F->p, 1);
  g_string_free(pred, TRUE);
}

static void region_close(glsl_ctx *c) {
  if (c->fis->region_if) {
    cw_cprinter_indent(c->fis->p, -1);
    nl(c);
    out(c, "}");
  }
  cw_cprinter_indent(c->fis->p, -1);
  nl(c);
  out(c, "}");
}

static void barrier_text(glsl_ctx *c) {
  nl(c);
  out(c, "memoryBarrier(); barrier();");
}

static void decl_array(glsl_ctx *c, const char *type, const char *name) {
  g_string_append_printf(c->fis->decls, "\n  %s %s[32];", type, name);
}

static void set_all(glsl_ctx *c, const char *array, const char *value) {
  nl(c);
  g_string_append_printf(O(c), "for (uint cw_i = 0u; cw_i < 32u; cw_i++) %s[cw_i] = %s;", array, value);
}

static void emit_any(glsl_ctx *c, const cw_ir_stmt *s, chain *ch);

static void emit_stmts(glsl_ctx *c, cw_ir_stmt *const *stmts, uint32_t n, chain *ch) {
  bool open = false;
  for (uint32_t i = 0; i < n && !c->error; i++) {
    if (!cw_ir_sync_stmt_has(stmts[i])) {
      /* warp-synchronous code: the warp's threads finish one statement before the next starts */
      if (open && cw_ir_fission_hazard_split_before(stmts[i])) region_close(c), open = false;
      if (!open) region_open(c, ch, NULL), open = true;
      cw_cprinter_stmt(c->fis->p, stmts[i]);
      continue;
    }
    if (open) region_close(c), open = false;
    emit_any(c, stmts[i], ch);
  }
  if (open) region_close(c);
}

/* ---- split statements: the operation's operands in one region, its result in the next ------- */

static char *type_text(glsl_ctx *c, const cw_ir_type *t) {
  GString *s = g_string_new(NULL);
  glsl_type_name(c, s, t);
  return g_string_free(s, FALSE);
}

/* `int(e)` appended to s: printed through the emitter, then cut out of its output. */
static void int_text(glsl_ctx *c, GString *s, const cw_ir_expr *e) {
  GString *o = O(c);
  gsize mark = o->len;
  expr(c, e);
  g_string_append_printf(s, "int(%s)", o->str + mark);
  g_string_truncate(o, mark);
}

static void store(glsl_ctx *c, const char *array, const cw_ir_expr *a, const char *conv) {
  nl(c);
  g_string_append_printf(O(c), "%s[cw_k] = %s(", array, conv);
  expr(c, a);
  out(c, ");");
}

static void store_truth(glsl_ctx *c, const char *array, const cw_ir_expr *a) {
  nl(c);
  g_string_append_printf(O(c), "%s[cw_k] = (", array);
  expr(c, a);
  out(c, a->type && a->type->kind == CW_IR_BOOL ? ");" : ") != 0;");
}

/* The block-wide sum of every warp's `count` (and `live`), through shared memory. */
static void block_sum(glsl_ctx *c, int id) {
  glsl_need_helper(c, "cw_fis_cnt", "shared uint cw_fis_cnt, cw_fis_live;\n");
  nl(c);
  out(c, "barrier(); if (cw_w == 0u) { cw_fis_cnt = 0u; cw_fis_live = 0u; } barrier();");
  nl(c);
  g_string_append_printf(O(c), "atomicAdd(cw_fis_cnt, cw_cnt%d); atomicAdd(cw_fis_live, cw_live%d); barrier();", id, id);
  nl(c);
  g_string_append_printf(O(c), "cw_cnt%d = cw_fis_cnt; cw_live%d = cw_fis_live; barrier();", id, id);
}

static const char *shfl_kind(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_SHFL_UP: return "1u";
  case CW_BI_SHFL_DOWN: return "2u";
  case CW_BI_SHFL_XOR: return "3u";
  default: return "0u";
  }
}

static const char src_helper[] =
  "/* the lane a shuffle of lane l reads (CUDA's rules for width and range); itself past the warp */\n"
  "uint cw_fis_src(uint l, uint n, uint kind, int arg, int width) {\n"
  "  uint w = (width <= 0 || width > 32) ? 32u : uint(width), base = l & ~(w - 1u), sub = l & (w - 1u), s;\n"
  "  if (kind == 0u) s = base + (uint(arg) & (w - 1u));\n"
  "  else if (kind == 1u) s = int(sub) - arg >= 0 ? l - uint(arg) : l;\n"
  "  else if (kind == 2u) s = int(sub) + arg < int(w) ? l + uint(arg) : l;\n"
  "  else { s = l ^ uint(arg); if (s > base + w - 1u) s = l; }\n"
  "  return s < n ? s : l;\n"
  "}\n";

static void emit_split(glsl_ctx *c, const cw_ir_stmt *s, chain *ch) {
  glsl_fission *F = c->fis;
  const char *why = NULL;
  const cw_ir_expr *op = cw_ir_sync_find_splittable(s->expr, &why);
  if (!op) {
    glsl_fail(c, s->loc, "loop fission cannot split this statement: %s", why);
    return;
  }
  if (op->bi == CW_BI_SYNCTHREADS || op->bi == CW_BI_SYNCWARP) {
    /* the region boundary is the barrier; a warp is one invocation: __syncwarp is only that */
    if (op->bi == CW_BI_SYNCTHREADS) barrier_text(c);
    return;
  }
  int id = ++F->n_tmp;
  char act[32], a[32], b[32], w[32];
  g_snprintf(act, sizeof act, "cw_act%d", id);
  g_snprintf(a, sizeof a, "cw_a%d", id);
  g_snprintf(b, sizeof b, "cw_b%d", id);
  g_snprintf(w, sizeof w, "cw_w%d", id);
  char *tn = type_text(c, op->type);
  GString *repl = g_string_new(NULL);
  switch (op->bi) {
  case CW_BI_SYNCTHREADS_COUNT: case CW_BI_SYNCTHREADS_AND: case CW_BI_SYNCTHREADS_OR:
    decl_array(c, "bool", act);
    decl_array(c, "bool", a);
    region_open(c, ch, act);
    store_truth(c, a, op->args[0]);
    region_close(c);
    nl(c);
    g_string_append_printf(O(c), "uint cw_cnt%d = 0u, cw_live%d = 0u;", id, id);
    nl(c);
    g_string_append_printf(O(c), "for (uint cw_i = 0u; cw_i < cw_nl; cw_i++) if (%s[cw_i]) { cw_live%d++; "
                                 "if (%s[cw_i]) cw_cnt%d++; }", act, id, a, id);
    block_sum(c, id);
    g_string_printf(repl, op->bi == CW_BI_SYNCTHREADS_COUNT ? "%s(cw_cnt%d)"
                          : op->bi == CW_BI_SYNCTHREADS_AND ? "%s(cw_cnt%d == cw_live%d)"
                                                            : "%s(cw_cnt%d != 0u)", tn, id, id);
    break;
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: {
    /* a lane or delta and a width with one value for the block are written into the reading
     * statement, not stored per thread */
    bool ub = cw_ir_fission_expr_block_uniform(c->kernel, F->scalars, op->args[2]);
    bool uw = op->n_args <= 3 || cw_ir_fission_expr_block_uniform(c->kernel, F->scalars, op->args[3]);
    decl_array(c, tn, a);
    if (!ub) decl_array(c, "int", b);
    if (!uw) decl_array(c, "int", w);
    region_open(c, ch, NULL);
    store(c, a, op->args[1], "");
    if (!ub) store(c, b, op->args[2], "int");
    if (!uw) store(c, w, op->args[3], "int");
    region_close(c);
    glsl_need_helper(c, "cw_fis_src", src_helper);
    g_string_printf(repl, "%s[cw_fis_src(cw_k, cw_nl, %s, ", a, shfl_kind(op->bi));
    if (ub) {
      int_text(c, repl, op->args[2]);
    } else {
      g_string_append_printf(repl, "%s[cw_k]", b);
    }
    g_string_append(repl, ", ");
    if (uw && op->n_args > 3) {
      int_text(c, repl, op->args[3]);
    } else if (uw) {
      g_string_append(repl, "32");
    } else {
      g_string_append_printf(repl, "%s[cw_k]", w);
    }
    g_string_append(repl, ")]");
    break;
  }
  case CW_BI_BALLOT: case CW_BI_ANY: case CW_BI_ALL:
    decl_array(c, "bool", act);
    decl_array(c, "bool", a);
    decl_array(c, "uint", b);
    region_open(c, ch, act);
    store(c, b, op->args[0], "uint");
    store_truth(c, a, op->args[1]);
    region_close(c);
    nl(c);
    g_string_append_printf(O(c), "uint cw_bal%d = 0u, cw_on%d = 0u;", id, id);
    nl(c);
    g_string_append_printf(O(c), "for (uint cw_i = 0u; cw_i < cw_nl; cw_i++) if (%s[cw_i]) { cw_on%d |= 1u << cw_i; "
                                 "if (%s[cw_i]) cw_bal%d |= 1u << cw_i; }", act, id, a, id);
    if (op->bi == CW_BI_BALLOT) g_string_printf(repl, "%s(cw_bal%d & %s[cw_k])", tn, id, b);
    else if (op->bi == CW_BI_ANY) g_string_printf(repl, "%s((cw_bal%d & %s[cw_k]) != 0u)", tn, id, b);
    else g_string_printf(repl, "%s((cw_bal%d & %s[cw_k]) == (cw_on%d & %s[cw_k]))", tn, id, b, id, b);
    break;
  case CW_BI_ACTIVEMASK:
    decl_array(c, "bool", act);
    region_open(c, ch, act);
    region_close(c);
    nl(c);
    g_string_append_printf(O(c), "uint cw_on%d = 0u;", id);
    nl(c);
    g_string_append_printf(O(c), "for (uint cw_i = 0u; cw_i < cw_nl; cw_i++) if (%s[cw_i]) cw_on%d |= 1u << cw_i;",
                           act, id);
    g_string_printf(repl, "%s(cw_on%d)", tn, id);
    break;
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX: {
    bool sgn = cw_ir_type_is_signed(op->type);
    const char *et = sgn ? "int" : "uint";
    decl_array(c, "bool", act);
    decl_array(c, et, a);
    region_open(c, ch, act);
    store(c, a, op->args[1], et);
    region_close(c);
    nl(c);
    g_string_append_printf(O(c), "%s cw_r%d = %s(0); bool cw_first%d = true;", et, id, et, id);
    nl(c);
    g_string_append_printf(O(c), "for (uint cw_i = 0u; cw_i < cw_nl; cw_i++) if (%s[cw_i]) { ", act);
    if (op->bi == CW_BI_REDUCE_ADD) g_string_append_printf(O(c), "cw_r%d += %s[cw_i]; }", id, a);
    else
      g_string_append_printf(O(c), "if (cw_first%d || %s[cw_i] %s cw_r%d) cw_r%d = %s[cw_i]; cw_first%d = false; }",
                             id, a, op->bi == CW_BI_REDUCE_MIN ? "<" : ">", id, id, a, id);
    g_string_printf(repl, "%s(cw_r%d)", tn, id);
    break;
  }
  default:
    glsl_fail(c, op->loc, "loop fission cannot split %s", cw_ir_builtin_spelling(op->bi));
    break;
  }
  /* the statement itself, with the operation's result in place */
  region_open(c, ch, NULL);
  F->op = op;
  F->repl = repl->str;
  cw_cprinter_stmt(F->p, s);
  F->op = NULL;
  F->repl = NULL;
  region_close(c);
  g_string_free(repl, TRUE);
  g_free(tn);
}

/* ---- control flow with barriers --------------------------------------------------------------- */

static void emit_uniform_if(glsl_ctx *c, const cw_ir_stmt *s, chain *ch) {
  nl(c);
  out(c, "if (");
  expr(c, s->cond);
  out(c, ") {");
  cw_cprinter_indent(c->fis->p, 1);
  emit_any(c, s->then_s, ch);
  cw_cprinter_indent(c->fis->p, -1);
  nl(c);
  out(c, "}");
  if (s->else_s) {
    out(c, " else {");
    cw_cprinter_indent(c->fis->p, 1);
    emit_any(c, s->else_s, ch);
    cw_cprinter_indent(c->fis->p, -1);
    nl(c);
    out(c, "}");
  }
}

/* One branch under its mask; skipped when no thread of the warp takes it, unless it holds a
 * __syncthreads, which every invocation must reach. */
static void emit_branch(glsl_ctx *c, const cw_ir_stmt *s, chain *ch, int count, const char *mask) {
  bool skip = !stmt_block_sync(s);
  nl(c);
  if (skip) g_string_append_printf(O(c), "if (cw_n%d != 0u) {", count);
  else out(c, "{");
  cw_cprinter_indent(c->fis->p, 1);
  push(c, ch, g_strdup(mask));
  emit_any(c, s, ch);
  pop(ch);
  cw_cprinter_indent(c->fis->p, -1);
  nl(c);
  out(c, "}");
}

static void emit_if(glsl_ctx *c, const cw_ir_stmt *s, chain *ch) {
  glsl_fission *F = c->fis;
  if (g_hash_table_contains(F->uniform, s)) {
    emit_uniform_if(c, s, ch);
    return;
  }
  int id = ++F->n_tmp, lt = ++F->n_tmp, le = ++F->n_tmp;
  char m[32];
  g_snprintf(m, sizeof m, "cw_m%d", id);
  decl_array(c, "bool", m);
  nl(c);
  g_string_append_printf(O(c), "uint cw_n%d = 0u, cw_n%d = 0u;", lt, le);
  region_open(c, ch, NULL);
  nl(c);
  g_string_append_printf(O(c), "%s[cw_k] = ", m);
  expr(c, s->cond);
  g_string_append_printf(O(c), "; if (%s[cw_k]) cw_n%d++; else cw_n%d++;", m, lt, le);
  region_close(c);
  char *yes = g_strdup_printf("%s[cw_k]", m), *no = g_strdup_printf("!%s[cw_k]", m);
  emit_branch(c, s->then_s, ch, lt, yes);
  if (s->else_s) emit_branch(c, s->else_s, ch, le, no);
  g_free(yes);
  g_free(no);
}

/* The loop's condition for each thread still in it; the loop ends when none is left: in the warp,
 * or, for a loop holding a __syncthreads, in the block (a vote in shared memory). */
static void emit_cond_region(glsl_ctx *c, const cw_ir_stmt *s, chain *ch, int id, bool block) {
  nl(c);
  g_string_append_printf(O(c), "bool cw_any%d = false;", id);
  region_open(c, ch, NULL);
  nl(c);
  if (s->cond) {
    g_string_append_printf(O(c), "cw_lm%d[cw_k] = ", id);
    expr(c, s->cond);
    g_string_append_printf(O(c), "; if (cw_lm%d[cw_k]) cw_any%d = true;", id, id);
  } else {
    g_string_append_printf(O(c), "cw_any%d = true;", id);
  }
  region_close(c);
  if (block) {
    glsl_need_helper(c, "cw_fis_vote", "shared uint cw_fis_vote;\n");
    nl(c);
    out(c, "barrier(); if (cw_w == 0u) cw_fis_vote = 0u; barrier();");
    nl(c);
    g_string_append_printf(O(c), "if (cw_any%d) atomicOr(cw_fis_vote, 1u); barrier(); cw_any%d = cw_fis_vote != 0u;",
                           id, id);
  }
  nl(c);
  g_string_append_printf(O(c), "if (!cw_any%d) break;", id);
}

static void loop_exit_test(glsl_ctx *c, const cw_ir_stmt *s) {
  if (!s->cond) return;
  nl(c);
  out(c, "if (!(");
  expr(c, s->cond);
  out(c, ")) break;");
}

/* A loop with block-uniform control: the control runs once per invocation around the regions. */
static void emit_uniform_loop(glsl_ctx *c, const cw_ir_stmt *s, chain *ch) {
  if (s->kind == CW_ST_FOR && s->init) cw_cprinter_stmt(c->fis->p, s->init);
  nl(c);
  out(c, "for (;;) {");
  cw_cprinter_indent(c->fis->p, 1);
  if (s->kind != CW_ST_DO) loop_exit_test(c, s);
  emit_any(c, s->body, ch);
  if (s->kind == CW_ST_FOR && s->step) {
    nl(c);
    expr(c, s->step);
    out(c, ";");
  }
  if (s->kind == CW_ST_DO) loop_exit_test(c, s);
  cw_cprinter_indent(c->fis->p, -1);
  nl(c);
  out(c, "}");
}

static void emit_loop(glsl_ctx *c, const cw_ir_stmt *s, chain *ch) {
  glsl_fission *F = c->fis;
  if (g_hash_table_contains(F->uniform, s)) {
    emit_uniform_loop(c, s, ch);
    return;
  }
  int id = ++F->n_tmp;
  bool block = stmt_block_sync(s->body);
  g_hash_table_insert(F->loop_ids, (gpointer)s, GUINT_TO_POINTER((guint)id + 1));
  char lm[32], lc[32];
  g_snprintf(lm, sizeof lm, "cw_lm%d", id);
  g_snprintf(lc, sizeof lc, "cw_lc%d", id);
  decl_array(c, "bool", lm);
  decl_array(c, "bool", lc);
  if (s->kind == CW_ST_FOR && s->init) emit_any(c, s->init, ch);
  set_all(c, lm, "true");
  nl(c);
  out(c, "for (;;) {");
  cw_cprinter_indent(F->p, 1);
  push(c, ch, g_strdup_printf("%s[cw_k]", lm));
  if (s->kind != CW_ST_DO) emit_cond_region(c, s, ch, id, block);
  set_all(c, lc, "true");
  push(c, ch, g_strdup_printf("%s[cw_k]", lc));
  emit_any(c, s->body, ch);
  pop(ch);
  if (s->kind == CW_ST_FOR && s->step) {
    region_open(c, ch, NULL);
    nl(c);
    expr(c, s->step);
    out(c, ";");
    region_close(c);
  }
  if (s->kind == CW_ST_DO) emit_cond_region(c, s, ch, id, block);
  pop(ch);
  cw_cprinter_indent(F->p, -1);
  nl(c);
  out(c, "}");
}

static void emit_any(glsl_ctx *c, const cw_ir_stmt *s, chain *ch) {
  if (!s || c->error) return;
  if (!cw_ir_sync_stmt_has(s)) {
    emit_stmts(c, (cw_ir_stmt *const *)&s, 1, ch);
    return;
  }
  switch (s->kind) {
  case CW_ST_BLOCK: emit_stmts(c, s->stmts, s->n_stmts, ch); return;
  case CW_ST_EXPR: case CW_ST_DECL: emit_split(c, s, ch); return;
  case CW_ST_IF: emit_if(c, s, ch); return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: emit_loop(c, s, ch); return;
  default:
    glsl_fail(c, s->loc, "loop fission cannot split this statement");
    return;
  }
}

/* ---- the kernel ------------------------------------------------------------------------------- */

bool glsl_fission_hoisted(const glsl_ctx *c, const cw_ir_var *v) {
  return c->fis && c->fis->in_kernel && g_hash_table_contains(c->fis->hoisted, v);
}

bool glsl_fission_scalar(const glsl_ctx *c, const cw_ir_var *v) {
  return c->fis && c->fis->in_kernel && g_hash_table_contains(c->fis->scalars, v);
}

/* `T cw_h_x[32]` for a hoisted variable; `T x` for a block scalar. */
static void var_decl(glsl_ctx *c, const cw_ir_var *v, bool per_thread) {
  char buf[256];
  const char *id = glsl_ident(v->name, buf, sizeof buf);
  char *name = per_thread ? g_strdup_printf("cw_h_%s[32]", id) : g_strdup(id);
  GString *d = c->fis->decls;
  g_string_append(d, "\n  ");
  if (v->type->kind == CW_IR_PTR && g_hash_table_lookup(c->shared_root, v)) g_string_append_printf(d, "uint %s", name);
  else glsl_decl(c, d, v->type, name);
  g_string_append_c(d, ';');
  g_free(name);
}

/* Called functions and printf's record read the thread's index from module scope (cw_gtid). */
static void want_global_tid(const cw_ir_expr *e, void *user) {
  glsl_fission *F = user;
  if (e->kind == CW_EX_BUILTIN && (e->bi == CW_BI_PRINTF || e->bi == CW_BI_ASSERT || e->bi == CW_BI_TRAP))
    F->global_tid = true;
}

const char *glsl_fission_begin(glsl_ctx *c, const cw_ir_func *k, cw_ir_loc *where) {
  const char *why = blocker(c, k, where);
  if (why) return why;
  glsl_fission *F = g_new0(glsl_fission, 1);
  c->fis = F;
  cw_ir_fission_hazards_begin(k);
  cw_ir_loc w = k->loc;
  if (cw_ir_fission_blocker(k, &w)) cw_ir_fission_hazards_end(); /* as if there were none */
  F->hoisted = cw_ir_fission_hoisted_vars(k);
  F->jumps = cw_ir_fission_jump_targets(k);
  F->uniform = cw_ir_fission_uniform_control(k, F->jumps, &F->scalars);
  GHashTableIter it;
  gpointer sv;
  g_hash_table_iter_init(&it, F->scalars);
  while (g_hash_table_iter_next(&it, &sv, NULL)) g_hash_table_remove(F->hoisted, sv);
  /* a pointer to a local kept across regions would name one invocation's copy for 32 threads */
  char buf[256];
  g_hash_table_iter_init(&it, F->hoisted);
  while (g_hash_table_iter_next(&it, &sv, NULL)) {
    const cw_ir_var *v = sv;
    if (v->addr_taken || glsl_promoted_name(c, v, buf, sizeof buf)) {
      *where = v->loc;
      glsl_fission_end(c);
      return "a local used through a pointer across a barrier";
    }
  }
  F->loop_ids = g_hash_table_new(NULL, NULL);
  F->has_exit = cw_ir_fission_has_exit(k->body);
  F->global_tid = k->n_callees > 0;
  glsl_walk_func(k, want_global_tid, F);
  return NULL;
}

void glsl_fission_body(glsl_ctx *c, cw_cprinter *p, const cw_ir_func *k) {
  glsl_fission *F = c->fis;
  F->p = p;
  F->decls = g_string_new(NULL);
  F->in_kernel = true;
  GString *o = cw_cprinter_out(p);
  gsize start = o->len;
  chain ch = {{0}, 0};
  /* parameters the kernel writes: a copy per thread */
  bool any = false;
  for (uint32_t i = 0; i < k->n_params; i++) {
    if (!g_hash_table_contains(F->hoisted, k->params[i])) continue;
    if (!any) region_open(c, &ch, NULL), any = true;
    char buf[256];
    const char *id = glsl_ident(k->params[i]->name, buf, sizeof buf);
    nl(c);
    g_string_append_printf(o, "cw_h_%s[cw_k] = %s;", id, id);
  }
  if (any) region_close(c);
  emit_any(c, k->body, &ch);
  while (ch.n) pop(&ch);
  F->in_kernel = false;
  /* the declarations the body asked for go in front of it */
  /* cw_nl, the warp's thread count, depends on the invocation, so the compiler does not unroll
   * the regions' loops: with a constant 32 (whole warps), 32 copies of every region made lavapipe
   * spend seconds compiling one pipeline of HeCBench scan, and an [[dont_unroll]] on the loops made
   * jacobi's step 2x slower */
  GString *top = g_string_new("\n  const uint cw_w = gl_LocalInvocationIndex, cw_nl = min(32u, CW_NT - cw_w * 32u);");
  for (int pass = 0; pass < 2; pass++) {
    uint32_t n = pass ? k->n_locals : k->n_params;
    cw_ir_var *const *vars = pass ? k->locals : k->params;
    for (uint32_t i = 0; i < n; i++)
      if (g_hash_table_contains(F->hoisted, vars[i])) var_decl(c, vars[i], true);
  }
  for (uint32_t i = 0; i < k->n_locals; i++)
    if (g_hash_table_contains(F->scalars, k->locals[i])) var_decl(c, k->locals[i], false);
  g_string_append(top, F->decls->str);
  if (F->has_exit)
    g_string_append(top, "\n  bool cw_ex[32]; for (uint cw_i = 0u; cw_i < 32u; cw_i++) cw_ex[cw_i] = false;");
  g_string_insert(o, (gssize)start, top->str);
  g_string_free(top, TRUE);
}

void glsl_fission_end(glsl_ctx *c) {
  glsl_fission *F = c->fis;
  if (!F) return;
  cw_ir_fission_hazards_end();
  g_hash_table_destroy(F->hoisted);
  g_hash_table_destroy(F->jumps);
  g_hash_table_destroy(F->uniform);
  g_hash_table_destroy(F->scalars);
  if (F->loop_ids) g_hash_table_destroy(F->loop_ids);
  if (F->decls) g_string_free(F->decls, TRUE);
  g_free(F);
  c->fis = NULL;
}

/* return: the thread is done; break/continue of a loop holding barriers: its masks. */
bool glsl_fission_jump(cw_cprinter *p, const cw_ir_stmt *s) {
  glsl_ctx *c = cw_cprinter_user(p);
  glsl_fission *F = c->fis;
  if (!F || !F->in_kernel) return false;
  GString *o = cw_cprinter_out(p);
  if (s->kind == CW_ST_RETURN) {
    cw_cprinter_newline(p);
    g_string_append(o, "{ cw_ex[cw_k] = true; continue; }");
    return true;
  }
  const cw_ir_stmt *target = g_hash_table_lookup(F->jumps, s);
  guint id = target ? GPOINTER_TO_UINT(g_hash_table_lookup(F->loop_ids, target)) : 0;
  if (!id) return false; /* a loop inside the region */
  cw_cprinter_newline(p);
  g_string_append_printf(o, "{ cw_l%c%u[cw_k] = false; continue; }", s->kind == CW_ST_BREAK ? 'm' : 'c', id - 1);
  return true;
}

bool glsl_fission_op(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = cw_cprinter_user(p);
  if (!c->fis || !c->fis->op || e != c->fis->op) return false;
  g_string_append(cw_cprinter_out(p), c->fis->repl);
  return true;
}
