/* cprinter.c — the C-family printer: declarators, expressions, statements, structs, headers.
 *
 * Shared by the CUDA, HIP, C, OpenCL C and GLSL emitters.  A dialect (cw_cprinter_dialect)
 * renames types, adds address-space qualifiers and may take over any expression or statement
 * through its hooks; everything it does not take is printed here as C, with builtins spelled as
 * CUDA spells them (cprinter_builtin.c), so the CUDA dialect needs almost nothing of its own.
 *
 * Parentheses: an operand is parenthesized when its precedence is lower than its context needs,
 * and also when it is a binary operation of a different precedence than its parent's (a & b == c,
 * a << b + c: correct without, but compilers warn) or the right operand of an operator of the
 * same precedence (a - (b - c), a + (b + c): floating point is not associative).  Casts are
 * always ((T)(x)).  A node printed by a dialect hook is parenthesized unless it is a whole
 * expression, since its precedence is unknown. */
#include <string.h>

#include "cprinter_internal.h"

cw_cprinter *cw_cprinter_new(const cw_cprinter_dialect *d, GString *out) {
  cw_cprinter *p = g_new0(cw_cprinter, 1);
  if (d) p->d = *d;
  p->out = out;
  return p;
}

void cw_cprinter_free(cw_cprinter *p) { g_free(p); }
GString *cw_cprinter_out(cw_cprinter *p) { return p->out; }
void *cw_cprinter_user(cw_cprinter *p) { return p->d.user; }
void cw_cprinter_indent(cw_cprinter *p, int delta) { p->depth += delta; }

void cw_cprinter_newline(cw_cprinter *p) {
  g_string_append_c(p->out, '\n');
  for (int i = 0; i < p->depth; i++) g_string_append(p->out, "  ");
}

/* ---- types and declarators ----------------------------------------------------------- */

static const char *base_name(cw_cprinter *p, const cw_ir_type *t, char *buf, size_t n) {
  if (p->d.scalar_name && t && t->kind != CW_IR_STRUCT) {
    const char *s = p->d.scalar_name(p->d.user, t);
    if (s) return s;
  }
  if (!t) return "void";
  if (t->kind == CW_IR_VECTOR) return t->name ? t->name : "void";
  if (t->kind == CW_IR_STRUCT) {
    snprintf(buf, n, "%s %s", t->is_union ? "union" : "struct", t->name ? t->name : "anon");
    return buf;
  }
  const char *s = cw_ir__scalar_cname(t->kind);
  return s ? s : "void";
}

/* `qual` qualifies the object of type t itself (const, address space). */
static void declarator(cw_cprinter *p, const cw_ir_type *t, const char *qual, GString *d) {
  if (t && t->kind == CW_IR_PTR) {
    /* the pointee's qualifiers: its address space, constness and volatility */
    const char *as = p->d.addrspace_qual ? p->d.addrspace_qual(p->d.user, t->as) : "";
    char *inner_qual = g_strdup_printf("%s%s%s", as ? as : "", t->pointee_const ? "const " : "",
                                       t->pointee_volatile ? "volatile " : "");
    g_string_prepend(d, qual && *qual ? qual : "");
    g_string_prepend_c(d, '*');
    if (t->elem && t->elem->kind == CW_IR_ARRAY) {
      g_string_prepend_c(d, '(');
      g_string_append_c(d, ')');
    }
    declarator(p, t->elem, inner_qual, d);
    g_free(inner_qual);
    return;
  }
  if (t && t->kind == CW_IR_ARRAY) {
    if (t->count) g_string_append_printf(d, "[%u]", t->count);
    else g_string_append(d, "[]");
    declarator(p, t->elem, qual, d);
    return;
  }
  char buf[300];
  const char *bn = base_name(p, t, buf, sizeof buf);
  /* "const float *p": qualifiers first, then the name, then the declarator */
  GString *head = g_string_new(qual ? qual : "");
  g_string_append(head, bn);
  if (d->len && d->str[0] != '[') g_string_append_c(head, ' ');
  g_string_prepend(d, head->str);
  g_string_free(head, TRUE);
}

