/* as.c — address spaces for OpenCL C 1.2, which has no generic pointers.
 *
 * Every pointer value gets one space, inferred per function instance: kernel pointer parameters
 * are __global (buffers), shared variables __local, module variables __global (the globals
 * buffer), a thread's own variables __private.  A pointer local takes the merge of everything
 * assigned to it (flow-insensitive fixpoint); a device function's pointer parameters take what
 * its call sites pass, and a function called with different combinations is cloned once per
 * combination.  Functions return __global pointers (checked at their returns).
 * With SVM (em->svm), device addresses are real pointers: a pointer loaded from memory or made
 * from an integer is __global, and memory holds only __global pointers (storing another kind is
 * declined).  In the buffer model, a pointer made from a kernel parameter's integer value is
 * __global (the address window, window.c); one loaded from device memory or made from any other
 * integer has no knowable space (CONFLICT): the emitter then declines the kernel with the
 * location. */
#include <stdarg.h>
#include <string.h>

#include "emit.h"

static ocl_as merge(ocl_as a, ocl_as b) {
  if (a == OCL_AS_NONE) return b;
  if (b == OCL_AS_NONE || a == b) return a;
  return OCL_AS_CONFLICT;
}

static bool is_ptr(const cw_ir_type *t) { return t && t->kind == CW_IR_PTR; }
static bool is_array(const cw_ir_type *t) { return t && t->kind == CW_IR_ARRAY; }

const char *ocl_as_qual(ocl_as as) {
  switch (as) {
  case OCL_AS_LOCAL: return "__local ";
  case OCL_AS_CONSTANT: return "__constant ";
  case OCL_AS_PRIVATE: return "__private ";
  default: return "__global ";
  }
}

void ocl_emit_fail(ocl_emit *em, const cw_ir_func *f, cw_ir_loc loc, const char *fmt, ...) {
  if (em->error) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  em->error = g_strdup_printf("%s %s (%s:%d:%d): %s", f && f->is_kernel ? "kernel" : "function",
                              f ? (f->source_name ? f->source_name : f->name) : "?",
                              loc.file ? loc.file : (f && f->loc.file ? f->loc.file : "?"),
                              loc.line ? loc.line : (f ? f->loc.line : 0),
                              loc.line ? loc.col : (f ? f->loc.col : 0), msg);
  g_free(msg);
}

static ocl_as var_storage(const cw_ir_var *v) {
  switch (v->kind) {
  case CW_VAR_SHARED: case CW_VAR_SHARED_DYNAMIC: return OCL_AS_LOCAL;
  case CW_VAR_CONSTANT: case CW_VAR_DEVICE: return OCL_AS_GLOBAL;
  default: return OCL_AS_PRIVATE;
  }
}

ocl_as ocl_as_of_lvalue(ocl_emit *em, const ocl_inst *in, const cw_ir_expr *e) {
  while (e) {
    switch (e->kind) {
    case CW_EX_VAR: return var_storage(e->var);
    case CW_EX_DEREF: return ocl_as_of_expr(em, in, e->a);
    case CW_EX_INDEX:
      if (is_ptr(e->a->type)) return ocl_as_of_expr(em, in, e->a);
      if (!e->a->is_lvalue) return OCL_AS_PRIVATE;
      e = e->a;
      break;
    case CW_EX_MEMBER:
      if (!e->a->is_lvalue) return OCL_AS_PRIVATE;
      e = e->a;
      break;
    default: return OCL_AS_PRIVATE;  /* a temporary */
    }
  }
  return OCL_AS_PRIVATE;
}

