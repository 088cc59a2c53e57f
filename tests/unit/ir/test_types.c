/* test_types.c — type interning, CUDA vector layouts, struct/union layout, type spellings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cw/cw-ir.h"

static const cw_ir_loc L = { "t.cu", 1, 1 };

static void test_scalars_interned(void **state) {
  (void)state;
  cw_ir_module *m = cw_ir_module_new("t.cu");
  const cw_ir_type *a = cw_ir_type_scalar(m, CW_IR_F32), *b = cw_ir_type_scalar(m, CW_IR_F32);
  assert_ptr_equal(a, b);
  assert_int_equal(a->size, 4);
  assert_int_equal(cw_ir_type_scalar(m, CW_IR_F64)->align, 8);
  assert_int_equal(cw_ir_type_scalar(m, CW_IR_BOOL)->size, 1);
  assert_int_equal(cw_ir_type_scalar(m, CW_IR_F16)->size, 2);
  assert_int_equal(cw_ir_type_scalar(m, CW_IR_U64)->size, 8);
  assert_null(cw_ir_type_scalar(m, CW_IR_STRUCT));
  cw_ir_module *m2 = cw_ir_module_new("u.cu");
  assert_ptr_not_equal(cw_ir_type_scalar(m2, CW_IR_F32), a);  /* per module */
  cw_ir_module_free(m2);
  cw_ir_module_free(m);
}

static void test_composites_interned(void **state) {
  (void)state;
  cw_ir_module *m = cw_ir_module_new("t.cu");
  const cw_ir_type *f = cw_ir_type_scalar(m, CW_IR_F32);
  const cw_ir_type *p1 = cw_ir_type_ptr(m, f, CW_AS_GLOBAL, true);
  assert_ptr_equal(p1, cw_ir_type_ptr(m, f, CW_AS_GLOBAL, true));
  assert_ptr_not_equal(p1, cw_ir_type_ptr(m, f, CW_AS_GLOBAL, false));
  assert_ptr_not_equal(p1, cw_ir_type_ptr(m, f, CW_AS_SHARED, true));
  assert_int_equal(p1->kind, CW_IR_PTR);
  assert_int_equal(p1->size, 8);
  assert_ptr_equal(p1->elem, f);
  /* volatile is part of the pointer type's identity; the old constructor means non-volatile */
  const cw_ir_type *pv = cw_ir_type_ptr_cv(m, f, CW_AS_GLOBAL, true, true);
  assert_ptr_equal(pv, cw_ir_type_ptr_cv(m, f, CW_AS_GLOBAL, true, true));
  assert_ptr_not_equal(pv, p1);
  assert_ptr_equal(p1, cw_ir_type_ptr_cv(m, f, CW_AS_GLOBAL, true, false));
  assert_true(pv->pointee_volatile && pv->pointee_const);
  assert_false(p1->pointee_volatile);
  assert_string_equal(cw_ir_type_str(pv), "global const volatile float*");
  const cw_ir_type *a = cw_ir_type_array(m, f, 16);
  assert_ptr_equal(a, cw_ir_type_array(m, f, 16));
  assert_ptr_not_equal(a, cw_ir_type_array(m, f, 17));
  assert_int_equal(a->size, 64);
  assert_int_equal(a->align, 4);
  const cw_ir_type *a2 = cw_ir_type_array(m, a, 4);
  assert_int_equal(a2->size, 256);
  assert_string_equal(cw_ir_type_str(a2), "float[4][16]");
  assert_int_equal(cw_ir_type_array(m, f, 0)->size, 0);
  assert_ptr_equal(cw_ir_type_vector(m, f, 4), cw_ir_type_vector(m, f, 4));
  assert_null(cw_ir_type_vector(m, f, 5));
  assert_null(cw_ir_type_vector(m, f, 0));
  cw_ir_module_free(m);
}

