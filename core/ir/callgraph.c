/* callgraph.c — call graph, recursion (Tarjan's SCCs), function order, kernel list, struct order.
 *
 * Part of cw_ir_module_finish.  The strongly connected components come out of Tarjan's algorithm
 * callees first, which is the order emitters want (a C compiler needs a callee declared before
 * its caller); within a cycle the source order is kept and forward declarations are needed.
 * A function's callees are collected when the search reaches it, and each component is handed
 * to the caller as soon as it is complete, so the analyses read a function's IR while it is
 * still in the cache rather than in passes over the whole module. */
#include "analyze_internal.h"

static void collect_calls_expr(cw_ir_module *m, cw_ir_func *f, GHashTable *seen, const cw_ir_expr *e);

static void collect_calls_children(cw_ir_module *m, cw_ir_func *f, GHashTable *seen,
                                   const cw_ir_expr *e) {
  if (e->a) collect_calls_expr(m, f, seen, e->a);
  if (e->b) collect_calls_expr(m, f, seen, e->b);
  if (e->c) collect_calls_expr(m, f, seen, e->c);
  for (uint32_t i = 0; i < e->n_args; i++)
    if (e->args[i]) collect_calls_expr(m, f, seen, e->args[i]);
}

/* Most functions call a few others: a short list is searched directly, a long one through
 * `seen` (filled once the list gets long, emptied for the next function). */
enum { FEW_CALLEES = 16 };

static void add_callee(cw_ir_module *m, cw_ir_func *f, GHashTable *seen, cw_ir_func *g) {
  if (f->n_callees < FEW_CALLEES) {
    for (uint32_t i = 0; i < f->n_callees; i++)
      if (f->callees[i] == g) return;
  } else {
    if (g_hash_table_size(seen) == 0)
      for (uint32_t i = 0; i < f->n_callees; i++) g_hash_table_add(seen, f->callees[i]);
    if (!g_hash_table_add(seen, g)) return;
  }
  CW_IR_APPEND(m, &f->callees, &f->n_callees, g);
}

static void collect_calls_expr(cw_ir_module *m, cw_ir_func *f, GHashTable *seen, const cw_ir_expr *e) {
  if (e->kind == CW_EX_CALL && e->callee) add_callee(m, f, seen, e->callee);
  collect_calls_children(m, f, seen, e);
}

static void collect_calls_stmt(cw_ir_module *m, cw_ir_func *f, GHashTable *seen, const cw_ir_stmt *s) {
  if (!s) return;
  const cw_ir_expr *es[] = { s->expr, s->cond, s->step };
  for (unsigned i = 0; i < 3; i++)
    if (es[i]) collect_calls_expr(m, f, seen, es[i]);
  for (uint32_t i = 0; i < s->n_stmts; i++) collect_calls_stmt(m, f, seen, s->stmts[i]);
  collect_calls_stmt(m, f, seen, s->then_s);
  collect_calls_stmt(m, f, seen, s->else_s);
  collect_calls_stmt(m, f, seen, s->init);
  collect_calls_stmt(m, f, seen, s->body);
}

static void collect_callees(cw_ir_module *m, cw_ir_func *f, GHashTable *seen) {
  collect_calls_stmt(m, f, seen, f->body);
  if (g_hash_table_size(seen)) g_hash_table_remove_all(seen);
}

/* ---- Tarjan ---------------------------------------------------------------------------- */

typedef struct tarjan {
  GHashTable *index_of;   /* func -> position in m->funcs + 1 */
  int *index, *low;
  bool *on_stack;
  GArray *stack;          /* positions */
  int next_index;
  cw_ir__fninfo *info;
  GArray *order;          /* positions, callees first */
  int n_sccs;
  GHashTable *seen;       /* scratch of collect_callees */
  cw_ir__component_fn done;
  void *done_ctx;
} tarjan;

static int pos_of(tarjan *t, const cw_ir_func *f) {
  return GPOINTER_TO_INT(g_hash_table_lookup(t->index_of, f)) - 1;
}

