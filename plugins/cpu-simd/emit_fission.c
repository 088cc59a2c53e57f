/* emit_fission.c — loop fission: a kernel with barriers becomes a sequence of thread loops.
 *
 * Statements without barriers are grouped into regions, each one loop over the block's threads.
 * A barrier ends a region.  Control flow that contains barriers stays outside the thread loops
 * and runs once per block, with per-thread masks saying which threads take part:
 *   if (c) A else B   ->  region: m[t] = c;  A under m;  B under !m
 *   while (c) A       ->  lm[t] = 1; for (;;) { region: if (!c) lm[t] = 0, any |= lm[t];
 *                         if (!any) break; lc[t] = 1; A under lm, lc }
 * break clears lm[t], continue clears lc[t], return sets cw_ex[t]; every region skips threads
 * whose masks are clear.  CUDA requires barriers in uniform control flow, where this equals
 * running each thread alone; warp-uniform code such as `if (tid < 32) { shuffles }` is also
 * right because the masks are per thread.
 *
 * A statement with a warp operation or __syncthreads_count/and/or is split in two regions: the
 * first stores each thread's operands in arrays, the second evaluates the statement with the
 * operation's result computed from those arrays for the thread's warp.
 * Variables used in more than one region live in per-thread arrays (cw_ir_fission_hoisted_vars). */
#include <string.h>

#include "emit.h"

#define MAX_CHAIN 64

typedef struct chain {
  char *items[MAX_CHAIN];
  int lists[MAX_CHAIN];      /* id of a list of the threads whose item is set, or 0 */
  int n;
} chain;

static void out(emit_ctx *E, const char *s) { g_string_append(E->out, s); }
static void nl(emit_ctx *E) { cw_cprinter_newline(E->p); }

static void push_list(emit_ctx *E, chain *c, char *item, int list) {
  if (c->n >= MAX_CHAIN) {
    emit_fail(E, E->fn->loc, "barriers nested too deeply for loop fission");
    g_free(item);
    return;
  }
  c->lists[c->n] = list;
  c->items[c->n++] = item;
}
static void push(emit_ctx *E, chain *c, char *item) { push_list(E, c, item, 0); }
static void pop(chain *c) { g_free(c->items[--c->n]); }

static void decl_array(emit_ctx *E, const char *ctype, const char *name) {
  g_string_append_printf(E->decls, "\n  %s %s[cw_nt];", ctype, name);
}

/* The loops over every thread of the block, opened; cw_t is the linear index. */
static void loops_full(emit_ctx *E) {
  nl(E);
  out(E, "for (uint32_t cw_tz = 0; cw_tz < cw_bdz; cw_tz++)");
  nl(E);
  out(E, "for (uint32_t cw_ty = 0; cw_ty < cw_bdy; cw_ty++) {");
  cw_cprinter_indent(E->p, 1);
  nl(E);
  out(E, "const size_t cw_t0 = ((size_t)cw_tz * cw_bdy + cw_ty) * cw_bdx;");
  nl(E);
  /* signed and size_t loop variables: the vectorizer needs i = blockIdx.x * blockDim.x +
   * (int)threadIdx.x and the per-thread array index cw_t to be induction variables that cannot
   * wrap */
  out(E, "for (int32_t cw_txi = 0; cw_txi < (int32_t)cw_bdx; cw_txi++) {");
  cw_cprinter_indent(E->p, 1);
  nl(E);
  out(E, "const uint32_t cw_tx = (uint32_t)cw_txi;");
  nl(E);
  out(E, "const size_t cw_t = cw_t0 + (size_t)cw_txi;");
  nl(E);
  out(E, "const uint32_t cw_lin = (uint32_t)cw_t;");
  if (E->has_thr) {
    nl(E);
    out(E, "cw_thr cw_Ts = {cw_C, cw_tx, cw_ty, cw_tz, cw_t, (void *)0}, *cw_T = &cw_Ts;");
  }
}

