/* analyze.c — cw_ir_module_finish: runs every analysis once, in dependency order:
 *   1. struct order, kernel list; callees of each function (callgraph.c);
 *   2. strongly connected components: recursion facts and the callees-first function order;
 *      the search hands over each component as soon as it is complete, and 3-5 run on it then;
 *   3. per function, callees first: provenance, direct facts, parameter accesses (provenance.c),
 *      repeated over a call cycle until the parameters' access flags stop changing;
 *   4. facts and used shared/global variables, transitive through calls;
 *   5. has_barrier on statements and each function's digest (its IR is still in the cache);
 *      at the end the module digest (digest.c). */
#include <string.h>

#include "analyze_internal.h"

static bool expr_has_barrier(const cw_ir_expr *e) {
  if (!e) return false;
  if (e->kind == CW_EX_BUILTIN &&
      (e->bi == CW_BI_SYNCTHREADS || e->bi == CW_BI_SYNCTHREADS_COUNT ||
       e->bi == CW_BI_SYNCTHREADS_AND || e->bi == CW_BI_SYNCTHREADS_OR))
    return true;
  if (e->kind == CW_EX_CALL && e->callee && (e->callee->facts & CW_FACT_BARRIER)) return true;
  if (expr_has_barrier(e->a) || expr_has_barrier(e->b) || expr_has_barrier(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_has_barrier(e->args[i])) return true;
  return false;
}

static bool mark_barriers(cw_ir_stmt *s) {
  if (!s) return false;
  bool b = expr_has_barrier(s->expr);  /* no short cuts: every statement below gets its flag */
  b |= expr_has_barrier(s->cond);
  b |= expr_has_barrier(s->step);
  for (uint32_t i = 0; i < s->n_stmts; i++) b |= mark_barriers(s->stmts[i]);
  b |= mark_barriers(s->then_s);
  b |= mark_barriers(s->else_s);
  b |= mark_barriers(s->init);
  b |= mark_barriers(s->body);
  s->has_barrier = b;
  return b;
}

static gint cmp_u32(gconstpointer a, gconstpointer b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* Appends to `to` the indices of `from` that component `comp` has not added yet. */
static void add_globals(GArray *to, const GArray *from, guint *stamp, guint comp) {
  if (!from) return;
  for (guint i = 0; i < from->len; i++) {
    uint32_t gi = g_array_index(from, uint32_t, i);
    if (stamp[gi] == comp) continue;
    stamp[gi] = comp;
    g_array_append_val(to, gi);
  }
}

static bool param_info_equal(const cw_ir_func *f, const cw_ir_param_info *snap) {
  return f->n_params == 0 || memcmp(f->param_info, snap, f->n_params * sizeof *snap) == 0;
}

/* State of cw_ir_module_finish across the components handed over by the call-graph search. */
typedef struct finisher {
  cw_ir_module *m;
  cw_ir__fninfo *info;
  cw_ir_func **orig;        /* m->funcs as it was: original positions */
  GHashTable *pos;          /* func -> original position + 1 */
  GArray **trans_globals;   /* per function: module-scope variables used, transitively */
  guint8 *seen;             /* scratch for cw_ir__analyze_function */
  guint *stamp;             /* scratch for add_globals */
  guint comp;
  guchar (*digests)[32];    /* per function, by original position */
  cw_ir__digester *dg;
} finisher;

/* 3, 4 and 5 for one component (its callees' components are done): analyses to a fixpoint over
 * a call cycle, transitive facts and variables, then has_barrier and the digest. */
static void finish_component(void *ctx, const int *members, int size) {
  finisher *F = ctx;
  cw_ir_module *m = F->m;
  cw_ir__fninfo *info = F->info;
  int first = members[0];
  cw_ir_param_info *snap = NULL;
  for (int iter = 0; iter < 16; iter++) {
    bool stable = true;
    for (int j = 0; j < size; j++) {
      int v = members[j];
      cw_ir_func *f = F->orig[v];
      snap = g_realloc(snap, (f->n_params + 1) * sizeof *snap);
      if (f->n_params) memcpy(snap, f->param_info, f->n_params * sizeof *snap);
      cw_ir__analyze_function(m, f, &info[v], F->seen);
      if (!param_info_equal(f, snap)) stable = false;
    }
    if (size == 1 && !info[first].self_call) break;
    if (stable) break;
  }
  g_free(snap);

  uint32_t facts = 0;
  GArray *globals = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  F->comp++;
  for (int j = 0; j < size; j++) {
    int v = members[j];
    facts |= info[v].direct_facts;
    add_globals(globals, info[v].globals_direct, F->stamp, F->comp);
    cw_ir_func *f = F->orig[v];
    for (uint32_t c = 0; c < f->n_callees; c++) {
      guint cp = GPOINTER_TO_UINT(g_hash_table_lookup(F->pos, f->callees[c]));
      if (!cp || info[cp - 1].scc == info[v].scc) continue;
      facts |= f->callees[c]->facts;  /* already final: callees come first */
      add_globals(globals, F->trans_globals[cp - 1], F->stamp, F->comp);
    }
  }
  g_array_sort(globals, cmp_u32);  /* module order, as the lists on the function promise */
  if (size > 1 || info[first].self_call) facts |= CW_FACT_RECURSION;
  for (int j = 0; j < size; j++) {
    int v = members[j];
    cw_ir_func *f = F->orig[v];
    f->facts = facts;
    F->trans_globals[v] = globals;
    if (j > 0) {
      F->trans_globals[v] = g_array_sized_new(FALSE, FALSE, sizeof(uint32_t), globals->len);
      g_array_append_vals(F->trans_globals[v], globals->data, globals->len);
    }
    uint32_t off = 0;
    for (guint gk = 0; gk < globals->len; gk++) {
      cw_ir_var *g = m->globals[g_array_index(globals, uint32_t, gk)];
      if (g->kind == CW_VAR_SHARED || g->kind == CW_VAR_SHARED_DYNAMIC) {
        CW_IR_APPEND(m, &f->shared_vars, &f->n_shared_vars, g);
        if (g->kind == CW_VAR_SHARED && g->type) {
          off = cw_ir__align_up(off, g->type->align ? g->type->align : 1) + g->type->size;
        }
      } else {
        CW_IR_APPEND(m, &f->globals_used, &f->n_globals_used, g);
      }
    }
    f->static_shared_bytes = off;
  }
  /* 5: the facts are transitive: without BARRIER no statement can reach one */
  for (int j = 0; j < size; j++) {
    int v = members[j];
    if (F->orig[v]->facts & CW_FACT_BARRIER) mark_barriers(F->orig[v]->body);
    cw_ir__digest_func(F->dg, F->orig[v], F->digests[v]);
  }
}

void cw_ir_module_finish(cw_ir_module *m) {
  cw_ir_priv *p = cw_ir__priv(m);
  if (p->finished) return;
  p->finished = true;

  uint32_t n = m->n_funcs, ng = m->n_globals;
  finisher F = { .m = m };
  F.info = g_new0(cw_ir__fninfo, n ? n : 1);
  cw_ir__order_structs(m);
  cw_ir__fill_kernels(m);

  F.pos = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (uint32_t i = 0; i < n; i++) {
    cw_ir_func *f = m->funcs[i];
    g_hash_table_insert(F.pos, f, GUINT_TO_POINTER(i + 1));
    F.info[i].globals_direct = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    f->param_info = cw_ir__alloc(m, (f->n_params ? f->n_params : 1) * sizeof *f->param_info);
  }
  F.orig = g_new(cw_ir_func *, n ? n : 1);
  if (n) memcpy(F.orig, m->funcs, n * sizeof *F.orig);
  F.trans_globals = g_new0(GArray *, n ? n : 1);
  F.seen = g_new0(guint8, ng ? ng : 1);
  F.stamp = g_new0(guint, ng ? ng : 1);
  F.digests = g_malloc((n ? n : 1) * sizeof *F.digests);
  F.dg = cw_ir__digester_new();

  /* 1-5: the call graph search hands over each component as soon as it is complete */
  GArray *order = cw_ir__order_functions(m, F.info, finish_component, &F);

  guchar (*in_order)[32] = g_malloc((n ? n : 1) * sizeof *in_order);
  for (uint32_t i = 0; i < n; i++) {
    int v = g_array_index(order, int, i);
    m->funcs[i] = F.orig[v];
    memcpy(in_order[i], F.digests[v], 32);
  }
  cw_ir__digest_module(F.dg, m, (const guchar(*)[32])in_order);
  g_free(in_order);
  for (uint32_t i = 0; i < n; i++) {
    g_array_free(F.info[i].globals_direct, TRUE);
    if (F.trans_globals[i]) g_array_free(F.trans_globals[i], TRUE);
  }
  g_free(F.digests);
  g_free(F.trans_globals);
  g_free(F.seen);
  g_free(F.stamp);
  g_free(F.orig);
  g_hash_table_destroy(F.pos);
  g_array_free(order, TRUE);
  g_free(F.info);
}
