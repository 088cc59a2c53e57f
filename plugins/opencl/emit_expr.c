/* emit_expr.c — the OpenCL C dialect of core's C-family printer: type names, address-space
 * qualifiers, module/shared variables, casts, calls of function instances, declarations.
 *
 * Types: OpenCL's own scalar names (long is 64-bit, `long long` is reserved); CUDA vector types
 * become structs `cw_float4` with CUDA's size and alignment (OpenCL's float3 is 16 bytes, CUDA's
 * 12, and the built-in vector names cannot be redefined), so structs and buffers keep CUDA's
 * layout byte for byte.  Module variables are read through the globals buffer:
 * `(*(__global T *)(cw_globals + OFFSET))`. */
#include <string.h>

#include "emit.h"

static ocl_emit *EM(cw_cprinter *p) { return cw_cprinter_user(p); }

static const char *scalar_name(void *user, const cw_ir_type *t) {
  ocl_emit *em = user;
  switch (t->kind) {
  case CW_IR_BOOL: return "bool";
  case CW_IR_I8: return "char";
  case CW_IR_U8: return "uchar";
  case CW_IR_I16: return "short";
  case CW_IR_U16: return "ushort";
  case CW_IR_I32: return "int";
  case CW_IR_U32: return "uint";
  case CW_IR_I64: return "long";
  case CW_IR_U64: return "ulong";
  case CW_IR_F16: return "ushort";   /* storage: bits, converted for arithmetic (cw_h2f) */
  case CW_IR_BF16: return "ushort";
  case CW_IR_F32: return "float";
  case CW_IR_F64: return "double";
  case CW_IR_VECTOR: {
    const char *n = t->name ? t->name : "vec";
    const char *c = g_hash_table_lookup(em->vec_names, n);
    if (!c) {
      char *cn = g_strdup_printf("cw_%s", n);
      g_hash_table_insert(em->vec_names, g_strdup(n), cn);
      g_hash_table_insert(em->vec_types, g_strdup(n), (gpointer)t);
      c = cn;
    }
    return c;
  }
  default: return NULL;
  }
}

static const char *addrspace_qual(void *user, cw_ir_addrspace as) {
  ocl_emit *em = user;
  (void)as;  /* the IR's spaces are mostly generic: the inference decides */
  if (em->pending_set) {
    em->pending_set = false;
    return ocl_as_qual(em->pending_as);
  }
  return "__global ";  /* pointers inside structs and deeper levels: buffers */
}

void ocl_print_decl(cw_cprinter *p, ocl_emit *em, const cw_ir_type *t, ocl_as as, const char *name) {
  em->pending_as = as;
  em->pending_set = true;
  cw_cprinter_decl(p, t, name);
  em->pending_set = false;
}

void ocl_print_type(cw_cprinter *p, ocl_emit *em, const cw_ir_type *t, ocl_as as) {
  ocl_print_decl(p, em, t, as, "");
}

void ocl_need_helper(ocl_emit *em, const char *name, const char *text) {
  if (g_hash_table_contains(em->helpers_done, name)) return;
  g_hash_table_add(em->helpers_done, g_strdup(name));
  g_string_append(em->helpers, text);
}

static bool is_ptr(const cw_ir_type *t) { return t && t->kind == CW_IR_PTR; }

static void int64_literal(GString *o, const cw_ir_type *t, uint64_t v) {
  if (t->kind == CW_IR_U64) {
    g_string_append_printf(o, "%" G_GUINT64_FORMAT "UL", v);
    return;
  }
  int64_t x = (int64_t)v;
  if (x == INT64_MIN) g_string_append(o, "(-9223372036854775807L-1)");
  else if (x < 0) g_string_append_printf(o, "(%" G_GINT64_FORMAT "L)", x);
  else g_string_append_printf(o, "%" G_GINT64_FORMAT "L", x);
}

/* A module variable, a shared variable or dynamic shared memory; false for anything else. */
static bool special_var(cw_cprinter *p, ocl_emit *em, const cw_ir_var *v) {
  GString *o = cw_cprinter_out(p);
  if (v->kind == CW_VAR_CONSTANT || v->kind == CW_VAR_DEVICE) {
    uint32_t off = v->index < em->ir->n_globals && em->ir->globals[v->index] == v
                       ? em->global_off[v->index] : G_MAXUINT32;
    for (uint32_t i = 0; off == G_MAXUINT32 && i < em->ir->n_globals; i++)
      if (em->ir->globals[i] == v) off = em->global_off[i];
    cw_ir_type pt = {.kind = CW_IR_PTR, .size = 8, .align = 8, .elem = v->type};
    g_string_append(o, "(*(");
    ocl_print_type(p, em, &pt, OCL_AS_GLOBAL);
    g_string_append_printf(o, ")(cw_globals + %u))", off);
    return true;
  }
  if (v->kind == CW_VAR_SHARED_DYNAMIC) {
    const cw_ir_type *elem = v->type && v->type->kind == CW_IR_ARRAY ? v->type->elem : v->type;
    cw_ir_type pt = {.kind = CW_IR_PTR, .size = 8, .align = 8, .elem = elem};
    g_string_append(o, "((");
    ocl_print_type(p, em, &pt, OCL_AS_LOCAL);
    g_string_append(o, ")cw_dyn)");
    return true;
  }
  if (v->kind == CW_VAR_SHARED && em->cur && !em->cur->f->is_kernel) {
    g_string_append_printf(o, "(*%s)", v->name);  /* passed down as a pointer */
    return true;
  }
  return false;
}

