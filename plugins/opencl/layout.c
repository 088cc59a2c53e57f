/* layout.c — what the emitter and the launcher must agree on: which hidden arguments a function
 * takes, where each module variable sits in the globals buffer, and that buffer's initial bytes
 * (initializers evaluated on the host, in CUDA's layout). */
#include <string.h>

#include "emit.h"

uint32_t ocl_func_hidden(const cw_ir_func *f, bool svm) {
  uint32_t h = 0;
  if (f->n_globals_used) h |= OCL_HID_GLOBALS;
  if (f->facts & CW_FACT_DYN_SHARED) h |= OCL_HID_DYN;
  for (uint32_t i = 0; i < f->n_shared_vars; i++)
    if (f->shared_vars[i]->kind == CW_VAR_SHARED_DYNAMIC) h |= OCL_HID_DYN;
  /* warp operations and __syncthreads_count/and/or exchange values through local memory */
  if (f->facts & (CW_FACT_WARP_OPS | CW_FACT_BARRIER)) h |= OCL_HID_SCRATCH;
  if (f->facts & CW_FACT_ASSERT) h |= OCL_HID_ERR;
  if (!svm && ocl_func_makes_pointers(f)) h |= OCL_HID_WINDOW;  /* with SVM an integer is an address */
  return h;
}

uint64_t ocl_local_arg_bytes(uint32_t hidden, uint64_t threads, uint32_t dynamic_bytes) {
  uint64_t n = hidden & OCL_HID_SCRATCH ? ocl_scratch_bytes(threads) : 0;
  if (hidden & OCL_HID_DYN) n += dynamic_bytes < 16 ? 16 : (dynamic_bytes + 15u) / 16u * 16u;
  return n;
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

/* IEEE binary16 bits of f, rounded to nearest even (initializers of __half variables). */
static uint16_t half_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  uint32_t sign = (u >> 16) & 0x8000u, exp = (u >> 23) & 0xffu, man = u & 0x7fffffu;
  if (exp == 0xff) return (uint16_t)(sign | 0x7c00u | (man ? 0x200u : 0));
  int e = (int)exp - 127 + 15;
  if (e >= 31) return (uint16_t)(sign | 0x7c00u);
  if (e <= 0) {
    if (e < -10) return (uint16_t)sign;
    man |= 0x800000u;
    uint32_t shift = (uint32_t)(14 - e);
    uint32_t h = man >> shift, rem = man & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1u))) h++;
    return (uint16_t)(sign | h);
  }
  uint32_t h = ((uint32_t)e << 10) | (man >> 13), rem = man & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;
  return (uint16_t)(sign | h);
}