ocl_as ocl_as_of_expr(ocl_emit *em, const ocl_inst *in, const cw_ir_expr *e) {
  if (!e) return OCL_AS_NONE;
  /* an array used as a value decays to a pointer into its own storage */
  if (is_array(e->type) && e->is_lvalue) return ocl_as_of_lvalue(em, in, e);
  switch (e->kind) {
  case CW_EX_VAR: {
    const cw_ir_var *v = e->var;
    if (v->kind == CW_VAR_PARAM && v->owner == in->f && v->index < in->f->n_params)
      return in->param_as[v->index];
    if (v->kind == CW_VAR_LOCAL) {
      gpointer as = in->local_as ? g_hash_table_lookup(in->local_as, v) : NULL;
      return (ocl_as)GPOINTER_TO_INT(as);
    }
    /* a pointer kept in a module variable */
    return em->svm ? OCL_AS_GLOBAL : OCL_AS_CONFLICT;
  }
  case CW_EX_NULLPTR: return OCL_AS_NONE;
  case CW_EX_INT: return e->ival == 0 ? OCL_AS_NONE : em->svm ? OCL_AS_GLOBAL : OCL_AS_CONFLICT;
  case CW_EX_STRING: return OCL_AS_CONSTANT;
  case CW_EX_CAST:
    if (is_ptr(e->a->type) || is_array(e->a->type)) return ocl_as_of_expr(em, in, e->a);
    if (e->a->kind == CW_EX_INT && e->a->ival == 0) return OCL_AS_NONE;
    /* a device address: found in the window of buffers (window.c), checked in the final walk */
    if (ocl_is_int_to_ptr(e)) return OCL_AS_GLOBAL;
    return OCL_AS_CONFLICT;
  case CW_EX_ADDR: return ocl_as_of_lvalue(em, in, e->a);
  case CW_EX_BINARY:
    if (e->op == CW_OP_PTR_ADD || e->op == CW_OP_PTR_SUB)
      return ocl_as_of_expr(em, in, is_ptr(e->a->type) || is_array(e->a->type) ? e->a : e->b);
    return OCL_AS_CONFLICT;
  case CW_EX_COND: return merge(ocl_as_of_expr(em, in, e->b), ocl_as_of_expr(em, in, e->c));
  case CW_EX_COMMA: return ocl_as_of_expr(em, in, e->b);
  case CW_EX_ASSIGN: case CW_EX_INCDEC: return ocl_as_of_expr(em, in, e->a);
  case CW_EX_CALL:
    /* functions return __global pointers only (their instances' returns are checked) */
    return e->callee && is_ptr(e->callee->ret) ? OCL_AS_GLOBAL : OCL_AS_CONFLICT;
  case CW_EX_MEMBER: case CW_EX_INDEX: case CW_EX_DEREF: {
    /* a pointer kept in the thread's own memory (a struct parameter or local, a local array
     * of pointers): struct parameters' pointers are rebuilt as __global at kernel entry */
    if (!e->is_lvalue || !is_ptr(e->type)) return OCL_AS_CONFLICT;
    /* loaded from device memory: an address (SVM), or unknowable (buffers) */
    if (ocl_as_of_lvalue(em, in, e) != OCL_AS_PRIVATE) return em->svm ? OCL_AS_GLOBAL : OCL_AS_CONFLICT;
    const cw_ir_expr *r = e;
    while (r && (r->kind == CW_EX_MEMBER || (r->kind == CW_EX_INDEX && !is_ptr(r->a->type)))) r = r->a;
    if (r && r->kind == CW_EX_VAR && r->var->kind == CW_VAR_LOCAL && in->local_as &&
        g_hash_table_contains(in->local_as, r->var)) {
      ocl_as as = (ocl_as)GPOINTER_TO_INT(g_hash_table_lookup(in->local_as, r->var));
      if (as != OCL_AS_NONE) return as;
    }
    return OCL_AS_GLOBAL;
  }
  default: return OCL_AS_CONFLICT;  /* made from a non-integer, ... */
  }
}

/* ---- instances -------------------------------------------------------------------- */

static char as_letter(ocl_as as) {
  switch (as) {
  case OCL_AS_LOCAL: return 'l';
  case OCL_AS_CONSTANT: return 'c';
  case OCL_AS_PRIVATE: return 'p';
  default: return 'g';
  }
}

static void inst_free(gpointer p) {
  ocl_inst *in = p;
  g_free(in->param_as);
  g_free(in->name);
  if (in->local_as) g_hash_table_destroy(in->local_as);
  g_free(in);
}