static void decl_q(cw_cprinter *p, const cw_ir_type *t, const char *name, const char *qual) {
  GString *d = g_string_new(name ? name : "");
  declarator(p, t, qual, d);
  /* an abstract declarator must not end in a blank: "float *", "float (*)[4]" */
  while (d->len && d->str[d->len - 1] == ' ') g_string_truncate(d, d->len - 1);
  g_string_append(p->out, d->str);
  g_string_free(d, TRUE);
}

void cw_cprinter_decl(cw_cprinter *p, const cw_ir_type *t, const char *name) { decl_q(p, t, name, ""); }

void cw_cprinter_var_decl(cw_cprinter *p, const cw_ir_var *v) {
  decl_q(p, v->type, v->name, v->is_volatile ? "volatile " : "");
}

void cw_cprinter_type(cw_cprinter *p, const cw_ir_type *t) { cw_cprinter_decl(p, t, ""); }

void cw_cprinter_struct_defs(cw_cprinter *p, const cw_ir_module *m) {
  for (uint32_t i = 0; i < m->n_structs; i++) {
    const cw_ir_type *t = m->structs[i];
    g_string_append_printf(p->out, "%s %s;", t->is_union ? "union" : "struct", t->name);
    cw_cprinter_newline(p);
  }
  for (uint32_t i = 0; i < m->n_structs; i++) cw_cprinter_struct_def(p, m->structs[i], NULL);
}

void cw_cprinter_struct_def(cw_cprinter *p, const cw_ir_type *t, const char *attr) {
  g_string_append_printf(p->out, "%s %s%s {", t->is_union ? "union" : "struct", attr ? attr : "",
                         t->name);
  cw_cprinter_indent(p, 1);
  for (uint32_t j = 0; j < t->n_fields; j++) {
    cw_cprinter_newline(p);
    cw_cprinter_decl(p, t->fields[j].type, t->fields[j].name);
    g_string_append_c(p->out, ';');
  }
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append(p->out, "};");
  cw_cprinter_newline(p);
}

void cw_cprinter_func_header(cw_cprinter *p, const cw_ir_func *f) {
  cw_cprinter_type(p, f->ret);
  if (f->ret && f->ret->kind != CW_IR_PTR) g_string_append_c(p->out, ' ');
  g_string_append_printf(p->out, "%s(", f->name);
  for (uint32_t i = 0; i < f->n_params; i++) {
    if (i) g_string_append(p->out, ", ");
    cw_cprinter_var_decl(p, f->params[i]);
  }
  if (!f->n_params) g_string_append(p->out, "void");
  g_string_append_c(p->out, ')');
}

/* ---- expressions --------------------------------------------------------------------- */

static int binary_prec(cw_ir_op op) {
  switch (op) {
  case CW_OP_MUL: case CW_OP_DIV: case CW_OP_MOD: return PREC_MUL;
  case CW_OP_ADD: case CW_OP_SUB: case CW_OP_PTR_ADD: case CW_OP_PTR_SUB: case CW_OP_PTR_DIFF:
    return PREC_ADD;
  case CW_OP_SHL: case CW_OP_SHR: return PREC_SHIFT;
  case CW_OP_LT: case CW_OP_LE: case CW_OP_GT: case CW_OP_GE: return PREC_REL;
  case CW_OP_EQ: case CW_OP_NE: return PREC_EQ;
  case CW_OP_AND: return PREC_BAND;
  case CW_OP_XOR: return PREC_BXOR;
  case CW_OP_OR: return PREC_BOR;
  case CW_OP_LAND: return PREC_LAND;
  case CW_OP_LOR: return PREC_LOR;
  default: return PREC_UNARY;
  }
}

static int expr_prec(const cw_ir_expr *e) {
  switch (e->kind) {
  case CW_EX_BINARY: return binary_prec(e->op);
  case CW_EX_UNARY: case CW_EX_DEREF: case CW_EX_ADDR: return PREC_UNARY;
  case CW_EX_INCDEC: return e->is_post ? PREC_POSTFIX : PREC_UNARY;
  case CW_EX_ASSIGN: return PREC_ASSIGN;
  case CW_EX_COND: return PREC_COND;
  case CW_EX_COMMA: return PREC_COMMA;
  default: return PREC_POSTFIX;  /* literals, names, calls, index, member, casts ((T)(x)) */
  }
}

