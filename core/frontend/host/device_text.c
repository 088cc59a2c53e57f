/* The device text of a translation unit and the launch-site instantiations with the user's
 * macros expanded (`k<real_t, BLOCK>` → `k<float, 128>`), from one preprocessing run: the
 * instantiations are appended to the main file's tokens after a marker pragma, one per line. */
#include <string.h>

#include "frontend/host/host_internal.h"

#define MARKER "cw_host_instantiations_follow"

static const cw_token *use_site(const cw_token *t) {
  while (t->expanded_from)
    t = t->expanded_from;
  return t;
}

char *cw_host_device_text(cw_host_rewrite *hr, cw_src_file *main_file, const cw_pp_options *pp) {
  cw_frontend_ctx *ctx = hr->ctx;
  GString *frag = g_string_new("#pragma " MARKER "\n");
  for (guint k = 0; k < hr->instantiations->len; k++)
    g_string_append_printf(frag, "%s\n", (const char *)g_ptr_array_index(hr->instantiations, k));
  cw_src_file *tail = cw_add_file_from_string(ctx, "<cw: launch sites>", frag->str);
  g_string_free(frag, TRUE);

  cw_token *raw = cw_lex(ctx, main_file), *last = NULL;
  for (cw_token *t = raw; t && t->kind != CW_TK_EOF; t = t->next)
    last = t;
  cw_token *tail_raw = cw_lex(ctx, tail);
  if (last)
    last->next = tail_raw;
  else
    raw = tail_raw;
  cw_token *toks = cw_preprocess(ctx, raw, pp);

  /* Cut the list at the marker: before it is the device text, after it one line per id. */
  cw_token *marker = NULL, *prev = NULL;
  for (cw_token *t = toks; t && t->kind != CW_TK_EOF; prev = t, t = t->next)
    if (t->kind == CW_TK_PRAGMA && t->len == (int)strlen(MARKER) && !strncmp(t->text, MARKER, strlen(MARKER))) {
      marker = t;
      break;
    }
  cw_token *after = marker ? marker->next : NULL;
  cw_token eof = {.kind = CW_TK_EOF};
  if (marker) {
    if (prev)
      prev->next = &eof;
    else
      toks = &eof;
  }
  char *text = cw_pp_to_text(toks);
  if (marker && prev)
    prev->next = marker;

  if (marker) {
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
    GString *cur = NULL;
    int cur_line = 0;
    for (cw_token *t = after; t && t->kind != CW_TK_EOF; t = t->next) {
      const cw_token *s = use_site(t);
      if (!cur || s->line != cur_line) {
        if (cur)
          g_ptr_array_add(ids, g_string_free(cur, FALSE));
        cur = g_string_new(NULL);
        cur_line = s->line;
      } else if (t->has_space) {
        g_string_append_c(cur, ' ');
      }
      g_string_append_len(cur, t->text, t->len);
    }
    if (cur)
      g_ptr_array_add(ids, g_string_free(cur, FALSE));
    /* Keep the written form when expansion lost an id (an #if left open swallowed the tail). */
    if (ids->len == hr->instantiations->len) {
      g_ptr_array_free(hr->instantiations, TRUE);
      hr->instantiations = ids;
    } else {
      g_ptr_array_free(ids, TRUE);
    }
  }
  return text;
}
