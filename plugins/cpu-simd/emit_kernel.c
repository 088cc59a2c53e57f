/* emit_kernel.c — a kernel's entry point, in one of three shapes:
 *   plain loop  `cwk_N_block`: no barriers or warp operations; the body sits inside z/y/x thread
 *               loops with threadIdx.x the innermost loop variable, which the C compiler vectorizes;
 *   fission     `cwk_N_block`: the body is split at barriers into thread loops (emit_fission.c);
 *   fibers      `cwk_N_thread`: one thread per call, barriers switch to the next fiber.
 * The choice and its reason are recorded for the log ("kernel foo: fission (3 regions)"). */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "rt/cw-cpu-rt.h"

static void out(emit_ctx *E, const char *s) { g_string_append(E->out, s); }
static void nl(emit_ctx *E) { cw_cprinter_newline(E->p); }

static void block_geometry(emit_ctx *E) {
  nl(E);
  out(E, "const uint32_t cw_bx = cw_C->bid[0], cw_by = cw_C->bid[1], cw_bz = cw_C->bid[2];");
  nl(E);
  out(E, "const uint32_t cw_bdx = cw_C->bdim[0], cw_bdy = cw_C->bdim[1], cw_bdz = cw_C->bdim[2];");
  nl(E);
  out(E, "const uint32_t cw_gdx = cw_C->gdim[0], cw_gdy = cw_C->gdim[1], cw_gdz = cw_C->gdim[2];");
  nl(E);
  out(E, "const uint32_t cw_nt = cw_C->nt;");
  /* local copies: a store through a user pointer cannot change them, so shared-memory addresses
   * stay loop-invariant and the thread loops vectorize (the kernels use -fno-strict-aliasing) */
  nl(E);
  out(E, "unsigned char *const cw_shm = cw_C->shm, *const cw_dshm = cw_C->dshm;");
}

void emit_function_prologue(emit_ctx *E) {
  nl(E);
  out(E, "cw_blk *cw_C = cw_T->C;");
  nl(E);
  out(E, "const uint32_t cw_tx = cw_T->tx, cw_ty = cw_T->ty, cw_tz = cw_T->tz, cw_lin = cw_T->lin;");
  block_geometry(E);
}

/* Parameters from the launch's argument array: block-level copies `cw_pa_<name>`. */
void emit_params_unpack(emit_ctx *E, const cw_ir_func *k) {
  for (uint32_t i = 0; i < k->n_params; i++) {
    const cw_ir_var *v = k->params[i];
    char *n = g_strdup_printf("cw_pa_%s", v->name);
    nl(E);
    cw_cprinter_decl(E->p, v->type, n);
    g_string_append_printf(E->out, "; memcpy(&%s, cw_args[%u], sizeof %s);", n, i, n);
    g_free(n);
  }
}

/* The per-thread parameter copies `v_<name> = cw_pa_<name>` (a kernel may assign its parameters). */
static void params_copy(emit_ctx *E, const cw_ir_func *k) {
  for (uint32_t i = 0; i < k->n_params; i++) {
    const cw_ir_var *v = k->params[i];
    char *n = g_strdup_printf("v_%s", v->name);
    nl(E);
    cw_cprinter_decl(E->p, v->type, n);
    g_string_append_printf(E->out, " = cw_pa_%s;", v->name);
    g_free(n);
  }
}

static bool kernel_calls(const cw_ir_func *k) { return k->n_callees > 0 || (k->facts & CW_FACT_CALLS); }