static void loops_full_close(emit_ctx *E) {
  cw_cprinter_indent(E->p, -1);
  nl(E);
  out(E, "}");
  cw_cprinter_indent(E->p, -1);
  nl(E);
  out(E, "}");
}

/* The loop over the threads of list `id` (cw_l<id>[0 .. cw_n<id>)), opened. */
static void loop_list(emit_ctx *E, int id) {
  nl(E);
  g_string_append_printf(E->out, "for (uint32_t cw_k = 0; cw_k < cw_n%d; cw_k++) {", id);
  cw_cprinter_indent(E->p, 1);
  nl(E);
  g_string_append_printf(E->out, "const size_t cw_t = cw_l%d[cw_k];", id);
  nl(E);
  out(E, "const uint32_t cw_lin = (uint32_t)cw_t, cw_tx = cw_lin % cw_bdx, cw_ty = cw_lin / cw_bdx % cw_bdy, "
         "cw_tz = cw_lin / cw_bdx / cw_bdy;");
  if (E->has_thr) {
    nl(E);
    out(E, "cw_thr cw_Ts = {cw_C, cw_tx, cw_ty, cw_tz, cw_t, (void *)0}, *cw_T = &cw_Ts;");
  }
}

/* Opens a region: a loop over the threads whose masks in c are all set (with act: records which
 * those are).  Under an if taken by few threads (a list in c), the region runs over the list
 * when it is short and over every thread otherwise; region_close prints the second copy. */
static void region_open(emit_ctx *E, const chain *c, const char *act) {
  int label = ++E->n_regions;
  int list = 0;
  for (int i = c->n - 1; i >= 0 && !list; i--) list = c->lists[i];
  GString *pred = g_string_new(E->has_exit ? "!cw_ex[cw_t]" : "1");
  for (int i = 0; i < c->n; i++) g_string_append_printf(pred, " && %s", c->items[i]);
  GString *test = g_string_new(NULL);
  if (act) g_string_append_printf(test, "%s[cw_t] = %s; if (!%s[cw_t]) continue;", act, pred->str, act);
  else g_string_append_printf(test, "if (!(%s)) continue;", pred->str);
  g_string_free(pred, TRUE);
  if (list) {
    nl(E);
    g_string_append_printf(E->out, "if (cw_n%d * 4 <= cw_nt) {", list);
    cw_cprinter_indent(E->p, 1);
    if (act) nl(E), g_string_append_printf(E->out, "memset(%s, 0, cw_nt);", act);
    loop_list(E, list);
  } else {
    loops_full(E);
  }
  nl(E);
  g_string_append(E->out, test->str);
  E->region_list = list;
  E->region_body = E->out->len;
  g_free(E->region_test);
  E->region_test = g_string_free(test, FALSE);
  E->next_label = label;
}

/* `text` with every `cw_next_<from>` label and goto renamed to `cw_next_<from>b`. */
static char *rename_label(const char *text, int from) {
  char *a = g_strdup_printf("cw_next_%d;", from), *b = g_strdup_printf("cw_next_%db;", from);
  char *c = g_strdup_printf("cw_next_%d:", from), *d = g_strdup_printf("cw_next_%db:", from);
  GString *s = g_string_new(text);
  g_string_replace(s, a, b, 0);
  g_string_replace(s, c, d, 0);
  g_free(a), g_free(b), g_free(c), g_free(d);
  return g_string_free(s, FALSE);
}

