/* cprinter_literal.c — C literals that mean exactly the IR constant.
 *
 * Integers carry the suffix of their type (U, LL, ULL); negative values are parenthesized so that
 * no context can glue them to a preceding '-' and the most negative values are spelled
 * (-2147483647-1) because 2147483648 alone has another type.  8/16-bit values are cast to their
 * type.  Floats use %.9g (F32) / %.17g (F64), enough digits to read back the same value, always
 * with '.' or an exponent; infinities and NaN are 1.0/0.0 forms.  Strings escape everything
 * outside printable ASCII in 3-digit octal (a hex escape would swallow following hex digits). */
#include <math.h>
#include <string.h>

#include "cprinter_internal.h"

void cw_cprinter__int_literal(cw_cprinter *p, const cw_ir_type *t, uint64_t v) {
  GString *o = p->out;
  cw_ir_type_kind k = t ? t->kind : CW_IR_I32;
  switch (k) {
  case CW_IR_BOOL: g_string_append(o, v ? "true" : "false"); return;
  case CW_IR_I32: {
    int32_t x = (int32_t)(uint32_t)v;
    if (x == INT32_MIN) g_string_append(o, "(-2147483647-1)");
    else if (x < 0) g_string_append_printf(o, "(%d)", x);
    else g_string_append_printf(o, "%d", x);
    return;
  }
  case CW_IR_U32: g_string_append_printf(o, "%uU", (uint32_t)v); return;
  case CW_IR_I64: {
    int64_t x = (int64_t)v;
    if (x == INT64_MIN) g_string_append(o, "(-9223372036854775807LL-1)");
    else if (x < 0) g_string_append_printf(o, "(%" G_GINT64_FORMAT "LL)", x);
    else g_string_append_printf(o, "%" G_GINT64_FORMAT "LL", x);
    return;
  }
  case CW_IR_U64: g_string_append_printf(o, "%" G_GUINT64_FORMAT "ULL", v); return;
  case CW_IR_I8: case CW_IR_I16: {
    int64_t x = k == CW_IR_I8 ? (int8_t)v : (int16_t)v;
    g_string_append(o, "((");
    cw_cprinter_type(p, t);
    g_string_append_printf(o, ")%s%" G_GINT64_FORMAT "%s)", x < 0 ? "(" : "", x, x < 0 ? ")" : "");
    return;
  }
  case CW_IR_U8: case CW_IR_U16:
    g_string_append(o, "((");
    cw_cprinter_type(p, t);
    g_string_append_printf(o, ")%" G_GUINT64_FORMAT ")", (guint64)(k == CW_IR_U8 ? (uint8_t)v : (uint16_t)v));
    return;
  case CW_IR_PTR:
    g_string_append(o, "((");
    cw_cprinter_type(p, t);
    g_string_append_printf(o, ")%" G_GUINT64_FORMAT "ULL)", v);
    return;
  default:  /* an integer constant of a float type: print it as that float */
    if (cw_ir_type_is_float(t)) cw_cprinter__float_literal(p, t, (double)(int64_t)v);
    else g_string_append_printf(o, "%" G_GUINT64_FORMAT, v);
    return;
  }
}

void cw_cprinter__float_literal(cw_cprinter *p, const cw_ir_type *t, double v) {
  GString *o = p->out;
  bool f32 = !t || t->kind != CW_IR_F64;  /* F16/BF16 constants are written as floats */
  const char *sfx = f32 && p->d.print_float_suffix ? "f" : "";
  bool half = t && (t->kind == CW_IR_F16 || t->kind == CW_IR_BF16);
  if (half) {
    g_string_append(o, "((");
    cw_cprinter_type(p, t);
    g_string_append(o, ")");
  }
  if (isnan(v)) {
    g_string_append_printf(o, "(0.0%s/0.0%s)", sfx, sfx);
  } else if (isinf(v)) {
    g_string_append_printf(o, "(%s1.0%s/0.0%s)", v < 0 ? "-" : "", sfx, sfx);
  } else {
    char buf[64];
    if (f32) snprintf(buf, sizeof buf, "%.9g", (double)(float)v);
    else snprintf(buf, sizeof buf, "%.17g", v);
    if (!strpbrk(buf, ".eEn")) g_strlcat(buf, ".0", sizeof buf);
    if (buf[0] == '-') g_string_append_printf(o, "(%s%s)", buf, sfx);
    else g_string_append_printf(o, "%s%s", buf, sfx);
  }
  if (half) g_string_append(o, ")");
}

void cw_cprinter__string_literal(cw_cprinter *p, const char *s, uint32_t len) {
  GString *o = p->out;
  g_string_append_c(o, '"');
  for (uint32_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '\n': g_string_append(o, "\\n"); break;
    case '\t': g_string_append(o, "\\t"); break;
    case '\r': g_string_append(o, "\\r"); break;
    case '"': g_string_append(o, "\\\""); break;
    case '\\': g_string_append(o, "\\\\"); break;
    case '?': g_string_append(o, "\\?"); break;  /* no trigraphs */
    default:
      if (c < 32 || c >= 127) g_string_append_printf(o, "\\%03o", c);
      else g_string_append_c(o, (char)c);
    }
  }
  g_string_append_c(o, '"');
}