static void emit_plain(emit_ctx *E, const cw_ir_func *k, uint32_t index) {
  g_string_append_printf(E->out, "static void cwk_%u_block(const void *const *cw_args, cw_blk *cw_C) {", index);
  cw_cprinter_indent(E->p, 1);
  block_geometry(E);
  emit_params_unpack(E, k);
  nl(E);
  out(E, "for (uint32_t cw_tz = 0; cw_tz < cw_bdz; cw_tz++)");
  nl(E);
  out(E, "for (uint32_t cw_ty = 0; cw_ty < cw_bdy; cw_ty++)");
  nl(E);
  /* a signed loop variable: the vectorizer needs i = blockIdx.x * blockDim.x + (int)threadIdx.x
   * to be an induction variable that cannot wrap */
  out(E, "for (int32_t cw_txi = 0; cw_txi < (int32_t)cw_bdx; cw_txi++) {");
  cw_cprinter_indent(E->p, 1);
  nl(E);
  out(E, "const uint32_t cw_tx = (uint32_t)cw_txi;");
  nl(E);
  out(E, "const uint32_t cw_lin = (cw_tz * cw_bdy + cw_ty) * cw_bdx + cw_tx;");
  if (kernel_calls(k)) {
    nl(E);
    out(E, "cw_thr cw_Ts = {cw_C, cw_tx, cw_ty, cw_tz, cw_lin, (void *)0}, *cw_T = &cw_Ts;");
  }
  params_copy(E, k);
  E->next_label = 0;
  for (uint32_t i = 0; i < k->body->n_stmts; i++) cw_cprinter_stmt(E->p, k->body->stmts[i]);
  nl(E);
  out(E, "cw_next_0:;");
  cw_cprinter_indent(E->p, -1);
  nl(E);
  out(E, "}");
  cw_cprinter_indent(E->p, -1);
  out(E, "\n}\n\n");
}

static void emit_fibers(emit_ctx *E, const cw_ir_func *k, uint32_t index) {
  g_string_append_printf(E->out, "static void cwk_%u_thread(const void *const *cw_args, cw_thr *cw_T) {", index);
  cw_cprinter_indent(E->p, 1);
  emit_function_prologue(E);
  for (uint32_t i = 0; i < k->n_params; i++) {
    const cw_ir_var *v = k->params[i];
    char *n = g_strdup_printf("v_%s", v->name);
    nl(E);
    cw_cprinter_decl(E->p, v->type, n);
    g_string_append_printf(E->out, "; memcpy(&%s, cw_args[%u], sizeof %s);", n, i, n);
    g_free(n);
  }
  for (uint32_t i = 0; i < k->body->n_stmts; i++) cw_cprinter_stmt(E->p, k->body->stmts[i]);
  cw_cprinter_indent(E->p, -1);
  out(E, "\n}\n\n");
}

static void emit_fission(emit_ctx *E, const cw_ir_func *k, uint32_t index) {
  E->decls = g_string_new(NULL);
  E->hoisted = cw_ir_fission_hoisted_vars(k);
  E->jump_target = cw_ir_fission_jump_targets(k);
  E->uniform = cw_ir_fission_uniform_control(k, E->jump_target, &E->scalars);
  /* block scalars are one value per block, not per-thread arrays */
  GHashTableIter it;
  gpointer sv;
  g_hash_table_iter_init(&it, E->scalars);
  while (g_hash_table_iter_next(&it, &sv, NULL)) g_hash_table_remove(E->hoisted, sv);
  E->loop_ids = g_hash_table_new(NULL, NULL);
  E->n_regions = 0;
  E->n_tmp = 0;
  E->has_exit = cw_ir_fission_has_exit(k->body);
  /* the body is printed first: it decides which per-thread arrays the top must declare; the
   * top is then printed after it and moved in front */
  gsize start = E->out->len;
  cw_cprinter_indent(E->p, 1);
  emit_fission_body(E, k);
  cw_cprinter_indent(E->p, -1);
  out(E, "\n}\n\n");
  gsize body_end = E->out->len;
  g_string_append_printf(E->out, "static void cwk_%u_block(const void *const *cw_args, cw_blk *cw_C) {", index);
  cw_cprinter_indent(E->p, 1);
  block_geometry(E);
  emit_params_unpack(E, k);
  /* parameters the kernel never writes stay block-wide */
  for (uint32_t i = 0; i < k->n_params; i++) {
    const cw_ir_var *v = k->params[i];
    if (g_hash_table_contains(E->hoisted, v)) continue;
    char *n = g_strdup_printf("v_%s", v->name);
    nl(E);
    cw_cprinter_decl(E->p, v->type, n);
    g_string_append_printf(E->out, " = cw_pa_%s;", v->name);
    g_free(n);
  }
  if (E->has_exit) {
    nl(E);
    out(E, "unsigned char cw_ex[cw_nt]; memset(cw_ex, 0, cw_nt);");
  }
  g_string_append(E->out, E->decls->str);
  cw_cprinter_indent(E->p, -1);
  char *top = g_strdup(E->out->str + body_end);
  g_string_truncate(E->out, body_end);
  g_string_insert(E->out, (gssize)start, top);
  g_free(top);
  g_string_free(E->decls, TRUE);
  E->decls = NULL;
  g_hash_table_destroy(E->hoisted);
  g_hash_table_destroy(E->jump_target);
  g_hash_table_destroy(E->loop_ids);
  g_hash_table_destroy(E->uniform);
  g_hash_table_destroy(E->scalars);
  g_free(E->region_test);
  E->region_test = NULL;
  E->hoisted = E->jump_target = E->loop_ids = E->uniform = E->scalars = NULL;
}

