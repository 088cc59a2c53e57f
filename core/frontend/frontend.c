/* cw_frontend_compile: preprocess, parse, check and lower one translation unit to kernel IR.
 *
 * The parser (parse.h explains the one-pass design) is split by stage:
 *   parse_top.c       top level: namespaces, using, declarations; host code skipped by brackets;
 *                     device function bodies lowered on demand (func_require → work queue)
 *   parse_decl.c      specifiers, declarators, type names, template argument lists
 *   parse_record.c    structs/classes/unions (members, methods, constructors) and enums
 *   parse_template.c  template declarations, deduction, instantiation by re-parsing
 *   parse_stmt.c      statements and local declarations
 *   parse_expr.c      expressions (typed as read), one precedence level per file: parse_binary.c,
 *                     parse_cast.c, parse_unary.c, parse_postfix.c, parse_primary.c, parse_name.c
 *   parse_init.c      initializers
 *   parse_lambda.c    lambdas → closure struct + operator()
 *   sema_conv.c       conversions, usual arithmetic conversions, folding, temporaries
 *   sema_call.c       overload resolution, argument passing, constructors
 *   sema_builtins.c   CUDA builtins and built-in types; sema_coop.c cooperative groups
 *   types.c, scope.c  front-end types (→ cw_ir_type) and name lookup
 * Set CW_FE_TIMING=1 to print where the time goes. */
#include <stdio.h>
#include <string.h>

#include "frontend/parse.h"

static void parser_init(Parser *p, cw_frontend_ctx *ctx, cw_ir_module *m) {
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->m = m;
  p->work = g_queue_new();
  p->c_names = g_hash_table_new(g_str_hash, g_str_equal);
  p->idents = g_hash_table_new(g_str_hash, g_str_equal);
  p->helpers = g_hash_table_new(g_str_hash, g_str_equal);
  p->types = g_hash_table_new(g_str_hash, g_str_equal);
  p->tables = g_ptr_array_new();
  p->garrays = g_ptr_array_new();
  p->gptrs = g_ptr_array_new();
  p->kernels = g_ptr_array_new();
  ty_init(p);
  p->global = scope_new(p, SC_NAMESPACE, NULL);
  p->global->qual = "";
  p->scope = p->global;
  builtins_declare_types(p);
}

static void parser_free(Parser *p) {
  for (guint i = 0; i < p->tables->len; i++)
    g_hash_table_destroy(g_ptr_array_index(p->tables, i));
  for (guint i = 0; i < p->garrays->len; i++)
    g_array_free(g_ptr_array_index(p->garrays, i), TRUE);
  for (guint i = 0; i < p->gptrs->len; i++)
    g_ptr_array_free(g_ptr_array_index(p->gptrs, i), TRUE);
  g_ptr_array_free(p->tables, TRUE);
  g_ptr_array_free(p->garrays, TRUE);
  g_ptr_array_free(p->gptrs, TRUE);
  g_ptr_array_free(p->kernels, TRUE);
  g_queue_free(p->work);
  g_hash_table_destroy(p->c_names);
  g_hash_table_destroy(p->idents);
  g_hash_table_destroy(p->helpers);
  g_hash_table_destroy(p->types);
}

cw_ir_module *cw_frontend_compile(cw_frontend_ctx *ctx, cw_src_file *main_file, const cw_frontend_options *opts) {
  if (!ctx || !main_file)
    return NULL;
  int errors_before = cw_diag_error_count(ctx);
  cw_pp_options ppo = {0};
  if (opts)
    ppo = opts->pp;
  gint64 t0 = g_get_monotonic_time();
  cw_token *toks = cw_preprocess(ctx, cw_lex(ctx, main_file), &ppo);
  gint64 t1 = g_get_monotonic_time();
  cw_ir_module *m = cw_ir_module_new(main_file->name);
  Parser p;
  parser_init(&p, ctx, m);
  p.tok = toks;
  while (!fe_at_eof(&p)) {
    cw_token *before = p.tok;
    parse_external(&p);
    if (p.tok == before) {
      if (fe_is(&p, "}"))
        fe_error(&p, p.tok, "unbalanced '}'");
      fe_advance(&p);
    }
  }
  for (guint i = 0; i < p.kernels->len; i++) {
    Func *f = g_ptr_array_index(p.kernels, i);
    func_require(&p, f, f->tok);
  }
  tmpl_explicit_instantiations(&p, opts);
  while (!g_queue_is_empty(p.work)) {
    Func *f = g_queue_pop_head(p.work);
    lower_function_body(&p, f);
  }
  parser_free(&p);
  gint64 t2 = g_get_monotonic_time();
  if (cw_diag_error_count(ctx) > errors_before) {
    cw_ir_module_free(m);
    return NULL;
  }
  cw_ir_module_finish(m);
  if (g_getenv("CW_FE_TIMING")) /* where the time goes, for the front end's own benchmarks */
    fprintf(stderr, "front end: preprocess %.1f ms, parse+check %.1f ms, IR finish %.1f ms\n", (t1 - t0) / 1e3,
            (t2 - t1) / 1e3, (g_get_monotonic_time() - t2) / 1e3);
  return m;
}
