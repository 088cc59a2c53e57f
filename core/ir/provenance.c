/* provenance.c — per-function analysis: pointer provenance, direct facts, parameter accesses.
 *
 * Provenance is flow-insensitive.  Each pointer parameter and pointer local has one abstract
 * value, the merge of everything assigned to it (a parameter starts as PARAM(itself)); merging
 * runs to a fixpoint over the whole body, then a last walk stores the result on every pointer-
 * (and array-) typed expression and records facts and accesses.  Lattice: NONE (nothing seen)
 * < NULL < one root (PARAM/SHARED/GLOBAL_VAR/LOCAL of one variable) < UNKNOWN.  A pointer local
 * whose address is taken, a pointer read from memory, a call result and an integer cast to a
 * pointer are UNKNOWN.
 *
 * Accesses: an lvalue used for its value is a read, the left side of `=` a write (compound
 * assignment and ++/-- both), `&x`, an array indexed in place and a struct whose member is taken
 * are no access.  The memory an lvalue lives in is found by walking MEMBER and INDEX-of-array to
 * a variable (its own storage) or to a DEREF / INDEX-of-pointer (the pointer's provenance).
 * Accesses through UNKNOWN pointers count for every pointer parameter (it may be any of them). */
#include "analyze_internal.h"

typedef enum access { ACC_NONE = 0, ACC_READ = 1, ACC_WRITE = 2, ACC_RW = 3 } acc_mode;

typedef struct actx {
  cw_ir_module *m;
  cw_ir_func *f;
  cw_ir__fninfo *fi;
  cw_ir_prov *pstate, *lstate;  /* parameters, locals */
  guint8 *seen;                 /* module-scope variables already in fi->globals_direct */
  bool final;                   /* last walk: store provenance, record facts and accesses */
  bool changed;
} actx;

static const cw_ir_prov PROV_NONE = { CW_PROV_NONE, NULL };
static const cw_ir_prov PROV_UNKNOWN = { CW_PROV_UNKNOWN, NULL };

static cw_ir_prov prov_merge(cw_ir_prov a, cw_ir_prov b) {
  if (a.kind == CW_PROV_NONE || a.kind == CW_PROV_NULL) return b.kind == CW_PROV_NONE ? a : b;
  if (b.kind == CW_PROV_NONE || b.kind == CW_PROV_NULL) return a;
  if (a.kind == b.kind && a.var == b.var) return a;
  return PROV_UNKNOWN;
}

static bool is_ptr(const cw_ir_type *t) { return t && t->kind == CW_IR_PTR; }
static bool is_array(const cw_ir_type *t) { return t && t->kind == CW_IR_ARRAY; }

static bool is_module_var(const cw_ir_var *v) {
  return v->kind != CW_VAR_LOCAL && v->kind != CW_VAR_PARAM;
}

/* The state slot of a parameter or local of this function, or NULL. */
static cw_ir_prov *slot_of(actx *c, const cw_ir_var *v) {
  if (v->owner != c->f) return NULL;
  if (v->kind == CW_VAR_PARAM && v->index < c->f->n_params && c->f->params[v->index] == v)
    return &c->pstate[v->index];
  if (v->kind == CW_VAR_LOCAL && v->index < c->f->n_locals && c->f->locals[v->index] == v)
    return &c->lstate[v->index];
  return NULL;
}

/* Where the storage of variable v is. */
static cw_ir_prov storage_of(const cw_ir_var *v) {
  cw_ir_prov p = { CW_PROV_LOCAL, v };
  if (v->kind == CW_VAR_SHARED || v->kind == CW_VAR_SHARED_DYNAMIC) p.kind = CW_PROV_SHARED;
  else if (v->kind == CW_VAR_CONSTANT || v->kind == CW_VAR_DEVICE) p.kind = CW_PROV_GLOBAL_VAR;
  return p;
}