/* Loop fission must see every barrier and warp operation of a kernel in its own body: calls of
 * functions that have one must be inlined.  A call that passes a pointer into shared memory to a
 * function storing through it may be warp-synchronous code (`warp_reduce(volatile float *s, int t)`)
 * that fission must see to run it lane by lane (cw_ir_fission_hazards_begin): inlined when possible. */
static cw_ir_inline_want fission_inlines(const cw_ir_expr *call, void *user) {
  (void)user;
  const cw_ir_func *f = call->callee;
  if (f->facts & (CW_FACT_BARRIER | CW_FACT_WARP_OPS)) return CW_IR_INLINE_REQUIRED;
  return cw_ir_call_stores_through_shared(call) ? CW_IR_INLINE_IF_POSSIBLE : CW_IR_INLINE_NO;
}

void emit_kernel(emit_ctx *E, const cw_ir_func *k, uint32_t index, emit_kernel_plan *plan) {
  E->fn = k;
  if (!k->body) {
    emit_fail(E, k->loc, "kernel has no body");
    return;
  }
  const char *forced = g_getenv("CW_CPU_SIMD_MODE"); /* debugging: "fibers" forces fiber mode */
  bool syncs = (k->facts & (CW_FACT_BARRIER | CW_FACT_WARP_OPS)) != 0;
  cw_ir_loc where = k->loc;
  const char *blocker = syncs ? cw_ir_fission_blocker(k, &where) : NULL;
  /* warp operations inside called functions, or warp-synchronous code working on shared memory
   * through a pointer argument: fission works on a copy with those calls inlined */
  cw_ir_inlined *inl = NULL;
  const char *inl_why = NULL;
  if (syncs && !(forced && strcmp(forced, "fibers") == 0)) {
    cw_ir_func *copy = cw_ir_func_inline_calls(k, fission_inlines, NULL, &inl, &inl_why);
    if (copy) {
      cw_ir_loc w2 = copy->loc;
      const char *b2 = cw_ir_fission_blocker(copy, &w2);
      if (!b2) k = copy, blocker = NULL, E->fn = k;
      else if (blocker) blocker = b2, where = w2;
    } else if (inl_why && blocker) {
      blocker = inl_why;
    }
  }
  if (forced && strcmp(forced, "fibers") == 0) blocker = "forced by CW_CPU_SIMD_MODE", syncs = true;
  if (!syncs) {
    plan->mode = CW_KMODE_PLAIN;
    plan->path = g_strdup("plain loop");
    E->mode = EMIT_PLAIN;
    E->has_thr = kernel_calls(k);
    emit_plain(E, k, index);
  } else if (!blocker) {
    cw_ir_fission_hazards_begin(k);
    cw_ir_loc w3 = k->loc;
    if (cw_ir_fission_blocker(k, &w3)) cw_ir_fission_hazards_end(); /* fission as if there were none */
    plan->mode = CW_KMODE_FISSION;
    E->mode = EMIT_FISSION;
    E->has_thr = kernel_calls(k);
    emit_fission(E, k, index);
    cw_ir_fission_hazards_end();
    plan->path = g_strdup_printf("fission (%d regions)", E->n_regions);
  } else {
    plan->mode = CW_KMODE_FIBERS;
    plan->path = g_strdup_printf("fibers: %s (%s:%d)", blocker, where.file ? where.file : "?", where.line);
    E->mode = EMIT_FUNC;
    E->has_thr = true;
    emit_fibers(E, k, index);
  }
  E->fn = NULL;
  cw_ir_inlined_free(inl);
}
