/* test_cprinter.c — the C-family printer: precedence, literals, declarators, statements, hooks. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ir_samples.h"

typedef struct fx {
  sb b;
  cw_ir_var *a, *bb, *c, *x, *p, *u;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  f->b.m = cw_ir_module_new("t.cu");
  sFunc(&f->b, "k", NULL, true);
  sb *b = &f->b;
  f->a = cw_ir_func_add_local(b->m, b->f, "a", sT(b, CW_IR_I32), sl(1, 1));
  f->bb = cw_ir_func_add_local(b->m, b->f, "b", sT(b, CW_IR_I32), sl(1, 1));
  f->c = cw_ir_func_add_local(b->m, b->f, "c", sT(b, CW_IR_I32), sl(1, 1));
  f->x = cw_ir_func_add_local(b->m, b->f, "x", sT(b, CW_IR_F32), sl(1, 1));
  f->u = cw_ir_func_add_local(b->m, b->f, "u", sT(b, CW_IR_U8), sl(1, 1));
  f->p = cw_ir_func_add_local(b->m, b->f, "p", cw_ir_type_ptr(b->m, sT(b, CW_IR_F32), CW_AS_GENERIC, false), sl(1, 1));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  cw_ir_module_free(f->b.m);
  free(f);
  return 0;
}

/* Prints with the given dialect (NULL: plain C with 'f' suffixes) and compares. */
static void expect_expr(const cw_cprinter_dialect *d, const cw_ir_expr *e, const char *want) {
  static const cw_cprinter_dialect plain = { .print_float_suffix = true };
  GString *s = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(d ? d : &plain, s);
  cw_cprinter_expr(p, e);
  cw_cprinter_free(p);
  assert_string_equal(s->str, want);
  g_string_free(s, TRUE);
}