static void strongconnect(cw_ir_module *m, tarjan *t, int v) {
  t->index[v] = t->low[v] = t->next_index++;
  g_array_append_val(t->stack, v);
  t->on_stack[v] = true;
  cw_ir_func *f = m->funcs[v];
  collect_callees(m, f, t->seen);  /* here, not in a pass of its own: v's IR is read again soon */
  for (uint32_t i = 0; i < f->n_callees; i++) {
    int w = pos_of(t, f->callees[i]);
    if (w < 0) continue;  /* a function not registered in this module */
    if (w == v) t->info[v].self_call = true;
    if (t->index[w] < 0) {
      strongconnect(m, t, w);
      if (t->low[w] < t->low[v]) t->low[v] = t->low[w];
    } else if (t->on_stack[w] && t->index[w] < t->low[v]) {
      t->low[v] = t->index[w];
    }
  }
  if (t->low[v] == t->index[v]) {
    /* pop the component; emit its members in source order */
    guint start = t->stack->len;
    while (g_array_index(t->stack, int, start - 1) != v) start--;
    start--;
    GArray *members = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint i = start; i < t->stack->len; i++) {
      int w = g_array_index(t->stack, int, i);
      t->on_stack[w] = false;
      g_array_append_val(members, w);
    }
    g_array_set_size(t->stack, start);
    g_array_sort(members, cw_ir__int_cmp);
    for (guint i = 0; i < members->len; i++) {
      int w = g_array_index(members, int, i);
      t->info[w].scc = t->n_sccs;
      t->info[w].scc_size = members->len;
      g_array_append_val(t->order, w);
    }
    t->n_sccs++;
    t->done(t->done_ctx, (const int *)(void *)members->data, (int)members->len);
    g_array_free(members, TRUE);
  }
}

gint cw_ir__int_cmp(gconstpointer a, gconstpointer b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

GArray *cw_ir__order_functions(cw_ir_module *m, cw_ir__fninfo *info, cw_ir__component_fn done,
                               void *done_ctx) {
  tarjan t = { .done = done, .done_ctx = done_ctx };
  int n = (int)m->n_funcs;
  guint cap = m->n_funcs ? m->n_funcs : 1;
  t.index_of = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int i = 0; i < n; i++) g_hash_table_insert(t.index_of, m->funcs[i], GINT_TO_POINTER(i + 1));
  t.index = g_new(int, cap);
  t.low = g_new(int, cap);
  t.on_stack = g_new0(bool, cap);
  for (int i = 0; i < n; i++) t.index[i] = -1;
  t.stack = g_array_new(FALSE, FALSE, sizeof(int));
  t.order = g_array_new(FALSE, FALSE, sizeof(int));
  t.info = info;
  t.seen = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int i = 0; i < n; i++)
    if (t.index[i] < 0) strongconnect(m, &t, i);
  g_hash_table_destroy(t.seen);
  g_hash_table_destroy(t.index_of);
  g_free(t.index);
  g_free(t.low);
  g_free(t.on_stack);
  g_array_free(t.stack, TRUE);
  return t.order;
}

/* ---- structs: each after the structs it contains by value --------------------------------- */

static void struct_visit(const cw_ir_type *t, GHashTable *done, GPtrArray *out) {
  while (t && (t->kind == CW_IR_ARRAY || t->kind == CW_IR_VECTOR)) t = t->elem;
  if (!t || t->kind != CW_IR_STRUCT || g_hash_table_contains(done, t)) return;
  g_hash_table_add(done, (gpointer)t);
  for (uint32_t i = 0; i < t->n_fields; i++) struct_visit(t->fields[i].type, done, out);
  g_ptr_array_add(out, (gpointer)t);
}

void cw_ir__order_structs(cw_ir_module *m) {
  GHashTable *done = g_hash_table_new(g_direct_hash, g_direct_equal);
  GPtrArray *out = g_ptr_array_new();
  for (uint32_t i = 0; i < m->n_structs; i++) struct_visit(m->structs[i], done, out);
  /* only structs of this module are listed; a foreign one reached by a field is not added */
  uint32_t k = 0;
  GHashTable *mine = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (uint32_t i = 0; i < m->n_structs; i++) g_hash_table_add(mine, m->structs[i]);
  for (guint i = 0; i < out->len; i++)
    if (g_hash_table_contains(mine, out->pdata[i])) m->structs[k++] = out->pdata[i];
  g_hash_table_destroy(mine);
  g_hash_table_destroy(done);
  g_ptr_array_free(out, TRUE);
}

void cw_ir__fill_kernels(cw_ir_module *m) {
  if (m->n_kernels) return;  /* the builder listed them itself */
  for (uint32_t i = 0; i < m->n_funcs; i++)
    if (m->funcs[i]->is_kernel) CW_IR_APPEND(m, &m->kernels, &m->n_kernels, m->funcs[i]);
}
