/* Texture functions in device code (sema_texture.c): every form lowers through the prelude, the
 * descriptor the prelude reads has the runtime's layout (core/runtime/texture_desc.h), and
 * misuse is reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fe_test_util.h"
#include "runtime/texture_desc.h"

static const cw_ir_type *find_desc(cw_ir_module *m) {
  for (uint32_t i = 0; i < m->n_funcs; i++)
    for (uint32_t k = 0; k < m->funcs[i]->n_params; k++) {
      const cw_ir_type *t = m->funcs[i]->params[k]->type;
      if (t->kind == CW_IR_PTR && t->elem->kind == CW_IR_STRUCT && t->elem->source_name &&
          !strcmp(t->elem->source_name, "__cw_tex_desc"))
        return t->elem;
    }
  return NULL;
}

static uint32_t field_offset(const cw_ir_type *s, const char *name) {
  for (uint32_t i = 0; i < s->n_fields; i++)
    if (!strcmp(s->fields[i].name, name))
      return s->fields[i].offset;
  fail_msg("no field %s", name);
  return 0;
}

static void layout_matches_runtime(void **state) {
  (void)state;
  fe_result r = fe_ok("__global__ void k(cudaTextureObject_t t, float *o) { o[0] = tex2D<float>(t, 0.5f, 0.5f); }\n");
  const cw_ir_type *d = find_desc(r.m);
  assert_non_null(d);
  assert_int_equal(d->size, sizeof(cw_tex_desc));
  assert_int_equal(field_offset(d, "data"), offsetof(cw_tex_desc, data));
  assert_int_equal(field_offset(d, "pitch"), offsetof(cw_tex_desc, pitch));
  assert_int_equal(field_offset(d, "slice"), offsetof(cw_tex_desc, slice));
  assert_int_equal(field_offset(d, "width"), offsetof(cw_tex_desc, width));
  assert_int_equal(field_offset(d, "depth"), offsetof(cw_tex_desc, depth));
  assert_int_equal(field_offset(d, "channels"), offsetof(cw_tex_desc, channels));
  assert_int_equal(field_offset(d, "addr0"), offsetof(cw_tex_desc, addr[0]));
  assert_int_equal(field_offset(d, "addr2"), offsetof(cw_tex_desc, addr[2]));
  assert_int_equal(field_offset(d, "filter"), offsetof(cw_tex_desc, filter));
  assert_int_equal(field_offset(d, "normalized_read"), offsetof(cw_tex_desc, normalized_read));
  assert_int_equal(field_offset(d, "normalized_coords"), offsetof(cw_tex_desc, normalized_coords));
  assert_int_equal(field_offset(d, "border0"), offsetof(cw_tex_desc, border[0]));
  assert_int_equal(field_offset(d, "border3"), offsetof(cw_tex_desc, border[3]));
  assert_int_equal(field_offset(d, "is_linear"), offsetof(cw_tex_desc, is_linear));
  /* the handle is a plain 64-bit parameter */
  cw_ir_func *k = fe_func(r.m, "k");
  assert_non_null(k);
  assert_int_equal(k->params[0]->type->kind, CW_IR_U64);
  fe_free(&r);
}

static void every_form_lowers(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "__global__ void k(cudaTextureObject_t t, float *o, int *oi, float4 *o4, uchar4 *ou) {\n"
      "  o[0] = tex1Dfetch<float>(t, 3) + tex1D<float>(t, 0.5f) + tex2D<float>(t, 1, 2) + tex3D<float>(t, 1, 2, 3);\n"
      "  o[1] = tex2DLod<float>(t, 1, 2, 0) + tex2D<float2>(t, 1, 2).y;\n"
      "  oi[0] = tex1Dfetch<int>(t, 0) + tex2D<unsigned short>(t, 0, 0);\n"
      "  o4[0] = tex2D<float4>(t, 0.5f, 0.5f);\n"
      "  ou[0] = tex1Dfetch<uchar4>(t, 1);\n"
      "  float r; tex2D(&r, t, 1.0f, 2.0f); o[2] = r;\n"
      "}\n");
  fe_free(&r);
}

static void untextured_kernels_do_not_get_the_prelude(void **state) {
  (void)state;
  fe_result r = fe_ok("__global__ void k(float *o) { o[0] = 1; }\n");
  assert_null(find_desc(r.m));
  for (uint32_t i = 0; i < r.m->n_funcs; i++)
    assert_null(strstr(r.m->funcs[i]->source_name, "__cw_tex"));
  fe_free(&r);
}

static void misuse_is_reported(void **state) {
  (void)state;
  fe_result r = fe_compile("__global__ void k(cudaTextureObject_t t, float *o) { o[0] = tex2D<float>(t, 1.0f); }\n");
  assert_null(r.m);
  assert_non_null(strstr(r.diags, "t.cu:1:"));
  assert_non_null(strstr(r.diags, "tex2D"));
  fe_free(&r);
  r = fe_compile("struct S { int a; };\n"
                 "__global__ void k(cudaTextureObject_t t, S *o) { o[0] = tex2D<S>(t, 1.0f, 1.0f); }\n");
  /* an element type textures cannot have: reported inside the texture functions (not at t.cu yet) */
  assert_null(r.m);
  assert_non_null(strstr(r.diags, "no matching function for call to '__cw_tex_s(S*"));
  fe_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(layout_matches_runtime),
      cmocka_unit_test(every_form_lowers),
      cmocka_unit_test(untextured_kernels_do_not_get_the_prelude),
      cmocka_unit_test(misuse_is_reported),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
