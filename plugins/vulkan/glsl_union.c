/* glsl_union.c — unions as words.
 *
 * GLSL has no unions and cannot reinterpret private memory, so a union is a struct of its
 * 32-bit words (`struct S_U { uint cw_w[N]; }`, size a multiple of 4), and an access to a member
 * (through any chain of members and array elements) is a bit cast of the words at its byte
 * offset: reads inline, stores through cw_ust_<T>_<N>(inout words, word index, value).  Members
 * must be made of 4- and 8-byte scalars (and vectors of 4-byte scalars) at 4-byte offsets. */
#include <string.h>

#include "glsl_internal.h"

static glsl_ctx *C(cw_cprinter *p) { return cw_cprinter_user(p); }
static GString *O(cw_cprinter *p) { return cw_cprinter_out(p); }
static bool is_union(const cw_ir_type *t) { return t && t->kind == CW_IR_STRUCT && t->is_union; }

uint32_t glsl_union_words(const cw_ir_type *t) { return (t->size + 3) / 4; }

/* Can every leaf of t live in words? */
bool glsl_union_ok(const cw_ir_type *t, uint32_t offset) {
  switch (t->kind) {
  case CW_IR_STRUCT:
    for (uint32_t i = 0; i < t->n_fields; i++)
      if (!glsl_union_ok(t->fields[i].type, offset + t->fields[i].offset)) return false;
    return true;
  case CW_IR_ARRAY:
    return glsl_union_ok(t->elem, offset) && (t->elem->size % 4 == 0 || t->count <= 1);
  case CW_IR_VECTOR:
    return t->elem->size == 4 && offset % 4 == 0;
  case CW_IR_I32: case CW_IR_U32: case CW_IR_F32: case CW_IR_I64: case CW_IR_U64: case CW_IR_F64: case CW_IR_PTR:
    return offset % 4 == 0;
  default:
    return false;
  }
}

/* The union an lvalue chain (members, array elements) starts from, closest to the root. */
static const cw_ir_expr *union_root(const cw_ir_expr *e) {
  const cw_ir_expr *r = NULL;
  for (const cw_ir_expr *x = e; x && (x->kind == CW_EX_MEMBER || (x->kind == CW_EX_INDEX && x->a->type &&
                                                                   x->a->type->kind == CW_IR_ARRAY));
       x = x->a)
    if (is_union(x->a->type)) r = x->a;
  return r;
}

static bool leaf(const cw_ir_type *t) {
  return t && (t->kind == CW_IR_VECTOR || cw_ir_type_is_scalar(t)) && t->kind != CW_IR_BOOL;
}

/* Prints the word index of e inside root r: "(bytes) >> 2" or a constant. */
static void word_index(cw_cprinter *p, const cw_ir_expr *e, const cw_ir_expr *r) {
  uint32_t konst = 0;
  GString *dyn = g_string_new(NULL);
  GString *o = O(p);
  for (const cw_ir_expr *x = e; x != r; x = x->a) {
    const cw_ir_type *bt = x->a->type;
    if (x->kind == CW_EX_MEMBER) {
      if (bt->kind == CW_IR_VECTOR) konst += x->field * bt->elem->size;
      else konst += bt->fields[x->field].offset;
    } else {
      gsize mark = o->len;
      g_string_append(o, " + uint(");
      cw_cprinter_expr_prec(p, x->b, CW_CPREC_ASSIGN);
      g_string_append_printf(o, ") * %uu", bt->elem->size);
      g_string_append(dyn, o->str + mark);
      g_string_truncate(o, mark);
    }
  }
  if (dyn->len) g_string_append_printf(o, "((%uu%s) >> 2)", konst, dyn->str);
  else g_string_append_printf(o, "%uu", konst / 4);
  g_string_free(dyn, TRUE);
}

static void words_of(cw_cprinter *p, const cw_ir_expr *r) {
  cw_cprinter_expr_prec(p, r, CW_CPREC_POSTFIX);
  g_string_append(O(p), ".cw_w");
}

/* A value of t from words[k], words[k+1], ...: printed with `w` = the words, `k` = the index. */
static void from_words(cw_cprinter *p, const cw_ir_type *t, const cw_ir_expr *r, const cw_ir_expr *e) {
  GString *o = O(p);
  const cw_ir_type *s = t->kind == CW_IR_VECTOR ? t->elem : t;
  uint32_t lanes = t->kind == CW_IR_VECTOR ? t->count : 1;
  if (lanes > 1) g_string_append_printf(o, "%s(", glsl_scalar_name(t));
  for (uint32_t l = 0; l < lanes; l++) {
    if (l) g_string_append(o, ", ");
    const char *conv = s->kind == CW_IR_F32 ? "uintBitsToFloat(" : s->kind == CW_IR_I32 ? "int(" : s->kind == CW_IR_U32 ? "(" :
                       s->kind == CW_IR_F64 ? "uint64BitsToDouble(packUint2x32(uvec2(" : s->kind == CW_IR_I64 ? "int64_t(packUint2x32(uvec2(" :
                       "(packUint2x32(uvec2(";
    g_string_append(o, conv);
    for (uint32_t w = 0; w < (s->size == 8 ? 2u : 1u); w++) {
      if (w) g_string_append(o, ", ");
      words_of(p, r);
      g_string_append_c(o, '[');
      word_index(p, e, r);
      if (l * (s->size / 4) + w) g_string_append_printf(o, " + %uu", l * (s->size / 4) + w);
      g_string_append_c(o, ']');
    }
    g_string_append(o, s->size == 8 ? ")))" : ")");
  }
  if (lanes > 1) g_string_append_c(o, ')');
}