static void call(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e) {
  GString *o = cw_cprinter_out(p);
  const cw_ir_func *g = e->callee;
  ocl_as *as = g_new0(ocl_as, g->n_params ? g->n_params : 1);
  for (uint32_t i = 0; i < g->n_params && i < e->n_args; i++)
    if (is_ptr(g->params[i]->type)) as[i] = ocl_as_of_expr(em, em->cur, e->args[i]);
  ocl_inst *in = ocl_inst_get(em, g, as);
  g_free(as);
  g_string_append_printf(o, "%s(", in->name);
  bool first = true;
  const char *act = em->hoist_act;
  em->hoist_act = NULL;  /* only this call's own arguments */
  for (uint32_t i = 0; i < e->n_args; i++) {
    if (!first) g_string_append(o, ", ");
    first = false;
    const cw_ir_type *t = e->args[i]->type;
    bool guard = act && t && cw_ir_type_is_scalar(t) && t->kind != CW_IR_PTR;
    if (guard) g_string_append_printf(o, "((%s) ? (", act);
    cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_ASSIGN);
    if (guard) {
      g_string_append(o, ") : (");
      cw_cprinter_type(p, t);
      g_string_append(o, ")0)");
    }
  }
  em->hoist_act = act;
#define SEP() (first ? (first = false, "") : ", ")
  if (in->hidden & OCL_HID_GLOBALS) g_string_append_printf(o, "%scw_globals", SEP());
  for (uint32_t i = 0; i < g->n_shared_vars; i++) {
    const cw_ir_var *sv = g->shared_vars[i];
    if (sv->kind != CW_VAR_SHARED) continue;
    g_string_append_printf(o, "%s%s%s", SEP(), em->cur->f->is_kernel ? "&" : "", sv->name);
  }
  if (in->hidden & OCL_HID_DYN) g_string_append_printf(o, "%scw_dyn", SEP());
  if (in->hidden & OCL_HID_SCRATCH) g_string_append_printf(o, "%scw_scratch", SEP());
  if (in->hidden & OCL_HID_ERR) g_string_append_printf(o, "%scw_err", SEP());
  if (in->hidden & OCL_HID_WINDOW) g_string_append_printf(o, "%sCW_WIN_A", SEP());
#undef SEP
  g_string_append_c(o, ')');
}

static bool is_half(const cw_ir_type *t) { return t && (t->kind == CW_IR_F16 || t->kind == CW_IR_BF16); }

/* half and bfloat16 are 16-bit storage: conversions go through float (prelude.c). */
static void half_cast(cw_cprinter *p, const cw_ir_expr *e) {
  GString *o = cw_cprinter_out(p);
  const cw_ir_type *to = e->type, *from = e->a->type;
  if (is_half(to) && is_half(from) && to->kind == from->kind) {
    cw_cprinter_expr(p, e->a);
    return;
  }
  if (is_half(to)) {
    g_string_append_printf(o, "%s((float)(", to->kind == CW_IR_F16 ? "cw_f2h" : "cw_f2bf");
    if (is_half(from)) g_string_append(o, from->kind == CW_IR_F16 ? "cw_h2f(" : "cw_bf2f(");
    cw_cprinter_expr(p, e->a);
    if (is_half(from)) g_string_append_c(o, ')');
    g_string_append(o, "))");
    return;
  }
  g_string_append(o, "((");
  cw_cprinter_type(p, to);
  g_string_append_printf(o, ")%s(", from->kind == CW_IR_F16 ? "cw_h2f" : "cw_bf2f");
  cw_cprinter_expr(p, e->a);
  g_string_append(o, "))");
}

