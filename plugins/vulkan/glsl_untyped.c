/* glsl_untyped.c — dynamic shared memory as untyped words (see glsl_internal.h).
 *
 * CUDA programs carve several arrays of different types out of `extern __shared__` memory with
 * pointer casts.  GLSL cannot reinterpret a typed shared array, so such a kernel's dynamic
 * shared memory is `shared uint cw_dyn[CW_DYN_COUNT]`, a pointer into it is a byte offset, and a
 * T at byte offset o is read with cw_dyn_ld_T(o) and written with cw_dyn_st_T(o, v) (bit casts;
 * 4- and 8-byte scalars, 4-byte aligned).  Integer atomics work on the words themselves. */
#include "glsl_internal.h"

static glsl_ctx *C(cw_cprinter *p) { return cw_cprinter_user(p); }
static GString *O(cw_cprinter *p) { return cw_cprinter_out(p); }
static void sub(cw_cprinter *p, const cw_ir_expr *e) { cw_cprinter_expr_prec(p, e, CW_CPREC_ALWAYS); }
static bool is_ptr(const cw_ir_type *t) { return t && t->kind == CW_IR_PTR; }

static void visit_casts(const cw_ir_expr *e, void *user) {
  glsl_ctx *c = user;
  if (e->kind != CW_EX_CAST || !is_ptr(e->type) || !e->a || !is_ptr(e->a->type)) return;
  const cw_ir_var *r = glsl_shared_root(c, e->a);
  if (r && r->kind == CW_VAR_SHARED_DYNAMIC && e->type->elem != e->a->type->elem)
    g_hash_table_add(c->untyped, (gpointer)r);
}

void glsl_find_untyped(glsl_ctx *c, const cw_ir_func *k) {
  for (uint32_t i = 0; i < c->m->n_funcs; i++) {
    const cw_ir_func *f = c->m->funcs[i];
    if (f->body && (f == k || k->n_callees)) glsl_walk_func(f, visit_casts, c);
  }
}

const cw_ir_var *glsl_untyped_root(glsl_ctx *c, const cw_ir_expr *ptr) {
  const cw_ir_var *r = glsl_shared_root(c, ptr);
  return r && g_hash_table_contains(c->untyped, r) ? r : NULL;
}

static uint32_t size_of(const cw_ir_type *t) { return t && t->size ? t->size : 1; }

/* The byte offset of an lvalue in untyped memory, printed; false when lv is not one. */
static bool offset_of(cw_cprinter *p, const cw_ir_expr *lv) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  switch (lv->kind) {
  case CW_EX_VAR:
    if (!g_hash_table_contains(c->untyped, lv->var)) return false;
    g_string_append(o, "0u");
    return true;
  case CW_EX_DEREF:
    if (!glsl_untyped_root(c, lv->a)) return false;
    sub(p, lv->a);
    return true;
  case CW_EX_INDEX: {
    const cw_ir_expr *base = lv->a;
    bool ptr = is_ptr(base->type);
    if (ptr ? !glsl_untyped_root(c, base) : !(base->kind == CW_EX_VAR && g_hash_table_contains(c->untyped, base->var)))
      return false;
    g_string_append_c(o, '(');
    if (ptr) sub(p, base);
    else g_string_append(o, "0u");
    g_string_append(o, " + uint(");
    cw_cprinter_expr_prec(p, lv->b, CW_CPREC_ASSIGN);
    g_string_append_printf(o, ") * %uu)", size_of(lv->type));
    return true;
  }
  default:
    return false;
  }
}

static bool is_untyped_lvalue(glsl_ctx *c, const cw_ir_expr *lv) {
  switch (lv->kind) {
  case CW_EX_VAR: return g_hash_table_contains(c->untyped, lv->var);
  case CW_EX_DEREF: return glsl_untyped_root(c, lv->a) != NULL;
  case CW_EX_INDEX:
    return is_ptr(lv->a->type) ? glsl_untyped_root(c, lv->a) != NULL
                               : lv->a->kind == CW_EX_VAR && g_hash_table_contains(c->untyped, lv->a->var);
  default: return false;
  }
}