bool glsl_union_read(cw_cprinter *p, const cw_ir_expr *e) {
  const cw_ir_expr *r = union_root(e);
  if (!r) return false;
  if (!leaf(e->type)) {
    glsl_fail(C(p), e->loc, "a %s taken whole out of a union (only its scalar members can be read)",
              cw_ir_type_str(e->type));
    return true;
  }
  from_words(p, e->type, r, e);
  return true;
}

/* cw_ust_T_N(inout uint w[N], uint k, T v): stores v's words, returns v */
static const char *store_helper(glsl_ctx *c, const cw_ir_type *t, uint32_t n) {
  const cw_ir_type *s = t->kind == CW_IR_VECTOR ? t->elem : t;
  uint32_t lanes = t->kind == CW_IR_VECTOR ? t->count : 1;
  const char *tn = glsl_scalar_name(t);
  char *name = g_strdup_printf("cw_ust_%s_%u", tn, n);
  GString *h = g_string_new(NULL);
  g_string_append_printf(h, "%s %s(inout uint w[%u], uint k, %s v) {\n", tn, name, n, tn);
  for (uint32_t l = 0; l < lanes; l++) {
    char lane[16];
    snprintf(lane, sizeof lane, lanes > 1 ? "v.%c" : "v", "xyzw"[l]);
    if (s->size == 8) {
      g_string_append_printf(h, "  { uvec2 b = unpackUint2x32(%s(%s)); w[k + %uu] = b.x; w[k + %uu] = b.y; }\n",
                             s->kind == CW_IR_F64 ? "doubleBitsToUint64" : "uint64_t", lane, 2 * l, 2 * l + 1);
    } else {
      g_string_append_printf(h, "  w[k + %uu] = %s(%s);\n", l, s->kind == CW_IR_F32 ? "floatBitsToUint" : "uint", lane);
    }
  }
  g_string_append(h, "  return v;\n}\n");
  glsl_need_helper(c, name, h->str);
  g_string_free(h, TRUE);
  const char *interned = g_intern_string(name);
  g_free(name);
  return interned;
}

static void store(cw_cprinter *p, const cw_ir_expr *lv, const cw_ir_expr *r, const cw_ir_expr *op_a,
                  const char *op, const cw_ir_expr *rhs, const char *rhs_text) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  g_string_append_printf(o, "%s(", store_helper(c, lv->type, glsl_union_words(r->type)));
  words_of(p, r);
  g_string_append(o, ", ");
  word_index(p, lv, r);
  g_string_append(o, ", ");
  if (op) {
    g_string_append_printf(o, "%s(", glsl_scalar_name(lv->type));
    from_words(p, lv->type, r, op_a);
    g_string_append_printf(o, " %s ", op);
  }
  if (rhs) cw_cprinter_expr_prec(p, rhs, op ? CW_CPREC_ALWAYS : CW_CPREC_ASSIGN);
  else g_string_append(o, rhs_text);
  if (op) g_string_append_c(o, ')');
  g_string_append_c(o, ')');
}

bool glsl_union_assign(cw_cprinter *p, const cw_ir_expr *e) {
  const cw_ir_expr *r = union_root(e->a);
  if (!r) return false;
  if (!leaf(e->a->type)) {
    glsl_fail(C(p), e->loc, "a %s stored whole into a union", cw_ir_type_str(e->a->type));
    return true;
  }
  if (e->op == CW_OP_NONE) store(p, e->a, r, NULL, NULL, e->b, NULL);
  else store(p, e->a, r, e->a, cw_ir_op_spelling(e->op), e->b, NULL);
  return true;
}

bool glsl_union_incdec(cw_cprinter *p, const cw_ir_expr *e) {
  const cw_ir_expr *r = union_root(e->a);
  if (!r || !leaf(e->a->type) || e->a->type->kind == CW_IR_VECTOR) return false;
  GString *o = O(p);
  if (e->is_post) g_string_append_c(o, '(');
  store(p, e->a, r, e->a, e->is_dec ? "-" : "+", NULL, cw_ir_type_is_float(e->a->type) ? "1.0" : "1");
  if (e->is_post) g_string_append_printf(o, " %s 1)", e->is_dec ? "+" : "-");
  return true;
}

bool glsl_union_init(cw_cprinter *p, const cw_ir_expr *e) {
  const cw_ir_type *t = e->type;
  if (!is_union(t)) return false;
  glsl_ctx *c = C(p);
  GString *o = O(p);
  uint32_t n = glsl_union_words(t);
  glsl_type_name(c, o, t);
  g_string_append_printf(o, "(uint[%u](", n);
  uint32_t done = 0;
  if (e->n_args && t->n_fields) {
    const cw_ir_type *f = t->fields[0].type;
    if (f->kind == CW_IR_F32 || f->kind == CW_IR_I32 || f->kind == CW_IR_U32) {
      g_string_append(o, f->kind == CW_IR_F32 ? "floatBitsToUint(" : "uint(");
      cw_cprinter_expr_prec(p, e->args[0], CW_CPREC_ASSIGN);
      g_string_append_c(o, ')');
      done = 1;
    } else {
      glsl_fail(c, e->loc, "an initializer for union %s", t->source_name ? t->source_name : t->name);
    }
  }
  for (uint32_t i = done; i < n; i++) g_string_append(o, i ? ", 0u" : "0u");
  g_string_append(o, "))");
  return true;
}