static void region_close(emit_ctx *E) {
  char *body = NULL;
  if (E->region_list) body = g_strndup(E->out->str + E->region_body, E->out->len - E->region_body);
  nl(E);
  g_string_append_printf(E->out, "cw_next_%d:;", E->next_label);
  if (E->region_list) {
    cw_cprinter_indent(E->p, -1);
    nl(E);
    out(E, "}");
    cw_cprinter_indent(E->p, -1);
    nl(E);
    out(E, "} else {");
    cw_cprinter_indent(E->p, 1);
    loops_full(E);
    nl(E);
    g_string_append(E->out, E->region_test);
    char *copy = rename_label(body, E->next_label);
    g_string_append(E->out, copy);
    g_free(copy);
    nl(E);
    g_string_append_printf(E->out, "cw_next_%db:;", E->next_label);
    loops_full_close(E);
    cw_cprinter_indent(E->p, -1);
    nl(E);
    out(E, "}");
  } else {
    loops_full_close(E);
  }
  g_free(body);
  E->region_list = 0;
  E->next_label = -1;
}

static void emit_any(emit_ctx *E, const cw_ir_stmt *s, chain *c);

static void emit_stmts(emit_ctx *E, cw_ir_stmt *const *stmts, uint32_t n, chain *c) {
  bool open = false;
  for (uint32_t i = 0; i < n && !E->failed; i++) {
    if (!cw_ir_sync_stmt_has(stmts[i])) {
      /* lanes run a warp-synchronous statement only after all finished the one before */
      if (open && cw_ir_fission_hazard_split_before(stmts[i])) region_close(E), open = false;
      if (!open) region_open(E, c, NULL), open = true;
      cw_cprinter_stmt(E->p, stmts[i]);
      continue;
    }
    if (open) region_close(E), open = false;
    emit_any(E, stmts[i], c);
  }
  if (open) region_close(E);
}

/* ---- split statements ---------------------------------------------------------------------- */

static char *type_name(emit_ctx *E, const cw_ir_type *t) {
  GString *saved = g_string_new(NULL), *o = E->out;
  gsize mark = o->len;
  cw_cprinter_type(E->p, t);
  g_string_append(saved, o->str + mark);
  g_string_truncate(o, mark);
  return g_string_free(saved, FALSE);
}

/* The C text of e, appended to s (printed through the emitter, then cut out of its output). */
static void expr_text(emit_ctx *E, GString *s, const cw_ir_expr *e) {
  GString *o = E->out;
  gsize mark = o->len;
  cw_cprinter_expr(E->p, e);
  g_string_append(s, o->str + mark);
  g_string_truncate(o, mark);
}

static void arg_store(emit_ctx *E, const char *array, const cw_ir_expr *a, const char *conv) {
  nl(E);
  g_string_append_printf(E->out, "%s[cw_t] = %s(", array, conv);
  cw_cprinter_expr(E->p, a);
  out(E, ");");
}

static const char *kind_name(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_SHFL_UP: return "CW_SHFL_UP";
  case CW_BI_SHFL_DOWN: return "CW_SHFL_DOWN";
  case CW_BI_SHFL_XOR: return "CW_SHFL_XOR";
  default: return "CW_SHFL_IDX";
  }
}

