/* dump.c — cw_ir_module_dump: the readable, deterministic text of a module (`cwrun --emit=ir`,
 * golden tests; the module digest hashes the module directly, see digest.c).
 *
 * Format (two spaces per level):
 *   module "file.cu"
 *   struct NAME size=S align=A [union] [(source name)]
 *     field NAME : TYPE @OFFSET
 *   global KIND NAME : TYPE [volatile] [= EXPR]   KIND: shared shared_dynamic constant device
 *   func [kernel] NAME : RET [(source name)] [launch_bounds=N] @line:col
 *     facts: barrier atomics ... shared=NB        (after finish; "-" when none)
 *     param I NAME : TYPE [volatile] [read] [written] [atomic]
 *     local I NAME : TYPE [addr_taken] [volatile]
 *     callees: f g     shared: s     globals: c
 *     body:
 *       block @line:col
 *         STATEMENT ... @line:col [barrier]
 * Statements: decl, expr, if/else, while, do ... while, for (init/cond/step), break, continue,
 * return, switch, case N / default, label NAME, goto NAME, empty ";".
 * Expressions: (KIND details operands... : TYPE) with the provenance of pointer expressions after
 * the type in braces: (var a : float* {param a}).  Types are printed by cw_ir_type_str.  Locations
 * are on statements and declarations only. */
#include <math.h>

#include "ir_internal.h"

static const char *var_kind_name(cw_ir_var_kind k) {
  switch (k) {
  case CW_VAR_LOCAL: return "local";
  case CW_VAR_PARAM: return "param";
  case CW_VAR_SHARED: return "shared";
  case CW_VAR_SHARED_DYNAMIC: return "shared_dynamic";
  case CW_VAR_CONSTANT: return "constant";
  case CW_VAR_DEVICE: return "device";
  }
  return "?";
}

static const char *const fact_names[] = {
  "barrier", "warp_ops", "atomics", "atomic_float", "atomic_64", "f64", "i64", "f16", "printf",
  "assert", "recursion", "calls", "dyn_shared", "pointer_in_memory", "clock", "goto", "fence",
  "i8_16",
};

static void facts_str(GString *s, uint32_t facts) {
  bool any = false;
  for (unsigned i = 0; i < G_N_ELEMENTS(fact_names); i++)
    if (facts & (1u << i)) {
      g_string_append_printf(s, "%s%s", any ? " " : "", fact_names[i]);
      any = true;
    }
  if (!any) g_string_append_c(s, '-');
}

static void type(GString *s, const cw_ir_type *t) { cw_ir__type_render(s, t); }

static void loc(GString *s, cw_ir_loc l) { g_string_append_printf(s, " @%d:%d", l.line, l.col); }

static void indent(GString *s, int depth) {
  g_string_append_c(s, '\n');
  for (int i = 0; i < depth; i++) g_string_append(s, "  ");
}

static void escaped(GString *s, const char *str, uint32_t len) {
  g_string_append_c(s, '"');
  for (uint32_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)str[i];
    switch (ch) {
    case '\n': g_string_append(s, "\\n"); break;
    case '\t': g_string_append(s, "\\t"); break;
    case '\r': g_string_append(s, "\\r"); break;
    case '"': g_string_append(s, "\\\""); break;
    case '\\': g_string_append(s, "\\\\"); break;
    default:
      if (ch < 32 || ch >= 127) g_string_append_printf(s, "\\x%02x", ch);
      else g_string_append_c(s, (char)ch);
    }
  }
  g_string_append_c(s, '"');
}

static void prov(GString *s, cw_ir_prov p) {
  static const char *const names[] = { "none", "unknown", "param", "shared", "global", "local", "null" };
  if (p.kind == CW_PROV_NONE) return;
  g_string_append_printf(s, " {%s", names[p.kind]);
  if (p.var) g_string_append_printf(s, " %s", p.var->name);
  g_string_append_c(s, '}');
}

static void expr(GString *s, const cw_ir_expr *e);