static void init_braces(cw_cprinter *p, const cw_ir_expr *e) {
  g_string_append_c(p->out, '{');
  for (uint32_t i = 0; i < e->n_args; i++) {
    if (i) g_string_append(p->out, ", ");
    if (e->args[i] && e->args[i]->kind == CW_EX_INIT) init_braces(p, e->args[i]);
    else cw_cprinter__expr(p, e->args[i], PREC_ASSIGN);
  }
  if (!e->n_args) g_string_append_c(p->out, '0');
  g_string_append_c(p->out, '}');
}

void cw_cprinter_init_braces(cw_cprinter *p, const cw_ir_expr *e) { init_braces(p, e); }

static void args(cw_cprinter *p, cw_ir_expr *const *a, uint32_t n) {
  g_string_append_c(p->out, '(');
  for (uint32_t i = 0; i < n; i++) {
    if (i) g_string_append(p->out, ", ");
    cw_cprinter__expr(p, a[i], PREC_ASSIGN);
  }
  g_string_append_c(p->out, ')');
}

void cw_cprinter_args(cw_cprinter *p, cw_ir_expr *const *a, uint32_t n) { args(p, a, n); }

static void binary_operand(cw_cprinter *p, const cw_ir_expr *parent, const cw_ir_expr *o,
                           bool right) {
  int pp = expr_prec(parent), op = expr_prec(o);
  bool paren = op < pp || (right && op == pp) || (o->kind == CW_EX_BINARY && op != pp);
  cw_cprinter__expr(p, o, paren ? 99 : pp);
}

static const char *lane(uint32_t i) {
  static const char *const l[] = { "x", "y", "z", "w" };
  return i < 4 ? l[i] : "x";
}

