/* glsl_walk.c — visits every expression of a function, parents before children. */
#include "glsl_internal.h"

static void walk_expr(const cw_ir_expr *e, glsl_expr_visit fn, void *user) {
  if (!e) return;
  fn(e, user);
  walk_expr(e->a, fn, user);
  walk_expr(e->b, fn, user);
  walk_expr(e->c, fn, user);
  for (uint32_t i = 0; i < e->n_args; i++) walk_expr(e->args[i], fn, user);
}

static void walk_stmt(const cw_ir_stmt *s, glsl_expr_visit fn, void *user) {
  if (!s) return;
  for (uint32_t i = 0; i < s->n_stmts; i++) walk_stmt(s->stmts[i], fn, user);
  walk_stmt(s->init, fn, user);
  walk_expr(s->expr, fn, user);
  walk_expr(s->cond, fn, user);
  walk_expr(s->step, fn, user);
  walk_stmt(s->then_s, fn, user);
  walk_stmt(s->else_s, fn, user);
  walk_stmt(s->body, fn, user);
}

void glsl_walk_func(const cw_ir_func *f, glsl_expr_visit fn, void *user) {
  walk_stmt(f->body, fn, user);
}

static void walk_stmts(const cw_ir_stmt *s, glsl_stmt_visit fn, void *user) {
  if (!s) return;
  fn(s, user);
  for (uint32_t i = 0; i < s->n_stmts; i++) walk_stmts(s->stmts[i], fn, user);
  walk_stmts(s->init, fn, user);
  walk_stmts(s->then_s, fn, user);
  walk_stmts(s->else_s, fn, user);
  walk_stmts(s->body, fn, user);
}

void glsl_walk_stmts(const cw_ir_func *f, glsl_stmt_visit fn, void *user) {
  walk_stmts(f->body, fn, user);
}