static void test_vector_layouts(void **state) {
  (void)state;
  static const struct { cw_ir_type_kind k; uint32_t lanes, size, align; const char *name; } v[] = {
    { CW_IR_I8, 1, 1, 1, "char1" },       { CW_IR_I8, 2, 2, 2, "char2" },
    { CW_IR_I8, 3, 3, 1, "char3" },       { CW_IR_I8, 4, 4, 4, "char4" },
    { CW_IR_U8, 4, 4, 4, "uchar4" },      { CW_IR_I16, 2, 4, 4, "short2" },
    { CW_IR_U16, 2, 4, 4, "ushort2" },    { CW_IR_I16, 4, 8, 8, "short4" },
    { CW_IR_I32, 2, 8, 8, "int2" },       { CW_IR_U32, 2, 8, 8, "uint2" },
    { CW_IR_F32, 2, 8, 8, "float2" },     { CW_IR_I32, 3, 12, 4, "int3" },
    { CW_IR_F32, 3, 12, 4, "float3" },    { CW_IR_U32, 3, 12, 4, "uint3" },
    { CW_IR_I32, 4, 16, 16, "int4" },     { CW_IR_F32, 4, 16, 16, "float4" },
    { CW_IR_U32, 4, 16, 16, "uint4" },    { CW_IR_I64, 2, 16, 16, "longlong2" },
    { CW_IR_U64, 2, 16, 16, "ulonglong2" }, { CW_IR_F64, 2, 16, 16, "double2" },
    { CW_IR_F64, 3, 24, 8, "double3" },   { CW_IR_I64, 3, 24, 8, "longlong3" },
    { CW_IR_F64, 4, 32, 16, "double4" },  { CW_IR_I64, 4, 32, 16, "longlong4" },
    { CW_IR_F16, 2, 4, 4, "__half2" },    { CW_IR_F32, 1, 4, 4, "float1" },
  };
  cw_ir_module *m = cw_ir_module_new("t.cu");
  for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
    const cw_ir_type *t = cw_ir_type_vector(m, cw_ir_type_scalar(m, v[i].k), v[i].lanes);
    assert_non_null(t);
    assert_string_equal(t->name, v[i].name);
    assert_int_equal(t->size, v[i].size);
    assert_int_equal(t->align, v[i].align);
    assert_int_equal(t->count, v[i].lanes);
    assert_string_equal(cw_ir_type_str(t), v[i].name);
  }
  cw_ir_module_free(m);
}

static void test_struct_layout(void **state) {
  (void)state;
  cw_ir_module *m = cw_ir_module_new("t.cu");
  const cw_ir_type *c = cw_ir_type_scalar(m, CW_IR_I8), *d = cw_ir_type_scalar(m, CW_IR_F64);
  const cw_ir_type *i = cw_ir_type_scalar(m, CW_IR_I32), *s16 = cw_ir_type_scalar(m, CW_IR_I16);
  /* struct S { char c; double d; short s; char c2; } : 0, 8, 16, 18; size 24 align 8 */
  cw_ir_type *s = cw_ir_type_struct_new(m, "S", "ns::S", false, L);
  cw_ir_type_struct_add_field(m, s, "c", c);
  cw_ir_type_struct_add_field(m, s, "d", d);
  cw_ir_type_struct_add_field(m, s, "s", s16);
  cw_ir_type_struct_add_field(m, s, "c2", c);
  cw_ir_type_struct_close(m, s, 0);
  assert_int_equal(s->n_fields, 4);
  assert_int_equal(s->fields[0].offset, 0);
  assert_int_equal(s->fields[1].offset, 8);
  assert_int_equal(s->fields[2].offset, 16);
  assert_int_equal(s->fields[3].offset, 18);
  assert_int_equal(s->size, 24);
  assert_int_equal(s->align, 8);
  assert_string_equal(s->source_name, "ns::S");
  assert_string_equal(cw_ir_type_str(s), "struct S");
  /* a float3 and an int: 0, 12; size 16 align 4 */
  cw_ir_type *v = cw_ir_type_struct_new(m, "V", NULL, false, L);
  cw_ir_type_struct_add_field(m, v, "p", cw_ir_type_vector(m, cw_ir_type_scalar(m, CW_IR_F32), 3));
  cw_ir_type_struct_add_field(m, v, "id", i);
  cw_ir_type_struct_close(m, v, 0);
  assert_int_equal(v->fields[1].offset, 12);
  assert_int_equal(v->size, 16);
  assert_int_equal(v->align, 4);
  /* union { char c[5]; int i; }: size 8 align 4, all offsets 0 */
  cw_ir_type *u = cw_ir_type_struct_new(m, "U", NULL, true, L);
  cw_ir_type_struct_add_field(m, u, "c", cw_ir_type_array(m, c, 5));
  cw_ir_type_struct_add_field(m, u, "i", i);
  cw_ir_type_struct_close(m, u, 0);
  assert_int_equal(u->fields[0].offset, 0);
  assert_int_equal(u->fields[1].offset, 0);
  assert_int_equal(u->size, 8);
  assert_int_equal(u->align, 4);
  assert_string_equal(cw_ir_type_str(u), "union U");
  /* __align__(16) struct { int a; int b; }: size 16 */
  cw_ir_type *al = cw_ir_type_struct_new(m, "A16", NULL, false, L);
  cw_ir_type_struct_add_field(m, al, "a", i);
  cw_ir_type_struct_add_field(m, al, "b", i);
  cw_ir_type_struct_close(m, al, 16);
  assert_int_equal(al->align, 16);
  assert_int_equal(al->size, 16);
  /* nested: struct O { char c; struct S s; } : s at 8, size 32 */
  cw_ir_type *o = cw_ir_type_struct_new(m, "O", NULL, false, L);
  cw_ir_type_struct_add_field(m, o, "c", c);
  cw_ir_type_struct_add_field(m, o, "s", s);
  cw_ir_type_struct_close(m, o, 0);
  assert_int_equal(o->fields[1].offset, 8);
  assert_int_equal(o->size, 32);
  /* empty struct: C++ size 1 */
  cw_ir_type *e = cw_ir_type_struct_new(m, "E", NULL, false, L);
  cw_ir_type_struct_close(m, e, 0);
  assert_int_equal(e->size, 1);
  /* many fields: the array grows and stays valid */
  cw_ir_type *big = cw_ir_type_struct_new(m, "Big", NULL, false, L);
  for (int k = 0; k < 100; k++) {
    char name[16];
    snprintf(name, sizeof name, "f%d", k);
    cw_ir_type_struct_add_field(m, big, name, k % 2 ? i : c);
  }
  cw_ir_type_struct_close(m, big, 0);
  assert_int_equal(big->n_fields, 100);
  assert_string_equal(big->fields[99].name, "f99");
  assert_int_equal(big->fields[99].offset, 49 * 8 + 4);
  assert_int_equal(big->size, 400);
  assert_int_equal(m->n_structs, 7);
  cw_ir_module_free(m);
}