static void test_precedence(void **state) {
  fx *f = *state;
  sb *b = &f->b;
  #define A sV(b, f->a)
  #define B sV(b, f->bb)
  #define C sV(b, f->c)
  expect_expr(NULL, sBin(b, CW_OP_SUB, A, sBin(b, CW_OP_SUB, B, C)), "a - (b - c)");
  expect_expr(NULL, sBin(b, CW_OP_SUB, sBin(b, CW_OP_SUB, A, B), C), "a - b - c");
  expect_expr(NULL, sBin(b, CW_OP_ADD, A, sBin(b, CW_OP_ADD, B, C)), "a + (b + c)");
  expect_expr(NULL, sBin(b, CW_OP_MUL, sBin(b, CW_OP_ADD, A, B), C), "(a + b) * c");
  expect_expr(NULL, sBin(b, CW_OP_ADD, sBin(b, CW_OP_MUL, A, B), C), "(a * b) + c");
  expect_expr(NULL, sBin(b, CW_OP_AND, A, sBin(b, CW_OP_EQ, B, C)), "a & (b == c)");
  expect_expr(NULL, sBin(b, CW_OP_SHL, A, sBin(b, CW_OP_ADD, B, C)), "a << (b + c)");
  cw_ir_expr *lt = sBin(b, CW_OP_LT, A, B), *gt = sBin(b, CW_OP_GT, B, C);
  expect_expr(NULL, sBin(b, CW_OP_LOR, sBin(b, CW_OP_LAND, lt, gt), lt), "((a < b) && (b > c)) || (a < b)");
  expect_expr(NULL, cw_ir_unary(b->m, CW_OP_NEG, cw_ir_unary(b->m, CW_OP_NEG, A, sl(0, 0)), sl(0, 0)), "-(-a)");
  expect_expr(NULL, cw_ir_unary(b->m, CW_OP_NEG, sI(b, -5), sl(0, 0)), "-(-5)");
  expect_expr(NULL, cw_ir_unary(b->m, CW_OP_BITNOT, sBin(b, CW_OP_ADD, A, B), sl(0, 0)), "~(a + b)");
  expect_expr(NULL, cw_ir_unary(b->m, CW_OP_NOT, lt, sl(0, 0)), "!(a < b)");
  expect_expr(NULL, sCast(b, CW_IR_F32, sBin(b, CW_OP_ADD, A, B)), "((float)(a + b))");
  expect_expr(NULL, sBin(b, CW_OP_MUL, sCast(b, CW_IR_F32, A), sV(b, f->x)), "((float)(a)) * x");
  expect_expr(NULL, cw_ir_cast(b->m, cw_ir_type_ptr(b->m, sT(b, CW_IR_I32), CW_AS_GENERIC, true), sV(b, f->p), sl(0, 0)),
              "((const int *)(p))");
  /* compound assignment in the op type, assignment chains, comma in arguments */
  expect_expr(NULL, cw_ir_assign(b->m, CW_OP_ADD, sT(b, CW_IR_I32), A, sBin(b, CW_OP_MUL, B, C), sl(0, 0)), "a += b * c");
  expect_expr(NULL, cw_ir_assign(b->m, CW_OP_SHR, sT(b, CW_IR_I32), A, sI(b, 2), sl(0, 0)), "a >>= 2");
  expect_expr(NULL, cw_ir_assign(b->m, CW_OP_NONE, NULL, A, cw_ir_assign(b->m, CW_OP_NONE, NULL, B, C, sl(0, 0)), sl(0, 0)),
              "a = b = c");
  expect_expr(NULL, sBin(b, CW_OP_ADD, cw_ir_assign(b->m, CW_OP_NONE, NULL, A, B, sl(0, 0)), C), "(a = b) + c");
  cw_ir_expr *args[2] = { cw_ir_comma(b->m, A, B, sl(0, 0)), C };
  expect_expr(NULL, sBI(b, CW_BI_MIN, CW_IR_I32, 2, args[0], args[1]), "min((a, b), c)");
  expect_expr(NULL, cw_ir_cond(b->m, lt, A, cw_ir_cond(b->m, gt, B, C, sl(0, 0)), sl(0, 0)), "a < b ? a : b > c ? b : c");
  expect_expr(NULL, sBin(b, CW_OP_ADD, cw_ir_cond(b->m, lt, A, B, sl(0, 0)), C), "(a < b ? a : b) + c");
  /* postfix and prefix operators */
  cw_ir_expr *pi = cw_ir_index(b->m, sV(b, f->p), sBin(b, CW_OP_ADD, A, sI(b, 1)), sl(0, 0));
  expect_expr(NULL, pi, "p[a + 1]");
  expect_expr(NULL, cw_ir_incdec(b->m, A, true, false, sl(0, 0)), "a++");
  expect_expr(NULL, cw_ir_incdec(b->m, A, false, true, sl(0, 0)), "--a");
  expect_expr(NULL, cw_ir_deref(b->m, sBin(b, CW_OP_PTR_ADD, sV(b, f->p), A), sl(0, 0)), "*(p + a)");
  expect_expr(NULL, cw_ir_addr(b->m, pi, CW_AS_GENERIC, sl(0, 0)), "&p[a + 1]");
  expect_expr(NULL, cw_ir_unary(b->m, CW_OP_NEG, cw_ir_deref(b->m, sV(b, f->p), sl(0, 0)), sl(0, 0)), "-(*p)");
  #undef A
  #undef B
  #undef C
}

