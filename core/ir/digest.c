/* digest.c — the module digest (cw_ir_module.digest): SHA-256 of a compact binary serialization
 * of every field a consumer can read (types, variables, statements, expressions, facts,
 * provenance, locations), written through a small buffer straight into SHA-256 (sha256.c: the
 * CPU's SHA instructions where it has them).  No text is built: printing the whole module just to
 * hash it cost as much as the rest of the front end, and every byte saved here is hashing saved.
 *
 * Every node is written as a tag byte then its fields in a fixed order, with explicit lengths
 * for strings and counts for lists and a marker for absent children (an expression's one flags
 * byte says which operands, arguments and provenance follow), so two different modules cannot
 * serialize to the same bytes.  Variables, functions and structs are referred to by name
 * (names are unique in their scope), types structurally.  Bump DIGEST_FORMAT when the layout
 * changes so stale cache entries are never reused.
 *
 * Each function is hashed on its own, right after its analyses while its nodes are still in the
 * cache (walking the whole module's IR once more was mostly cache misses), with fresh location
 * and type numbering; the module hash then covers the header, structs, globals and the
 * functions' 32-byte digests in the module's function order. */
#include <string.h>

#include "ir_internal.h"
#include "sha256.h"

enum { DIGEST_FORMAT = 3, BUF_SIZE = 8192 };

typedef struct hasher {
  cw_ir_sha256 sha;
  const char *last_file;  /* file of the previous location: repeated files are written as 1 byte */
  int last_line;          /* line of the previous location: lines are written as deltas */
  GHashTable *type_ids;   /* type -> 1 + its number, once it has been written out in full */
  size_t n;
  guchar buf[BUF_SIZE];
} hasher;

static void flush(hasher *h) {
  if (h->n) cw_ir__sha256_update(&h->sha, h->buf, h->n);
  h->n = 0;
}

static void bytes(hasher *h, const void *p, size_t len) {
  if (len > BUF_SIZE / 2) {
    flush(h);
    cw_ir__sha256_update(&h->sha, p, len);
    return;
  }
  if (h->n + len > BUF_SIZE) flush(h);
  memcpy(h->buf + h->n, p, len);
  h->n += len;
}

static void u8(hasher *h, unsigned v) {
  if (h->n == BUF_SIZE) flush(h);
  h->buf[h->n++] = (guchar)v;
}

/* LEB128: most numbers here are small, and fewer bytes is less SHA-256 work. */
static void u64(hasher *h, uint64_t v) {
  if (h->n + 10 > BUF_SIZE) flush(h);
  do {
    guchar b = v & 0x7f;
    v >>= 7;
    h->buf[h->n++] = b | (v ? 0x80 : 0);
  } while (v);
}

static void u32(hasher *h, uint32_t v) { u64(h, v); }

static void str(hasher *h, const char *s) {
  if (!s) {
    u32(h, UINT32_MAX);
    return;
  }
  uint32_t len = (uint32_t)strlen(s);
  u32(h, len);
  bytes(h, s, len);
}

/* The line as a zigzag delta from the previous one (small either way), its low bit saying
 * whether the file name follows (it does not when it repeats). */
static void loc(hasher *h, cw_ir_loc l) {
  bool same_file = l.file && l.file == h->last_file;
  int64_t d = (int64_t)l.line - h->last_line;
  uint64_t zz = d >= 0 ? (uint64_t)d << 1 : ((uint64_t)-d << 1) | 1;
  u64(h, zz << 1 | !same_file);
  if (!same_file) {
    str(h, l.file);
    h->last_file = l.file;
  }
  h->last_line = l.line;
  u32(h, (uint32_t)l.col);
}