static void test_type_str(void **state) {
  (void)state;
  cw_ir_module *m = cw_ir_module_new("t.cu");
  const cw_ir_type *f = cw_ir_type_scalar(m, CW_IR_F32);
  assert_string_equal(cw_ir_type_str(cw_ir_type_scalar(m, CW_IR_U32)), "unsigned int");
  assert_string_equal(cw_ir_type_str(cw_ir_type_scalar(m, CW_IR_I64)), "long long");
  assert_string_equal(cw_ir_type_str(cw_ir_type_ptr(m, f, CW_AS_GENERIC, false)), "float*");
  assert_string_equal(cw_ir_type_str(cw_ir_type_ptr(m, f, CW_AS_GENERIC, true)), "const float*");
  assert_string_equal(cw_ir_type_str(cw_ir_type_ptr(m, f, CW_AS_SHARED, false)), "shared float*");
  const cw_ir_type *pa = cw_ir_type_array(m, cw_ir_type_ptr(m, f, CW_AS_GENERIC, false), 4);
  assert_string_equal(cw_ir_type_str(pa), "float*[4]");
  assert_string_equal(cw_ir_type_str(cw_ir_type_ptr(m, cw_ir_type_array(m, f, 4), CW_AS_GENERIC, false)),
                      "float[4]*");
  assert_string_equal(cw_ir_type_str(cw_ir_type_array(m, f, 0)), "float[]");
  assert_string_equal(cw_ir_type_str(NULL), "<null>");
  /* the rotating buffers: 8 results stay valid at once */
  const char *r[8];
  for (int i = 0; i < 8; i++) r[i] = cw_ir_type_str(cw_ir_type_array(m, f, (uint32_t)i + 1));
  for (int i = 0; i < 8; i++) {
    char want[16];
    snprintf(want, sizeof want, "float[%d]", i + 1);
    assert_string_equal(r[i], want);
  }
  cw_ir_module_free(m);
}

static void test_predicates(void **state) {
  (void)state;
  cw_ir_module *m = cw_ir_module_new("t.cu");
  assert_true(cw_ir_type_is_int(cw_ir_type_scalar(m, CW_IR_U8)));
  assert_false(cw_ir_type_is_int(cw_ir_type_scalar(m, CW_IR_BOOL)));
  assert_false(cw_ir_type_is_int(cw_ir_type_scalar(m, CW_IR_F32)));
  assert_true(cw_ir_type_is_signed(cw_ir_type_scalar(m, CW_IR_I16)));
  assert_false(cw_ir_type_is_signed(cw_ir_type_scalar(m, CW_IR_U64)));
  assert_true(cw_ir_type_is_float(cw_ir_type_scalar(m, CW_IR_BF16)));
  assert_false(cw_ir_type_is_float(cw_ir_type_scalar(m, CW_IR_I32)));
  const cw_ir_type *p = cw_ir_type_ptr(m, cw_ir_type_scalar(m, CW_IR_I32), CW_AS_GENERIC, false);
  assert_true(cw_ir_type_is_scalar(p));
  assert_true(cw_ir_type_is_scalar(cw_ir_type_scalar(m, CW_IR_BOOL)));
  assert_false(cw_ir_type_is_scalar(cw_ir_type_vector(m, cw_ir_type_scalar(m, CW_IR_F32), 2)));
  assert_false(cw_ir_type_is_scalar(cw_ir_type_scalar(m, CW_IR_VOID)));
  assert_false(cw_ir_type_is_int(NULL));
  cw_ir_module_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_scalars_interned), cmocka_unit_test(test_composites_interned),
    cmocka_unit_test(test_vector_layouts),   cmocka_unit_test(test_struct_layout),
    cmocka_unit_test(test_type_str),         cmocka_unit_test(test_predicates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