static void emit_split(emit_ctx *E, const cw_ir_stmt *s, chain *c) {
  const char *why = NULL;
  const cw_ir_expr *op = cw_ir_sync_find_splittable(s->expr, &why);
  if (!op) {
    emit_fail(E, s->loc, "internal: cannot split: %s", why);
    return;
  }
  if ((op->bi == CW_BI_SYNCTHREADS || op->bi == CW_BI_SYNCWARP) && s->kind == CW_ST_EXPR &&
      s->expr == op)
    return; /* the region boundary is the barrier */
  int id = ++E->n_tmp;
  char act[32], a[32], b[32], w[32];
  g_snprintf(act, sizeof act, "cw_act%d", id);
  g_snprintf(a, sizeof a, "cw_a%d", id);
  g_snprintf(b, sizeof b, "cw_b%d", id);
  g_snprintf(w, sizeof w, "cw_w%d", id);
  char *tn = type_name(E, op->type);
  GString *repl = g_string_new(NULL);
  switch (op->bi) {
  case CW_BI_SYNCTHREADS: case CW_BI_SYNCWARP:
    g_string_assign(repl, "((void)0)");
    break;
  case CW_BI_SYNCTHREADS_COUNT: case CW_BI_SYNCTHREADS_AND: case CW_BI_SYNCTHREADS_OR:
    decl_array(E, "unsigned char", act);
    decl_array(E, "int", a);
    region_open(E, c, act);
    nl(E);
    g_string_append_printf(E->out, "%s[cw_t] = (", a);
    cw_cprinter_expr(E->p, op->args[0]);
    out(E, ") != 0;");
    region_close(E);
    nl(E);
    g_string_append_printf(E->out,
                           "int cw_cnt%d = 0, cw_live%d = 0; for (uint32_t cw_i = 0; cw_i < cw_nt; cw_i++) "
                           "if (%s[cw_i]) cw_live%d++, cw_cnt%d += %s[cw_i];",
                           id, id, act, id, id, a);
    g_string_printf(repl, op->bi == CW_BI_SYNCTHREADS_COUNT ? "cw_cnt%d"
                          : op->bi == CW_BI_SYNCTHREADS_AND ? "(cw_cnt%d == cw_live%d)"
                                                            : "(cw_cnt%d != 0)", id, id);
    break;
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: {
    /* a lane or delta and a width with one value for the block (a constant, a uniform loop's
     * variable) are written into the reading statement, not stored per thread: the source index
     * is then a simple function of cw_t that the vectorizer handles */
    bool ub = cw_ir_fission_expr_block_uniform(E->fn, E->scalars, op->args[2]);
    bool uw = op->n_args <= 3 || cw_ir_fission_expr_block_uniform(E->fn, E->scalars, op->args[3]);
    decl_array(E, tn, a);
    if (!ub) decl_array(E, "int32_t", b);
    if (!uw) decl_array(E, "int32_t", w);
    region_open(E, c, NULL);
    arg_store(E, a, op->args[1], "");
    if (!ub) arg_store(E, b, op->args[2], "(int32_t)");
    if (!uw) arg_store(E, w, op->args[3], "(int32_t)");
    region_close(E);
    GString *bs = g_string_new(NULL), *ws = g_string_new(NULL);
    if (ub) g_string_append(bs, "(int32_t)(" ), expr_text(E, bs, op->args[2]), g_string_append(bs, ")");
    else g_string_printf(bs, "%s[cw_t]", b);
    if (uw && op->n_args > 3) g_string_append(ws, "(int32_t)("), expr_text(E, ws, op->args[3]), g_string_append(ws, ")");
    else if (uw) g_string_append(ws, "32");
    else g_string_printf(ws, "%s[cw_t]", w);
    if (ub && uw && op->bi == CW_BI_SHFL_DOWN)
      g_string_printf(repl, "(cw_fis_down_ok(cw_t, cw_nt, %s, %s) ? %s[cw_t + (uint32_t)%s] : %s[cw_t])", bs->str,
                      ws->str, a, bs->str, a);
    else if (ub && uw && op->bi == CW_BI_SHFL_UP)
      g_string_printf(repl, "(cw_fis_up_ok(cw_t, %s, %s) ? %s[cw_t - (uint32_t)%s] : %s[cw_t])", bs->str, ws->str,
                      a, bs->str, a);
    else
      g_string_printf(repl, "%s[cw_fis_src(cw_t, cw_nt, %s, %s, %s)]", a, kind_name(op->bi), bs->str, ws->str);
    g_string_free(bs, TRUE);
    g_string_free(ws, TRUE);
    break;
  }
  case CW_BI_BALLOT: case CW_BI_ANY: case CW_BI_ALL:
    decl_array(E, "unsigned char", act);
    decl_array(E, "int", a);
    decl_array(E, "uint32_t", b);
    region_open(E, c, act);
    arg_store(E, b, op->args[0], "(uint32_t)");
    nl(E);
    g_string_append_printf(E->out, "%s[cw_t] = (", a);
    cw_cprinter_expr(E->p, op->args[1]);
    out(E, ") != 0;");
    region_close(E);
    if (op->bi == CW_BI_BALLOT)
      g_string_printf(repl, "((%s)(cw_fis_ballot(%s, %s, cw_t, cw_nt) & %s[cw_t]))", tn, a, act, b);
    else if (op->bi == CW_BI_ANY)
      g_string_printf(repl, "((%s)((cw_fis_ballot(%s, %s, cw_t, cw_nt) & %s[cw_t]) != 0))", tn, a, act, b);
    else
      g_string_printf(repl, "((%s)((cw_fis_ballot(%s, %s, cw_t, cw_nt) & %s[cw_t]) == "
                            "(cw_fis_active(%s, cw_t, cw_nt) & %s[cw_t])))", tn, a, act, b, act, b);
    break;
  case CW_BI_ACTIVEMASK:
    decl_array(E, "unsigned char", act);
    region_open(E, c, act);
    region_close(E);
    g_string_printf(repl, "cw_fis_active(%s, cw_t, cw_nt)", act);
    break;
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX: {
    bool sgn = cw_ir_type_is_signed(op->type);
    decl_array(E, "unsigned char", act);
    decl_array(E, sgn ? "int32_t" : "uint32_t", a);
    region_open(E, c, act);
    arg_store(E, a, op->args[1], sgn ? "(int32_t)" : "(uint32_t)");
    region_close(E);
    g_string_printf(repl, "((%s)cw_fis_reduce_%s(%s, %s, cw_t, cw_nt, %d))", tn, sgn ? "i32" : "u32", a,
                    act, op->bi == CW_BI_REDUCE_ADD ? 0 : op->bi == CW_BI_REDUCE_MIN ? 1 : 2);
    break;
  }
  default:
    emit_fail(E, op->loc, "internal: %s cannot be split", cw_ir_builtin_spelling(op->bi));
    break;
  }
  /* the statement itself, with the operation's result in place */
  region_open(E, c, NULL);
  E->sync_op = op;
  E->sync_repl = repl->str;
  cw_cprinter_stmt(E->p, s);
  E->sync_op = NULL;
  E->sync_repl = NULL;
  region_close(E);
  g_string_free(repl, TRUE);
  g_free(tn);
}

