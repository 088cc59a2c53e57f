/* glsl_expr.c — the GLSL dialect of the C-family printer: expressions and statements.
 *
 * What C and GLSL spell alike (arithmetic, comparisons, ?:, comma, plain assignment, control
 * flow) is left to the shared printer; this file takes over literals, names, casts (constructor
 * syntax), everything about pointers (addresses, buffer_reference loads and stores, shared-memory
 * indices), members, aggregate values, calls, declarations, `for` and `switch`. */
#include <math.h>
#include <string.h>

#include "glsl_internal.h"

static glsl_ctx *C(cw_cprinter *p) { return cw_cprinter_user(p); }
static GString *O(cw_cprinter *p) { return cw_cprinter_out(p); }
static void sub(cw_cprinter *p, const cw_ir_expr *e) { cw_cprinter_expr_prec(p, e, CW_CPREC_ALWAYS); }
static void arg(cw_cprinter *p, const cw_ir_expr *e) { cw_cprinter_expr_prec(p, e, CW_CPREC_ASSIGN); }
static bool is_ptr(const cw_ir_type *t) { return t && t->kind == CW_IR_PTR; }

/* ---- literals ------------------------------------------------------------------------- */

static void float_literal(GString *o, const cw_ir_type *t, double v) {
  bool f64 = t && t->kind == CW_IR_F64, f16 = t && t->kind == CW_IR_F16;
  if (f16) g_string_append(o, "float16_t(");
  if (isnan(v)) {
    g_string_append(o, f64 ? "uint64BitsToDouble(0x7ff8000000000000ul)" : "uintBitsToFloat(0x7fc00000u)");
  } else if (isinf(v)) {
    g_string_append_printf(o, "(%s%s)", v < 0 ? "-" : "",
                           f64 ? "uint64BitsToDouble(0x7ff0000000000000ul)" : "uintBitsToFloat(0x7f800000u)");
  } else {
    char buf[64];
    if (f64) snprintf(buf, sizeof buf, "%.17g", v);
    else snprintf(buf, sizeof buf, "%.9g", (double)(float)v);
    if (!strpbrk(buf, ".eE")) g_strlcat(buf, ".0", sizeof buf);
    if (buf[0] == '-') g_string_append_printf(o, "(%s%s)", buf, f64 ? "lf" : "");
    else g_string_append_printf(o, "%s%s", buf, f64 ? "lf" : "");
  }
  if (f16) g_string_append_c(o, ')');
}

static void int_literal(GString *o, const cw_ir_type *t, uint64_t v) {
  switch (t ? t->kind : CW_IR_I32) {
  case CW_IR_BOOL: g_string_append(o, v ? "true" : "false"); return;
  case CW_IR_I32: {
    int32_t x = (int32_t)(uint32_t)v;
    if (x == INT32_MIN) g_string_append(o, "(-2147483647-1)");
    else if (x < 0) g_string_append_printf(o, "(%d)", x);
    else g_string_append_printf(o, "%d", x);
    return;
  }
  case CW_IR_U32: g_string_append_printf(o, "%uu", (uint32_t)v); return;
  case CW_IR_I64: {
    int64_t x = (int64_t)v;
    if (x == INT64_MIN) g_string_append(o, "(-9223372036854775807l-1l)");
    else if (x < 0) g_string_append_printf(o, "(%" G_GINT64_FORMAT "l)", x);
    else g_string_append_printf(o, "%" G_GINT64_FORMAT "l", x);
    return;
  }
  case CW_IR_U64: case CW_IR_PTR: g_string_append_printf(o, "%" G_GUINT64_FORMAT "ul", v); return;
  case CW_IR_I8: g_string_append_printf(o, "int8_t(%d)", (int)(int8_t)v); return;
  case CW_IR_U8: g_string_append_printf(o, "uint8_t(%uu)", (unsigned)(uint8_t)v); return;
  case CW_IR_I16: g_string_append_printf(o, "int16_t(%d)", (int)(int16_t)v); return;
  case CW_IR_U16: g_string_append_printf(o, "uint16_t(%uu)", (unsigned)(uint16_t)v); return;
  default:
    if (cw_ir_type_is_float(t)) float_literal(o, t, cw_ir_type_is_signed(t) ? (double)(int64_t)v : (double)(int64_t)v);
    else g_string_append_printf(o, "%" G_GUINT64_FORMAT, v);
  }
}

/* ---- pointers --------------------------------------------------------------------------- */

static void var_name(cw_cprinter *p, const cw_ir_var *v);

const cw_ir_var *glsl_shared_root(glsl_ctx *c, const cw_ir_expr *e) {
  if (!e) return NULL;
  switch (e->prov.kind) {
  case CW_PROV_SHARED: return e->prov.var;
  case CW_PROV_PARAM: case CW_PROV_LOCAL:
    return e->prov.var ? g_hash_table_lookup(c->shared_root, e->prov.var) : NULL;
  default: return NULL;
  }
}

