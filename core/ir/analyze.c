/* analyze.c — cw_ir_module_finish: runs every analysis once, in dependency order:
 *   1. callees of each function, struct order, kernel list (callgraph.c);
 *   2. strongly connected components: recursion facts and the callees-first function order;
 *   3. per function, callees first: provenance, direct facts, parameter accesses (provenance.c),
 *      repeated over a call cycle until the parameters' access flags stop changing;
 *   4. facts and used shared/global variables, transitive through calls;
 *   5. has_barrier on statements, static shared memory size, the digest (digest.c). */
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
  bool b = expr_has_barrier(s->expr) | expr_has_barrier(s->cond) | expr_has_barrier(s->step);
  for (uint32_t i = 0; i < s->n_stmts; i++) b |= mark_barriers(s->stmts[i]);
  b |= mark_barriers(s->then_s);
  b |= mark_barriers(s->else_s);
  b |= mark_barriers(s->init);
  b |= mark_barriers(s->body);
  s->has_barrier = b;
  return b;
}

static bool param_info_equal(const cw_ir_func *f, const cw_ir_param_info *snap) {
  return f->n_params == 0 || memcmp(f->param_info, snap, f->n_params * sizeof *snap) == 0;
}

void cw_ir_module_finish(cw_ir_module *m) {
  cw_ir_priv *p = cw_ir__priv(m);
  if (p->finished) return;
  p->finished = true;

  uint32_t n = m->n_funcs, ng = m->n_globals;
  cw_ir__fninfo *info = g_new0(cw_ir__fninfo, n ? n : 1);
  cw_ir__collect_callees(m);
  cw_ir__order_structs(m);
  cw_ir__fill_kernels(m);
  GArray *order = cw_ir__order_functions(m, info);

  GHashTable *pos = g_hash_table_new(g_direct_hash, g_direct_equal);  /* func -> original pos+1 */
  for (uint32_t i = 0; i < n; i++) {
    cw_ir_func *f = m->funcs[i];
    g_hash_table_insert(pos, f, GUINT_TO_POINTER(i + 1));
    info[i].globals_direct = g_new0(guint8, ng ? ng : 1);
    f->param_info = cw_ir__alloc(m, (f->n_params ? f->n_params : 1) * sizeof *f->param_info);
  }
  cw_ir_func **orig = g_new(cw_ir_func *, n ? n : 1);
  if (n) memcpy(orig, m->funcs, n * sizeof *orig);

  /* 3 + 4, one component at a time (the order lists a component's members contiguously) */
  guint8 **trans_globals = g_new0(guint8 *, n ? n : 1);
  for (guint k = 0; k < order->len;) {
    int first = g_array_index(order, int, k);
    int size = info[first].scc_size;
    cw_ir_param_info *snap = NULL;
    for (int iter = 0; iter < 16; iter++) {
      bool stable = true;
      for (int j = 0; j < size; j++) {
        int v = g_array_index(order, int, k + j);
        cw_ir_func *f = orig[v];
        snap = g_realloc(snap, (f->n_params + 1) * sizeof *snap);
        if (f->n_params) memcpy(snap, f->param_info, f->n_params * sizeof *snap);
        cw_ir__analyze_function(m, f, &info[v]);
        if (!param_info_equal(f, snap)) stable = false;
      }
      if (size == 1 && !info[first].self_call) break;
      if (stable) break;
    }
    g_free(snap);

    uint32_t facts = 0;
    guint8 *globals = g_new0(guint8, ng ? ng : 1);
    for (int j = 0; j < size; j++) {
      int v = g_array_index(order, int, k + j);
      facts |= info[v].direct_facts;
      for (uint32_t gi = 0; gi < ng; gi++) globals[gi] |= info[v].globals_direct[gi];
      cw_ir_func *f = orig[v];
      for (uint32_t c = 0; c < f->n_callees; c++) {
        guint cp = GPOINTER_TO_UINT(g_hash_table_lookup(pos, f->callees[c]));
        if (!cp || info[cp - 1].scc == info[v].scc) continue;
        facts |= f->callees[c]->facts;  /* already final: callees come first */
        for (uint32_t gi = 0; gi < ng; gi++) globals[gi] |= trans_globals[cp - 1][gi];
      }
    }
    if (size > 1 || info[first].self_call) facts |= CW_FACT_RECURSION;
    for (int j = 0; j < size; j++) {
      int v = g_array_index(order, int, k + j);
      cw_ir_func *f = orig[v];
      f->facts = facts;
      trans_globals[v] = globals;
      if (j > 0) {
        trans_globals[v] = g_new0(guint8, ng ? ng : 1);
        memcpy(trans_globals[v], globals, ng);
      }
      uint32_t off = 0;
      for (uint32_t gi = 0; gi < ng; gi++) {
        if (!globals[gi]) continue;
        cw_ir_var *g = m->globals[gi];
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
    k += size;
  }

  for (uint32_t i = 0; i < n; i++) {
    m->funcs[i] = orig[g_array_index(order, int, i)];
    /* the facts are transitive: without BARRIER no statement can reach one (has_barrier stays 0) */
    if (m->funcs[i]->facts & CW_FACT_BARRIER) mark_barriers(m->funcs[i]->body);
  }
  for (uint32_t i = 0; i < n; i++) {
    g_free(info[i].globals_direct);
    g_free(trans_globals[i]);
  }
  g_free(trans_globals);
  g_free(orig);
  g_hash_table_destroy(pos);
  g_array_free(order, TRUE);
  g_free(info);
  cw_ir__digest(m);
}
