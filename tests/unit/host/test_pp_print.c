/* cw_pp_to_text: preprocess → print → preprocess again gives the same tokens at the same lines. */
#include <stdio.h>

#include "host_test_util.h"

typedef struct printed {
  cw_frontend_ctx *ctx;
  cw_token *first, *second;
  char *text;
} printed;

static printed round_trip(const char *src) {
  printed p;
  p.ctx = cw_frontend_ctx_new();
  cw_pp_options o = {.device_view = true};
  cw_src_file *f = cw_add_file_from_string(p.ctx, "rt.cu", src);
  p.first = cw_preprocess(p.ctx, cw_lex(p.ctx, f), &o);
  p.text = cw_pp_to_text(p.first);
  cw_src_file *g = cw_add_file_from_string(p.ctx, "printed.cu", p.text);
  p.second = cw_preprocess(p.ctx, cw_lex(p.ctx, g), &o);
  return p;
}

static const cw_token *site(const cw_token *t) {
  while (t->expanded_from)
    t = t->expanded_from;
  return t;
}

/* presumed[physical line] of the printed text, from its `# line N "file"` markers. */
static int *presumed_lines(const char *text) {
  int n = 2;
  for (const char *c = text; *c; c++)
    n += *c == '\n';
  int *map = g_new0(int, n + 1);
  int phys = 1, cur = 1;
  for (const char *line = text; *line; phys++) {
    const char *nl = strchr(line, '\n');
    int v;
    if (sscanf(line, "# line %d", &v) == 1) {
      map[phys] = 0;
      cur = v;
    } else {
      map[phys] = cur++;
    }
    if (!nl)
      break;
    line = nl + 1;
  }
  return map;
}

static void assert_same_tokens(const printed *p) {
  const cw_token *a = p->first, *b = p->second;
  int *presumed = presumed_lines(p->text);
  for (; a->kind != CW_TK_EOF && b->kind != CW_TK_EOF; a = a->next, b = b->next) {
    if (a->kind != b->kind || a->len != b->len || memcmp(a->text, b->text, (size_t)a->len) != 0)
      fail_msg("token '%.*s' (rt.cu:%d) came back as '%.*s' (line %d) from\n%s", a->len, a->text, a->line,
               b->len, b->text, b->line, p->text);
    /* #line markers give every token its original line */
    /* The preprocessor may apply #line to the tokens itself (then the file is "rt.cu" again), or
     * leave physical lines: then the markers give the presumed line. */
    bool mapped = strcmp(site(b)->file->name, "printed.cu") != 0;
    int line = mapped ? site(b)->line : presumed[site(b)->line];
    if (mapped)
      assert_string_equal(site(b)->file->name, "rt.cu");
    if (site(a)->line != line)
      fail_msg("'%.*s' of rt.cu:%d is printed at line %d\n%s", a->len, a->text, site(a)->line, line, p->text);
  }
  g_free(presumed);
  if (a->kind != CW_TK_EOF || b->kind != CW_TK_EOF)
    fail_msg("token counts differ; printed:\n%s", p->text);
}

static void printed_free(printed *p) {
  g_free(p->text);
  cw_frontend_ctx_free(p->ctx);
}

static void test_round_trip(void **state) {
  (void)state;
  const char *src = "#define N 4\n"
                    "#define ADD(a, b) ((a)+(b))\n"
                    "#define CAT(a, b) a##b\n"
                    "#define STR(x) #x\n"
                    "__global__ void k(float *p, int n) {\n"
                    "  int CAT(i, dx) = ADD(threadIdx.x, N);\n"
                    "#pragma unroll\n"
                    "  for (int j = 0; j < N; j++) p[j] = p[j]+ +1.0e+5f - -.5;\n"
                    "  const char *s = STR(a + b) \"x\";\n"
                    "  p->x; a>>=1; b<<=2; c&&d; e||f; x = y ? 'c' : L'd';\n"
                    "\n\n\n\n\n\n\n\n\n\n\n\n"
                    "  int far = 0x1fULL + 07 + 1.f;\n"
                    "}\n";
  printed p = round_trip(src);
  assert_int_equal(cw_diag_error_count(p.ctx), 0);
  assert_same_tokens(&p);
  assert_contains(p.text, "#pragma unroll\n");
  assert_contains(p.text, "# line 5 \"rt.cu\"\n__global__ void k(");
  printed_free(&p);
}

static void test_pragma_mid_line_and_pasting_hazards(void **state) {
  (void)state;
  const char *src = "#define P(x) _Pragma(\"unroll\") x\n"
                    "#define NEG(x) -x\n"
                    "#define PLUS(x) +x\n"
                    "int a = -NEG(1); int b = +PLUS(2); int c = 1 P(;) int d = 5.;\n"
                    "#define DOT .\n"
                    "float e = 1 DOT 5;\n";
  printed p = round_trip(src);
  assert_same_tokens(&p);
  printed_free(&p);
}

static void test_empty(void **state) {
  (void)state;
  printed p = round_trip("");
  assert_same_tokens(&p);
  printed_free(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_pragma_mid_line_and_pasting_hazards),
      cmocka_unit_test(test_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
