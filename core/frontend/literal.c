/* Decoding of numeric, character and string literal spellings into values. */
#include "frontend/ctx_internal.h"

#include <errno.h>
#include <string.h>

static int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* ---- numbers ---- */

/* Integer type from suffix and value, C++ rules (LP64: long is 64 bits). */
static bool pick_int_type(cw_token *t, uint64_t v, bool is_decimal, bool u, int longs, bool z) {
  bool fits_int = v <= 0x7fffffffu, fits_uint = v <= 0xffffffffu;
  bool fits_long = v <= 0x7fffffffffffffffull;
  if (z)
    longs = 1; /* size_t / ptrdiff_t are long here */
  if (u) {
    if (longs == 0 && fits_uint) t->num_type = CW_NUM_UINT;
    else if (longs <= 1) t->num_type = CW_NUM_ULONG;
    else t->num_type = CW_NUM_ULLONG;
    return true;
  }
  if (longs == 0 && fits_int) t->num_type = CW_NUM_INT;
  else if (longs == 0 && !is_decimal && fits_uint) t->num_type = CW_NUM_UINT;
  else if (longs <= 1 && fits_long) t->num_type = CW_NUM_LONG;
  else if (longs <= 1 && !is_decimal) t->num_type = CW_NUM_ULONG;
  else if (fits_long) t->num_type = CW_NUM_LLONG;
  else {
    /* Decimal too large for long long: like GCC, treat as unsigned with a warning-free type. */
    t->num_type = CW_NUM_ULLONG;
  }
  return true;
}

/* Parses integer suffix u/U, l/L/ll/LL, z/Z in either order; false if not a valid suffix. */
static bool parse_int_suffix(const char *s, size_t n, bool *u, int *longs, bool *z) {
  *u = false;
  *longs = 0;
  *z = false;
  size_t i = 0;
  bool seen_len = false;
  while (i < n) {
    char c = s[i];
    if ((c == 'u' || c == 'U') && !*u) {
      *u = true;
      i++;
    } else if ((c == 'l' || c == 'L') && !seen_len) {
      seen_len = true;
      if (i + 1 < n && s[i + 1] == c) {
        *longs = 2;
        i += 2;
      } else {
        *longs = 1;
        i++;
      }
    } else if ((c == 'z' || c == 'Z') && !seen_len) {
      seen_len = true;
      *z = true;
      i++;
    } else {
      return false;
    }
  }
  return true;
}

void cw_decode_number(cw_frontend_ctx *ctx, cw_token *t) {
  /* Copy without digit separators. */
  char *s = cw_ctx_alloc(ctx, (size_t)t->len + 1);
  size_t n = 0;
  for (int i = 0; i < t->len; i++)
    if (t->text[i] != '\'')
      s[n++] = t->text[i];
  s[n] = '\0';
  t->ival = 0;
  t->fval = 0;

  bool hex = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  bool bin = n >= 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B');
  bool is_float = false;
  if (hex) {
    for (size_t i = 2; i < n; i++)
      if (s[i] == '.' || s[i] == 'p' || s[i] == 'P')
        is_float = true;
  } else if (!bin) {
    for (size_t i = 0; i < n; i++)
      if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
        is_float = true;
  }

  if (is_float) {
    errno = 0;
    char *end;
    double v = g_ascii_strtod(s, &end);
    const char *suf = end;
    if (end == s) {
      t->lex_error = cw_ctx_printf(ctx, "invalid floating constant '%s'", s);
      t->num_type = CW_NUM_DOUBLE;
      return;
    }
    t->fval = v;
    if (*suf == '\0')
      t->num_type = CW_NUM_DOUBLE;
    else if ((suf[0] == 'f' || suf[0] == 'F') && suf[1] == '\0')
      t->num_type = CW_NUM_FLOAT;
    else if ((suf[0] == 'l' || suf[0] == 'L') && suf[1] == '\0')
      t->num_type = CW_NUM_LDOUBLE;
    else {
      t->num_type = CW_NUM_DOUBLE;
      t->lex_error = cw_ctx_printf(ctx, "invalid suffix '%s' on floating constant", suf);
      return;
    }
    /* Hex floats need an exponent; strtod accepts "0x1.8" without one. */
    if (hex && !strpbrk(s, "pP"))
      t->lex_error = cw_ctx_printf(ctx, "hexadecimal floating constant '%s' requires an exponent", s);
    /* strtod hands out inf for overflow; a literal too large is an error in C++. */
    else if (errno == ERANGE && (v > 1.0 || v < -1.0))
      t->lex_error = cw_ctx_printf(ctx, "floating constant '%s' is too large", s);
    return;
  }

  int base = 10;
  size_t i = 0;
  if (hex) { base = 16; i = 2; }
  else if (bin) { base = 2; i = 2; }
  else if (s[0] == '0') { base = 8; i = 1; }
  uint64_t v = 0;
  bool overflow = false, bad_digit = false;
  size_t digits_start = i;
  for (; i < n; i++) {
    int d = hex_value((unsigned char)s[i]);
    if (d < 0 || (base != 16 && d >= 10))
      break;
    if (d >= base) {
      bad_digit = true;
      continue;
    }
    if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
      overflow = true;
    v = v * (uint64_t)base + (uint64_t)d;
  }
  t->ival = v;
  t->num_type = CW_NUM_INT;
  if ((base == 16 || base == 2) && i == digits_start) {
    t->lex_error = cw_ctx_printf(ctx, "invalid integer constant '%s'", s);
    return;
  }
  if (bad_digit) {
    t->lex_error = cw_ctx_printf(ctx, "invalid digit in %s constant '%s'",
                                 base == 8 ? "octal" : "binary", s);
    return;
  }
  bool u, z;
  int longs;
  if (!parse_int_suffix(s + i, n - i, &u, &longs, &z)) {
    t->lex_error = cw_ctx_printf(ctx, "invalid suffix '%s' on integer constant", s + i);
    return;
  }
  if (overflow) {
    t->lex_error = cw_ctx_printf(ctx, "integer constant '%s' is too large", s);
    return;
  }
  pick_int_type(t, v, base == 10, u, longs, z);
}

