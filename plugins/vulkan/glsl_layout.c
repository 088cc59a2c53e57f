/* glsl_layout.c — byte layouts shared by the emitter and the runtime: module variables in the
 * globals buffer, kernel arguments, initial values of module variables, printf strings. */
#include <string.h>

#include "glsl_internal.h"

static uint32_t align_up(uint32_t v, uint32_t a) { return a > 1 ? (v + a - 1) / a * a : v; }

static bool in_globals_buffer(const cw_ir_var *v) {
  return v->kind == CW_VAR_CONSTANT || v->kind == CW_VAR_DEVICE;
}

uint32_t glsl_globals_layout(const cw_ir_module *m, uint32_t *offsets) {
  uint32_t at = 0;
  for (uint32_t i = 0; i < m->n_globals; i++) {
    const cw_ir_var *v = m->globals[i];
    offsets[i] = 0;
    if (!in_globals_buffer(v)) continue;
    uint32_t a = v->type->align < 16 ? 16 : v->type->align;  /* as CUDA: never less than 16 */
    at = align_up(at, a);
    offsets[i] = at;
    at += v->type->size ? v->type->size : 1;
  }
  return align_up(at ? at : 16, 16);
}

uint32_t glsl_args_layout(const cw_ir_func *k, uint32_t *offsets) {
  uint32_t at = 0;
  for (uint32_t i = 0; i < k->n_params; i++) {
    const cw_ir_type *t = k->params[i]->type;
    at = align_up(at, t->align ? t->align : 1);
    offsets[i] = at;
    at += t->size;
  }
  return align_up(at, 8);
}

/* The bytes of a constant initializer; what cannot be evaluated here stays zero. */
static void init_bytes(const cw_ir_type *t, const cw_ir_expr *e, uint8_t *dst) {
  if (!e || !t) return;
  if (e->kind == CW_EX_CAST && e->a) {
    /* a constant converted to t: convert the value */
    const cw_ir_expr *a = e->a;
    if (a->kind == CW_EX_INT || a->kind == CW_EX_FLOAT) {
      cw_ir_expr tmp = *a;
      bool from_float = a->kind == CW_EX_FLOAT;
      if (cw_ir_type_is_float(t)) {
        tmp.kind = CW_EX_FLOAT;
        tmp.fval = from_float ? a->fval
                   : cw_ir_type_is_signed(a->type) ? (double)(int64_t)a->ival : (double)a->ival;
      } else {
        tmp.kind = CW_EX_INT;
        tmp.ival = from_float ? (uint64_t)(int64_t)a->fval : a->ival;
      }
      init_bytes(t, &tmp, dst);
    }
    return;
  }
  switch (e->kind) {
  case CW_EX_INT:
    if (cw_ir_type_is_float(t)) {
      cw_ir_expr tmp = *e;
      tmp.kind = CW_EX_FLOAT;
      tmp.fval = cw_ir_type_is_signed(e->type) ? (double)(int64_t)e->ival : (double)e->ival;
      init_bytes(t, &tmp, dst);
    } else {
      uint64_t v = e->ival;
      memcpy(dst, &v, t->size <= 8 ? t->size : 8);  /* little endian */
    }
    return;
  case CW_EX_FLOAT:
    if (t->kind == CW_IR_F64) {
      memcpy(dst, &e->fval, 8);
    } else if (t->kind == CW_IR_F32) {
      float f = (float)e->fval;
      memcpy(dst, &f, 4);
    } else if (cw_ir_type_is_int(t)) {
      uint64_t v = (uint64_t)(int64_t)e->fval;
      memcpy(dst, &v, t->size <= 8 ? t->size : 8);
    }
    return;
  case CW_EX_INIT:
    if (t->kind == CW_IR_STRUCT) {
      for (uint32_t i = 0; i < e->n_args && i < t->n_fields; i++)
        init_bytes(t->fields[i].type, e->args[i], dst + t->fields[i].offset);
    } else if (t->kind == CW_IR_ARRAY || t->kind == CW_IR_VECTOR) {
      uint32_t es = t->elem->size;
      uint32_t n = t->kind == CW_IR_ARRAY ? t->count : t->count;
      for (uint32_t i = 0; i < e->n_args && i < n; i++) init_bytes(t->elem, e->args[i], dst + i * es);
    }
    return;
  default:
    return;
  }
}

void glsl_global_init_bytes(const cw_ir_var *v, uint8_t *dst) {
  memset(dst, 0, v->type->size);
  init_bytes(v->type, v->init, dst);
}

typedef struct strings_ctx {
  GPtrArray *strings;
  GHashTable *ids;
  const cw_ir_func *f;
} strings_ctx;

static void add_string(strings_ctx *c, const cw_ir_expr *s) {
  if (!s || s->kind != CW_EX_STRING) return;
  if (c->ids) g_hash_table_insert(c->ids, (gpointer)s, GUINT_TO_POINTER(c->strings->len));
  g_ptr_array_add(c->strings, g_strndup(s->str ? s->str : "", s->str ? s->str_len : 0));
}

static void visit_strings(const cw_ir_expr *e, void *user) {
  strings_ctx *c = user;
  if (e->kind == CW_EX_STRING && (!c->ids || !g_hash_table_contains(c->ids, e))) {
    add_string(c, e);  /* any literal: printf formats, %s arguments, `p ? "a" : "b"` */
    return;
  }
  if (e->kind != CW_EX_BUILTIN) return;
  if (e->bi == CW_BI_ASSERT) {
    /* three strings keyed by the assert node: file, function, condition text */
    if (c->ids) g_hash_table_insert(c->ids, (gpointer)e, GUINT_TO_POINTER(c->strings->len));
    g_ptr_array_add(c->strings, g_strdup(e->loc.file ? e->loc.file : "?"));
    g_ptr_array_add(c->strings, g_strdup(c->f->source_name ? c->f->source_name : c->f->name));
    bool text = e->n_args > 1 && e->args[1] && e->args[1]->kind == CW_EX_STRING;
    g_ptr_array_add(c->strings, text ? g_strndup(e->args[1]->str, e->args[1]->str_len) : g_strdup("?"));
  }
}

GPtrArray *glsl_collect_strings(const cw_ir_module *m, GHashTable *ids) {
  strings_ctx c = { g_ptr_array_new_with_free_func(g_free), ids, NULL };
  /* id 0: CUDA's assert message (printed to stderr) */
  g_ptr_array_add(c.strings,
                  g_strdup("%s:%d: %s: block: [%u,%u,%u], thread: [%u,%u,%u] Assertion `%s` failed.\n"));
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    c.f = m->funcs[i];
    if (c.f->body) glsl_walk_func(c.f, visit_strings, &c);
  }
  return c.strings;
}