static void operands(GString *s, const cw_ir_expr *e) {
  const cw_ir_expr *ops[] = { e->a, e->b, e->c };
  for (unsigned i = 0; i < 3; i++)
    if (ops[i]) {
      g_string_append_c(s, ' ');
      expr(s, ops[i]);
    }
  for (uint32_t i = 0; i < e->n_args; i++) {
    g_string_append_c(s, ' ');
    expr(s, e->args[i]);
  }
}

static const char *lane_name(uint32_t i) {
  static const char *const lanes[] = { "x", "y", "z", "w" };
  return i < 4 ? lanes[i] : "?";
}

static void expr(GString *s, const cw_ir_expr *e) {
  if (!e) {
    g_string_append(s, "(null)");
    return;
  }
  g_string_append_c(s, '(');
  switch (e->kind) {
  case CW_EX_INT:
    if (cw_ir_type_is_signed(e->type) && e->type->size)
      g_string_append_printf(s, "int %" G_GINT64_FORMAT,
                             e->type->size >= 8 ? (gint64)e->ival
                                                : (gint64)(e->ival << (64 - 8 * e->type->size)) >>
                                                      (64 - 8 * e->type->size));
    else
      g_string_append_printf(s, "int %" G_GUINT64_FORMAT, e->ival);
    break;
  case CW_EX_FLOAT:
    if (isnan(e->fval)) g_string_append(s, "float nan");
    else if (isinf(e->fval)) g_string_append(s, e->fval < 0 ? "float -inf" : "float inf");
    else g_string_append_printf(s, "float %.17g", e->fval);
    break;
  case CW_EX_STRING:
    g_string_append(s, "string ");
    escaped(s, e->str ? e->str : "", e->str ? e->str_len : 0);
    break;
  case CW_EX_NULLPTR: g_string_append(s, "nullptr"); break;
  case CW_EX_VAR: g_string_append_printf(s, "var %s", e->var ? e->var->name : "?"); break;
  case CW_EX_UNARY: g_string_append_printf(s, "unary %s", cw_ir_op_spelling(e->op)); break;
  case CW_EX_BINARY:
    g_string_append_printf(s, "binary %s%s", cw_ir_op_spelling(e->op),
                           e->op == CW_OP_PTR_ADD || e->op == CW_OP_PTR_SUB ? "ptr"
                           : e->op == CW_OP_PTR_DIFF ? "ptrdiff" : "");
    break;
  case CW_EX_ASSIGN:
    g_string_append(s, "assign");
    if (e->op != CW_OP_NONE) {
      g_string_append_printf(s, " %s= in ", cw_ir_op_spelling(e->op));
      type(s, e->op_type);
    }
    break;
  case CW_EX_INCDEC:
    g_string_append_printf(s, "%s%s", e->is_post ? "post" : "pre", e->is_dec ? "--" : "++");
    break;
  case CW_EX_COND: g_string_append(s, "cond"); break;
  case CW_EX_CAST: g_string_append(s, "cast"); break;
  case CW_EX_DEREF: g_string_append(s, "deref"); break;
  case CW_EX_ADDR: g_string_append(s, "addr"); break;
  case CW_EX_INDEX: g_string_append(s, "index"); break;
  case CW_EX_MEMBER: {
    const cw_ir_type *bt = e->a ? e->a->type : NULL;
    if (bt && bt->kind == CW_IR_STRUCT && e->field < bt->n_fields)
      g_string_append_printf(s, "member .%s", bt->fields[e->field].name);
    else
      g_string_append_printf(s, "member .%s", lane_name(e->field));
    break;
  }
  case CW_EX_CALL: g_string_append_printf(s, "call %s", e->callee ? e->callee->name : "?"); break;
  case CW_EX_BUILTIN: g_string_append_printf(s, "builtin %s", cw_ir_builtin_name(e->bi)); break;
  case CW_EX_COMMA: g_string_append(s, "comma"); break;
  case CW_EX_INIT: g_string_append(s, "init"); break;
  }
  operands(s, e);
  g_string_append(s, " : ");
  type(s, e->type);
  prov(s, e->prov);
  g_string_append_c(s, ')');
}

static void stmt(GString *s, const cw_ir_stmt *st, int depth);

