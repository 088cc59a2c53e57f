/* Predefined macros: the CUDA compiler identity, the target, the constants of the
 * system headers that are never parsed (FLT_MAX, INT_MAX, M_PI, NAN, CUDART_PI_F, ...),
 * the dynamic ones (__FILE__, __LINE__, __COUNTER__, ...) and the -D/-U options. */
#include "frontend/pp_internal.h"

#include <string.h>
#include <time.h>

/* Bodies are plain expressions for the parser; NAN/INFINITY use the builtins
 * __builtin_nanf("") / __builtin_inff() / __builtin_nan("") / __builtin_inf(). */
static const char builtin_text[] =
    "#define __CUDACC__ 1\n"
    "#define __NVCC__ 1\n"
    "#define __CUDACC_VER_MAJOR__ 13\n"
    "#define __CUDACC_VER_MINOR__ 0\n"
    "#define __CUDACC_VER_BUILD__ 0\n"
    "#define CUDART_VERSION 13000\n"
    "#define CUDA_VERSION 13000\n"
    "#define __cplusplus 201703L\n"
    "#define __STDC__ 1\n"
    "#define __STDC_HOSTED__ 1\n"
    "#define __x86_64__ 1\n"
    "#define __x86_64 1\n"
    "#define __linux__ 1\n"
    "#define __linux 1\n"
    "#define __unix__ 1\n"
    "#define __unix 1\n"
    "#define __LP64__ 1\n"
    "#define _LP64 1\n"
    "#define __CHAR_BIT__ 8\n"
    "#define __SIZEOF_SHORT__ 2\n"
    "#define __SIZEOF_INT__ 4\n"
    "#define __SIZEOF_LONG__ 8\n"
    "#define __SIZEOF_LONG_LONG__ 8\n"
    "#define __SIZEOF_POINTER__ 8\n"
    "#define __SIZEOF_FLOAT__ 4\n"
    "#define __SIZEOF_DOUBLE__ 8\n"
    "#define __SIZEOF_SIZE_T__ 8\n"
    "#define __ORDER_LITTLE_ENDIAN__ 1234\n"
    "#define __ORDER_BIG_ENDIAN__ 4321\n"
    "#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__\n"
    /* float.h */
    "#define FLT_MAX 3.40282347e+38F\n"
    "#define FLT_MIN 1.17549435e-38F\n"
    "#define FLT_EPSILON 1.19209290e-7F\n"
    "#define FLT_DIG 6\n"
    "#define FLT_MANT_DIG 24\n"
    "#define FLT_MAX_EXP 128\n"
    "#define FLT_MIN_EXP (-125)\n"
    "#define FLT_RADIX 2\n"
    "#define DBL_MAX 1.7976931348623157e+308\n"
    "#define DBL_MIN 2.2250738585072014e-308\n"
    "#define DBL_EPSILON 2.2204460492503131e-16\n"
    "#define DBL_DIG 15\n"
    "#define DBL_MANT_DIG 53\n"
    "#define DBL_MAX_EXP 1024\n"
    "#define DBL_MIN_EXP (-1021)\n"
    "#define LDBL_MAX 1.18973149535723176502e+4932L\n"
    "#define LDBL_MIN 3.36210314311209350626e-4932L\n"
    "#define LDBL_EPSILON 1.08420217248550443401e-19L\n"
    /* limits.h */
    "#define CHAR_BIT 8\n"
    "#define SCHAR_MIN (-128)\n"
    "#define SCHAR_MAX 127\n"
    "#define UCHAR_MAX 255\n"
    "#define CHAR_MIN (-128)\n"
    "#define CHAR_MAX 127\n"
    "#define SHRT_MIN (-32768)\n"
    "#define SHRT_MAX 32767\n"
    "#define USHRT_MAX 65535\n"
    "#define INT_MIN (-2147483647 - 1)\n"
    "#define INT_MAX 2147483647\n"
    "#define UINT_MAX 4294967295U\n"
    "#define LONG_MIN (-9223372036854775807L - 1)\n"
    "#define LONG_MAX 9223372036854775807L\n"
    "#define ULONG_MAX 18446744073709551615UL\n"
    "#define LLONG_MIN (-9223372036854775807LL - 1)\n"
    "#define LLONG_MAX 9223372036854775807LL\n"
    "#define ULLONG_MAX 18446744073709551615ULL\n"
    /* stdint.h */
    "#define INT8_MIN (-128)\n"
    "#define INT8_MAX 127\n"
    "#define UINT8_MAX 255\n"
    "#define INT16_MIN (-32768)\n"
    "#define INT16_MAX 32767\n"
    "#define UINT16_MAX 65535\n"
    "#define INT32_MIN (-2147483647 - 1)\n"
    "#define INT32_MAX 2147483647\n"
    "#define UINT32_MAX 4294967295U\n"
    "#define INT64_MIN (-9223372036854775807L - 1)\n"
    "#define INT64_MAX 9223372036854775807L\n"
    "#define UINT64_MAX 18446744073709551615UL\n"
    "#define INTPTR_MAX 9223372036854775807L\n"
    "#define UINTPTR_MAX 18446744073709551615UL\n"
    "#define PTRDIFF_MAX 9223372036854775807L\n"
    "#define SIZE_MAX 18446744073709551615UL\n"
    /* math.h (with the POSIX constants) */
    "#define M_E 2.7182818284590452354\n"
    "#define M_LOG2E 1.4426950408889634074\n"
    "#define M_LOG10E 0.43429448190325182765\n"
    "#define M_LN2 0.69314718055994530942\n"
    "#define M_LN10 2.30258509299404568402\n"
    "#define M_PI 3.14159265358979323846\n"
    "#define M_PI_2 1.57079632679489661923\n"
    "#define M_PI_4 0.78539816339744830962\n"
    "#define M_1_PI 0.31830988618379067154\n"
    "#define M_2_PI 0.63661977236758134308\n"
    "#define M_2_SQRTPI 1.12837916709551257390\n"
    "#define M_SQRT2 1.41421356237309504880\n"
    "#define M_SQRT1_2 0.70710678118654752440\n"
    "#define NAN __builtin_nanf(\"\")\n"
    "#define INFINITY __builtin_inff()\n"
    "#define HUGE_VALF __builtin_inff()\n"
    "#define HUGE_VAL __builtin_inf()\n"
    /* stdlib.h, stdio.h, stddef.h, time.h */
    "#define RAND_MAX 2147483647\n"
    "#define EXIT_SUCCESS 0\n"
    "#define EXIT_FAILURE 1\n"
    "#define NULL 0\n"
    "#define EOF (-1)\n"
    "#define CLOCKS_PER_SEC 1000000L\n"
    /* math_constants.h */
    "#define CUDART_PI_F 3.141592654f\n"
    "#define CUDART_PIO2_F 1.570796327f\n"
    "#define CUDART_PIO4_F 0.785398163f\n"
    "#define CUDART_2_OVER_PI_F 0.636619772f\n"
    "#define CUDART_SQRT_HALF_F 0.707106781f\n"
    "#define CUDART_SQRT_TWO_F 1.414213562f\n"
    "#define CUDART_L2E_F 1.442695041f\n"
    "#define CUDART_LN2_F 0.693147181f\n"
    "#define CUDART_ZERO_F 0.0f\n"
    "#define CUDART_ONE_F 1.0f\n"
    "#define CUDART_INF_F __builtin_inff()\n"
    "#define CUDART_NAN_F __builtin_nanf(\"\")\n"
    "#define CUDART_PI 3.1415926535897931e+0\n"
    "#define CUDART_PIO2 1.5707963267948966e+0\n"
    "#define CUDART_PIO4 7.8539816339744828e-1\n"
    "#define CUDART_2_OVER_PI 6.3661977236758138e-1\n"
    "#define CUDART_SQRT_HALF 7.0710678118654757e-1\n"
    "#define CUDART_SQRT_2 1.4142135623730951e+0\n"
    "#define CUDART_L2E 1.4426950408889634e+0\n"
    "#define CUDART_LN2 6.9314718055994529e-1\n"
    "#define CUDART_ZERO 0.0\n"
    "#define CUDART_ONE 1.0\n"
    "#define CUDART_INF __builtin_inf()\n"
    "#define CUDART_NAN __builtin_nan(\"\")\n";

