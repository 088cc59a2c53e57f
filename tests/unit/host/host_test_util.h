/* Helpers for the host rewrite tests: rewrite a string as if it were a file. */
#ifndef CW_TEST_HOST_UTIL_H
#define CW_TEST_HOST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "frontend/host/host_rewrite.h"

typedef struct rewritten {
  cw_frontend_ctx *ctx;
  cw_host_rewrite *hr;
  char *text;      /* rewritten file (prelude included) */
  char *body;      /* the part after the prelude's #line */
} rewritten;

static inline rewritten rewrite_text(const char *name, const char *src) {
  rewritten r;
  r.ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(r.ctx, name, src);
  r.hr = cw_host_rewrite_new(r.ctx);
  cw_host_rewrite_learn_macros(r.hr, f);
  r.text = cw_host_rewrite_file(r.hr, f, name);
  char *line = strstr(r.text, "#line 1 ");
  r.body = line ? strchr(line, '\n') + 1 : r.text;
  return r;
}

static inline void rewritten_free(rewritten *r) {
  g_free(r->text);
  cw_host_rewrite_free(r->hr);
  cw_frontend_ctx_free(r->ctx);
}

static inline int count_lines(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

#define assert_contains(hay, needle)                                                       \
  do {                                                                                     \
    if (!strstr((hay), (needle)))                                                          \
      fail_msg("expected to find\n  %s\nin\n%s", (needle), (hay));                         \
  } while (0)
#define assert_not_contains(hay, needle)                                                   \
  do {                                                                                     \
    if (strstr((hay), (needle)))                                                           \
      fail_msg("did not expect\n  %s\nin\n%s", (needle), (hay));                           \
  } while (0)

#endif