static void stmt_tail(GString *s, const cw_ir_stmt *st) {
  loc(s, st->loc);
  if (st->has_barrier) g_string_append(s, " [barrier]");
}

static void sub(GString *s, const char *label, const cw_ir_stmt *st, int depth) {
  indent(s, depth);
  g_string_append(s, label);
  stmt(s, st, depth + 1);
}

static void unroll(GString *s, int u) {
  if (u == -1) g_string_append(s, " unroll");
  else if (u) g_string_append_printf(s, " unroll=%d", u);
}

static void stmt(GString *s, const cw_ir_stmt *st, int depth) {
  indent(s, depth);
  if (!st) {
    g_string_append(s, "(null stmt)");
    return;
  }
  switch (st->kind) {
  case CW_ST_BLOCK:
    g_string_append(s, "block");
    stmt_tail(s, st);
    for (uint32_t i = 0; i < st->n_stmts; i++) stmt(s, st->stmts[i], depth + 1);
    return;
  case CW_ST_DECL:
    g_string_append_printf(s, "decl %s : ", st->var ? st->var->name : "?");
    type(s, st->var ? st->var->type : NULL);
    if (st->expr) {
      g_string_append(s, " = ");
      expr(s, st->expr);
    }
    break;
  case CW_ST_EXPR:
    g_string_append(s, "expr ");
    expr(s, st->expr);
    break;
  case CW_ST_IF:
    g_string_append(s, "if ");
    expr(s, st->cond);
    stmt_tail(s, st);
    sub(s, "then", st->then_s, depth + 1);
    if (st->else_s) sub(s, "else", st->else_s, depth + 1);
    return;
  case CW_ST_WHILE:
    g_string_append(s, "while ");
    expr(s, st->cond);
    unroll(s, st->unroll);
    stmt_tail(s, st);
    stmt(s, st->body, depth + 1);
    return;
  case CW_ST_DO:
    g_string_append(s, "do");
    unroll(s, st->unroll);
    stmt_tail(s, st);
    stmt(s, st->body, depth + 1);
    indent(s, depth);
    g_string_append(s, "while ");
    expr(s, st->cond);
    return;
  case CW_ST_FOR:
    g_string_append(s, "for");
    unroll(s, st->unroll);
    stmt_tail(s, st);
    if (st->init) sub(s, "init", st->init, depth + 1);
    if (st->cond) {
      indent(s, depth + 1);
      g_string_append(s, "cond ");
      expr(s, st->cond);
    }
    if (st->step) {
      indent(s, depth + 1);
      g_string_append(s, "step ");
      expr(s, st->step);
    }
    stmt(s, st->body, depth + 1);
    return;
  case CW_ST_BREAK: g_string_append(s, "break"); break;
  case CW_ST_CONTINUE: g_string_append(s, "continue"); break;
  case CW_ST_RETURN:
    g_string_append(s, "return");
    if (st->expr) {
      g_string_append_c(s, ' ');
      expr(s, st->expr);
    }
    break;
  case CW_ST_SWITCH:
    g_string_append(s, "switch ");
    expr(s, st->cond);
    stmt_tail(s, st);
    stmt(s, st->body, depth + 1);
    return;
  case CW_ST_CASE:
    if (st->is_default) g_string_append(s, "default");
    else g_string_append_printf(s, "case %" G_GINT64_FORMAT, st->case_value);
    break;
  case CW_ST_LABEL: g_string_append_printf(s, "label %s", st->name ? st->name : "?"); break;
  case CW_ST_GOTO: g_string_append_printf(s, "goto %s", st->name ? st->name : "?"); break;
  case CW_ST_EMPTY: g_string_append(s, ";"); break;
  }
  stmt_tail(s, st);
}