/* A type is written in full the first time and as its number afterwards. */
static void type(hasher *h, const cw_ir_type *t) {
  if (!t) {
    u8(h, 0xff);
    return;
  }
  if (t->kind < CW_IR_PTR) {
    u8(h, t->kind);
    return;
  }
  guint id = GPOINTER_TO_UINT(g_hash_table_lookup(h->type_ids, t));
  if (id) {
    u8(h, 0xfe);
    u32(h, id);
    return;
  }
  g_hash_table_insert(h->type_ids, (gpointer)t, GUINT_TO_POINTER(g_hash_table_size(h->type_ids) + 1));
  u8(h, t->kind);
  switch (t->kind) {
  case CW_IR_PTR:
    u8(h, t->as);
    u8(h, t->pointee_const | (t->pointee_volatile << 1));
    type(h, t->elem);
    return;
  case CW_IR_ARRAY:
  case CW_IR_VECTOR:
    u32(h, t->count);
    type(h, t->elem);
    return;
  case CW_IR_STRUCT:  /* nominal: its layout is hashed once, with the module's structs */
    str(h, t->name);
    return;
  default:
    return;
  }
}

static void var_ref(hasher *h, const cw_ir_var *v) {
  if (!v) {
    u8(h, 0xff);
    return;
  }
  u8(h, v->kind);
  str(h, v->name);
}

static void expr(hasher *h, const cw_ir_expr *e);

static void var_decl(hasher *h, const cw_ir_var *v) {
  var_ref(h, v);
  if (!v) return;
  str(h, v->source_name);
  type(h, v->type);
  loc(h, v->loc);
  u32(h, v->index);
  u8(h, v->is_const | v->addr_taken << 1 | v->is_volatile << 2);
  expr(h, v->init);
}

static void expr(hasher *h, const cw_ir_expr *e) {
  if (!e) {
    u8(h, 0xff);
    return;
  }
  u8(h, e->kind);
  u8(h, e->is_lvalue | e->is_post << 1 | e->is_dec << 2 | (e->a != NULL) << 3 | (e->b != NULL) << 4 |
            (e->c != NULL) << 5 | (e->n_args != 0) << 6 | (e->prov.kind != CW_PROV_NONE) << 7);
  type(h, e->type);
  loc(h, e->loc);
  u8(h, e->op);
  switch (e->kind) {
  case CW_EX_INT: u64(h, e->ival); break;
  case CW_EX_FLOAT: bytes(h, &e->fval, sizeof e->fval); break;
  case CW_EX_STRING:
    u32(h, e->str ? e->str_len : UINT32_MAX);
    if (e->str) bytes(h, e->str, e->str_len);
    break;
  case CW_EX_VAR: var_ref(h, e->var); break;
  case CW_EX_ASSIGN: type(h, e->op_type); break;
  case CW_EX_MEMBER: u32(h, e->field); break;
  case CW_EX_CALL: str(h, e->callee ? e->callee->name : NULL); break;
  case CW_EX_BUILTIN: u32(h, e->bi); break;
  default: break;
  }
  if (e->prov.kind != CW_PROV_NONE) {
    u8(h, e->prov.kind);
    var_ref(h, e->prov.var);
  }
  if (e->a) expr(h, e->a);
  if (e->b) expr(h, e->b);
  if (e->c) expr(h, e->c);
  if (e->n_args) {
    u32(h, e->n_args);
    for (uint32_t i = 0; i < e->n_args; i++) expr(h, e->args ? e->args[i] : NULL);
  }
}

static void stmt(hasher *h, const cw_ir_stmt *s) {
  if (!s) {
    u8(h, 0xff);
    return;
  }
  u8(h, s->kind);
  loc(h, s->loc);
  u8(h, s->has_barrier | s->is_default << 1);
  switch (s->kind) {
  case CW_ST_BLOCK:
    u32(h, s->n_stmts);
    for (uint32_t i = 0; i < s->n_stmts; i++) stmt(h, s->stmts[i]);
    return;
  case CW_ST_DECL: var_ref(h, s->var); expr(h, s->expr); return;
  case CW_ST_EXPR: case CW_ST_RETURN: expr(h, s->expr); return;
  case CW_ST_IF: expr(h, s->cond); stmt(h, s->then_s); stmt(h, s->else_s); return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_SWITCH:
    u32(h, (uint32_t)s->unroll);
    expr(h, s->cond);
    stmt(h, s->body);
    return;
  case CW_ST_FOR:
    u32(h, (uint32_t)s->unroll);
    stmt(h, s->init);
    expr(h, s->cond);
    expr(h, s->step);
    stmt(h, s->body);
    return;
  case CW_ST_CASE: u64(h, (uint64_t)s->case_value); return;
  case CW_ST_LABEL: case CW_ST_GOTO: str(h, s->name); return;
  default: return;
  }
}

