/* #include and __has_include: file search, known system headers, #pragma once and
 * include guards.
 *
 * Known system headers (<stdio.h>, <cuda_runtime.h>, ...) are never parsed: their types
 * and constants are built into the front end.  Any other <...> header not found in the
 * -I directories is host-only business (the host compiler sees it) and is skipped
 * silently.  A "..." header that is found nowhere is an error.
 */
#include "frontend/pp_internal.h"

#include <string.h>

static const char *const known_system_headers[] = {
    /* C */
    "assert.h", "ctype.h", "errno.h", "float.h", "inttypes.h", "limits.h", "locale.h", "math.h",
    "memory.h", "setjmp.h", "signal.h", "stdarg.h", "stdbool.h", "stddef.h", "stdint.h", "stdio.h",
    "stdlib.h", "string.h", "strings.h", "time.h", "wchar.h", "complex.h", "fenv.h", "malloc.h",
    "unistd.h", "getopt.h", "omp.h", "pthread.h", "dirent.h", "fcntl.h",
    "sys/time.h", "sys/types.h", "sys/stat.h", "sys/mman.h", "sys/resource.h", "sys/times.h",
    /* C++ */
    "cassert", "cctype", "cerrno", "cfloat", "cinttypes", "climits", "clocale", "cmath", "csetjmp",
    "csignal", "cstdarg", "cstdbool", "cstddef", "cstdint", "cstdio", "cstdlib", "cstring", "ctime",
    "cwchar", "algorithm", "array", "atomic", "bitset", "chrono", "complex", "deque", "exception",
    "fstream", "functional", "iomanip", "ios", "iosfwd", "iostream", "istream", "iterator", "limits",
    "list", "map", "memory", "mutex", "new", "numeric", "ostream", "queue", "random", "ratio", "set",
    "sstream", "stack", "stdexcept", "string", "string_view", "thread", "tuple", "type_traits",
    "typeinfo", "unordered_map", "unordered_set", "utility", "valarray", "vector", "optional",
    "variant", "numbers", "cfenv", "condition_variable", "future", "initializer_list", "execution",
    /* CUDA */
    "cuda.h", "cuda_runtime.h", "cuda_runtime_api.h", "device_launch_parameters.h", "cuda_fp16.h",
    "cuda_bf16.h", "cooperative_groups.h", "cooperative_groups/reduce.h",
    "cooperative_groups/memcpy_async.h", "cooperative_groups/scan.h", "math_constants.h",
    "device_functions.h", "device_atomic_functions.h", "sm_20_atomic_functions.h",
    "sm_60_atomic_functions.h", "vector_types.h", "vector_functions.h", "driver_types.h",
    "cuda_profiler_api.h", "nvtx3/nvToolsExt.h", "nvToolsExt.h", "helper_cuda.h", "curand_kernel.h",
    "cuda/std/limits", "cuda_texture_types.h", "texture_fetch_functions.h", "crt/host_defines.h",
};

bool cw_is_known_system_header(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(known_system_headers); i++)
    if (strcmp(name, known_system_headers[i]) == 0)
      return true;
  return false;
}

cw_token *pp_raw_tokens(pp_state *pp, cw_src_file *file) {
  cw_token *t = g_hash_table_lookup(pp->raw_tokens, file);
  if (!t) {
    t = cw_lex(pp->ctx, file);
    g_hash_table_insert(pp->raw_tokens, file, t);
  }
  return t;
}

static bool is_file(const char *path) {
  return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

/* Path of `name`: next to the including file (quoted form only), then in the -I dirs. */
static char *search(pp_state *pp, const char *name, bool quoted, const cw_token *from) {
  if (g_path_is_absolute(name))
    return is_file(name) ? g_strdup(name) : NULL;
  if (quoted && from->file && from->file->name) {
    char *dir = g_path_get_dirname(cw_file_physical(from->file)->name);
    char *path = strcmp(dir, ".") == 0 ? g_strdup(name) : g_build_filename(dir, name, NULL);
    g_free(dir);
    if (is_file(path))
      return path;
    g_free(path);
  }
  for (int i = 0; i < pp->opts->n_include_dirs; i++) {
    char *path = g_build_filename(pp->opts->include_dirs[i], name, NULL);
    if (is_file(path))
      return path;
    g_free(path);
  }
  return NULL;
}

/* `"name"` or `< tokens >` at tok (not expanded).  Sets *end after it. */
static char *header_name(pp_state *pp, cw_token *tok, cw_token **end, bool *quoted) {
  if (tok->kind == CW_TK_STR && !tok->at_bol && tok->len >= 2 && tok->text[0] == '"') {
    *quoted = true;
    *end = tok->next;
    return g_strndup(tok->text + 1, (size_t)tok->len - 2);
  }
  if (cw_tok_is(tok, "<") && !tok->at_bol) {
    cw_token *t = tok->next;
    while (!cw_tok_is(t, ">") && !t->at_bol && t->kind != CW_TK_EOF)
      t = t->next;
    if (!cw_tok_is(t, ">") || t->at_bol)
      return NULL;
    *quoted = false;
    *end = t->next;
    return g_strdup(pp_join_spelling(pp, tok->next, t));
  }
  return NULL;
}

/* The header name of an #include line, macro-expanding it if needed; NULL on error. */
static char *read_include_name(pp_state *pp, cw_token **rest, cw_token *tok, cw_token *directive_tok,
                               bool *quoted, const cw_token **name_tok) {
  cw_token *end;
  *name_tok = tok;
  char *name = header_name(pp, tok, &end, quoted);
  if (name) {
    *rest = pp_skip_line(pp, end, "include");
    return name;
  }
  if (tok->at_bol || tok->kind == CW_TK_EOF) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, directive_tok, "#include expects \"FILENAME\" or <FILENAME>");
    *rest = tok;
    return NULL;
  }
  cw_token *line = pp_expand_list(pp, pp_copy_line(pp, rest, tok));
  name = header_name(pp, line, &end, quoted);
  if (name && end->kind != CW_TK_EOF)
    cw_diag_at(pp->ctx, CW_DIAG_WARNING, end, "extra tokens at end of #include directive");
  if (!name)
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "#include expects \"FILENAME\" or <FILENAME>");
  return name;
}