/* Innermost element type of an array type, and how many of them one element of t holds. */
static const cw_ir_type *innermost(const cw_ir_type *t, uint32_t *count) {
  uint32_t n = 1;
  while (t && t->kind == CW_IR_ARRAY) {
    n *= t->count ? t->count : 1;
    t = t->elem;
  }
  if (count) *count = n;
  return t;
}

static uint32_t elem_size(const cw_ir_type *ptr) {
  const cw_ir_type *t = ptr && ptr->kind == CW_IR_PTR ? ptr->elem : NULL;
  return t && t->size ? t->size : 1;
}

/* An integer offset as uint64_t (sign-extended from signed types). */
static void offset64(cw_cprinter *p, const cw_ir_expr *i) {
  const cw_ir_type *t = i->type;
  if (t && t->size == 8) g_string_append(O(p), "uint64_t(");
  else if (cw_ir_type_is_signed(t)) g_string_append(O(p), "uint64_t(int64_t(");
  else g_string_append(O(p), "uint64_t((");
  arg(p, i);
  g_string_append(O(p), t && t->size == 8 ? ")" : "))");
}

static void as_uint(cw_cprinter *p, const cw_ir_expr *i) {
  if (i->type && i->type->kind == CW_IR_U32) {
    sub(p, i);
    return;
  }
  g_string_append(O(p), "uint(");
  arg(p, i);
  g_string_append_c(O(p), ')');
}

static void as_index(cw_cprinter *p, const cw_ir_expr *i) {
  if (i->type && (i->type->kind == CW_IR_I32 || i->type->kind == CW_IR_U32)) {
    cw_cprinter_expr(p, i);
    return;
  }
  g_string_append(O(p), "int(");
  arg(p, i);
  g_string_append_c(O(p), ')');
}

/* "(base + offset)" for a global pointer plus `i` elements of `size` bytes. */
static void global_offset(cw_cprinter *p, const cw_ir_expr *base, const cw_ir_expr *i, uint32_t size,
                          bool minus) {
  g_string_append_c(O(p), '(');
  sub(p, base);
  g_string_append(O(p), minus ? " - " : " + ");
  offset64(p, i);
  if (size != 1) g_string_append_printf(O(p), " * %uul", size);
  g_string_append_c(O(p), ')');
}

/* The element of shared variable root at flat index `idx` (printed by idx_fn). */
static void shared_access(cw_cprinter *p, const cw_ir_var *root, const cw_ir_type *pointee,
                          const cw_ir_expr *idx_expr, const cw_ir_expr *plus, cw_ir_loc loc) {
  glsl_ctx *c = C(p);
  char buf[256];
  uint32_t total;
  if (g_hash_table_contains(c->untyped, root)) {
    glsl_fail(c, loc, "this use of dynamic shared memory reached through pointer casts is not supported");
    return;
  }
  const cw_ir_type *inner = innermost(root->type, &total);
  if (!pointee || pointee != inner) {
    glsl_fail(c, loc, "a pointer of type %s into __shared__ %s (of %s): GLSL can only index shared "
              "variables by their element type", cw_ir_type_str(pointee), root->source_name ? root->source_name : root->name,
              cw_ir_type_str(root->type));
    return;
  }
  GString *o = O(p);
  g_string_append(o, glsl_ident(root->name, buf, sizeof buf));
  if (root->type->kind != CW_IR_ARRAY) return;   /* a scalar: the index is 0 */
  /* unflatten: dims from outer to inner */
  uint32_t dims[8], nd = 0;
  for (const cw_ir_type *t = root->type; t && t->kind == CW_IR_ARRAY && nd < 8; t = t->elem)
    dims[nd++] = t->count ? t->count : 1;
  GString *idx = g_string_new(NULL);
  {
    GString *save = O(p);
    (void)save;
  }
  /* print the flat index into a side buffer by temporarily swapping the output */
  gsize mark = o->len;
  g_string_append_c(o, '(');
  sub(p, idx_expr);
  if (plus) {
    g_string_append(o, " + ");
    as_uint(p, plus);
  }
  g_string_append_c(o, ')');
  g_string_append(idx, o->str + mark);
  g_string_truncate(o, mark);
  uint32_t stride = total;
  for (uint32_t d = 0; d < nd; d++) {
    stride /= dims[d];
    if (nd == 1) g_string_append_printf(o, "[%s]", idx->str);
    else if (d == 0) g_string_append_printf(o, "[%s / %uu]", idx->str, stride);
    else if (stride == 1) g_string_append_printf(o, "[%s %% %uu]", idx->str, dims[d]);
    else g_string_append_printf(o, "[%s / %uu %% %uu]", idx->str, stride, dims[d]);
  }
  g_string_free(idx, TRUE);
}