static void func(hasher *h, const cw_ir_func *f) {
  str(h, f->name);
  str(h, f->source_name);
  str(h, f->host_key);
  loc(h, f->loc);
  u8(h, f->is_kernel);
  type(h, f->ret);
  u32(h, f->launch_bounds);
  u32(h, f->facts);
  u32(h, f->static_shared_bytes);
  u32(h, f->n_params);
  for (uint32_t i = 0; i < f->n_params; i++) {
    var_decl(h, f->params[i]);
    if (f->param_info) {
      const cw_ir_param_info *pi = &f->param_info[i];
      u8(h, pi->is_pointer | pi->read << 1 | pi->written << 2 | pi->atomic << 3);
    }
  }
  u32(h, f->n_locals);
  for (uint32_t i = 0; i < f->n_locals; i++) var_decl(h, f->locals[i]);
  u32(h, f->n_callees);
  for (uint32_t i = 0; i < f->n_callees; i++) str(h, f->callees[i]->name);
  u32(h, f->n_shared_vars);
  for (uint32_t i = 0; i < f->n_shared_vars; i++) var_ref(h, f->shared_vars[i]);
  u32(h, f->n_globals_used);
  for (uint32_t i = 0; i < f->n_globals_used; i++) var_ref(h, f->globals_used[i]);
  stmt(h, f->body);
}

struct cw_ir__digester {
  hasher h;
};

cw_ir__digester *cw_ir__digester_new(void) {
  cw_ir__digester *d = g_new0(cw_ir__digester, 1);
  d->h.type_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
  return d;
}

static void hasher_start(hasher *h) {
  cw_ir__sha256_init(&h->sha, true);
  h->n = 0;
  h->last_file = NULL;
  h->last_line = 0;
  if (g_hash_table_size(h->type_ids)) g_hash_table_remove_all(h->type_ids);
}

void cw_ir__digest_func(cw_ir__digester *d, const cw_ir_func *f, guchar out[32]) {
  hasher *h = &d->h;
  hasher_start(h);
  func(h, f);
  flush(h);
  cw_ir__sha256_final(&h->sha, out);
}

void cw_ir__digest_module(cw_ir__digester *d, cw_ir_module *m, const guchar (*func_digests)[32]) {
  hasher *h = &d->h;
  hasher_start(h);
  u32(h, DIGEST_FORMAT);
  u32(h, m->version);
  str(h, m->source_name);
  u32(h, m->n_structs);
  for (uint32_t i = 0; i < m->n_structs; i++) {
    const cw_ir_type *t = m->structs[i];
    str(h, t->name);
    str(h, t->source_name);
    u8(h, t->is_union);
    u32(h, t->size);
    u32(h, t->align);
    loc(h, t->loc);
    u32(h, t->n_fields);
    for (uint32_t j = 0; j < t->n_fields; j++) {
      str(h, t->fields[j].name);
      type(h, t->fields[j].type);
      u32(h, t->fields[j].offset);
    }
  }
  u32(h, m->n_globals);
  for (uint32_t i = 0; i < m->n_globals; i++) var_decl(h, m->globals[i]);
  u32(h, m->n_funcs);
  for (uint32_t i = 0; i < m->n_funcs; i++) bytes(h, func_digests[i], 32);
  u32(h, m->n_kernels);
  for (uint32_t i = 0; i < m->n_kernels; i++) str(h, m->kernels[i]->name);
  flush(h);
  cw_ir__sha256_hex(&h->sha, m->digest);
  g_hash_table_destroy(h->type_ids);
  g_free(d);
}