/* The macro guarding the whole of `file` (#ifndef X ... #endif and nothing outside), or NULL. */
static const char *guard_macro(pp_state *pp, cw_src_file *file, cw_token *raw) {
  const char *cached = g_hash_table_lookup(pp->guards, file);
  if (cached)
    return *cached ? cached : NULL;
  const char *guard = "";
  cw_token *t = raw;
  if (cw_tok_is(t, "#") && t->at_bol && cw_tok_is(t->next, "ifndef") && t->next->next->kind == CW_TK_IDENT &&
      t->next->next->next->at_bol) {
    cw_token *name = t->next->next;
    int depth = 0;
    for (t = name->next; t->kind != CW_TK_EOF; t = t->next) {
      if (!(cw_tok_is(t, "#") && t->at_bol))
        continue;
      cw_token *d = t->next;
      if (cw_tok_is(d, "if") || cw_tok_is(d, "ifdef") || cw_tok_is(d, "ifndef"))
        depth++;
      else if (depth == 0 && (cw_tok_is(d, "else") || cw_tok_is(d, "elif") || cw_tok_is(d, "elifdef") ||
                              cw_tok_is(d, "elifndef")))
        break;
      else if (cw_tok_is(d, "endif") && depth-- == 0) {
        cw_token *after = d->next;
        while (!after->at_bol && after->kind != CW_TK_EOF)
          after = after->next;
        if (after->kind == CW_TK_EOF)
          guard = pp_intern(pp, name->text, (size_t)name->len);
        break;
      }
    }
  }
  g_hash_table_insert(pp->guards, file, (gpointer)guard);
  return *guard ? guard : NULL;
}

cw_token *pp_include(pp_state *pp, cw_token *hash, cw_token *tok) {
  cw_token *rest;
  bool quoted;
  const cw_token *name_tok;
  char *name = read_include_name(pp, &rest, tok, hash->next, &quoted, &name_tok);
  if (!name)
    return rest;

  if (++pp->n_includes > PP_MAX_INCLUDES) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, name_tok, "too many #include directives (more than %d); giving up",
               PP_MAX_INCLUDES);
    pp->fatal = true;
    g_free(name);
    return rest;
  }
  if (!quoted && cw_is_known_system_header(name)) {
    g_free(name);
    return rest;
  }
  char *path = search(pp, name, quoted, hash);
  if (!path) {
    if (quoted && !cw_is_known_system_header(name))
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, name_tok, "'%s' file not found", name);
    g_free(name);
    return rest;
  }
  g_free(name);
  cw_src_file *file = cw_load_file(pp->ctx, path);
  g_free(path);
  if (!file || g_hash_table_contains(pp->pragma_once, file))
    return rest;
  cw_token *raw = pp_raw_tokens(pp, file);
  const char *guard = guard_macro(pp, file, raw);
  if (guard && pp_find_macro_str(pp, guard))
    return rest;
  if (pp->includes->len > PP_MAX_INCLUDE_DEPTH) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, name_tok, "#include nested too deeply (more than %d levels)",
               PP_MAX_INCLUDE_DEPTH);
    return rest;
  }

  cw_token head = {0}, *cur = &head;
  long n = 0;
  for (cw_token *t = raw;; t = t->next) {
    cur = cur->next = pp_copy_token(pp, t);
    n++;
    if (t->kind == CW_TK_EOF)
      break;
  }
  if (!pp_charge(pp, n, name_tok))
    return rest;
  cur->next = rest;
  pp_push_frame(pp, file);
  return head.next;
}

bool pp_has_include(pp_state *pp, cw_token **rest, cw_token *tok) {
  cw_token *lp = tok->next;
  if (!cw_tok_is(lp, "(")) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "missing '(' after '__has_include'");
    *rest = lp;
    return false;
  }
  cw_token *end;
  bool quoted;
  char *name = header_name(pp, lp->next, &end, &quoted);
  if (!name || !cw_tok_is(end, ")")) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, lp->next, "__has_include expects \"FILENAME\" or <FILENAME> and ')'");
    g_free(name);
    *rest = lp->next;
    while ((*rest)->kind != CW_TK_EOF)
      *rest = (*rest)->next;
    return false;
  }
  *rest = end->next;
  bool found = cw_is_known_system_header(name);
  if (!found) {
    char *path = search(pp, name, quoted, pp_use_site(tok));
    found = path != NULL;
    g_free(path);
  }
  g_free(name);
  return found;
}