void cw_cprinter_expr_default(cw_cprinter *p, const cw_ir_expr *e) {
  GString *o = p->out;
  if (!cw_ir__expr_well_formed(e)) {
    g_string_append(o, "0 /* malformed IR node */");
    return;
  }
  switch (e->kind) {
  case CW_EX_INT: cw_cprinter__int_literal(p, e->type, e->ival); return;
  case CW_EX_FLOAT: cw_cprinter__float_literal(p, e->type, e->fval); return;
  case CW_EX_STRING: cw_cprinter__string_literal(p, e->str ? e->str : "", e->str ? e->str_len : 0); return;
  case CW_EX_NULLPTR:
    g_string_append(o, "((");
    cw_cprinter_type(p, e->type);
    g_string_append(o, ")0)");
    return;
  case CW_EX_VAR: g_string_append(o, e->var->name); return;
  case CW_EX_UNARY:
    g_string_append(o, cw_ir_op_spelling(e->op));
    /* -(-x), !(!x), ~(-x): never let two prefix operators touch */
    cw_cprinter__expr(p, e->a, e->a->kind == CW_EX_UNARY || e->a->kind == CW_EX_INCDEC ||
                                   e->a->kind == CW_EX_DEREF || e->a->kind == CW_EX_ADDR ? 99
                                                                          : PREC_UNARY);
    return;
  case CW_EX_BINARY:
    binary_operand(p, e, e->a, false);
    g_string_append_printf(o, " %s ", cw_ir_op_spelling(e->op));
    binary_operand(p, e, e->b, true);
    return;
  case CW_EX_ASSIGN:
    cw_cprinter__expr(p, e->a, PREC_UNARY);
    g_string_append_printf(o, " %s= ", cw_ir_op_spelling(e->op));
    cw_cprinter__expr(p, e->b, PREC_ASSIGN);
    return;
  case CW_EX_INCDEC:
    if (!e->is_post) g_string_append(o, e->is_dec ? "--" : "++");
    cw_cprinter__expr(p, e->a, e->is_post ? PREC_POSTFIX : PREC_UNARY);
    if (e->is_post) g_string_append(o, e->is_dec ? "--" : "++");
    return;
  case CW_EX_COND:
    cw_cprinter__expr(p, e->a, PREC_LOR);
    g_string_append(o, " ? ");
    cw_cprinter__expr(p, e->b, PREC_LOR);
    g_string_append(o, " : ");
    cw_cprinter__expr(p, e->c, PREC_COND);
    return;
  case CW_EX_CAST:
    g_string_append(o, "((");
    cw_cprinter_type(p, e->type);
    g_string_append(o, ")(");
    cw_cprinter__expr(p, e->a, 0);
    g_string_append(o, "))");
    return;
  case CW_EX_DEREF:
    g_string_append_c(o, '*');
    cw_cprinter__expr(p, e->a, e->a->kind == CW_EX_UNARY || e->a->kind == CW_EX_DEREF ? 99 : PREC_UNARY);
    return;
  case CW_EX_ADDR:
    g_string_append_c(o, '&');
    cw_cprinter__expr(p, e->a, e->a->kind == CW_EX_ADDR || e->a->kind == CW_EX_UNARY ? 99 : PREC_UNARY);
    return;
  case CW_EX_INDEX:
    if (e->a->type && e->a->type->kind == CW_IR_VECTOR) {
      /* CUDA vectors have no operator[]: index the lanes in memory */
      g_string_append(o, "(&");
      cw_cprinter__expr(p, e->a, PREC_POSTFIX);
      g_string_append(o, ".x)[");
    } else {
      cw_cprinter__expr(p, e->a, PREC_POSTFIX);
      g_string_append_c(o, '[');
    }
    cw_cprinter__expr(p, e->b, 0);
    g_string_append_c(o, ']');
    return;
  case CW_EX_MEMBER: {
    const cw_ir_type *bt = e->a->type;
    const char *name = bt && bt->kind == CW_IR_STRUCT && e->field < bt->n_fields
                           ? bt->fields[e->field].name : lane(e->field);
    if (e->a->kind == CW_EX_DEREF && e->a->a) {
      cw_cprinter__expr(p, e->a->a, PREC_POSTFIX);
      g_string_append_printf(o, "->%s", name);
    } else {
      cw_cprinter__expr(p, e->a, PREC_POSTFIX);
      g_string_append_printf(o, ".%s", name);
    }
    return;
  }
  case CW_EX_CALL:
    g_string_append(o, e->callee ? e->callee->name : "?");
    args(p, e->args, e->n_args);
    return;
  case CW_EX_BUILTIN: cw_cprinter__builtin(p, e); return;
  case CW_EX_COMMA:
    cw_cprinter__expr(p, e->a, PREC_COMMA);
    g_string_append(o, ", ");
    cw_cprinter__expr(p, e->b, PREC_ASSIGN);
    return;
  case CW_EX_INIT:
    /* a value: a C compound literal; declarations print plain braces instead */
    g_string_append(o, "((");
    cw_cprinter_type(p, e->type);
    g_string_append(o, ")");
    init_braces(p, e);
    g_string_append(o, ")");
    return;
  }
}

void cw_cprinter__expr(cw_cprinter *p, const cw_ir_expr *e, int min) {
  if (!e) {
    g_string_append(p->out, "0 /* missing */");
    return;
  }
  if (p->d.expr) {
    /* the hook's output has unknown precedence: wrap it unless it is a whole expression */
    gsize mark = p->out->len;
    if (min > 0) g_string_append_c(p->out, '(');
    if (p->d.expr(p, e)) {
      if (min > 0) g_string_append_c(p->out, ')');
      return;
    }
    g_string_truncate(p->out, mark);
  }
  bool paren = expr_prec(e) < min;
  if (paren) g_string_append_c(p->out, '(');
  cw_cprinter_expr_default(p, e);
  if (paren) g_string_append_c(p->out, ')');
}

void cw_cprinter_expr(cw_cprinter *p, const cw_ir_expr *e) { cw_cprinter__expr(p, e, 0); }
void cw_cprinter_expr_prec(cw_cprinter *p, const cw_ir_expr *e, int min) { cw_cprinter__expr(p, e, min); }