static void test_members_vectors_init(void **state) {
  fx *f = *state;
  sb *b = &f->b;
  const cw_ir_type *f4 = cw_ir_type_vector(b->m, sT(b, CW_IR_F32), 4);
  cw_ir_var *v = cw_ir_func_add_local(b->m, b->f, "v", f4, sl(1, 1));
  expect_expr(NULL, cw_ir_member(b->m, sV(b, v), 3, sl(0, 0)), "v.w");
  expect_expr(NULL, cw_ir_index(b->m, sV(b, v), sV(b, f->a), sl(0, 0)), "(&v.x)[a]");
  cw_ir_type *st = cw_ir_type_struct_new(b->m, "S", NULL, false, sl(1, 1));
  cw_ir_type_struct_add_field(b->m, st, "n", sT(b, CW_IR_I32));
  cw_ir_type_struct_add_field(b->m, st, "d", cw_ir_type_ptr(b->m, sT(b, CW_IR_F32), CW_AS_GENERIC, false));
  cw_ir_type_struct_close(b->m, st, 0);
  cw_ir_var *sp = cw_ir_func_add_local(b->m, b->f, "sp", cw_ir_type_ptr(b->m, st, CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_expr *arrow = cw_ir_member(b->m, cw_ir_deref(b->m, sV(b, sp), sl(0, 0)), 0, sl(0, 0));
  expect_expr(NULL, arrow, "sp->n");
  expect_expr(NULL, cw_ir_index(b->m, cw_ir_member(b->m, cw_ir_index(b->m, sV(b, sp), sI(b, 2), sl(0, 0)), 1, sl(0, 0)),
                                sI(b, 0), sl(0, 0)), "sp[2].d[0]");
  cw_ir_expr *el[2] = { sF(b, 1.0f), sF(b, 2.0f) };
  cw_ir_expr *init = cw_ir_init_list(b->m, f4, el, 2, sl(0, 0));
  expect_expr(NULL, init, "((float4){1.0f, 2.0f})");
  cw_ir_func *g = sFunc(b, "g", NULL, false);
  cw_ir_expr *ca[2] = { sI(b, 1), sBin(b, CW_OP_ADD, sI(b, 2), sI(b, 3)) };
  expect_expr(NULL, cw_ir_call(b->m, g, ca, 2, sl(0, 0)), "g(1, 2 + 3)");
}

static void test_int_literals(void **state) {
  fx *f = *state;
  cw_ir_module *m = f->b.m;
  const cw_ir_loc L = { NULL, 0, 0 };
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_I32), (uint64_t)(int64_t)INT32_MIN, L), "(-2147483647-1)");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_I32), 2147483647, L), "2147483647");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_I32), (uint64_t)-7, L), "(-7)");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_U32), 4294967295u, L), "4294967295U");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_I64), (uint64_t)INT64_MIN, L), "(-9223372036854775807LL-1)");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_I64), 5, L), "5LL");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_U64), UINT64_MAX, L), "18446744073709551615ULL");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_BOOL), 1, L), "true");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_U8), 200, L), "((unsigned char)200)");
  expect_expr(NULL, cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_I16), (uint64_t)-3, L), "((short)(-3))");
  expect_expr(NULL, cw_ir_nullptr(m, cw_ir_type_ptr(m, cw_ir_type_scalar(m, CW_IR_F32), CW_AS_GENERIC, false), L), "((float *)0)");
}

static void test_float_literals(void **state) {
  fx *f = *state;
  cw_ir_module *m = f->b.m;
  const cw_ir_loc L = { NULL, 0, 0 };
  const cw_ir_type *f32 = cw_ir_type_scalar(m, CW_IR_F32), *f64 = cw_ir_type_scalar(m, CW_IR_F64);
  expect_expr(NULL, cw_ir_float(m, f32, 1.0, L), "1.0f");
  expect_expr(NULL, cw_ir_float(m, f64, 1.0, L), "1.0");
  expect_expr(NULL, cw_ir_float(m, f32, -0.5, L), "(-0.5f)");
  expect_expr(NULL, cw_ir_float(m, f64, 1e300, L), "1.0000000000000001e+300");
  expect_expr(NULL, cw_ir_float(m, f32, INFINITY, L), "(1.0f/0.0f)");
  expect_expr(NULL, cw_ir_float(m, f64, -INFINITY, L), "(-1.0/0.0)");
  expect_expr(NULL, cw_ir_float(m, f32, NAN, L), "(0.0f/0.0f)");
  static const cw_cprinter_dialect nosuffix = { .print_float_suffix = false };
  expect_expr(&nosuffix, cw_ir_float(m, f32, 2.0, L), "2.0");
  /* round trip: the printed text reads back as exactly the same value */
  uint32_t seed = 12345;
  for (int i = 0; i < 2000; i++) {
    seed = seed * 1664525u + 1013904223u;
    float fv;
    uint32_t bits = seed;
    memcpy(&fv, &bits, 4);
    double dv = (double)seed * 1.0e-7 + (double)i / 3.0;
    if (!isfinite(fv)) continue;
    GString *s = g_string_new(NULL);
    cw_cprinter *p = cw_cprinter_new(&nosuffix, s);
    cw_cprinter_expr(p, cw_ir_float(m, f32, fv, L));
    g_string_append_c(s, ' ');
    cw_cprinter_expr(p, cw_ir_float(m, f64, dv, L));
    cw_cprinter_free(p);
    const char *t = s->str + (s->str[0] == '(');
    char *end;
    float back = strtof(t, &end);
    assert_memory_equal(&back, &fv, 4);
    assert_true(strchr(s->str, '.') || strchr(s->str, 'e'));
    const char *t2 = strchr(s->str, ' ') + 1;
    double dback = strtod(t2, NULL);
    assert_memory_equal(&dback, &dv, 8);
    g_string_free(s, TRUE);
  }
}