/* ---- dynamic macros ---- */

static cw_token *single_token(pp_state *pp, cw_token *at, const char *text) {
  cw_token *t = cw_lex_fragment(pp->ctx, text, strlen(text), at);
  t->next = NULL;
  return t;
}

static cw_token *string_token(pp_state *pp, cw_token *at, const char *s) {
  GString *q = g_string_new("\"");
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      g_string_append_c(q, '\\');
    g_string_append_c(q, *s);
  }
  g_string_append_c(q, '"');
  cw_token *t = single_token(pp, at, q->str);
  g_string_free(q, TRUE);
  return t;
}

static cw_token *number_token(pp_state *pp, cw_token *at, long v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", v);
  return single_token(pp, at, buf);
}

/* (#line is reflected in the tokens' file and line already.) */
static cw_token *file_macro(pp_state *pp, cw_token *tok) {
  const cw_token *site = pp_use_site(tok);
  return string_token(pp, tok, site->file ? site->file->name : "<unknown>");
}

static cw_token *line_macro(pp_state *pp, cw_token *tok) {
  return number_token(pp, tok, pp_use_site(tok)->line);
}

static cw_token *counter_macro(pp_state *pp, cw_token *tok) {
  return number_token(pp, tok, pp->counter++);
}

static cw_token *include_level_macro(pp_state *pp, cw_token *tok) {
  return number_token(pp, tok, (long)pp->includes->len - 1);
}

