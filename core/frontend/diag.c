/* Collected diagnostics and their rendering (file:line:col, source line, caret). */
#include "frontend/ctx_internal.h"

#include <string.h>

/* Where a diagnostic or one of its expansion notes points; copied from tokens. */
typedef struct diag_loc {
  cw_src_file *file;
  int line, col;
  size_t offset;
} diag_loc;

typedef struct diag_expansion {
  char *macro;      /* name of the macro expanded at `at` */
  diag_loc at;
} diag_expansion;

struct cw_diag {
  cw_diag_level level;
  char *msg;
  bool has_loc;
  diag_loc loc;
  int n_expansions;
  diag_expansion *expansions;
};

/* Macro expansions deeper than this are summarized. */
enum { MAX_NOTES = 8 };

static diag_loc loc_of(const cw_token *t) {
  return (diag_loc){t->file, t->line, t->col, t->offset};
}

static void record(cw_frontend_ctx *ctx, cw_diag_level level, const cw_token *tok, diag_loc *loc,
                   const char *fmt, va_list ap) {
  if (level == CW_DIAG_ERROR)
    ctx->n_errors++;
  else if (level == CW_DIAG_WARNING)
    ctx->n_warnings++;
  if (ctx->diags->len >= CW_DIAG_MAX_STORED) {
    ctx->n_dropped++;
    return;
  }
  cw_diag *d = cw_ctx_alloc(ctx, sizeof(cw_diag));
  d->level = level;
  char *msg = g_strdup_vprintf(fmt, ap);
  d->msg = cw_ctx_strdup(ctx, msg);
  g_free(msg);
  if (loc && loc->file) {
    d->has_loc = true;
    d->loc = *loc;
  }
  if (tok) {
    int n = 0;
    for (const cw_token *e = tok->expanded_from; e && n < MAX_NOTES; e = e->expanded_from)
      n++;
    d->expansions = cw_ctx_alloc(ctx, sizeof(diag_expansion) * (size_t)(n ? n : 1));
    int i = 0;
    for (const cw_token *e = tok->expanded_from; e && i < n; e = e->expanded_from, i++) {
      d->expansions[i].macro = cw_ctx_strndup(ctx, e->text, (size_t)e->len);
      d->expansions[i].at = loc_of(e);
    }
    d->n_expansions = n;
  }
  g_ptr_array_add(ctx->diags, d);
}

void cw_diag_vat(cw_frontend_ctx *ctx, cw_diag_level level, const cw_token *tok, const char *fmt,
                 va_list ap) {
  diag_loc loc = {0};
  if (tok && tok->file)
    loc = loc_of(tok);
  record(ctx, level, tok, &loc, fmt, ap);
}

void cw_diag_at(cw_frontend_ctx *ctx, cw_diag_level level, const cw_token *tok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cw_diag_vat(ctx, level, tok, fmt, ap);
  va_end(ap);
}

void cw_diag_at_loc(cw_frontend_ctx *ctx, cw_diag_level level, cw_src_file *file, int line, int col,
                    size_t offset, const char *fmt, ...) {
  diag_loc loc = {file, line, col, offset};
  va_list ap;
  va_start(ap, fmt);
  record(ctx, level, NULL, &loc, fmt, ap);
  va_end(ap);
}

int cw_diag_error_count(const cw_frontend_ctx *ctx) {
  return ctx->n_errors;
}

int cw_diag_warning_count(const cw_frontend_ctx *ctx) {
  return ctx->n_warnings;
}

int cw_diag_count(const cw_frontend_ctx *ctx) {
  return (int)ctx->diags->len;
}

static const char *level_name(cw_diag_level l) {
  switch (l) {
  case CW_DIAG_ERROR: return "error";
  case CW_DIAG_WARNING: return "warning";
  default: return "note";
  }
}

/* "  <source line>\n  ^\n"; tabs before the column are kept so the caret lines up. */
static void render_source(GString *out, const diag_loc *loc) {
  const cw_src_file *f = loc->file;
  if (!f || !f->contents || loc->offset > f->size)
    return;
  const char *pos = f->contents + loc->offset;
  const char *bol = pos, *eol = pos;
  while (bol > f->contents && bol[-1] != '\n')
    bol--;
  while (eol < f->contents + f->size && *eol != '\n')
    eol++;
  if (eol > bol && eol[-1] == '\r')
    eol--;
  g_string_append(out, "  ");
  g_string_append_len(out, bol, eol - bol);
  g_string_append(out, "\n  ");
  for (const char *p = bol; p < pos && p < eol; p++)
    g_string_append_c(out, *p == '\t' ? '\t' : ' ');
  g_string_append(out, "^\n");
}

static void render_one(GString *out, const char *level, const diag_loc *loc, bool has_loc,
                       const char *msg) {
  if (has_loc)
    g_string_append_printf(out, "%s:%d:%d: ", loc->file->name, loc->line, loc->col);
  g_string_append_printf(out, "%s: %s\n", level, msg);
  if (has_loc)
    render_source(out, loc);
}

char *cw_diag_to_string(const cw_frontend_ctx *ctx) {
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < ctx->diags->len; i++) {
    const cw_diag *d = g_ptr_array_index(ctx->diags, i);
    render_one(out, level_name(d->level), &d->loc, d->has_loc, d->msg);
    for (int k = 0; k < d->n_expansions; k++) {
      const diag_expansion *e = &d->expansions[k];
      char *msg = g_strdup_printf("in expansion of macro '%s'", e->macro);
      render_one(out, "note", &e->at, e->at.file != NULL, msg);
      g_free(msg);
    }
  }
  if (ctx->n_dropped)
    g_string_append_printf(out, "note: %d more diagnostics not shown\n", ctx->n_dropped);
  return g_string_free(out, FALSE);
}

void cw_diag_print_all(const cw_frontend_ctx *ctx, FILE *out) {
  char *s = cw_diag_to_string(ctx);
  fputs(s, out);
  g_free(s);
}