static void global_ref(cw_cprinter *p, const cw_ir_type *pointee, cw_ir_loc loc) {
  glsl_ctx *c = C(p);
  if (!pointee || pointee->kind == CW_IR_VOID) {
    glsl_fail(c, loc, "dereferences a void pointer");
    return;
  }
  if (!glsl_type_ok(c, pointee, loc, 0)) return;
  if (pointee->kind == CW_IR_BOOL) {
    /* CUDA's bool is a byte: a uint8_t in memory, compared with 0 when read */
    if (!c->t->int8_storage) {
      glsl_fail(c, loc, "a bool in memory needs 8-bit storage, which the device lacks");
      return;
    }
    g_string_append_printf(O(p), "%s%s(", c->raw_bool ? "" : "(",
                           glsl_ref(c, cw_ir_type_scalar((cw_ir_module *)c->m, CW_IR_U8)));
    return;
  }
  g_string_append_printf(O(p), "%s(", glsl_ref(c, pointee));
}

/* ").v", closing a global reference (and the comparison of a bool read) */
static void global_ref_end(cw_cprinter *p, const cw_ir_type *pointee) {
  glsl_ctx *c = C(p);
  g_string_append(O(p), ").v");
  if (pointee && pointee->kind == CW_IR_BOOL && !c->raw_bool) g_string_append(O(p), " != uint8_t(0))");
}

void glsl_print_lvalue_of_ptr(cw_cprinter *p, const cw_ir_expr *ptr) {
  glsl_ctx *c = C(p);
  if (glsl_is_byref(c, ptr)) {
    var_name(p, ptr->var);
    return;
  }
  if (glsl_array_param(c, ptr)) {
    var_name(p, ptr->var);
    g_string_append(O(p), "[0]");
    return;
  }
  if (ptr->kind == CW_EX_ADDR && ptr->a) {
    cw_cprinter_expr_prec(p, ptr->a, CW_CPREC_POSTFIX);
    return;
  }
  const cw_ir_var *root = glsl_shared_root(c, ptr);
  const cw_ir_type *pointee = is_ptr(ptr->type) ? ptr->type->elem : NULL;
  if (root) {
    shared_access(p, root, pointee, ptr, NULL, ptr->loc);
    return;
  }
  if (ptr->prov.kind == CW_PROV_LOCAL && !glsl_spilled(c, ptr->prov.var)) {
    glsl_want_spill(c, ptr->prov.var);
    glsl_fail(c, ptr->loc, "a pointer to local variable %s (GLSL has no pointers to private memory)",
              ptr->prov.var ? ptr->prov.var->name : "?");
    return;
  }
  global_ref(p, pointee, ptr->loc);
  bool raw = c->raw_bool;
  c->raw_bool = false;
  arg(p, ptr);
  c->raw_bool = raw;
  global_ref_end(p, pointee);
}

/* p[i] */
static void index_ptr(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  if (glsl_is_byref(c, e->a)) {
    var_name(p, e->a->var);
    return;
  }
  if (glsl_array_param(c, e->a)) {
    var_name(p, e->a->var);
    g_string_append_c(O(p), '[');
    as_index(p, e->b);
    g_string_append_c(O(p), ']');
    return;
  }
  const cw_ir_var *root = glsl_shared_root(c, e->a);
  const cw_ir_type *pointee = e->a->type->elem;
  if (root) {
    shared_access(p, root, pointee, e->a, e->b, e->loc);
    return;
  }
  if (e->a->prov.kind == CW_PROV_LOCAL && !glsl_spilled(c, e->a->prov.var)) {
    glsl_want_spill(c, e->a->prov.var);
    glsl_fail(c, e->loc, "a pointer to local variable %s (GLSL has no pointers to private memory)",
              e->a->prov.var ? e->a->prov.var->name : "?");
    return;
  }
  global_ref(p, pointee, e->loc);
  bool raw = c->raw_bool;
  c->raw_bool = false;
  global_offset(p, e->a, e->b, elem_size(e->a->type), false);
  c->raw_bool = raw;
  global_ref_end(p, pointee);
}

/* The flat element index of an lvalue inside shared variable root. */
static void shared_flat_index(cw_cprinter *p, const cw_ir_expr *lv, const cw_ir_var *root) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  switch (lv->kind) {
  case CW_EX_VAR:
    if (lv->var != root) break;
    g_string_append(o, "0u");
    return;
  case CW_EX_DEREF:
    sub(p, lv->a);
    return;
  case CW_EX_INDEX:
    if (is_ptr(lv->a->type)) {
      g_string_append_c(o, '(');
      sub(p, lv->a);
      g_string_append(o, " + ");
      as_uint(p, lv->b);
      g_string_append_c(o, ')');
      return;
    }
    if (lv->a->type && lv->a->type->kind == CW_IR_ARRAY) {
      uint32_t k;
      innermost(lv->a->type->elem, &k);
      g_string_append_c(o, '(');
      shared_flat_index(p, lv->a, root);
      g_string_append(o, " + ");
      as_uint(p, lv->b);
      if (k != 1) g_string_append_printf(o, " * %uu", k);
      g_string_append_c(o, ')');
      return;
    }
    break;
  default: break;
  }
  glsl_fail(c, lv->loc, "a pointer into a member of __shared__ %s is not supported",
            root->source_name ? root->source_name : root->name);
}

