/* The front-end context: a bump arena for tokens and strings, and the file table. */
#include "frontend/ctx_internal.h"

#include <stdarg.h>
#include <string.h>

struct cw_arena_block {
  cw_arena_block *next;
  size_t used, cap;
  max_align_t data[];
};

enum { ARENA_BLOCK = 256 * 1024 };

cw_frontend_ctx *cw_frontend_ctx_new(void) {
  cw_frontend_ctx *ctx = g_new0(cw_frontend_ctx, 1);
  ctx->files = g_ptr_array_new();
  ctx->file_by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ctx->aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ctx->diags = g_ptr_array_new();
  return ctx;
}

void cw_frontend_ctx_free(cw_frontend_ctx *ctx) {
  if (!ctx)
    return;
  for (guint i = 0; i < ctx->files->len; i++) {
    cw_src_file *f = g_ptr_array_index(ctx->files, i);
    if (!f->physical)
      g_free(f->contents);
    g_free(f->name);
    g_free(f);
  }
  g_ptr_array_free(ctx->files, TRUE);
  g_hash_table_destroy(ctx->file_by_path);
  g_hash_table_destroy(ctx->aliases);
  g_ptr_array_free(ctx->diags, TRUE);
  for (cw_arena_block *b = ctx->blocks, *next; b; b = next) {
    next = b->next;
    g_free(b);
  }
  g_free(ctx);
}

void *cw_ctx_alloc(cw_frontend_ctx *ctx, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (size == 0)
    size = align;
  cw_arena_block *b = ctx->blocks;
  if (!b || b->cap - b->used < size) {
    size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
    cw_arena_block *nb = g_malloc(sizeof(cw_arena_block) + cap);
    nb->used = 0;
    nb->cap = cap;
    if (b && cap != ARENA_BLOCK) {
      /* A big one-off allocation: keep the current block as the one to bump from. */
      nb->used = cap;
      nb->next = b->next;
      b->next = nb;
      memset(nb->data, 0, size);
      return nb->data;
    }
    nb->next = b;
    ctx->blocks = b = nb;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *cw_ctx_strndup(cw_frontend_ctx *ctx, const char *s, size_t n) {
  char *p = cw_ctx_alloc(ctx, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *cw_ctx_strdup(cw_frontend_ctx *ctx, const char *s) {
  return cw_ctx_strndup(ctx, s, strlen(s));
}

char *cw_ctx_printf(cw_frontend_ctx *ctx, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *tmp = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  char *p = cw_ctx_strdup(ctx, tmp);
  g_free(tmp);
  return p;
}

cw_token *cw_tok_copy(cw_frontend_ctx *ctx, const cw_token *tok) {
  cw_token *t = cw_ctx_alloc(ctx, sizeof(cw_token));
  *t = *tok;
  t->next = NULL;
  return t;
}

bool cw_tok_is(const cw_token *t, const char *s) {
  if (!t || (t->kind != CW_TK_IDENT && t->kind != CW_TK_PUNCT))
    return false;
  size_t n = strlen(s);
  return (size_t)t->len == n && memcmp(t->text, s, n) == 0;
}

/* Takes ownership of `contents` (g_malloc'd, `size` bytes, NUL-terminated). */
static cw_src_file *add_file(cw_frontend_ctx *ctx, const char *name, char *contents, size_t size) {
  /* Normalize: ends with '\n' so every line (and directive) is terminated. */
  if (size == 0 || contents[size - 1] != '\n') {
    contents = g_realloc(contents, size + 2);
    contents[size++] = '\n';
    contents[size] = '\0';
  }
  cw_src_file *f = g_new0(cw_src_file, 1);
  f->name = g_strdup(name);
  f->contents = contents;
  f->size = size;
  f->id = (int)ctx->files->len;
  f->is_main = ctx->files->len == 0;
  g_ptr_array_add(ctx->files, f);
  return f;
}

cw_src_file *cw_add_file_from_string(cw_frontend_ctx *ctx, const char *name, const char *text) {
  size_t n = strlen(text);
  char *copy = g_malloc(n + 1);
  memcpy(copy, text, n + 1);
  return add_file(ctx, name ? name : "<string>", copy, n);
}

cw_src_file *cw_load_file(cw_frontend_ctx *ctx, const char *path) {
  char *key = g_canonicalize_filename(path, NULL);
  cw_src_file *f = g_hash_table_lookup(ctx->file_by_path, key);
  if (f) {
    g_free(key);
    return f;
  }
  char *contents = NULL;
  gsize size = 0;
  GError *err = NULL;
  if (g_file_test(path, G_FILE_TEST_IS_DIR) || !g_file_get_contents(path, &contents, &size, &err)) {
    cw_diag_at(ctx, CW_DIAG_ERROR, NULL, "cannot read '%s': %s", path,
               err ? err->message : "is a directory");
    if (err)
      g_error_free(err);
    g_free(key);
    return NULL;
  }
  f = add_file(ctx, path, contents, size);
  g_hash_table_insert(ctx->file_by_path, key, f);
  return f;
}

cw_src_file *cw_file_alias(cw_frontend_ctx *ctx, cw_src_file *file, const char *name) {
  file = cw_file_physical(file);
  if (strcmp(file->name, name) == 0)
    return file;
  char *key = g_strdup_printf("%d:%s", file->id, name);
  cw_src_file *a = g_hash_table_lookup(ctx->aliases, key);
  if (a) {
    g_free(key);
    return a;
  }
  a = g_new0(cw_src_file, 1);
  a->name = g_strdup(name);
  a->contents = file->contents;
  a->size = file->size;
  a->id = (int)ctx->files->len;
  a->is_main = file->is_main;
  a->physical = file;
  g_ptr_array_add(ctx->files, a);
  g_hash_table_insert(ctx->aliases, key, a);
  return a;
}

cw_src_file *cw_file_physical(cw_src_file *file) {
  return file && file->physical ? file->physical : file;
}

int cw_file_count(const cw_frontend_ctx *ctx) {
  return (int)ctx->files->len;
}

cw_src_file *cw_file_at(const cw_frontend_ctx *ctx, int id) {
  if (id < 0 || (guint)id >= ctx->files->len)
    return NULL;
  return g_ptr_array_index(ctx->files, id);
}