static void test_string_literal(void **state) {
  fx *f = *state;
  cw_ir_expr *s = cw_ir_string(f->b.m, "a\"b\\c\n\t\x01?9", 10, sl(0, 0));
  expect_expr(NULL, s, "\"a\\\"b\\\\c\\n\\t\\001\\?9\"");
}

static void expect_decl(const cw_ir_type *t, const char *name, const char *want) {
  GString *s = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(NULL, s);
  cw_cprinter_decl(p, t, name);
  cw_cprinter_free(p);
  assert_string_equal(s->str, want);
  g_string_free(s, TRUE);
}

static const char *ocl_as(void *user, cw_ir_addrspace as) {
  (void)user;
  return as == CW_AS_GLOBAL ? "__global " : as == CW_AS_SHARED ? "__local " : "";
}

static const char *ocl_scalar(void *user, const cw_ir_type *t) {
  (void)user;
  return t->kind == CW_IR_U32 ? "uint" : NULL;
}

static void test_declarators(void **state) {
  fx *f = *state;
  cw_ir_module *m = f->b.m;
  const cw_ir_type *fl = cw_ir_type_scalar(m, CW_IR_F32);
  const cw_ir_type *pf = cw_ir_type_ptr(m, fl, CW_AS_GENERIC, false);
  expect_decl(fl, "x", "float x");
  expect_decl(pf, "p", "float *p");
  expect_decl(cw_ir_type_ptr(m, fl, CW_AS_GENERIC, true), "p", "const float *p");
  expect_decl(cw_ir_type_array(m, pf, 4), "a", "float *a[4]");
  expect_decl(cw_ir_type_ptr(m, cw_ir_type_array(m, fl, 4), CW_AS_GENERIC, false), "p", "float (*p)[4]");
  expect_decl(cw_ir_type_array(m, cw_ir_type_array(m, fl, 8), 4), "t", "float t[4][8]");
  expect_decl(cw_ir_type_ptr(m, pf, CW_AS_GENERIC, true), "pp", "float *const *pp");
  expect_decl(cw_ir_type_array(m, fl, 0), "dyn", "float dyn[]");
  expect_decl(pf, "", "float *");
  expect_decl(cw_ir_type_ptr(m, cw_ir_type_array(m, fl, 4), CW_AS_GENERIC, false), "", "float (*)[4]");
  expect_decl(cw_ir_type_vector(m, fl, 4), "v", "float4 v");
  expect_decl(cw_ir_type_ptr_cv(m, fl, CW_AS_GENERIC, false, true), "p", "volatile float *p");
  expect_decl(cw_ir_type_ptr_cv(m, fl, CW_AS_GENERIC, true, true), "", "const volatile float *");
  expect_decl(cw_ir_type_ptr(m, cw_ir_type_ptr_cv(m, fl, CW_AS_GENERIC, false, true), CW_AS_GENERIC, false),
              "pp", "volatile float **pp");
  /* a volatile variable: the qualifier goes on the object, also for arrays and pointers */
  {
    cw_ir_var v = { .kind = CW_VAR_LOCAL, .name = "n", .type = cw_ir_type_scalar(m, CW_IR_I32), .is_volatile = true };
    GString *s = g_string_new(NULL);
    cw_cprinter *p = cw_cprinter_new(NULL, s);
    cw_cprinter_var_decl(p, &v);
    g_string_append(s, "; ");
    v.name = "s";
    v.type = cw_ir_type_array(m, fl, 32);
    cw_cprinter_var_decl(p, &v);
    g_string_append(s, "; ");
    v.name = "q";
    v.type = pf;
    cw_cprinter_var_decl(p, &v);
    g_string_append(s, "; ");
    v.is_volatile = false;
    cw_cprinter_var_decl(p, &v);
    cw_cprinter_free(p);
    assert_string_equal(s->str, "volatile int n; volatile float s[32]; float *volatile q; float *q");
    g_string_free(s, TRUE);
  }
  /* dialect: OpenCL-like names and address spaces */
  cw_cprinter_dialect d = { .scalar_name = ocl_scalar, .addrspace_qual = ocl_as };
  GString *s = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(&d, s);
  cw_cprinter_decl(p, cw_ir_type_ptr(m, cw_ir_type_scalar(m, CW_IR_U32), CW_AS_GLOBAL, true), "buf");
  g_string_append(s, "; ");
  cw_cprinter_decl(p, cw_ir_type_ptr(m, cw_ir_type_ptr(m, fl, CW_AS_SHARED, false), CW_AS_GLOBAL, false), "pp");
  g_string_append(s, "; ");
  cw_cprinter_decl(p, cw_ir_type_ptr_cv(m, fl, CW_AS_SHARED, false, true), "w");
  cw_cprinter_free(p);
  assert_string_equal(s->str, "__global const uint *buf; __local float *__global *pp; __local volatile float *w");
  g_string_free(s, TRUE);
}