/* The memory an lvalue lives in (children already visited, so their prov is stored). */
static cw_ir_prov lvalue_root(const cw_ir_expr *e) {
  for (;;) {
    if (!cw_ir__expr_well_formed(e)) return PROV_UNKNOWN;
    switch (e->kind) {
    case CW_EX_VAR: return storage_of(e->var);
    case CW_EX_DEREF: return e->a->prov;
    case CW_EX_INDEX:
      if (is_ptr(e->a->type)) return e->a->prov;
      if (!e->a->is_lvalue) return PROV_NONE;
      e = e->a;
      break;
    case CW_EX_MEMBER:
      if (!e->a->is_lvalue) return PROV_NONE;
      e = e->a;
      break;
    default: return PROV_NONE;
    }
  }
}

static uint32_t type_facts_depth(const cw_ir_type *t, int depth) {
  if (!t || depth > 16) return 0;
  switch (t->kind) {
  case CW_IR_F64: return CW_FACT_F64;
  case CW_IR_I64: case CW_IR_U64: return CW_FACT_I64;
  case CW_IR_F16: case CW_IR_BF16: return CW_FACT_F16;
  case CW_IR_I8: case CW_IR_U8: case CW_IR_I16: case CW_IR_U16: return CW_FACT_I8_16;
  case CW_IR_ARRAY: case CW_IR_VECTOR: return type_facts_depth(t->elem, depth + 1);
  case CW_IR_STRUCT: {
    uint32_t f = 0;
    for (uint32_t i = 0; i < t->n_fields; i++) f |= type_facts_depth(t->fields[i].type, depth + 1);
    return f;
  }
  default: return 0;
  }
}

/* Facts a value of type t implies.  Deliberately simple: any expression or variable of a 64-bit
 * integer type sets I64, so kernels that index with size_t (U64) have it too; a backend without
 * 64-bit integers (WebGPU) then declines them and the fallback chain moves on. */
uint32_t cw_ir__type_facts(const cw_ir_type *t) { return type_facts_depth(t, 0); }

static void record_access(actx *c, cw_ir_prov p, bool read, bool written, bool atomic) {
  if (!c->final) return;
  if (p.kind == CW_PROV_UNKNOWN) {
    c->fi->unknown_read |= read;
    c->fi->unknown_write |= written;
    c->fi->unknown_atomic |= atomic;
  } else if (p.kind == CW_PROV_PARAM && p.var && p.var->owner == c->f &&
             p.var->index < c->f->n_params) {
    cw_ir_param_info *pi = &c->f->param_info[p.var->index];
    pi->read |= read;
    pi->written |= written;
    pi->atomic |= atomic;
  }
}

static void assign_to(actx *c, const cw_ir_expr *lhs, cw_ir_prov val) {
  if (lhs->kind != CW_EX_VAR || !is_ptr(lhs->type)) return;
  cw_ir_prov *slot = slot_of(c, lhs->var);
  if (!slot) return;
  cw_ir_prov n = prov_merge(*slot, val);
  if (n.kind != slot->kind || n.var != slot->var) {
    *slot = n;
    c->changed = true;
  }
}

uint32_t cw_ir_builtin_facts(const cw_ir_expr *e) {
  if (!e || e->kind != CW_EX_BUILTIN) return 0;
  switch (e->bi) {
  case CW_BI_SYNCTHREADS: case CW_BI_SYNCTHREADS_COUNT: case CW_BI_SYNCTHREADS_AND:
  case CW_BI_SYNCTHREADS_OR:
    return CW_FACT_BARRIER;
  case CW_BI_SYNCWARP: case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN:
  case CW_BI_SHFL_XOR: case CW_BI_BALLOT: case CW_BI_ANY: case CW_BI_ALL: case CW_BI_ACTIVEMASK:
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX:
    return CW_FACT_WARP_OPS;
  case CW_BI_ATOMIC_ADD: case CW_BI_ATOMIC_SUB: case CW_BI_ATOMIC_EXCH: case CW_BI_ATOMIC_MIN:
  case CW_BI_ATOMIC_MAX: case CW_BI_ATOMIC_INC: case CW_BI_ATOMIC_DEC: case CW_BI_ATOMIC_CAS:
  case CW_BI_ATOMIC_AND: case CW_BI_ATOMIC_OR: case CW_BI_ATOMIC_XOR: {
    /* the operated-on type: the pointee of arg0, else the result type */
    const cw_ir_type *t = e->type;
    if (e->n_args && e->args[0] && is_ptr(e->args[0]->type) && e->args[0]->type->elem)
      t = e->args[0]->type->elem;
    uint32_t f = CW_FACT_ATOMICS;
    if (cw_ir_type_is_float(t)) f |= CW_FACT_ATOMIC_FLOAT;
    if (t && t->size == 8) f |= CW_FACT_ATOMIC_64;
    return f;
  }
  case CW_BI_PRINTF: return CW_FACT_PRINTF;
  case CW_BI_ASSERT: case CW_BI_TRAP: return CW_FACT_ASSERT;
  case CW_BI_CLOCK: case CW_BI_CLOCK64: case CW_BI_GLOBALTIMER: return CW_FACT_CLOCK;
  case CW_BI_THREADFENCE: case CW_BI_THREADFENCE_BLOCK: case CW_BI_THREADFENCE_SYSTEM:
    return CW_FACT_FENCE;
  default: return 0;
  }
}