static bool ocl_expr(cw_cprinter *p, const cw_ir_expr *e) {
  ocl_emit *em = EM(p);
  GString *o = cw_cprinter_out(p);
  const char *hoisted = em->hoisted ? g_hash_table_lookup(em->hoisted, e) : NULL;
  if (hoisted) {
    g_string_append(o, hoisted);  /* computed before the statement (emit_pred.c) */
    return true;
  }
  switch (e->kind) {
  case CW_EX_INT:
    if (e->type && (e->type->kind == CW_IR_I64 || e->type->kind == CW_IR_U64)) {
      int64_literal(o, e->type, e->ival);
      return true;
    }
    if (is_ptr(e->type)) {
      if (e->ival) ocl_emit_fail(em, em->cur ? em->cur->f : NULL, e->loc,
                                 "an integer used as a pointer (no flat address space)");
      g_string_append(o, "0");
      return true;
    }
    return false;
  case CW_EX_NULLPTR:
    g_string_append(o, "0");
    return true;
  case CW_EX_FLOAT:
    if (is_half(e->type)) {
      g_string_append_printf(o, "%s(%.9gf)", e->type->kind == CW_IR_F16 ? "cw_f2h" : "cw_f2bf", e->fval);
      return true;
    }
    return false;
  case CW_EX_VAR:
    return special_var(p, em, e->var);
  case CW_EX_CAST:
    if (is_ptr(e->type)) {
      ocl_as as = ocl_as_of_expr(em, em->cur, e);
      if (as == OCL_AS_CONFLICT)
        ocl_emit_fail(em, em->cur->f, e->loc, "pointer cast to %s from a value with no single "
                      "address space (an integer or a pointer loaded from memory)",
                      cw_ir_type_str(e->type));
      if (as == OCL_AS_NONE) {
        g_string_append(o, "0");
        return true;
      }
      if (ocl_is_int_to_ptr(e) && !em->svm) {
        /* a device address: the window slot holding it (window.c); with SVM the cast below */
        g_string_append(o, "((");
        ocl_print_type(p, em, e->type, OCL_AS_GLOBAL);
        g_string_append(o, ")cw_addr((ulong)(");
        cw_cprinter_expr(p, e->a);
        g_string_append(o, "), CW_WIN_A))");
        return true;
      }
      g_string_append(o, "((");
      ocl_print_type(p, em, e->type, as);
      g_string_append(o, ")(");
      cw_cprinter_expr(p, e->a);
      g_string_append(o, "))");
      return true;
    }
    if (is_half(e->type) || (e->a && is_half(e->a->type))) {
      half_cast(p, e);
      return true;
    }
    if (e->a && e->a->type && e->a->type->kind == CW_IR_BOOL && e->type &&
        e->type->kind == CW_IR_BOOL) {
      cw_cprinter_expr(p, e->a);
      return true;
    }
    return false;
  case CW_EX_CALL:
    if (!e->callee) return false;
    call(p, em, e);
    return true;
  case CW_EX_BUILTIN:
    return ocl_emit_builtin(p, em, e);
  default:
    return false;
  }
}

static bool needs_space(const cw_ir_type *t) {
  return t && (t->kind == CW_IR_PTR || (t->kind == CW_IR_ARRAY && needs_space(t->elem)));
}

static ocl_as local_space(ocl_emit *em, const cw_ir_var *v, cw_ir_loc loc) {
  ocl_as as = (ocl_as)GPOINTER_TO_INT(g_hash_table_lookup(em->cur->local_as, v));
  if (as == OCL_AS_CONFLICT)
    ocl_emit_fail(em, em->cur->f, loc.line ? loc : v->loc,
                  "pointer variable '%s' has no single address space (OpenCL C 1.2 has no generic "
                  "pointers%s)", v->source_name ? v->source_name : v->name,
                  em->svm ? "" : " and the device has no SVM");
  return as == OCL_AS_NONE || as == OCL_AS_CONFLICT ? OCL_AS_GLOBAL : as;
}

static bool ocl_stmt(cw_cprinter *p, const cw_ir_stmt *s) {
  ocl_emit *em = EM(p);
  if (s->kind == CW_ST_IF && em->cur && (ocl_has_warp(s->then_s) || ocl_has_warp(s->else_s)) &&
      !ocl_uni_expr(em->uni, em->cur->f, s->cond)) {
    ocl_pred_if(p, em, s);
    return true;
  }
  if ((s->kind == CW_ST_FOR || s->kind == CW_ST_WHILE) && em->cur && ocl_has_warp(s->body) &&
      !ocl_uni_expr(em->uni, em->cur->f, s->cond)) {
    ocl_pred_loop(p, em, s);
    return true;
  }
  const cw_ir_var *v = NULL;
  if (s->kind == CW_ST_DECL) v = s->var;
  else if (s->kind == CW_ST_FOR && s->init && s->init->kind == CW_ST_DECL) v = s->init->var;
  if (!v || v->kind != CW_VAR_LOCAL || !needs_space(v->type)) return false;
  em->pending_as = local_space(em, v, s->loc);
  em->pending_set = true;
  cw_cprinter_stmt_default(p, s);
  em->pending_set = false;
  return true;
}

const cw_cprinter_dialect *ocl_dialect(ocl_emit *em) {
  static __thread cw_cprinter_dialect d;
  d = (cw_cprinter_dialect){
    .user = em,
    .scalar_name = scalar_name,
    .addrspace_qual = addrspace_qual,
    .expr = ocl_expr,
    .stmt = ocl_stmt,
    .print_float_suffix = true,
  };
  return &d;
}