/* Declares cw_dyn_ld_T / cw_dyn_st_T for t; the GLSL type name, or NULL (failure recorded). */
static const char *accessors(glsl_ctx *c, const cw_ir_type *t, cw_ir_loc loc) {
  const char *tn = glsl_scalar_name(t);
  const char *ld = NULL, *st = NULL;
  switch (t ? t->kind : CW_IR_VOID) {
  case CW_IR_F32: ld = "uintBitsToFloat(cw_dyn[o >> 2])"; st = "cw_dyn[o >> 2] = floatBitsToUint(v)"; break;
  case CW_IR_I32: ld = "int(cw_dyn[o >> 2])"; st = "cw_dyn[o >> 2] = uint(v)"; break;
  case CW_IR_U32: ld = "cw_dyn[o >> 2]"; st = "cw_dyn[o >> 2] = v"; break;
  case CW_IR_F64:
    ld = "uint64BitsToDouble(packUint2x32(uvec2(cw_dyn[o >> 2], cw_dyn[(o >> 2) + 1u])))";
    st = "uvec2 w = unpackUint2x32(doubleBitsToUint64(v)); cw_dyn[o >> 2] = w.x; cw_dyn[(o >> 2) + 1u] = w.y";
    break;
  case CW_IR_I64: case CW_IR_U64: case CW_IR_PTR:
    ld = t->kind == CW_IR_I64 ? "int64_t(packUint2x32(uvec2(cw_dyn[o >> 2], cw_dyn[(o >> 2) + 1u])))"
                              : "packUint2x32(uvec2(cw_dyn[o >> 2], cw_dyn[(o >> 2) + 1u]))";
    st = "uvec2 w = unpackUint2x32(uint64_t(v)); cw_dyn[o >> 2] = w.x; cw_dyn[(o >> 2) + 1u] = w.y";
    break;
  default:
    glsl_fail(c, loc, "a %s in dynamic shared memory reached through pointer casts (only 4- and 8-byte "
              "scalars are supported there)", cw_ir_type_str(t));
    return NULL;
  }
  char *name = g_strdup_printf("cw_dyn_%s", tn);
  char *text = g_strdup_printf("%s cw_dyn_ld_%s(uint o) { return %s; }\n"
                               "%s cw_dyn_st_%s(uint o, %s v) { %s; return v; }\n",
                               tn, tn, ld, tn, tn, tn, st);
  glsl_need_helper(c, name, text);
  g_free(name);
  g_free(text);
  return tn;
}

bool glsl_untyped_read(cw_cprinter *p, const cw_ir_expr *lv) {
  glsl_ctx *c = C(p);
  if (!is_untyped_lvalue(c, lv)) return false;
  const char *tn = accessors(c, lv->type, lv->loc);
  if (!tn) return true;
  g_string_append_printf(O(p), "cw_dyn_ld_%s(", tn);
  offset_of(p, lv);
  g_string_append_c(O(p), ')');
  return true;
}

bool glsl_untyped_assign(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  if (!is_untyped_lvalue(c, e->a)) return false;
  const char *tn = accessors(c, e->a->type, e->loc);
  if (!tn) return true;
  GString *o = O(p);
  g_string_append_printf(o, "cw_dyn_st_%s(", tn);
  offset_of(p, e->a);
  g_string_append(o, ", ");
  if (e->op == CW_OP_NONE) {
    cw_cprinter_expr_prec(p, e->b, CW_CPREC_ASSIGN);
  } else {
    /* a op= b: computed in op_type, stored as the lvalue's type */
    const char *opt = glsl_scalar_name(e->op_type ? e->op_type : e->a->type);
    g_string_append_printf(o, "%s(%s(", tn, opt);
    glsl_untyped_read(p, e->a);
    g_string_append_printf(o, ") %s %s(", cw_ir_op_spelling(e->op), opt);
    cw_cprinter_expr_prec(p, e->b, CW_CPREC_ASSIGN);
    g_string_append(o, "))");
  }
  g_string_append_c(o, ')');
  return true;
}

bool glsl_untyped_incdec(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  if (is_ptr(e->a->type) && glsl_untyped_root(c, e->a)) {
    /* a pointer into untyped memory steps by its element size in bytes */
    uint32_t sz = size_of(e->a->type->elem);
    g_string_append(o, e->is_post ? "((" : "(");
    cw_cprinter_expr_prec(p, e->a, CW_CPREC_UNARY);
    g_string_append_printf(o, " %s= %uu)", e->is_dec ? "-" : "+", sz);
    if (e->is_post) g_string_append_printf(o, " %s %uu)", e->is_dec ? "+" : "-", sz);
    return true;
  }
  if (!is_untyped_lvalue(c, e->a)) return false;
  const char *tn = accessors(c, e->a->type, e->loc);
  if (!tn) return true;
  g_string_append_printf(o, "(cw_dyn_st_%s(", tn);
  offset_of(p, e->a);
  g_string_append_printf(o, ", %s(", tn);
  glsl_untyped_read(p, e->a);
  g_string_append_printf(o, " %s 1))%s)", e->is_dec ? "-" : "+",
                         e->is_post ? (e->is_dec ? " + 1" : " - 1") : "");
  return true;
}