/* Memory accessed through a builtin's pointer arguments. */
static void builtin_accesses(actx *c, const cw_ir_expr *e) {
  const cw_ir_prov none = PROV_NONE;
  cw_ir_prov a0 = e->n_args > 0 && e->args[0] ? e->args[0]->prov : none;
  cw_ir_prov a1 = e->n_args > 1 && e->args[1] ? e->args[1]->prov : none;
  cw_ir_prov a2 = e->n_args > 2 && e->args[2] ? e->args[2]->prov : none;
  uint32_t f = cw_ir_builtin_facts(e);
  if (f & CW_FACT_ATOMICS) record_access(c, a0, true, true, true);
  switch (e->bi) {
  case CW_BI_LDG: record_access(c, a0, true, false, false); break;
  case CW_BI_MEMCPY: record_access(c, a0, false, true, false); record_access(c, a1, true, false, false); break;
  case CW_BI_MEMSET: record_access(c, a0, false, true, false); break;
  case CW_BI_FREXP: case CW_BI_MODF: record_access(c, a1, false, true, false); break;
  case CW_BI_SINCOS:
    record_access(c, a1, false, true, false);
    record_access(c, a2, false, true, false);
    break;
  default: break;
  }
}

static cw_ir_prov visit(actx *c, cw_ir_expr *e, acc_mode acc);