/* &lv as a uint64_t address. */
static void global_address(cw_cprinter *p, const cw_ir_expr *lv) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  switch (lv->kind) {
  case CW_EX_VAR:
    if (lv->var->kind == CW_VAR_CONSTANT || lv->var->kind == CW_VAR_DEVICE) {
      g_string_append_printf(o, "(cw_globals() + %uul)", c->gm->global_offsets[lv->var->index]);
      return;
    }
    if (glsl_spilled(c, lv->var)) {
      glsl_frame_addr(c, o, lv->var);
      return;
    }
    glsl_want_spill(c, lv->var);
    glsl_fail(c, lv->loc, "takes the address of local variable %s (GLSL has no pointers to "
              "private memory)", lv->var->source_name ? lv->var->source_name : lv->var->name);
    return;
  case CW_EX_DEREF:
    sub(p, lv->a);
    return;
  case CW_EX_INDEX:
    if (is_ptr(lv->a->type)) {
      global_offset(p, lv->a, lv->b, elem_size(lv->a->type), false);
      return;
    }
    if (lv->a->type && lv->a->type->kind == CW_IR_ARRAY) {
      g_string_append_c(o, '(');
      global_address(p, lv->a);
      g_string_append(o, " + ");
      offset64(p, lv->b);
      g_string_append_printf(o, " * %uul)", lv->a->type->elem->size);
      return;
    }
    break;
  case CW_EX_MEMBER: {
    const cw_ir_type *bt = lv->a->type;
    uint32_t off = 0;
    if (bt && bt->kind == CW_IR_STRUCT && lv->field < bt->n_fields) off = bt->fields[lv->field].offset;
    else if (bt && bt->kind == CW_IR_VECTOR) off = lv->field * bt->elem->size;
    g_string_append_c(o, '(');
    global_address(p, lv->a);
    g_string_append_printf(o, " + %uul)", off);
    return;
  }
  default: break;
  }
  glsl_fail(c, lv->loc, "cannot take this address in GLSL");
}

static void addr_of(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  const cw_ir_var *root = glsl_shared_root(c, e);
  if (root && g_hash_table_contains(c->untyped, root)) {
    if (!glsl_untyped_addr(p, e->a)) glsl_fail(c, e->loc, "an address inside untyped dynamic shared memory");
    return;
  }
  if (root) {
    shared_flat_index(p, e->a, root);
    return;
  }
  global_address(p, e->a);
}

static void ptr_arith(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  bool minus = e->op == CW_OP_PTR_SUB;
  uint32_t scale = glsl_untyped_root(c, e->a) ? elem_size(e->a->type) : 1;
  if (e->op == CW_OP_PTR_DIFF) {
    if (glsl_shared_root(c, e->a)) {
      g_string_append(o, "int64_t(int(");
      sub(p, e->a);
      g_string_append(o, " - ");
      sub(p, e->b);
      g_string_append_printf(o, ") / %d)", (int)scale);
    } else {
      g_string_append(o, "(int64_t(");
      sub(p, e->a);
      g_string_append(o, " - ");
      sub(p, e->b);
      g_string_append_printf(o, ") / %ul)", elem_size(e->a->type));
    }
    return;
  }
  if (glsl_shared_root(c, e->a)) {
    g_string_append_c(o, '(');
    sub(p, e->a);
    g_string_append(o, minus ? " - " : " + ");
    as_uint(p, e->b);
    if (scale != 1) g_string_append_printf(o, " * %uu", scale);
    g_string_append_c(o, ')');
    return;
  }
  global_offset(p, e->a, e->b, elem_size(e->a->type), minus);
}

/* ---- casts ------------------------------------------------------------------------------ */

static bool same_glsl_type(const cw_ir_type *a, const cw_ir_type *b) {
  if (a == b) return true;
  if (!a || !b) return false;
  const char *x = glsl_scalar_name(a), *y = glsl_scalar_name(b);
  return x && y && strcmp(x, y) == 0;
}