static bool hook_expr(cw_cprinter *p, const cw_ir_expr *e) {
  if (e->kind == CW_EX_BUILTIN && e->bi == CW_BI_THREAD_IDX_X) {
    g_string_append(cw_cprinter_out(p), "get_local_id(0)");
    return true;
  }
  return false;
}

static bool hook_stmt(cw_cprinter *p, const cw_ir_stmt *s) {
  if (s->kind != CW_ST_BREAK) return false;
  cw_cprinter_newline(p);
  g_string_append(cw_cprinter_out(p), "break; /* hooked */");
  return true;
}

static void test_hooks(void **state) {
  fx *f = *state;
  sb *b = &f->b;
  cw_cprinter_dialect d = { .expr = hook_expr, .stmt = hook_stmt };
  cw_ir_expr *e = sBin(b, CW_OP_MUL, sBI(b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0), sU(b, 2));
  expect_expr(&d, e, "(get_local_id(0)) * 2U");
  expect_expr(&d, sBI(b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0), "get_local_id(0)");
  expect_expr(NULL, e, "threadIdx.x * 2U");
  GString *s = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(&d, s);
  cw_cprinter_stmt(p, cw_ir_stmt_new(b->m, CW_ST_BREAK, sl(1, 1)));
  cw_cprinter_free(p);
  assert_string_equal(s->str, "\nbreak; /* hooked */");
  g_string_free(s, TRUE);
}

static void test_statements(void **state) {
  fx *f = *state;
  sb *b = &f->b;
  cw_ir_module *m = b->m;
  cw_ir_stmt *body = sBlock(b);
  b->blk = body;
  /* for (int i = 0, j = 1; i < a; ) { if (i) break; else continue; } */
  cw_ir_stmt *fo = cw_ir_stmt_new(m, CW_ST_FOR, sl(1, 1));
  fo->init = sBlock(b);
  cw_ir_var *i = cw_ir_func_add_local(m, b->f, "i", sT(b, CW_IR_I32), sl(1, 1));
  cw_ir_var *j = cw_ir_func_add_local(m, b->f, "j", sT(b, CW_IR_I32), sl(1, 1));
  cw_ir_stmt *di = cw_ir_stmt_new(m, CW_ST_DECL, sl(1, 1)), *dj = cw_ir_stmt_new(m, CW_ST_DECL, sl(1, 1));
  di->var = i;
  di->expr = sI(b, 0);
  dj->var = j;
  dj->expr = sI(b, 1);
  cw_ir_block_append(m, fo->init, di);
  cw_ir_block_append(m, fo->init, dj);
  fo->cond = sBin(b, CW_OP_LT, sV(b, i), sV(b, f->a));
  cw_ir_stmt *ifs = cw_ir_stmt_new(m, CW_ST_IF, sl(1, 1));
  ifs->cond = sBin(b, CW_OP_NE, sV(b, i), sI(b, 0));
  ifs->then_s = cw_ir_stmt_new(m, CW_ST_BREAK, sl(1, 1));
  ifs->else_s = cw_ir_stmt_new(m, CW_ST_CONTINUE, sl(1, 1));
  fo->body = ifs;
  cw_ir_block_append(m, body, fo);
  /* const float arr[2] = {1.0f, 2.0f}; while (a) { a--; } return; */
  cw_ir_var *arr = cw_ir_func_add_local(m, b->f, "arr", cw_ir_type_array(m, sT(b, CW_IR_F32), 2), sl(1, 1));
  arr->is_const = true;
  cw_ir_stmt *da = cw_ir_stmt_new(m, CW_ST_DECL, sl(1, 1));
  da->var = arr;
  cw_ir_expr *el[2] = { sF(b, 1.0f), sF(b, 2.0f) };
  da->expr = cw_ir_init_list(m, arr->type, el, 2, sl(1, 1));
  cw_ir_block_append(m, body, da);
  cw_ir_stmt *wh = cw_ir_stmt_new(m, CW_ST_WHILE, sl(1, 1));
  wh->cond = sBin(b, CW_OP_NE, sV(b, f->a), sI(b, 0));
  wh->body = cw_ir_stmt_new(m, CW_ST_EXPR, sl(1, 1));
  wh->body->expr = cw_ir_incdec(m, sV(b, f->a), true, true, sl(1, 1));
  cw_ir_block_append(m, body, wh);
  cw_ir_block_append(m, body, cw_ir_stmt_new(m, CW_ST_RETURN, sl(1, 1)));
  GString *s = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(NULL, s);
  cw_cprinter_stmt(p, body);
  cw_cprinter_free(p);
  assert_string_equal(s->str,
    "\n{"
    "\n  {"
    "\n    int i = 0;"
    "\n    int j = 1;"
    "\n    for (; i < a; ) {"
    "\n      if (i != 0) {"
    "\n        break;"
    "\n      } else {"
    "\n        continue;"
    "\n      }"
    "\n    }"
    "\n  }"
    "\n  const float arr[2] = {1.0, 2.0};"
    "\n  while (a != 0) {"
    "\n    a--;"
    "\n  }"
    "\n  return;"
    "\n}");
  g_string_free(s, TRUE);
}