ocl_inst *ocl_inst_get(ocl_emit *em, const cw_ir_func *f, const ocl_as *param_as) {
  GString *key = g_string_new(f->name);
  g_string_append_c(key, '|');
  bool any_ptr = false;
  for (uint32_t i = 0; i < f->n_params; i++)
    if (is_ptr(f->params[i]->type)) {
      g_string_append_c(key, as_letter(param_as[i]));
      any_ptr = true;
    }
  ocl_inst *in = g_hash_table_lookup(em->by_key, key->str);
  if (in) {
    g_string_free(key, TRUE);
    return in;
  }
  in = g_new0(ocl_inst, 1);
  in->f = f;
  in->param_as = g_new0(ocl_as, f->n_params ? f->n_params : 1);
  for (uint32_t i = 0; i < f->n_params; i++) {
    ocl_as as = is_ptr(f->params[i]->type) ? param_as[i] : OCL_AS_NONE;
    if (as == OCL_AS_NONE && is_ptr(f->params[i]->type)) as = OCL_AS_GLOBAL;
    in->param_as[i] = as;
  }
  if (f->is_kernel) {
    in->name = ocl_kernel_name(f);
  } else {
    const char *letters = strchr(key->str, '|') + 1;
    in->name = g_strdup_printf("cwf_%s%s%s", f->name, any_ptr ? "_" : "", letters);
  }
  in->hidden = ocl_func_hidden(f, em->svm);
  in->local_as = g_hash_table_new(g_direct_hash, g_direct_equal);
  g_hash_table_insert(em->by_key, g_string_free(key, FALSE), in);
  g_ptr_array_add(em->insts, in);
  ocl_as_infer(em, in);
  return in;
}

void ocl_inst_free_all(ocl_emit *em) {
  for (guint i = 0; i < em->insts->len; i++) inst_free(em->insts->pdata[i]);
  g_ptr_array_set_size(em->insts, 0);
}

/* ---- the fixpoint ----------------------------------------------------------------- */

typedef struct walk {
  ocl_emit *em;
  ocl_inst *in;
  bool changed;
  bool final;     /* last pass: instantiate callees, report conflicts */
} walk;

static void note_local(walk *w, const cw_ir_var *v, ocl_as as) {
  if (!v || v->kind != CW_VAR_LOCAL) return;
  if (!is_ptr(v->type) && !(is_array(v->type) && is_ptr(v->type->elem))) return;
  ocl_as old = (ocl_as)GPOINTER_TO_INT(g_hash_table_lookup(w->in->local_as, v));
  ocl_as nw = merge(old, as);
  if (nw != old) {
    g_hash_table_insert(w->in->local_as, (gpointer)v, GINT_TO_POINTER(nw));
    w->changed = true;
  }
}

static void walk_expr(walk *w, const cw_ir_expr *e);

static void walk_call(walk *w, const cw_ir_expr *e) {
  const cw_ir_func *g = e->callee;
  if (!g || !w->final) return;
  ocl_as *as = g_new0(ocl_as, g->n_params ? g->n_params : 1);
  for (uint32_t i = 0; i < g->n_params && i < e->n_args; i++) {
    if (!is_ptr(g->params[i]->type)) continue;
    as[i] = ocl_as_of_expr(w->em, w->in, e->args[i]);
    if (as[i] == OCL_AS_CONFLICT)
      ocl_emit_fail(w->em, w->in->f, e->args[i]->loc,
                    "pointer argument %u of %s has no single address space (OpenCL C 1.2 has no "
                    "generic pointers%s)", i + 1, g->source_name ? g->source_name : g->name,
                    w->em->svm ? "" : " and the device has no SVM");
  }
  const ocl_inst *gi = ocl_inst_get(w->em, g, as);
  g_free(as);
  /* an integer that the callee turns into a pointer must be one the window can resolve */
  for (uint32_t i = 0; (gi->hidden & OCL_HID_WINDOW) && i < g->n_params && i < e->n_args; i++)
    if (cw_ir_type_is_int(g->params[i]->type) && ocl_window_param_is_addr(g, i) &&
        !ocl_window_value_ok(w->in->f, e->args[i]))
      ocl_emit_fail(w->em, w->in->f, e->args[i]->loc, "argument %u of %s becomes a pointer there, "
                    "and it is not a kernel parameter's value (the device has no SVM: device "
                    "addresses are buffer offsets)", i + 1, g->source_name ? g->source_name : g->name);
}