static void cast(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  const cw_ir_type *to = e->type, *from = e->a->type;
  if (is_ptr(to) && is_ptr(from)) {
    const cw_ir_var *r = glsl_shared_root(c, e->a);
    if (r && !g_hash_table_contains(c->untyped, r) && to->elem != from->elem &&
        to->elem->kind != CW_IR_VOID && from->elem->kind != CW_IR_VOID)
      glsl_fail(c, e->loc, "casts a pointer into __shared__ %s to %s (GLSL cannot reinterpret shared "
                "memory)", r->source_name ? r->source_name : r->name, cw_ir_type_str(to));
    sub(p, e->a);
    return;
  }
  if (same_glsl_type(to, from)) {
    sub(p, e->a);
    return;
  }
  if (!glsl_type_ok(c, to, e->loc, 0)) return;
  if (to->kind == CW_IR_BOOL) {
    g_string_append_c(o, '(');
    sub(p, e->a);
    g_string_append(o, " != ");
    glsl_zero(c, o, from);
    g_string_append_c(o, ')');
    return;
  }
  if (from && from->kind == CW_IR_BOOL) {
    g_string_append_c(o, '(');
    sub(p, e->a);
    g_string_append(o, " ? ");
    int_literal(o, to, 1);
    g_string_append(o, " : ");
    int_literal(o, to, 0);
    g_string_append_c(o, ')');
    return;
  }
  if (!glsl_scalar_name(to) || (to->kind != CW_IR_PTR && !cw_ir_type_is_scalar(to) && to->kind != CW_IR_VECTOR)) {
    glsl_fail(c, e->loc, "cast from %s to %s", cw_ir_type_str(from), cw_ir_type_str(to));
    return;
  }
  if (is_ptr(to) && glsl_shared_root(c, e)) {
    glsl_fail(c, e->loc, "an integer cast to a pointer into shared memory");
    return;
  }
  if (to->kind == CW_IR_F16 && cw_ir_type_is_float(from)) {
    extern const char glsl_f2h_text[];
    glsl_need_helper(c, "cw_f2h", glsl_f2h_text);
    g_string_append(o, "cw_f2h(float(");
    arg(p, e->a);
    g_string_append(o, "))");
    return;
  }
  g_string_append_printf(o, "%s(", glsl_scalar_name(to));
  arg(p, e->a);
  g_string_append_c(o, ')');
}

/* ---- the expression hook ----------------------------------------------------------------- */

void glsl_var_name(cw_cprinter *p, const cw_ir_var *v) { var_name(p, v); }

static void var_name(cw_cprinter *p, const cw_ir_var *v) {
  glsl_ctx *c = C(p);
  char buf[256];
  if (v->kind == CW_VAR_CONSTANT || v->kind == CW_VAR_DEVICE) {
    if (!glsl_type_ok(c, v->type, v->loc, 0)) return;
    if (innermost(v->type, NULL)->kind == CW_IR_BOOL) {
      glsl_fail(c, v->loc, "a bool module variable (1 byte in CUDA, 4 in GLSL) is not supported");
      return;
    }
    g_string_append_printf(O(p), "%s(cw_globals() + %uul).v", glsl_ref(c, v->type),
                           c->gm->global_offsets[v->index]);
    return;
  }
  if (g_hash_table_contains(c->untyped, v)) {
    g_string_append(O(p), "0u");  /* the array as a pointer: byte offset 0 */
    return;
  }
  if (glsl_spilled(c, v)) {
    glsl_frame_var(c, O(p), v);
    return;
  }
  const char *promoted = glsl_promoted_name(c, v, buf, sizeof buf);
  if (promoted) {
    g_string_append(O(p), promoted);
    return;
  }
  if (glsl_fission_hoisted(c, v)) {
    g_string_append_printf(O(p), "cw_h_%s[cw_k]", glsl_ident(v->name, buf, sizeof buf));
    return;
  }
  g_string_append(O(p), glsl_ident(v->name, buf, sizeof buf));
}

/* Helper for C's signed remainder (GLSL's % is undefined for negative operands). */
static const char *srem_helper(glsl_ctx *c, const cw_ir_type *t) {
  const char *tn = glsl_scalar_name(t);
  char *name = g_strdup_printf("cw_srem_%s", tn);
  char *text = g_strdup_printf("%s %s(%s a, %s b) { return a - b * (a / b); }\n", tn, name, tn, tn);
  glsl_need_helper(c, name, text);
  g_free(text);
  const char *interned = g_intern_string(name);
  g_free(name);
  return interned;
}

static void func_name(GString *o, const cw_ir_func *f) {
  const char *n = f->name ? f->name : "anon";
  g_string_append(o, "f");
  if (n[0] != '_') g_string_append_c(o, '_');
  for (const char *s = n; *s; s++) {
    if (s[0] == '_' && s[1] == '_') {
      g_string_append(o, "_U");
      s++;
    } else {
      g_string_append_c(o, *s);
    }
  }
}

void glsl_func_name(GString *o, const cw_ir_func *f);
void glsl_func_name(GString *o, const cw_ir_func *f) { func_name(o, f); }