static void store_scalar(guint8 *dst, size_t room, const cw_ir_type *t, const cw_ir_expr *e) {
  if (!t || !e || t->size > room) return;
  bool fval = e->kind == CW_EX_FLOAT;
  double d = fval ? e->fval : (cw_ir_type_is_signed(e->type) ? (double)(int64_t)e->ival : (double)e->ival);
  uint64_t u = fval ? (uint64_t)(int64_t)e->fval : e->ival;
  switch (t->kind) {
  case CW_IR_F16: { uint16_t h = half_bits((float)d); memcpy(dst, &h, 2); return; }
  case CW_IR_BF16: {
    float f = (float)d;
    uint32_t u;
    memcpy(&u, &f, 4);
    uint16_t h = (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    memcpy(dst, &h, 2);
    return;
  }
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

static void path_free(gpointer p) {
  ocl_ptr_path *pp = p;
  g_free(pp->access);
  g_free(pp);
}

static bool has_pointer(const cw_ir_type *t, int depth) {
  if (!t || depth > 16) return false;
  if (t->kind == CW_IR_PTR) return true;
  if (t->kind == CW_IR_ARRAY) return has_pointer(t->elem, depth + 1);
  if (t->kind == CW_IR_STRUCT)
    for (uint32_t i = 0; i < t->n_fields; i++)
      if (has_pointer(t->fields[i].type, depth + 1)) return true;
  return false;
}

static bool paths(GPtrArray *out, const cw_ir_type *t, const char *prefix, uint32_t base, int depth,
                  const char **why) {
  if (!t || !has_pointer(t, 0)) return true;
  if (depth > 16) {
    *why = "pointers nested too deeply in a struct parameter";
    return false;
  }
  if (t->kind == CW_IR_PTR) {
    ocl_ptr_path *pp = g_new0(ocl_ptr_path, 1);
    pp->access = g_strdup(prefix);
    pp->offset = base;
    pp->ptype = t;
    g_ptr_array_add(out, pp);
    return true;
  }
  if (t->kind == CW_IR_ARRAY) {
    if (t->count == 0 || t->count > 64) {
      *why = "an array of more than 64 pointers in a struct parameter";
      return false;
    }
    for (uint32_t i = 0; i < t->count; i++) {
      char *p = g_strdup_printf("%s[%u]", prefix, i);
      bool ok = paths(out, t->elem, p, base + i * t->elem->size, depth + 1, why);
      g_free(p);
      if (!ok) return false;
    }
    return true;
  }
  if (t->kind == CW_IR_STRUCT) {
    if (t->is_union) {
      *why = "a pointer inside a union in a struct parameter";
      return false;
    }
    for (uint32_t i = 0; i < t->n_fields; i++) {
      char *p = g_strdup_printf("%s.%s", prefix, t->fields[i].name);
      bool ok = paths(out, t->fields[i].type, p, base + t->fields[i].offset, depth + 1, why);
      g_free(p);
      if (!ok) return false;
    }
  }
  return true;
}

static bool has_bool(const cw_ir_type *t, int depth) {
  if (!t || depth > 16) return false;
  if (t->kind == CW_IR_BOOL) return true;
  if (t->kind == CW_IR_ARRAY) return has_bool(t->elem, depth + 1);
  if (t->kind == CW_IR_STRUCT)
    for (uint32_t i = 0; i < t->n_fields; i++)
      if (has_bool(t->fields[i].type, depth + 1)) return true;
  return false;
}

bool ocl_struct_as_bytes(const cw_ir_type *t, const GPtrArray *paths) {
  return t && t->kind == CW_IR_STRUCT && paths && (has_pointer(t, 0) || has_bool(t, 0));
}

GPtrArray *ocl_ptr_paths(const cw_ir_type *t, bool svm, const char **why) {
  GPtrArray *out = g_ptr_array_new_with_free_func(path_free);
  if (!svm && !paths(out, t, "", 0, 0, why)) {
    g_ptr_array_free(out, TRUE);
    return NULL;
  }
  return out;
}

/* What a parameter occupies among the kernel's arguments as emitted (emit.h). */
static uint64_t arg_bytes(const cw_ir_type *t, bool svm) {
  if (!t) return 0;
  if (t->kind == CW_IR_PTR) return svm ? 8 : 16;
  if (t->kind == CW_IR_BOOL) return 1;
  if (t->kind != CW_IR_STRUCT) return t->size;
  const char *why = NULL;
  GPtrArray *pp = ocl_ptr_paths(t, svm, &why);
  uint64_t n = t->size + (pp ? (uint64_t)pp->len * 16 : 0);
  if (pp) g_ptr_array_free(pp, TRUE);
  return n;
}

uint64_t ocl_buffer_params(const cw_ir_func *f, bool svm) {
  uint64_t total = 32, mask = 0;  /* the hidden arguments: at most 4 pointers */
  for (uint32_t i = 0; i < f->n_params; i++) total += arg_bytes(f->params[i]->type, svm);
  while (total > OCL_PARAM_BYTES) {
    uint32_t best = UINT32_MAX;
    for (uint32_t i = 0; i < f->n_params && i < 64; i++) {
      const cw_ir_type *t = f->params[i]->type;
      if (!t || t->kind != CW_IR_STRUCT || (mask >> i) & 1) continue;
      if (best == UINT32_MAX || t->size > f->params[best]->type->size) best = i;
    }
    if (best == UINT32_MAX || f->params[best]->type->size <= 8) break;
    mask |= (uint64_t)1 << best;
    total = total - f->params[best]->type->size + 8;
  }
  return mask;
}