/* ---- control flow with barriers ------------------------------------------------------------ */

/* if (uniform) A else B: decided once for the block, no masks. */
static void emit_uniform_if(emit_ctx *E, const cw_ir_stmt *s, chain *c) {
  nl(E);
  out(E, "if (");
  cw_cprinter_expr(E->p, s->cond);
  out(E, ") {");
  cw_cprinter_indent(E->p, 1);
  emit_any(E, s->then_s, c);
  cw_cprinter_indent(E->p, -1);
  nl(E);
  out(E, "}");
  if (s->else_s) {
    out(E, " else {");
    cw_cprinter_indent(E->p, 1);
    emit_any(E, s->else_s, c);
    cw_cprinter_indent(E->p, -1);
    nl(E);
    out(E, "}");
  }
}

static void emit_if(emit_ctx *E, const cw_ir_stmt *s, chain *c) {
  if (g_hash_table_contains(E->uniform, s)) {
    emit_uniform_if(E, s, c);
    return;
  }
  int id = ++E->n_tmp, lt = ++E->n_tmp, le = ++E->n_tmp;
  char m[32], l1[32], l2[32];
  g_snprintf(m, sizeof m, "cw_m%d", id);
  g_snprintf(l1, sizeof l1, "cw_l%d", lt);
  g_snprintf(l2, sizeof l2, "cw_l%d", le);
  decl_array(E, "unsigned char", m);
  decl_array(E, "uint32_t", l1);
  decl_array(E, "uint32_t", l2);
  nl(E);
  g_string_append_printf(E->out, "uint32_t cw_n%d = 0, cw_n%d = 0;", lt, le);
  region_open(E, c, NULL);
  nl(E);
  g_string_append_printf(E->out, "%s[cw_t] = ((", m);
  cw_cprinter_expr(E->p, s->cond);
  /* the lists of threads taking each branch, without branches: the loop stays vectorizable */
  g_string_append_printf(E->out, ") != 0); %s[cw_n%d] = (uint32_t)cw_t; cw_n%d += %s[cw_t]; "
                                 "%s[cw_n%d] = (uint32_t)cw_t; cw_n%d += !%s[cw_t];",
                         l1, lt, lt, m, l2, le, le, m);
  region_close(E);
  /* a branch no thread takes is skipped as a whole (warp-level code under if (tid < 32)) */
  nl(E);
  g_string_append_printf(E->out, "if (cw_n%d) {", lt);
  cw_cprinter_indent(E->p, 1);
  push_list(E, c, g_strdup_printf("%s[cw_t]", m), lt);
  emit_any(E, s->then_s, c);
  pop(c);
  cw_cprinter_indent(E->p, -1);
  nl(E);
  out(E, "}");
  if (s->else_s) {
    g_string_append_printf(E->out, " if (cw_n%d) {", le);
    cw_cprinter_indent(E->p, 1);
    push_list(E, c, g_strdup_printf("!%s[cw_t]", m), le);
    emit_any(E, s->else_s, c);
    pop(c);
    cw_cprinter_indent(E->p, -1);
    nl(E);
    out(E, "}");
  }
}