/* A pointer stored in a struct field must point into __global memory (OpenCL 1.2 has no generic
 * pointers, and the emitter prints every struct pointer field __global). */
static void check_field_pointer(walk *w, const cw_ir_expr *v) {
  ocl_as as = ocl_as_of_expr(w->em, w->in, v);
  if (as == OCL_AS_LOCAL || as == OCL_AS_PRIVATE || as == OCL_AS_CONSTANT)
    ocl_emit_fail(w->em, w->in->f, v->loc, "stores a pointer to %s memory in a struct field (OpenCL "
                  "1.2 struct fields hold only __global pointers)",
                  as == OCL_AS_LOCAL ? "shared" : as == OCL_AS_PRIVATE ? "thread-local" : "constant");
}

static void walk_expr(walk *w, const cw_ir_expr *e) {
  if (!e) return;
  walk_expr(w, e->a);
  walk_expr(w, e->b);
  walk_expr(w, e->c);
  for (uint32_t i = 0; i < e->n_args; i++) walk_expr(w, e->args[i]);
  /* p = q gives p q's space; p += n (a compound assignment) keeps p's own */
  bool plain = e->kind == CW_EX_ASSIGN && e->op == CW_OP_NONE;
  if (plain && e->a && e->a->kind == CW_EX_VAR && is_ptr(e->a->type))
    note_local(w, e->a->var, ocl_as_of_expr(w->em, w->in, e->b));
  if (plain && e->a && e->a->kind == CW_EX_INDEX && e->a->a &&
      e->a->a->kind == CW_EX_VAR && is_array(e->a->a->type) && is_ptr(e->a->type))
    note_local(w, e->a->a->var, ocl_as_of_expr(w->em, w->in, e->b));  /* float *ps[4]; ps[i] = q */
  if (e->kind == CW_EX_CALL) walk_call(w, e);
  /* struct fields always hold __global pointers (a struct has one type for every instance) */
  if (w->final && plain && e->a && e->a->kind == CW_EX_MEMBER && is_ptr(e->a->type))
    check_field_pointer(w, e->b);
  if (w->final && w->em->svm) {
    /* memory holds __global pointers only: each instance of a struct or array has one type */
    if (e->kind == CW_EX_ASSIGN && is_ptr(e->a->type) && ocl_as_of_lvalue(w->em, w->in, e->a) != OCL_AS_PRIVATE) {
      ocl_as as = ocl_as_of_expr(w->em, w->in, e->b);
      if (as == OCL_AS_LOCAL || as == OCL_AS_PRIVATE || as == OCL_AS_CONSTANT)
        ocl_emit_fail(w->em, w->in->f, e->loc, "stores a pointer to %s memory into device memory "
                      "(OpenCL C 1.2 has no generic pointers: memory holds only __global ones)",
                      as == OCL_AS_LOCAL ? "shared" : as == OCL_AS_PRIVATE ? "thread-local" : "constant");
    }
    if (((e->kind == CW_EX_INDEX && is_ptr(e->a->type)) || e->kind == CW_EX_DEREF) &&
        ocl_as_of_expr(w->em, w->in, e->a) == OCL_AS_CONFLICT)
      ocl_emit_fail(w->em, w->in->f, e->loc, "dereferences a pointer that may point into "
                    "different kinds of memory (OpenCL C 1.2 has no generic pointers)");
    return;
  }
  /* a pointer made from an integer: only from a value whose buffer the launcher passes */
  if (w->final && ocl_is_int_to_ptr(e) && !ocl_window_value_ok(w->in->f, e->a))
    ocl_emit_fail(w->em, w->in->f, e->loc, "makes a pointer from an integer that is not a kernel "
                  "parameter's value (the device has no SVM: device addresses are buffer offsets)");
  /* a pointer stored into device memory: without SVM nobody could use it */
  if (w->final && e->kind == CW_EX_ASSIGN && is_ptr(e->a->type) &&
      ocl_as_of_lvalue(w->em, w->in, e->a) != OCL_AS_PRIVATE)
    ocl_emit_fail(w->em, w->in->f, e->loc, "stores a pointer into device memory (the device has "
                  "no SVM: device addresses are buffer offsets)");
  /* using a pointer that came out of memory: without SVM it is not an address of anything */
  if (w->final && ((e->kind == CW_EX_INDEX && is_ptr(e->a->type)) || e->kind == CW_EX_DEREF) &&
      ocl_as_of_expr(w->em, w->in, e->a) == OCL_AS_CONFLICT)
    ocl_emit_fail(w->em, w->in->f, e->loc, "dereferences a pointer loaded from memory or made "
                  "from an integer (the device has no SVM: device addresses are buffer offsets)");
}