static void init_value(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  const cw_ir_type *t = e->type;
  if (!glsl_type_ok(c, t, e->loc, 0)) return;
  if (glsl_union_init(p, e)) return;
  if (t->kind == CW_IR_STRUCT) {
    glsl_type_name(c, o, t);
    g_string_append_c(o, '(');
    for (uint32_t i = 0; i < t->n_fields; i++) {
      if (i) g_string_append(o, ", ");
      glsl_struct_pads_before(o, t, i);
      if (i < e->n_args) arg(p, e->args[i]);
      else glsl_zero(c, o, t->fields[i].type);
    }
    if (t->n_fields) {
      gsize mark = o->len;
      g_string_append(o, ", ");
      gsize with = o->len;
      glsl_struct_pads_tail(o, t);
      if (o->len == with) g_string_truncate(o, mark);
      else if (o->len >= 2) g_string_truncate(o, o->len - 2);
    }
    g_string_append_c(o, ')');
    return;
  }
  if (t->kind == CW_IR_VECTOR) {
    g_string_append_printf(o, "%s(", glsl_scalar_name(t));
    for (uint32_t i = 0; i < t->count; i++) {
      if (i) g_string_append(o, ", ");
      if (i < e->n_args) arg(p, e->args[i]);
      else glsl_zero(c, o, t->elem);
    }
    g_string_append_c(o, ')');
    return;
  }
  if (t->kind == CW_IR_ARRAY) {
    glsl_type_name(c, o, t->elem);
    for (const cw_ir_type *x = t->elem; x->kind == CW_IR_ARRAY; x = x->elem) g_string_append_printf(o, "[%u]", x->count);
    g_string_append_printf(o, "[%u](", t->count);
    for (uint32_t i = 0; i < t->count; i++) {
      if (i) g_string_append(o, ", ");
      if (i < e->n_args) arg(p, e->args[i]);
      else glsl_zero(c, o, t->elem);
    }
    g_string_append_c(o, ')');
    return;
  }
  /* a scalar in braces */
  if (e->n_args) arg(p, e->args[0]);
  else glsl_zero(c, o, t);
}

static void assign(cw_cprinter *p, const cw_ir_expr *e, bool *done) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  *done = true;
  if (glsl_untyped_assign(p, e) || glsl_union_assign(p, e)) return;
  const cw_ir_type *lt = e->a->type;
  if (e->op == CW_OP_PTR_ADD || e->op == CW_OP_PTR_SUB) {
    cw_cprinter_expr_prec(p, e->a, CW_CPREC_UNARY);
    g_string_append(o, e->op == CW_OP_PTR_ADD ? " += " : " -= ");
    if (glsl_shared_root(c, e->a)) {
      as_uint(p, e->b);
      if (glsl_untyped_root(c, e->a)) g_string_append_printf(o, " * %uu", elem_size(lt));
    } else {
      offset64(p, e->b);
      g_string_append_printf(o, " * %uul", elem_size(lt));
    }
    return;
  }
  if (lt && lt->kind == CW_IR_BOOL &&
      ((e->a->kind == CW_EX_DEREF && !glsl_is_byref(c, e->a->a) && !glsl_array_param(c, e->a->a)) ||
       (e->a->kind == CW_EX_INDEX && is_ptr(e->a->a->type) && !glsl_is_byref(c, e->a->a) &&
        !glsl_array_param(c, e->a->a)))) {
    /* a store of a bool into memory: its byte (a op= b: computed in op_type, then != 0) */
    c->raw_bool = true;
    cw_cprinter_expr_prec(p, e->a, CW_CPREC_UNARY);
    c->raw_bool = false;
    g_string_append(o, " = (");
    if (e->op == CW_OP_NONE) {
      cw_cprinter_expr_prec(p, e->b, CW_CPREC_ALWAYS);
    } else {
      const char *opt = glsl_scalar_name(e->op_type ? e->op_type : cw_ir_type_scalar((cw_ir_module *)c->m, CW_IR_I32));
      g_string_append_printf(o, "(%s(", opt);
      cw_cprinter_expr_prec(p, e->a, CW_CPREC_ASSIGN);
      g_string_append_printf(o, ") %s %s(", cw_ir_op_spelling(e->op), opt);
      cw_cprinter_expr_prec(p, e->b, CW_CPREC_ASSIGN);
      g_string_append_printf(o, ")) != %s(0)", opt);
    }
    g_string_append(o, " ? uint8_t(1) : uint8_t(0))");
    return;
  }
  if (e->op == CW_OP_NONE) {
    if (lt && lt->kind == CW_IR_PTR) {
      const cw_ir_var *l = glsl_shared_root(c, e->a), *r = glsl_shared_root(c, e->b);
      if (l != r && e->b->kind != CW_EX_NULLPTR)
        glsl_fail(c, e->loc, "a pointer that points into different memories (shared and global) "
                  "cannot be expressed in GLSL");
    }
    *done = false;
    return;
  }
  const cw_ir_type *opt = e->op_type ? e->op_type : lt;
  bool srem = e->op == CW_OP_MOD && cw_ir_type_is_signed(opt) && cw_ir_type_is_int(opt);
  if (!srem && same_glsl_type(opt, lt) && same_glsl_type(opt, e->b->type)) {
    *done = false;
    return;
  }
  /* a = T(OPT(a) op b) */
  cw_cprinter_expr_prec(p, e->a, CW_CPREC_UNARY);
  g_string_append_printf(o, " = %s(", glsl_scalar_name(lt));
  if (srem) g_string_append_printf(o, "%s(", srem_helper(c, opt));
  g_string_append_printf(o, "%s(", glsl_scalar_name(opt));
  arg(p, e->a);
  g_string_append_c(o, ')');
  if (srem) g_string_append(o, ", ");
  else g_string_append_printf(o, " %s ", cw_ir_op_spelling(e->op));
  g_string_append_printf(o, "%s(", glsl_scalar_name(opt));
  arg(p, e->b);
  g_string_append(o, srem ? ")))" : "))");
}