static cw_token *base_file_macro(pp_state *pp, cw_token *tok) {
  for (int i = 0; i < cw_file_count(pp->ctx); i++)
    if (cw_file_at(pp->ctx, i)->is_main)
      return string_token(pp, tok, cw_file_at(pp->ctx, i)->name);
  return string_token(pp, tok, "");
}

static cw_token *date_time_macro(pp_state *pp, cw_token *tok, bool date) {
  time_t now = time(NULL);
  struct tm tm;
  char buf[64];
  localtime_r(&now, &tm);
  strftime(buf, sizeof buf, date ? "%b %e %Y" : "%H:%M:%S", &tm);
  return string_token(pp, tok, buf);
}

static cw_token *date_macro(pp_state *pp, cw_token *tok) {
  return date_time_macro(pp, tok, true);
}

static cw_token *time_macro(pp_state *pp, cw_token *tok) {
  return date_time_macro(pp, tok, false);
}

/* Runs directive text as if it were a file of its own. */
static void run_text(pp_state *pp, const char *name, const char *text) {
  cw_src_file *f = cw_add_file_from_string(pp->ctx, name, text);
  f->is_main = false;
  pp_push_frame(pp, f);
  cw_token *out = pp_run(pp, cw_lex(pp->ctx, f));
  if (out->kind != CW_TK_EOF)
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, out, "unexpected text in %s", name);
}

/* -D NAME, -D NAME=VALUE, -D F(x)=VALUE, then -U NAME. */
static char *command_line_text(const cw_pp_options *o) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < o->n_defines; i++) {
    const char *d = o->defines[i];
    const char *eq = strchr(d, '=');
    g_string_append(s, "#define ");
    if (eq) {
      g_string_append_len(s, d, eq - d);
      g_string_append_c(s, ' ');
      for (const char *p = eq + 1; *p; p++)
        g_string_append_c(s, *p == '\n' || *p == '\r' ? ' ' : *p);
    } else {
      for (const char *p = d; *p; p++)
        g_string_append_c(s, *p == '\n' || *p == '\r' ? ' ' : *p);
      g_string_append(s, " 1");
    }
    g_string_append_c(s, '\n');
  }
  for (int i = 0; i < o->n_undefines; i++) {
    g_string_append(s, "#undef ");
    for (const char *p = o->undefines[i]; *p; p++)
      g_string_append_c(s, *p == '\n' || *p == '\r' ? ' ' : *p);
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}

void pp_define_builtins(pp_state *pp) {
  pp_define_handler(pp, "__FILE__", file_macro);
  pp_define_handler(pp, "__LINE__", line_macro);
  pp_define_handler(pp, "__COUNTER__", counter_macro);
  pp_define_handler(pp, "__INCLUDE_LEVEL__", include_level_macro);
  pp_define_handler(pp, "__BASE_FILE__", base_file_macro);
  pp_define_handler(pp, "__DATE__", date_macro);
  pp_define_handler(pp, "__TIME__", time_macro);
  pp_define_operator(pp, "__has_include");
  pp_define_operator(pp, "__has_include_next");
  pp_define_operator(pp, "__has_builtin");
  pp_define_operator(pp, "__has_attribute");
  pp_define_operator(pp, "__has_cpp_attribute");
  pp_define_operator(pp, "__has_feature");

  pp->defining_builtins = true;
  GString *text = g_string_new(builtin_text);
  if (pp->opts->device_view)
    g_string_append(text, "#define __CUDA_ARCH__ 900\n");
  run_text(pp, "<built-in>", text->str);
  g_string_free(text, TRUE);
  pp->defining_builtins = false;

  if (pp->opts->n_defines || pp->opts->n_undefines) {
    char *cl = command_line_text(pp->opts);
    run_text(pp, "<command line>", cl);
    g_free(cl);
  }
}
