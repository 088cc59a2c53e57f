/* layout.c — what the emitter and the launcher must agree on: which hidden arguments a function
 * takes, where each module variable sits in the globals buffer, and that buffer's initial bytes
 * (initializers evaluated on the host, in CUDA's layout). */
#include <string.h>

#include "emit.h"

uint32_t ocl_func_hidden(const cw_ir_func *f) {
  uint32_t h = 0;
  if (f->n_globals_used) h |= OCL_HID_GLOBALS;
  if (f->facts & CW_FACT_DYN_SHARED) h |= OCL_HID_DYN;
  for (uint32_t i = 0; i < f->n_shared_vars; i++)
    if (f->shared_vars[i]->kind == CW_VAR_SHARED_DYNAMIC) h |= OCL_HID_DYN;
  /* warp operations and __syncthreads_count/and/or exchange values through local memory */
  if (f->facts & (CW_FACT_WARP_OPS | CW_FACT_BARRIER)) h |= OCL_HID_SCRATCH;
  if (f->facts & CW_FACT_ASSERT) h |= OCL_HID_ERR;
  return h;
}

uint32_t *ocl_globals_layout(const cw_ir_module *ir, size_t *total) {
  uint32_t *off = g_new(uint32_t, ir->n_globals ? ir->n_globals : 1);
  size_t at = 0;
  for (uint32_t i = 0; i < ir->n_globals; i++) {
    const cw_ir_var *g = ir->globals[i];
    off[i] = G_MAXUINT32;
    if (g->kind != CW_VAR_CONSTANT && g->kind != CW_VAR_DEVICE) continue;
    size_t align = g->type && g->type->align > 16 ? g->type->align : 16;
    at = (at + align - 1) / align * align;
    off[i] = (uint32_t)at;
    at += g->type && g->type->size ? g->type->size : 1;
  }
  *total = at < 16 ? 16 : (at + 15) / 16 * 16;
  return off;
}

static void store_scalar(guint8 *dst, size_t room, const cw_ir_type *t, const cw_ir_expr *e) {
  if (!t || !e || t->size > room) return;
  bool fval = e->kind == CW_EX_FLOAT;
  double d = fval ? e->fval : (cw_ir_type_is_signed(e->type) ? (double)(int64_t)e->ival : (double)e->ival);
  uint64_t u = fval ? (uint64_t)(int64_t)e->fval : e->ival;
  switch (t->kind) {
  case CW_IR_F32: { float f = (float)d; memcpy(dst, &f, 4); return; }
  case CW_IR_F64: memcpy(dst, &d, 8); return;
  case CW_IR_BOOL: dst[0] = fval ? e->fval != 0 : e->ival != 0; return;
  default:
    if (cw_ir_type_is_int(t) || t->kind == CW_IR_PTR) memcpy(dst, &u, t->size);  /* little endian */
    return;
  }
}

/* Writes the value of init (of type t) at dst. */
static void store(guint8 *dst, size_t room, const cw_ir_type *t, const cw_ir_expr *e, int depth) {
  if (!t || !e || depth > 32) return;
  while (e->kind == CW_EX_CAST && e->a && (e->a->kind == CW_EX_INT || e->a->kind == CW_EX_FLOAT))
    e = e->a;  /* a converted constant: convert it here */
  if (e->kind == CW_EX_INIT) {
    for (uint32_t i = 0; i < e->n_args; i++) {
      const cw_ir_type *et = NULL;
      size_t off = 0;
      if (t->kind == CW_IR_STRUCT && i < t->n_fields) et = t->fields[i].type, off = t->fields[i].offset;
      else if (t->kind == CW_IR_ARRAY || t->kind == CW_IR_VECTOR)
        et = t->elem, off = (size_t)i * (t->elem ? t->elem->size : 0);
      if (!et || off >= room) continue;
      store(dst + off, room - off, et, e->args[i], depth + 1);
      if (t->kind == CW_IR_STRUCT && t->is_union) break;
    }
    return;
  }
  if (e->kind == CW_EX_INT || e->kind == CW_EX_FLOAT) store_scalar(dst, room, t, e);
}

guint8 *ocl_globals_image(const cw_ir_module *ir, const uint32_t *offsets, size_t total) {
  guint8 *img = g_malloc0(total);
  for (uint32_t i = 0; i < ir->n_globals; i++) {
    const cw_ir_var *g = ir->globals[i];
    if (offsets[i] == G_MAXUINT32 || !g->init) continue;
    store(img + offsets[i], total - offsets[i], g->type, g->init, 0);
  }
  return img;
}

static void collect_expr(GPtrArray *out, const cw_ir_expr *e) {
  if (!e) return;
  if (e->kind == CW_EX_BUILTIN && e->bi == CW_BI_ASSERT) g_ptr_array_add(out, (gpointer)e);
  collect_expr(out, e->a);
  collect_expr(out, e->b);
  collect_expr(out, e->c);
  for (uint32_t i = 0; i < e->n_args; i++) collect_expr(out, e->args[i]);
}

static void collect_stmt(GPtrArray *out, const cw_ir_stmt *s) {
  if (!s) return;
  collect_expr(out, s->expr);
  collect_expr(out, s->cond);
  collect_expr(out, s->step);
  collect_stmt(out, s->init);
  collect_stmt(out, s->then_s);
  collect_stmt(out, s->else_s);
  collect_stmt(out, s->body);
  for (uint32_t i = 0; i < s->n_stmts; i++) collect_stmt(out, s->stmts[i]);
}

GPtrArray *ocl_assert_exprs(const cw_ir_module *ir) {
  GPtrArray *out = g_ptr_array_new();
  for (uint32_t i = 0; i < ir->n_funcs; i++) collect_stmt(out, ir->funcs[i]->body);
  return out;
}

static void site_free(gpointer p) {
  ocl_assert_site *s = p;
  g_free(s->file);
  g_free(s->text);
  g_free(s);
}

GPtrArray *ocl_assert_sites(const cw_ir_module *ir) {
  GPtrArray *ex = ocl_assert_exprs(ir);
  GPtrArray *out = g_ptr_array_new_with_free_func(site_free);
  for (guint i = 0; i < ex->len; i++) {
    const cw_ir_expr *e = ex->pdata[i];
    ocl_assert_site *s = g_new0(ocl_assert_site, 1);
    s->file = g_strdup(e->loc.file ? e->loc.file : "?");
    s->line = e->loc.line;
    s->text = g_strdup(e->n_args > 1 && e->args[1]->kind == CW_EX_STRING ? e->args[1]->str : "assertion");
    g_ptr_array_add(out, s);
  }
  g_ptr_array_free(ex, TRUE);
  return out;
}