bool glsl_expr_hook(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  if (glsl_fission_op(p, e)) return true;
  const char *hoisted = g_hash_table_lookup(c->warp_subst, e);
  if (hoisted) {
    g_string_append(o, hoisted);
    return true;
  }
  switch (e->kind) {
  case CW_EX_INT: int_literal(o, e->type, e->ival); return true;
  case CW_EX_FLOAT: float_literal(o, e->type, e->fval); return true;
  case CW_EX_NULLPTR: g_string_append(o, glsl_shared_root(c, e) ? "0u" : "0ul"); return true;
  case CW_EX_STRING:
    /* a string literal as a value: its tagged id (printf's %s prints the text) */
    g_string_append_printf(o, "%" G_GUINT64_FORMAT "ul",
                           (guint64)(GLSL_STRING_TAG | GPOINTER_TO_UINT(g_hash_table_lookup(c->string_ids, e))));
    return true;
  case CW_EX_VAR: var_name(p, e->var); return true;
  case CW_EX_BINARY:
    if (e->op == CW_OP_PTR_ADD || e->op == CW_OP_PTR_SUB || e->op == CW_OP_PTR_DIFF) {
      ptr_arith(p, e);
      return true;
    }
    if (e->op == CW_OP_MOD && cw_ir_type_is_int(e->type) && cw_ir_type_is_signed(e->type)) {
      g_string_append_printf(o, "%s(", srem_helper(c, e->type));
      arg(p, e->a);
      g_string_append(o, ", ");
      arg(p, e->b);
      g_string_append_c(o, ')');
      return true;
    }
    if ((e->op == CW_OP_SHL || e->op == CW_OP_SHR) && !same_glsl_type(e->a->type, e->b->type)) {
      sub(p, e->a);
      g_string_append(o, e->op == CW_OP_SHL ? " << " : " >> ");
      g_string_append_printf(o, "%s(", glsl_scalar_name(e->a->type));
      arg(p, e->b);
      g_string_append_c(o, ')');
      return true;
    }
    return false;
  case CW_EX_ASSIGN: {
    bool done;
    assign(p, e, &done);
    return done;
  }
  case CW_EX_INCDEC:
    if (glsl_untyped_incdec(p, e) || glsl_union_incdec(p, e)) return true;
    if (is_ptr(e->a->type) && !glsl_shared_root(c, e->a)) {
      uint32_t sz = elem_size(e->a->type);
      g_string_append(o, e->is_post ? "((" : "(");
      cw_cprinter_expr_prec(p, e->a, CW_CPREC_UNARY);
      g_string_append_printf(o, " %s= %uul)", e->is_dec ? "-" : "+", sz);
      if (e->is_post) g_string_append_printf(o, " %s %uul)", e->is_dec ? "+" : "-", sz);
      return true;
    }
    return false;
  case CW_EX_CAST: cast(p, e); return true;
  case CW_EX_DEREF:
    if (glsl_untyped_read(p, e)) return true;
    glsl_print_lvalue_of_ptr(p, e->a);
    return true;
  case CW_EX_ADDR: addr_of(p, e); return true;
  case CW_EX_INDEX:
    if (glsl_untyped_read(p, e) || glsl_union_read(p, e)) return true;
    if (is_ptr(e->a->type)) {
      index_ptr(p, e);
      return true;
    }
    cw_cprinter_expr_prec(p, e->a, CW_CPREC_POSTFIX);
    g_string_append_c(o, '[');
    as_index(p, e->b);
    g_string_append_c(o, ']');
    return true;
  case CW_EX_MEMBER: {
    const cw_ir_type *bt = e->a->type;
    char buf[256];
    if (glsl_union_read(p, e)) return true;
    cw_cprinter_expr_prec(p, e->a, CW_CPREC_POSTFIX);
    if (bt && bt->kind == CW_IR_STRUCT && e->field < bt->n_fields)
      g_string_append_printf(o, ".%s", glsl_ident(bt->fields[e->field].name, buf, sizeof buf));
    else
      g_string_append_printf(o, ".%c", "xyzw"[e->field < 4 ? e->field : 0]);
    return true;
  }
  case CW_EX_CALL: {
    if (!e->callee) return false;
    func_name(o, e->callee);
    g_string_append_c(o, '(');
    bool first = true;
    for (uint32_t i = 0; i < e->n_args; i++) {
      if (i < e->callee->n_params && glsl_param_dropped(c, e->callee->params[i])) continue;
      if (!first) g_string_append(o, ", ");
      first = false;
      const cw_ir_expr *a = e->args[i];
      if (i < e->callee->n_params && g_hash_table_contains(c->byref, e->callee->params[i])) {
        glsl_print_byref_arg(p, a);
        continue;
      }
      if (i < e->callee->n_params && g_hash_table_contains(c->arrref, e->callee->params[i])) {
        glsl_print_array_arg(p, a);
        continue;
      }
      if (is_ptr(a->type) && i < e->callee->n_params) {
        const cw_ir_var *want = g_hash_table_lookup(c->shared_root, e->callee->params[i]);
        if (want != glsl_shared_root(c, a) && a->kind != CW_EX_NULLPTR)
          glsl_fail(c, a->loc, "%s is called with pointers into different memories (shared and "
                    "global) for parameter %s", e->callee->source_name, e->callee->params[i]->name);
      }
      arg(p, a);
    }
    g_string_append_c(o, ')');
    return true;
  }
  case CW_EX_BUILTIN: return glsl_builtin(p, e);
  case CW_EX_INIT: init_value(p, e); return true;
  default: return false;
  }
}