static void func(GString *s, const cw_ir_func *f) {
  g_string_append_printf(s, "\nfunc %s%s : ", f->is_kernel ? "kernel " : "", f->name);
  type(s, f->ret);
  if (f->source_name && g_strcmp0(f->source_name, f->name))
    g_string_append_printf(s, " (%s)", f->source_name);
  if (f->is_kernel && f->host_key && g_strcmp0(f->host_key, f->source_name))
    g_string_append_printf(s, " key=%s", f->host_key);
  if (f->launch_bounds) g_string_append_printf(s, " launch_bounds=%u", f->launch_bounds);
  loc(s, f->loc);
  g_string_append(s, "\n  facts: ");
  facts_str(s, f->facts);
  if (f->static_shared_bytes) g_string_append_printf(s, " shared=%uB", f->static_shared_bytes);
  for (uint32_t i = 0; i < f->n_params; i++) {
    const cw_ir_var *v = f->params[i];
    g_string_append_printf(s, "\n  param %u %s : ", i, v->name);
    type(s, v->type);
    if (v->is_volatile) g_string_append(s, " volatile");
    if (f->param_info && f->param_info[i].is_pointer) {
      const cw_ir_param_info *pi = &f->param_info[i];
      if (pi->read) g_string_append(s, " read");
      if (pi->written) g_string_append(s, " written");
      if (pi->atomic) g_string_append(s, " atomic");
    }
  }
  for (uint32_t i = 0; i < f->n_locals; i++) {
    g_string_append_printf(s, "\n  local %u %s : ", i, f->locals[i]->name);
    type(s, f->locals[i]->type);
    if (f->locals[i]->addr_taken) g_string_append(s, " addr_taken");
    if (f->locals[i]->is_volatile) g_string_append(s, " volatile");
  }
  struct { const char *label; uint32_t n; } lists[] = {
    { "callees", f->n_callees }, { "shared", f->n_shared_vars }, { "globals", f->n_globals_used } };
  for (unsigned l = 0; l < 3; l++) {
    if (!lists[l].n) continue;
    g_string_append_printf(s, "\n  %s:", lists[l].label);
    for (uint32_t i = 0; i < lists[l].n; i++)
      g_string_append_printf(s, " %s", l == 0 ? f->callees[i]->name
                                        : l == 1 ? f->shared_vars[i]->name
                                                 : f->globals_used[i]->name);
  }
  if (f->body) {
    g_string_append(s, "\n  body:");
    stmt(s, f->body, 2);
  }
  g_string_append_c(s, '\n');
}

char *cw_ir_module_dump(const cw_ir_module *m) {
  GString *s = g_string_new(NULL);
  g_string_append(s, "module ");
  escaped(s, m->source_name ? m->source_name : "", m->source_name ? (uint32_t)strlen(m->source_name) : 0);
  g_string_append_c(s, '\n');
  for (uint32_t i = 0; i < m->n_structs; i++) {
    const cw_ir_type *t = m->structs[i];
    g_string_append_printf(s, "%s %s size=%u align=%u", t->is_union ? "union" : "struct", t->name,
                           t->size, t->align);
    if (t->source_name && g_strcmp0(t->source_name, t->name))
      g_string_append_printf(s, " (%s)", t->source_name);
    for (uint32_t j = 0; j < t->n_fields; j++) {
      g_string_append_printf(s, "\n  field %s : ", t->fields[j].name);
      type(s, t->fields[j].type);
      g_string_append_printf(s, " @%u", t->fields[j].offset);
    }
    g_string_append_c(s, '\n');
  }
  for (uint32_t i = 0; i < m->n_globals; i++) {
    const cw_ir_var *v = m->globals[i];
    g_string_append_printf(s, "global %s %s : ", var_kind_name(v->kind), v->name);
    type(s, v->type);
    if (v->is_volatile) g_string_append(s, " volatile");
    if (v->source_name && g_strcmp0(v->source_name, v->name))
      g_string_append_printf(s, " (%s)", v->source_name);
    if (v->init) {
      g_string_append(s, " = ");
      expr(s, v->init);
    }
    g_string_append_c(s, '\n');
  }
  for (uint32_t i = 0; i < m->n_funcs; i++) func(s, m->funcs[i]);
  if (m->n_kernels) {
    g_string_append(s, "\nkernels:");
    for (uint32_t i = 0; i < m->n_kernels; i++) g_string_append_printf(s, " %s", m->kernels[i]->name);
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}