bool glsl_untyped_addr(cw_cprinter *p, const cw_ir_expr *lv) {
  glsl_ctx *c = C(p);
  if (!is_untyped_lvalue(c, lv)) return false;
  offset_of(p, lv);
  return true;
}

/* A compare-exchange loop on a word of cw_dyn for atomics GLSL has no word form of. */
static const char *cas_helper(glsl_ctx *c, const cw_ir_type *t, const char *op, const char *update) {
  const char *tn = glsl_scalar_name(t);
  const char *from = t->kind == CW_IR_F32 ? "uintBitsToFloat" : t->kind == CW_IR_I32 ? "int" : "uint";
  const char *to = t->kind == CW_IR_F32 ? "floatBitsToUint" : "uint";
  char *name = g_strdup_printf("cw_dyn_atomic_%s_%s", op, tn);
  char *text = g_strdup_printf(
      "%s %s(uint at, %s v) {\n"
      "  uint cur = cw_dyn[at >> 2], prev;\n"
      "  do { prev = cur; %s o = %s(prev); cur = atomicCompSwap(cw_dyn[at >> 2], prev, %s(%s)); } while (cur != prev);\n"
      "  return %s(prev);\n}\n",
      tn, name, tn, tn, from, to, update, from);
  glsl_need_helper(c, name, text);
  g_free(text);
  const char *interned = g_intern_string(name);
  g_free(name);
  return interned;
}

bool glsl_untyped_atomic(cw_cprinter *p, const cw_ir_expr *e, const char *native, bool negate) {
  glsl_ctx *c = C(p);
  const cw_ir_expr *ptr = e->args[0];
  if (!glsl_untyped_root(c, ptr)) return false;
  const cw_ir_type *t = ptr->type->elem;
  GString *o = O(p);
  if (!t || (t->kind != CW_IR_I32 && t->kind != CW_IR_U32 && t->kind != CW_IR_F32)) {
    glsl_fail(c, e->loc, "%s on %s in dynamic shared memory reached through pointer casts",
              cw_ir_builtin_spelling(e->bi), cw_ir_type_str(t));
    return true;
  }
  bool sgn = t->kind == CW_IR_I32;
  if (e->bi == CW_BI_ATOMIC_CAS) {
    const char *from = t->kind == CW_IR_F32 ? "uintBitsToFloat" : sgn ? "int" : "uint";
    const char *to = t->kind == CW_IR_F32 ? "floatBitsToUint" : "uint";
    g_string_append_printf(o, "%s(atomicCompSwap(cw_dyn[(", from);
    sub(p, ptr);
    g_string_append_printf(o, ") >> 2], %s(", to);
    cw_cprinter_expr_prec(p, e->args[1], CW_CPREC_ASSIGN);
    g_string_append_printf(o, "), %s(", to);
    cw_cprinter_expr_prec(p, e->args[2], CW_CPREC_ASSIGN);
    g_string_append(o, ")))");
    return true;
  }
  if (native && t->kind != CW_IR_F32) {
    g_string_append_printf(o, "%s%s(cw_dyn[(", sgn ? "int(" : "", native);
    sub(p, ptr);
    g_string_append(o, ") >> 2]");
    for (uint32_t i = 1; i < e->n_args; i++) {
      g_string_append(o, negate ? ", uint(-(" : ", uint((");
      cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_ASSIGN);
      g_string_append(o, "))");
    }
    g_string_append(o, sgn ? "))" : ")");
    return true;
  }
  const char *op, *update;
  switch (e->bi) {
  case CW_BI_ATOMIC_ADD: op = "add", update = "o + v"; break;
  case CW_BI_ATOMIC_SUB: op = "sub", update = "o - v"; break;
  case CW_BI_ATOMIC_EXCH: op = "exch", update = "v"; break;
  case CW_BI_ATOMIC_MIN: op = "min", update = "min(o, v)"; break;
  case CW_BI_ATOMIC_MAX: op = "max", update = "max(o, v)"; break;
  case CW_BI_ATOMIC_INC: op = "inc", update = "(o >= v) ? 0u : o + 1u"; break;
  case CW_BI_ATOMIC_DEC: op = "dec", update = "(o == 0u || o > v) ? v : o - 1u"; break;
  default:
    glsl_fail(c, e->loc, "%s on %s in dynamic shared memory reached through pointer casts",
              cw_ir_builtin_spelling(e->bi), cw_ir_type_str(t));
    return true;
  }
  g_string_append_printf(o, "%s(", cas_helper(c, t, op, update));
  cw_cprinter_expr_prec(p, ptr, CW_CPREC_ASSIGN);
  g_string_append(o, ", ");
  cw_cprinter_expr_prec(p, e->args[1], CW_CPREC_ASSIGN);
  g_string_append_c(o, ')');
  return true;
}