static void emit_cond_region(emit_ctx *E, const cw_ir_stmt *s, chain *c, int id) {
  nl(E);
  g_string_append_printf(E->out, "int cw_any%d = 0;", id);
  region_open(E, c, NULL);
  nl(E);
  if (s->cond) {
    /* threads reaching this region have cw_lm[t] set: it becomes the condition */
    g_string_append_printf(E->out, "cw_lm%d[cw_t] = (", id);
    cw_cprinter_expr(E->p, s->cond);
    g_string_append_printf(E->out, ") != 0; cw_any%d |= cw_lm%d[cw_t];", id, id);
  } else {
    g_string_append_printf(E->out, "cw_any%d = 1;", id);
  }
  region_close(E);
  nl(E);
  g_string_append_printf(E->out, "if (!cw_any%d) break;", id);
}

static void loop_exit_test(emit_ctx *E, const cw_ir_stmt *s) {
  if (!s->cond) return;
  nl(E);
  out(E, "if (!(");
  cw_cprinter_expr(E->p, s->cond);
  out(E, ")) break;");
}

/* A loop with uniform control: its control runs once per block as plain C around the regions. */
static void emit_uniform_loop(emit_ctx *E, const cw_ir_stmt *s, chain *c) {
  if (s->kind == CW_ST_FOR && s->init) cw_cprinter_stmt(E->p, s->init);
  nl(E);
  out(E, "for (;;) {");
  cw_cprinter_indent(E->p, 1);
  if (s->kind != CW_ST_DO) loop_exit_test(E, s);
  emit_any(E, s->body, c);
  if (s->kind == CW_ST_FOR && s->step) {
    nl(E);
    cw_cprinter_expr(E->p, s->step);
    out(E, ";");
  }
  if (s->kind == CW_ST_DO) loop_exit_test(E, s);
  cw_cprinter_indent(E->p, -1);
  nl(E);
  out(E, "}");
}