/* ---- escapes, characters, strings ---- */

typedef enum { ENC_NARROW, ENC_UTF8, ENC_UTF16, ENC_UTF32, ENC_WIDE } encoding;

/* Prefix before the quote; returns its length. */
static size_t literal_prefix(const cw_token *t, encoding *enc, bool *raw) {
  size_t n = 0;
  while (n < (size_t)t->len && t->text[n] != '"' && t->text[n] != '\'')
    n++;
  *raw = n > 0 && t->text[n - 1] == 'R';
  size_t m = *raw ? n - 1 : n;
  *enc = ENC_NARROW;
  if (m == 2) *enc = ENC_UTF8;
  else if (m == 1 && t->text[0] == 'u') *enc = ENC_UTF16;
  else if (m == 1 && t->text[0] == 'U') *enc = ENC_UTF32;
  else if (m == 1 && t->text[0] == 'L') *enc = ENC_WIDE;
  return n;
}

/* Escape after the backslash at *pp. *ucn: the value is a code point (\u, \U). */
static uint32_t read_escape(cw_frontend_ctx *ctx, const char **pp, const char *end, bool *ucn,
                            const char **err) {
  const char *p = *pp;
  *ucn = false;
  if (p >= end)
    return '\\';
  char c = *p++;
  uint32_t v = 0;
  if (c >= '0' && c <= '7') {
    v = (uint32_t)(c - '0');
    for (int k = 0; k < 2 && p < end && *p >= '0' && *p <= '7'; k++)
      v = v * 8 + (uint32_t)(*p++ - '0');
  } else if (c == 'x') {
    if (p >= end || hex_value((unsigned char)*p) < 0)
      *err = "\\x used with no following hex digits";
    uint64_t w = 0;
    while (p < end && hex_value((unsigned char)*p) >= 0) {
      w = w * 16 + (uint64_t)hex_value((unsigned char)*p++);
      if (w > 0xffffffffu) {
        *err = "hex escape sequence out of range";
        w = 0xffffffffu;
      }
    }
    v = (uint32_t)w;
  } else if (c == 'u' || c == 'U') {
    int want = c == 'u' ? 4 : 8;
    for (int k = 0; k < want; k++) {
      if (p >= end || hex_value((unsigned char)*p) < 0) {
        *err = cw_ctx_printf(ctx, "incomplete universal character name \\%c", c);
        break;
      }
      v = v * 16 + (uint32_t)hex_value((unsigned char)*p++);
    }
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
      *err = "invalid universal character";
    *ucn = true;
  } else {
    switch (c) {
    case 'n': v = '\n'; break;
    case 't': v = '\t'; break;
    case 'r': v = '\r'; break;
    case 'a': v = '\a'; break;
    case 'b': v = '\b'; break;
    case 'f': v = '\f'; break;
    case 'v': v = '\v'; break;
    case 'e': case 'E': v = 27; break;
    default: v = (unsigned char)c; break; /* \\ \' \" \? and unknown escapes: the character */
    }
  }
  *pp = p;
  return v;
}

