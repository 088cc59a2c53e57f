/* Text edits on the original bytes of a file.  A replaced range keeps its newlines (and its
 * line splices, so that an edit inside a #define body keeps the macro on one logical line). */
#include <stdlib.h>
#include <string.h>

#include "frontend/host/host_internal.h"

static size_t tok_start(const host_file *hf, int i) {
  return i < hf->n ? hf->t[i]->offset : hf->file->size;
}

static size_t tok_end(const host_file *hf, int i) {
  return hf->t[i]->offset + (size_t)hf->t[i]->src_len;
}

static void add(host_file *hf, size_t start, size_t end, char *text) {
  host_edit e = {start, end, text, (int)hf->edits->len};
  g_array_append_val(hf->edits, e);
}

/* Directive lines inside a replaced range are kept verbatim (except #pragma), so that an #if
 * whose #else/#endif fall inside a kernel body stays balanced for the host compiler. */
static bool kept_directive(const host_file *hf, int i, int *end_tok) {
  if (!hf->in_directive[i] || !cw_tok_is(hf->t[i], "#") || !hf->t[i]->at_bol)
    return false;
  *end_tok = host_directive_end(hf, i);
  return !host_tok_is(hf, i + 1, "pragma");
}

/* What remains of tokens [a, b) (bytes [start, end)): kept directive lines, and elsewhere the
 * newlines and line splices, with `blank` also every other byte as a space. */
static void append_residue(const host_file *hf, int a, int b, size_t start, size_t end, bool blank, GString *out) {
  const char *s = hf->file->contents;
  size_t pos = start;
  for (int i = a; i < b; i++) {
    int dend;
    if (!kept_directive(hf, i, &dend))
      continue;
    size_t ds = hf->t[i]->offset, de = tok_end(hf, (dend < b ? dend : b) - 1);
    for (size_t k = pos; k < ds; k++) {
      if (s[k] == '\n')
        g_string_append(out, k > pos && s[k - 1] == '\\' && !blank ? " \\\n" : "\n");
      else if (blank)
        g_string_append_c(out, s[k] == '\\' && k + 1 < end && s[k + 1] == '\n' ? '\\' : ' ');
    }
    g_string_append_len(out, s + ds, (gssize)(de - ds));
    pos = de;
    i = dend - 1;
  }
  for (size_t k = pos; k < end; k++) {
    if (s[k] == '\n')
      g_string_append(out, k > start && s[k - 1] == '\\' && !blank ? " \\\n" : "\n");
    else if (blank)
      g_string_append_c(out, s[k] == '\\' && k + 1 < end && s[k + 1] == '\n' ? '\\' : ' ');
  }
}

void host_edit_replace(host_file *hf, int a, int b, char *text) {
  size_t start = tok_start(hf, a), end = b > a ? tok_end(hf, b - 1) : start;
  GString *s = g_string_new(text);
  g_free(text);
  append_residue(hf, a, b, start, end, false, s);
  add(hf, start, end, g_string_free(s, FALSE));
}

void host_edit_insert_before(host_file *hf, int i, char *text) {
  size_t at = tok_start(hf, i);
  add(hf, at, at, text);
}

void host_edit_insert_after(host_file *hf, int i, char *text) {
  size_t at = tok_end(hf, i);
  add(hf, at, at, text);
}

void host_edit_blank(host_file *hf, int a, int b) {
  if (b <= a)
    return;
  size_t start = tok_start(hf, a), end = tok_end(hf, b - 1);
  GString *out = g_string_sized_new(end - start);
  append_residue(hf, a, b, start, end, true, out);
  add(hf, start, end, g_string_free(out, FALSE));
}

bool host_edit_covers(const host_file *hf, int i) {
  size_t a = hf->t[i]->offset;
  for (guint k = 0; k < hf->edits->len; k++) {
    const host_edit *e = &g_array_index(hf->edits, host_edit, k);
    if (e->end > e->start && a >= e->start && a < e->end)
      return true;
  }
  return false;
}

static int edit_cmp(const void *pa, const void *pb) {
  const host_edit *a = pa, *b = pb;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  bool ai = a->end == a->start, bi = b->end == b->start;
  if (ai != bi)
    return ai ? -1 : 1;  /* insertions before a replacement at the same place */
  return a->order - b->order;
}

char *host_edit_apply(host_file *hf) {
  g_array_sort(hf->edits, edit_cmp);
  const char *s = hf->file->contents;
  GString *out = g_string_sized_new(hf->file->size + 256);
  size_t pos = 0;
  for (guint k = 0; k < hf->edits->len; k++) {
    const host_edit *e = &g_array_index(hf->edits, host_edit, k);
    if (e->start < pos)
      continue;  /* overlaps an earlier edit: the scanners never make these */
    g_string_append_len(out, s + pos, (gssize)(e->start - pos));
    g_string_append(out, e->text);
    pos = e->end;
  }
  g_string_append_len(out, s + pos, (gssize)(hf->file->size - pos));
  return g_string_free(out, FALSE);
}