static cw_ir_prov compute(actx *c, cw_ir_expr *e, acc_mode acc) {
  (void)acc;
  if (!cw_ir__expr_well_formed(e)) {
    /* an incomplete node from a buggy builder: visit what is there, assume nothing */
    visit(c, e->a, ACC_READ);
    visit(c, e->b, ACC_READ);
    visit(c, e->c, ACC_READ);
    for (uint32_t i = 0; e->args && i < e->n_args; i++) visit(c, e->args[i], ACC_READ);
    return PROV_UNKNOWN;
  }
  switch (e->kind) {
  case CW_EX_INT: case CW_EX_FLOAT: return PROV_NONE;
  case CW_EX_STRING: return PROV_UNKNOWN;
  case CW_EX_NULLPTR: return (cw_ir_prov){ CW_PROV_NULL, NULL };
  case CW_EX_VAR: {
    cw_ir_var *v = e->var;
    if (is_module_var(v)) {
      if (c->final && v->index < c->m->n_globals && c->m->globals[v->index] == v && !c->seen[v->index]) {
        c->seen[v->index] = 1;
        g_array_append_val(c->fi->globals_direct, v->index);
      }
      if (c->final && v->kind == CW_VAR_SHARED_DYNAMIC) c->fi->direct_facts |= CW_FACT_DYN_SHARED;
    }
    if (is_array(e->type)) return storage_of(v);
    if (!is_ptr(e->type)) return PROV_NONE;
    cw_ir_prov *slot = slot_of(c, v);
    if (!slot || v->addr_taken) return PROV_UNKNOWN;
    if (slot->kind == CW_PROV_NONE && c->final) return PROV_UNKNOWN;  /* never assigned */
    return *slot;
  }
  case CW_EX_UNARY:
    visit(c, e->a, ACC_READ);
    return PROV_NONE;
  case CW_EX_BINARY: {
    cw_ir_prov pa = visit(c, e->a, ACC_READ);
    visit(c, e->b, ACC_READ);
    if (e->op == CW_OP_PTR_ADD || e->op == CW_OP_PTR_SUB) return pa;
    return PROV_NONE;
  }
  case CW_EX_ASSIGN: {
    cw_ir_prov pa = visit(c, e->a, e->op == CW_OP_NONE ? ACC_WRITE : ACC_RW);
    cw_ir_prov pb = visit(c, e->b, ACC_READ);
    cw_ir_prov val = e->op == CW_OP_NONE ? pb : pa;
    assign_to(c, e->a, val);
    return val;
  }
  case CW_EX_INCDEC: return visit(c, e->a, ACC_RW);
  case CW_EX_COND: {
    visit(c, e->a, ACC_READ);
    cw_ir_prov pb = visit(c, e->b, ACC_READ);
    cw_ir_prov pc = visit(c, e->c, ACC_READ);
    return prov_merge(pb, pc);
  }
  case CW_EX_CAST: {
    cw_ir_prov pa = visit(c, e->a, ACC_READ);
    if (is_ptr(e->a->type) || is_array(e->a->type)) return pa;
    if (e->a->kind == CW_EX_INT && e->a->ival == 0) return (cw_ir_prov){ CW_PROV_NULL, NULL };
    return PROV_UNKNOWN;
  }
  case CW_EX_DEREF:
    visit(c, e->a, ACC_READ);
    return is_array(e->type) ? lvalue_root(e) : PROV_UNKNOWN;
  case CW_EX_ADDR:
    visit(c, e->a, ACC_NONE);
    return lvalue_root(e->a);
  case CW_EX_INDEX: {
    bool in_place = !is_ptr(e->a->type) && e->a->is_lvalue;  /* array/vector indexed in place */
    visit(c, e->a, in_place ? ACC_NONE : ACC_READ);
    visit(c, e->b, ACC_READ);
    return is_array(e->type) ? lvalue_root(e) : PROV_UNKNOWN;
  }
  case CW_EX_MEMBER:
    visit(c, e->a, e->a->is_lvalue ? ACC_NONE : ACC_READ);
    return is_array(e->type) && e->is_lvalue ? lvalue_root(e) : PROV_UNKNOWN;
  case CW_EX_CALL: {
    for (uint32_t i = 0; i < e->n_args; i++) visit(c, e->args[i], ACC_READ);
    if (c->final) c->fi->direct_facts |= CW_FACT_CALLS;
    cw_ir_func *g = e->callee;
    if (g && g->param_info)  /* what the callee does with the memory behind its pointer params */
      for (uint32_t i = 0; i < e->n_args && i < g->n_params; i++) {
        const cw_ir_param_info *pi = &g->param_info[i];
        if (pi->is_pointer && (pi->read || pi->written || pi->atomic))
          record_access(c, e->args[i]->prov, pi->read, pi->written, pi->atomic);
      }
    return PROV_UNKNOWN;
  }
  case CW_EX_BUILTIN:
    for (uint32_t i = 0; i < e->n_args; i++) visit(c, e->args[i], ACC_READ);
    if (c->final) {
      c->fi->direct_facts |= cw_ir_builtin_facts(e);
      builtin_accesses(c, e);
    }
    return PROV_UNKNOWN;
  case CW_EX_COMMA:
    visit(c, e->a, ACC_READ);
    return visit(c, e->b, ACC_READ);
  case CW_EX_INIT: {
    cw_ir_prov p = PROV_UNKNOWN;
    for (uint32_t i = 0; i < e->n_args; i++) {
      cw_ir_prov pi = visit(c, e->args[i], ACC_READ);
      if (e->n_args == 1 && is_ptr(e->type)) p = pi;
    }
    return p;
  }
  }
  return PROV_UNKNOWN;
}