/* One UTF-8 sequence at *pp -> code point (invalid bytes are taken as themselves). */
static uint32_t read_utf8(const char **pp, const char *end) {
  const unsigned char *p = (const unsigned char *)*pp;
  uint32_t c = *p;
  int extra = c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
  if (c >= 0xf8)
    extra = 0;
  if ((const char *)p + extra >= end) {
    *pp += 1;
    return c;
  }
  uint32_t v = extra == 3 ? c & 7 : extra == 2 ? c & 15 : extra == 1 ? c & 31 : c;
  for (int k = 1; k <= extra; k++) {
    if ((p[k] & 0xc0) != 0x80) {
      *pp += 1;
      return c;
    }
    v = v << 6 | (p[k] & 0x3f);
  }
  *pp += 1 + extra;
  return v;
}

void cw_decode_char(cw_frontend_ctx *ctx, cw_token *t) {
  encoding enc;
  bool raw;
  size_t pre = literal_prefix(t, &enc, &raw);
  const char *p = t->text + pre + 1, *end = t->text + t->len;
  if (end > p && end[-1] == '\'' && !t->lex_error)
    end--;
  t->num_type = CW_NUM_INT;
  const char *err = NULL;
  uint32_t vals[8];
  int n = 0;
  while (p < end) {
    uint32_t v;
    bool ucn = false;
    if (*p == '\\') {
      p++;
      v = read_escape(ctx, &p, end, &ucn, &err);
    } else if (enc == ENC_NARROW || enc == ENC_UTF8) {
      v = (unsigned char)*p++;
    } else {
      v = read_utf8(&p, end);
    }
    if (ucn && (enc == ENC_NARROW || enc == ENC_UTF8) && v > 0x7f && !err)
      err = "character not encodable in a single byte";
    if (n < 8)
      vals[n] = v;
    n++;
  }
  if (n == 0) {
    if (!t->lex_error)
      t->lex_error = "empty character constant";
    t->ival = 0;
    return;
  }
  int32_t value;
  if (enc == ENC_NARROW) {
    if (n == 1) {
      if (vals[0] > 0xff && !err)
        err = "escape sequence out of range";
      value = (int32_t)(signed char)(unsigned char)vals[0];
    } else {
      if (n > 4 && !err)
        err = "character constant too long for its type";
      uint32_t acc = 0;
      for (int k = 0; k < n && k < 8; k++)
        acc = acc << 8 | (vals[k] & 0xff);
      value = (int32_t)acc;
    }
  } else {
    if (n > 1 && !err)
      err = "multi-character constant with an encoding prefix";
    uint32_t v = vals[0];
    if (enc == ENC_UTF8 && v > 0xff && !err)
      err = "character too large for u8 character constant";
    if (enc == ENC_UTF16 && v > 0xffff && !err)
      err = "character too large for u character constant";
    value = (int32_t)(enc == ENC_UTF8 ? (v & 0xff) : v);
  }
  t->ival = (uint64_t)(int64_t)value;
  if (err && !t->lex_error)
    t->lex_error = err;
}

static void put_utf8(GString *s, uint32_t c) {
  char buf[8];
  int n = g_unichar_to_utf8((gunichar)c, buf);
  g_string_append_len(s, buf, n);
}

void cw_decode_string(cw_frontend_ctx *ctx, cw_token *t) {
  encoding enc;
  bool raw;
  size_t pre = literal_prefix(t, &enc, &raw);
  const char *p = t->text + pre + 1, *end = t->text + t->len;
  GString *s = g_string_new(NULL);
  if (raw) {
    /* delim( body )delim" */
    const char *open = memchr(p, '(', (size_t)(end - p));
    if (open && !t->lex_error) {
      size_t dlen = (size_t)(open - p);
      const char *body_end = end - 2 - dlen;
      if (body_end > open)
        g_string_append_len(s, open + 1, body_end - open - 1);
    }
  } else {
    if (end > p && end[-1] == '"' && !t->lex_error)
      end--;
    const char *err = NULL;
    while (p < end) {
      if (*p != '\\') {
        g_string_append_c(s, *p++);
        continue;
      }
      p++;
      bool ucn;
      uint32_t v = read_escape(ctx, &p, end, &ucn, &err);
      if (ucn || enc == ENC_UTF16 || enc == ENC_UTF32 || enc == ENC_WIDE) {
        put_utf8(s, v);
      } else {
        if (v > 0xff && !err)
          err = "escape sequence out of range";
        g_string_append_c(s, (char)(unsigned char)v);
      }
    }
    if (err && !t->lex_error)
      t->lex_error = err;
  }
  t->str = cw_ctx_strndup(ctx, s->str, s->len);
  t->str_len = (int)s->len;
  g_string_free(s, TRUE);
}