static void walk_stmt(walk *w, const cw_ir_stmt *s) {
  if (!s) return;
  /* the function is printed returning a __global pointer (emit_module.c) */
  if (w->final && s->kind == CW_ST_RETURN && s->expr && is_ptr(s->expr->type)) {
    ocl_as as = ocl_as_of_expr(w->em, w->in, s->expr);
    if (as == OCL_AS_CONFLICT)
      ocl_emit_fail(w->em, w->in->f, s->loc, w->em->svm ? "returns a pointer that may point into "
                    "different kinds of memory (OpenCL C 1.2 has no generic pointers)" :
                    "returns a pointer loaded from memory or made from an integer (the device has "
                    "no SVM: device addresses are buffer offsets)");
    else if (as != OCL_AS_GLOBAL && as != OCL_AS_NONE)
      ocl_emit_fail(w->em, w->in->f, s->loc, "returns a pointer to %s memory (OpenCL 1.2 functions "
                    "here return only __global pointers)", as == OCL_AS_LOCAL ? "shared" :
                    as == OCL_AS_PRIVATE ? "thread-local" : "constant");
  }
  if (w->final && s->kind == CW_ST_DECL && s->var && s->expr && s->var->type &&
      s->var->type->kind == CW_IR_STRUCT && s->expr->kind == CW_EX_INIT)
    for (uint32_t i = 0; i < s->expr->n_args; i++)
      if (is_ptr(s->expr->args[i]->type)) check_field_pointer(w, s->expr->args[i]);
  if (s->kind == CW_ST_DECL && s->var && s->expr) {
    if (is_ptr(s->var->type)) note_local(w, s->var, ocl_as_of_expr(w->em, w->in, s->expr));
    if (is_array(s->var->type) && is_ptr(s->var->type->elem) && s->expr->kind == CW_EX_INIT)
      for (uint32_t i = 0; i < s->expr->n_args; i++)
        note_local(w, s->var, ocl_as_of_expr(w->em, w->in, s->expr->args[i]));
  }
  walk_expr(w, s->expr);
  walk_expr(w, s->cond);
  walk_expr(w, s->step);
  walk_stmt(w, s->init);
  walk_stmt(w, s->then_s);
  walk_stmt(w, s->else_s);
  walk_stmt(w, s->body);
  for (uint32_t i = 0; i < s->n_stmts; i++) walk_stmt(w, s->stmts[i]);
}

void ocl_as_infer(ocl_emit *em, ocl_inst *in) {
  if (!in->f->body) return;
  walk w = {em, in, true, false};
  for (int round = 0; w.changed && round < 64; round++) {
    w.changed = false;
    walk_stmt(&w, in->f->body);
  }
  w.final = true;
  walk_stmt(&w, in->f->body);
  if (in->f->is_kernel && (in->hidden & OCL_HID_WINDOW)) {
    int slots = ocl_window_kernel_slots(in->f);
    if (slots > OCL_WINDOW_MAX)
      ocl_emit_fail(em, in->f, in->f->loc, "turns %d kernel parameters into pointers (textures "
                    "count twice); this device without SVM takes at most %d", slots, OCL_WINDOW_MAX);
  }
}