static void test_struct_defs_and_header(void **state) {
  (void)state;
  cw_ir_module *m = sample_struct_param();
  cw_ir_module_finish(m);
  GString *s = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(NULL, s);
  cw_cprinter_struct_defs(p, m);
  cw_cprinter_func_header(p, m->kernels[0]);
  cw_cprinter_free(p);
  assert_string_equal(s->str,
    "struct Params;\n"
    "struct Params {\n"
    "  int n;\n"
    "  float scale;\n"
    "  float *data;\n"
    "};\n"
    "void scale(struct Params p)");
  g_string_free(s, TRUE);
  cw_ir_module_free(m);
}

/* Incomplete nodes (a builder bug) are printed as a marked 0 and analysed as unknown, never
 * followed into a NULL. */
static void test_malformed(void **state) {
  fx *f = *state;
  sb *b = &f->b;
  cw_ir_expr *bad = cw_ir_expr_new(b->m, CW_EX_BINARY, sT(b, CW_IR_I32), sl(1, 1));
  bad->op = CW_OP_ADD;
  bad->a = sV(b, f->a);  /* b missing */
  expect_expr(NULL, sBin(b, CW_OP_MUL, bad, sI(b, 2)), "(0 /* malformed IR node */) * 2");
  cw_ir_expr *bad_member = cw_ir_expr_new(b->m, CW_EX_MEMBER, sT(b, CW_IR_I32), sl(1, 1));
  cw_ir_expr *bad_deref = cw_ir_expr_new(b->m, CW_EX_DEREF, cw_ir_type_ptr(b->m, sT(b, CW_IR_F32), CW_AS_GENERIC, false), sl(1, 1));
  sExpr(b, bad);
  sExpr(b, bad_member);
  sExpr(b, cw_ir_index(b->m, bad_deref, sI(b, 0), sl(1, 1)));
  sExpr(b, cw_ir_assign(b->m, CW_OP_NONE, NULL, cw_ir_index(b->m, bad_deref, sI(b, 0), sl(1, 1)), sF(b, 1.0f), sl(1, 1)));
  cw_ir_module_finish(b->m);
  char *d = cw_ir_module_dump(b->m);
  assert_non_null(strstr(d, "(binary + (var a : int) : int)"));
  g_free(d);
  char *cu = cw_ir_module_to_cuda(b->m);
  assert_non_null(strstr(cu, "malformed IR node"));
  g_free(cu);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
    cmocka_unit_test_setup_teardown(test_members_vectors_init, setup, teardown),
    cmocka_unit_test_setup_teardown(test_int_literals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_float_literals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_string_literal, setup, teardown),
    cmocka_unit_test_setup_teardown(test_declarators, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hooks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_statements, setup, teardown),
    cmocka_unit_test(test_struct_defs_and_header),
    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