static cw_ir_prov visit(actx *c, cw_ir_expr *e, acc_mode acc) {
  if (!e) return PROV_NONE;
  cw_ir_prov p = compute(c, e, acc);
  bool pointerish = is_ptr(e->type) || is_array(e->type);
  if (!pointerish) p = PROV_NONE;
  else if (c->final && p.kind == CW_PROV_NONE) p = PROV_UNKNOWN;
  e->prov = p;  /* stored on every walk: lvalue_root reads children's values */
  if (c->final) {
    c->fi->direct_facts |= cw_ir__type_facts(e->type);
    if (e->is_lvalue && acc != ACC_NONE) {
      cw_ir_prov root = lvalue_root(e);
      record_access(c, root, acc & ACC_READ, acc & ACC_WRITE, false);
      /* a pointer value moved to or from memory (not a variable of this thread) */
      if (is_ptr(e->type) && root.kind != CW_PROV_LOCAL && root.kind != CW_PROV_NONE)
        c->fi->direct_facts |= CW_FACT_POINTER_IN_MEMORY;
    }
  }
  return p;
}

static void visit_stmt(actx *c, cw_ir_stmt *s) {
  if (!s) return;
  switch (s->kind) {
  case CW_ST_DECL:
    if (s->expr) {
      cw_ir_prov p = visit(c, s->expr, ACC_READ);
      if (s->var && is_ptr(s->var->type)) {
        cw_ir_prov *slot = slot_of(c, s->var);
        if (slot) {
          cw_ir_prov n = prov_merge(*slot, p);
          if (n.kind != slot->kind || n.var != slot->var) {
            *slot = n;
            c->changed = true;
          }
        }
      }
    }
    if (c->final && s->var) c->fi->direct_facts |= cw_ir__type_facts(s->var->type);
    return;
  case CW_ST_GOTO: case CW_ST_LABEL:
    if (c->final) c->fi->direct_facts |= CW_FACT_GOTO;
    break;
  default: break;
  }
  visit_stmt(c, s->init);
  visit(c, s->expr, ACC_READ);
  visit(c, s->cond, ACC_READ);
  for (uint32_t i = 0; i < s->n_stmts; i++) visit_stmt(c, s->stmts[i]);
  visit_stmt(c, s->then_s);
  visit_stmt(c, s->else_s);
  visit_stmt(c, s->body);
  visit(c, s->step, ACC_READ);
}

void cw_ir__analyze_function(cw_ir_module *m, cw_ir_func *f, cw_ir__fninfo *fi, guint8 *seen) {
  actx c = { .m = m, .f = f, .fi = fi, .seen = seen };
  GArray *gd = fi->globals_direct;  /* from an earlier round over a call cycle: keep, no repeats */
  for (guint i = 0; i < gd->len; i++) seen[g_array_index(gd, uint32_t, i)] = 1;
  c.pstate = g_new0(cw_ir_prov, f->n_params + 1);
  c.lstate = g_new0(cw_ir_prov, f->n_locals + 1);
  for (uint32_t i = 0; i < f->n_params; i++) {
    c.pstate[i] = (cw_ir_prov){ CW_PROV_PARAM, f->params[i] };
    f->param_info[i].is_pointer = is_ptr(f->params[i]->type);
  }
  /* the lattice is finite and merges only go up, so this terminates; the bound is a guard */
  for (int iter = 0; iter < 64; iter++) {
    c.changed = false;
    visit_stmt(&c, f->body);
    if (!c.changed) break;
  }
  c.final = true;
  visit_stmt(&c, f->body);
  for (uint32_t i = 0; i < f->n_params; i++) {
    fi->direct_facts |= cw_ir__type_facts(f->params[i]->type);
    cw_ir_param_info *pi = &f->param_info[i];
    if (!pi->is_pointer) continue;
    pi->read |= fi->unknown_read;
    pi->written |= fi->unknown_write;
    pi->atomic |= fi->unknown_atomic;
  }
  for (uint32_t i = 0; i < f->n_locals; i++) fi->direct_facts |= cw_ir__type_facts(f->locals[i]->type);
  for (guint i = 0; i < gd->len; i++) seen[g_array_index(gd, uint32_t, i)] = 0;
  g_free(c.pstate);
  g_free(c.lstate);
}