/* ---- statements ------------------------------------------------------------------------ */

void glsl_local_decl(cw_cprinter *p, const cw_ir_var *v, const cw_ir_expr *init) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  char buf[256];
  if (!glsl_type_ok(c, v->type, v->loc, 0)) return;
  if (glsl_spilled(c, v)) {
    /* lives in the frame: only its initializer is left here */
    if (init) {
      glsl_frame_var(c, o, v);
      g_string_append(o, " = ");
      arg(p, init);
    }
    return;
  }
  const char *promoted = glsl_promoted_name(c, v, buf, sizeof buf);
  if (promoted) {
    /* declared at module scope: only its initializer is left here */
    if (init) {
      g_string_append_printf(o, "%s = ", promoted);
      arg(p, init);
    }
    return;
  }
  const char *name = glsl_ident(v->name, buf, sizeof buf);
  if (glsl_fission_hoisted(c, v) || glsl_fission_scalar(c, v)) {
    /* declared at the kernel's top (glsl_fission.c): only its initializer is left here */
    if (!init) return;
    var_name(p, v);
  } else if (is_ptr(v->type) && g_hash_table_lookup(c->shared_root, v)) {
    g_string_append_printf(o, "uint %s", name);
  } else {
    glsl_decl(c, o, v->type, name);
  }
  if (init) {
    g_string_append(o, " = ");
    if (is_ptr(v->type)) {
      const cw_ir_var *want = g_hash_table_lookup(c->shared_root, v);
      if (want != glsl_shared_root(c, init) && init->kind != CW_EX_NULLPTR)
        glsl_fail(c, init->loc, "pointer %s points into different memories (shared and global)", v->name);
    }
    arg(p, init);
  }
}

static void block_body(cw_cprinter *p, const cw_ir_stmt *s) {
  if (s && s->kind == CW_ST_BLOCK) {
    for (uint32_t i = 0; i < s->n_stmts; i++) cw_cprinter_stmt(p, s->stmts[i]);
  } else if (s) {
    cw_cprinter_stmt(p, s);
  }
}

bool glsl_stmt_hook(cw_cprinter *p, const cw_ir_stmt *s) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  if (glsl_predicated_if(p, s)) return true;
  if ((s->kind == CW_ST_RETURN || s->kind == CW_ST_BREAK || s->kind == CW_ST_CONTINUE) && glsl_fission_jump(p, s))
    return true;
  switch (s->kind) {
  case CW_ST_DECL:
    if (!s->var || (s->var->kind != CW_VAR_LOCAL && s->var->kind != CW_VAR_PARAM)) return true;
    cw_cprinter_newline(p);
    glsl_local_decl(p, s->var, s->expr);
    g_string_append_c(o, ';');
    return true;
  case CW_ST_FOR:
    /* { init; for (; cond; step) { body } } keeps the init's scope */
    cw_cprinter_newline(p);
    g_string_append_c(o, '{');
    cw_cprinter_indent(p, 1);
    if (s->init) block_body(p, s->init);
    cw_cprinter_newline(p);
    g_string_append(o, "for (; ");
    if (s->cond) cw_cprinter_expr(p, s->cond);
    g_string_append(o, "; ");
    if (s->step) cw_cprinter_expr(p, s->step);
    g_string_append(o, ") {");
    cw_cprinter_indent(p, 1);
    block_body(p, s->body);
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append_c(o, '}');
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append_c(o, '}');
    return true;
  case CW_ST_SWITCH: {
    cw_cprinter_newline(p);
    g_string_append(o, "switch (int(");
    cw_cprinter_expr(p, s->cond);
    g_string_append(o, ")) {");
    cw_cprinter_indent(p, 1);
    block_body(p, s->body);
    cw_cprinter_newline(p);
    g_string_append(o, "break;");  /* GLSL wants a statement after the last label */
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append_c(o, '}');
    return true;
  }
  case CW_ST_CASE:
    cw_cprinter_newline(p);
    if (s->is_default) g_string_append(o, "default:");
    else g_string_append_printf(o, "case %d:", (int)s->case_value);
    return true;
  case CW_ST_GOTO: case CW_ST_LABEL:
    glsl_fail(c, s->loc, "goto has no GLSL equivalent");
    return true;
  default:
    return false;
  }
}