static void emit_loop(emit_ctx *E, const cw_ir_stmt *s, chain *c) {
  if (g_hash_table_contains(E->uniform, s)) {
    emit_uniform_loop(E, s, c);
    return;
  }
  int id = ++E->n_tmp;
  g_hash_table_insert(E->loop_ids, (gpointer)s, GUINT_TO_POINTER((guint)id + 1));
  char lm[32], lc[32];
  g_snprintf(lm, sizeof lm, "cw_lm%d", id);
  g_snprintf(lc, sizeof lc, "cw_lc%d", id);
  decl_array(E, "unsigned char", lm);
  decl_array(E, "unsigned char", lc);
  if (s->kind == CW_ST_FOR && s->init) emit_any(E, s->init, c);
  nl(E);
  g_string_append_printf(E->out, "memset(%s, 1, cw_nt);", lm);
  nl(E);
  out(E, "for (;;) {");
  cw_cprinter_indent(E->p, 1);
  push(E, c, g_strdup_printf("%s[cw_t]", lm));
  if (s->kind != CW_ST_DO) emit_cond_region(E, s, c, id);
  nl(E);
  g_string_append_printf(E->out, "memset(%s, 1, cw_nt);", lc);
  push(E, c, g_strdup_printf("%s[cw_t]", lc));
  emit_any(E, s->body, c);
  pop(c);
  if (s->kind == CW_ST_FOR && s->step) {
    region_open(E, c, NULL);
    nl(E);
    cw_cprinter_expr(E->p, s->step);
    out(E, ";");
    region_close(E);
  }
  if (s->kind == CW_ST_DO) emit_cond_region(E, s, c, id);
  pop(c);
  cw_cprinter_indent(E->p, -1);
  nl(E);
  out(E, "}");
}

static void emit_any(emit_ctx *E, const cw_ir_stmt *s, chain *c) {
  if (!s || E->failed) return;
  if (!cw_ir_sync_stmt_has(s)) {
    emit_stmts(E, (cw_ir_stmt *const *)&s, 1, c);
    return;
  }
  switch (s->kind) {
  case CW_ST_BLOCK: emit_stmts(E, s->stmts, s->n_stmts, c); return;
  case CW_ST_EXPR: case CW_ST_DECL: emit_split(E, s, c); return;
  case CW_ST_IF: emit_if(E, s, c); return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: emit_loop(E, s, c); return;
  default:
    emit_fail(E, s->loc, "internal: statement with a barrier cannot be split");
    return;
  }
}

/* Declares the per-thread arrays of hoisted variables (in declaration order, so the text and
 * with it the cache key are the same every time) and fills written parameters. */
static void hoisted_decls(emit_ctx *E, const cw_ir_func *k) {
  for (int pass = 0; pass < 2; pass++) {
    uint32_t n = pass ? k->n_locals : k->n_params;
    cw_ir_var *const *vars = pass ? k->locals : k->params;
    for (uint32_t i = 0; i < n; i++) {
      if (!g_hash_table_contains(E->hoisted, vars[i])) continue;
      char *name = g_strdup_printf("v_%s[cw_nt]", vars[i]->name);
      GString *o = E->out;
      gsize mark = o->len;
      cw_cprinter_decl(E->p, vars[i]->type, name);
      g_string_append_printf(E->decls, "\n  %s;", o->str + mark);
      g_string_truncate(o, mark);
      g_free(name);
    }
  }
  /* block scalars: one value for the block */
  for (uint32_t i = 0; i < k->n_locals; i++) {
    if (!g_hash_table_contains(E->scalars, k->locals[i])) continue;
    char *name = g_strdup_printf("v_%s", k->locals[i]->name);
    GString *o = E->out;
    gsize mark = o->len;
    cw_cprinter_decl(E->p, k->locals[i]->type, name);
    g_string_append_printf(E->decls, "\n  %s;", o->str + mark);
    g_string_truncate(o, mark);
    g_free(name);
  }
  bool any = false;
  for (uint32_t i = 0; i < k->n_params; i++) {
    if (!g_hash_table_contains(E->hoisted, k->params[i])) continue;
    if (!any) region_open(E, &(chain){{0}, {0}, 0}, NULL), any = true;
    nl(E);
    g_string_append_printf(E->out, "v_%s[cw_t] = cw_pa_%s;", k->params[i]->name, k->params[i]->name);
  }
  if (any) region_close(E);
}

void emit_fission_body(emit_ctx *E, const cw_ir_func *k) {
  chain c = {{0}, {0}, 0};
  hoisted_decls(E, k);
  emit_any(E, k->body, &c);
  while (c.n) pop(&c);
}
