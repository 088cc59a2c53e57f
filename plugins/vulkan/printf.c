/* printf.c — device printf on the host: a kernel appends records (format string id, argument
 * count, 64-bit arguments) to its module's printf buffer; after the launch completes they are
 * formatted here with the host's printf, one conversion at a time, and written to stdout
 * (assert messages, string id 0, to stderr).  An assert also sets a flag: CW_ERR_ASSERT. */
#include <stdio.h>
#include <string.h>

#include "module_internal.h"
#include "glsl.h"

/* A string id (format, assert texts) or a tagged literal (%s arguments). */
static const char *string_arg(vk_module *m, uint64_t v) {
  uint64_t id = v & GLSL_STRING_TAG ? v & ~GLSL_STRING_TAG : v;
  if (!v) return "(null)";
  return id < m->strings->len ? g_ptr_array_index(m->strings, id) : "(device string)";
}

static void format_record(vk_module *m, const char *fmt, const uint64_t *args, uint32_t n, GString *out) {
  uint32_t next = 0;
  for (const char *s = fmt; *s; s++) {
    if (*s != '%') {
      g_string_append_c(out, *s);
      continue;
    }
    if (s[1] == '%') {
      g_string_append_c(out, '%');
      s++;
      continue;
    }
    GString *spec = g_string_new("%");
    const char *q = s + 1;
    while (*q && strchr("-+ #0", *q)) g_string_append_c(spec, *q++);
    while (*q && (g_ascii_isdigit(*q) || *q == '*' || *q == '.')) {
      if (*q == '*') g_string_append_printf(spec, "%d", next < n ? (int)args[next++] : 0);
      else g_string_append_c(spec, *q);
      q++;
    }
    int longs = 0, shorts = 0;
    while (*q && strchr("hlLqjzt", *q)) {
      if (*q == 'h') shorts++;
      else longs++;
      q++;
    }
    char conv = *q;
    if (!conv) {
      g_string_append(out, spec->str);
      g_string_free(spec, TRUE);
      break;
    }
    uint64_t v = next < n ? args[next++] : 0;
    switch (conv) {
    case 'd': case 'i': {
      long long x = longs ? (long long)v : shorts == 1 ? (short)v : shorts >= 2 ? (signed char)v : (int)(int32_t)v;
      g_string_append(spec, "lld");
      g_string_append_printf(out, spec->str, x);
      break;
    }
    case 'u': case 'o': case 'x': case 'X': {
      unsigned long long x = longs ? v : shorts == 1 ? (uint16_t)v : shorts >= 2 ? (uint8_t)v : (uint32_t)v;
      g_string_append_printf(spec, "ll%c", conv);
      g_string_append_printf(out, spec->str, x);
      break;
    }
    case 'c':
      g_string_append_c(spec, 'c');
      g_string_append_printf(out, spec->str, (int)v);
      break;
    case 's':
      g_string_append_c(spec, 's');
      g_string_append_printf(out, spec->str, string_arg(m, v));
      break;
    case 'p':
      g_string_append_c(spec, 'p');
      g_string_append_printf(out, spec->str, (void *)(uintptr_t)v);
      break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
      double x;
      memcpy(&x, &v, 8);
      g_string_append_c(spec, conv);
      g_string_append_printf(out, spec->str, x);
      break;
    }
    default:
      g_string_append_len(out, s, q - s + 1);
      break;
    }
    g_string_free(spec, TRUE);
    s = q;
  }
}

cw_status vk_printf_drain(vk_module *m) {
  if (!m->printf_buf) return CW_OK;
  g_mutex_lock(&m->lock);
  uint32_t *hdr = m->printf_buf->mapped;
  const uint32_t *data = hdr + GLSL_PRINTF_HEADER_WORDS;
  uint32_t head = hdr[0], cap = hdr[1];
  if (head > cap) head = cap;
  GString *out = g_string_new(NULL), *err = g_string_new(NULL);
  uint32_t p = m->printf_consumed;
  while (p + 2 <= head) {
    uint32_t fmt = data[p], n = data[p + 1];
    if (p + 2 + 2 * n > head || n > 64) break;
    uint64_t args[64];
    for (uint32_t i = 0; i < n; i++) args[i] = data[p + 2 + 2 * i] | (uint64_t)data[p + 3 + 2 * i] << 32;
    format_record(m, fmt < m->strings->len ? g_ptr_array_index(m->strings, fmt) : "", args, n, fmt == GLSL_PRINTF_ASSERT_FORMAT ? err : out);
    p += 2 + 2 * n;
  }
  m->printf_consumed = p;
  if (hdr[3]) {
    g_string_append_printf(err, "cw[vulkan]: %u device printf records lost (buffer full)\n", hdr[3]);
    hdr[3] = 0;
  }
  cw_status st = CW_OK;
  if (hdr[2]) {
    st = CW_ERR_ASSERT;
    hdr[2] = 0;
  }
  if (g_atomic_int_dec_and_test(&m->printf_in_flight) || m->printf_in_flight < 0) {
    m->printf_in_flight = 0;
    hdr[0] = 0;  /* nothing else writes: start over */
    m->printf_consumed = 0;
  }
  g_mutex_unlock(&m->lock);
  if (out->len) {
    fwrite(out->str, 1, out->len, stdout);
    fflush(stdout);
  }
  if (err->len) {
    fwrite(err->str, 1, err->len, stderr);
    fflush(stderr);
  }
  g_string_free(out, TRUE);
  g_string_free(err, TRUE);
  return st;
}
