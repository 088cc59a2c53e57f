/* module.c — the module: arena, strings, type interning, struct layout, CUDA vector types.
 *
 * Every node lives in the module's bump arena and dies with cw_ir_module_free().  Scalars are
 * cached per kind; pointer, array and vector types are interned by their defining tuple so they
 * can be compared by pointer.  Structs are nominal and laid out by C rules when closed. */
#include <stdio.h>
#include <string.h>

#include "ir_internal.h"

enum { CHUNK_SIZE = 64 * 1024 };

typedef struct grow_slot {
  void *arr;      /* the array we handed out last; if the field no longer points here, copy */
  uint32_t cap;
} grow_slot;

cw_ir_module *cw_ir_module_new(const char *source_name) {
  cw_ir_module *m = g_new0(cw_ir_module, 1);
  cw_ir_priv *p = g_new0(cw_ir_priv, 1);
  p->chunks = g_ptr_array_new_with_free_func(g_free);
  p->strings = g_string_chunk_new(4096);
  p->types = g_hash_table_new(g_str_hash, g_str_equal);
  p->grow = g_hash_table_new(g_direct_hash, g_direct_equal);
  m->priv = p;
  m->version = CW_IR_VERSION;
  m->source_name = cw_ir_strdup(m, source_name);
  return m;
}

void cw_ir_module_free(cw_ir_module *m) {
  if (!m) return;
  cw_ir_priv *p = cw_ir__priv(m);
  g_ptr_array_free(p->chunks, TRUE);
  g_string_chunk_free(p->strings);
  g_hash_table_destroy(p->types);
  g_hash_table_destroy(p->grow);
  g_free(p);
  g_free(m);
}

void *cw_ir__alloc(cw_ir_module *m, size_t size) {
  cw_ir_priv *p = cw_ir__priv(m);
  size = (size + 15) & ~(size_t)15;
  if (size > CHUNK_SIZE / 4) {  /* big blocks get their own chunk */
    void *b = g_malloc0(size);
    g_ptr_array_add(p->chunks, b);
    return b;
  }
  if (size > p->left) {
    p->cur = g_malloc0(CHUNK_SIZE);
    p->left = CHUNK_SIZE;
    g_ptr_array_add(p->chunks, p->cur);
  }
  void *r = p->cur;
  p->cur += size;
  p->left -= size;
  return r;
}

void cw_ir__append_elem(cw_ir_module *m, void *arr, uint32_t *n, const void *item, size_t elem_size) {
  cw_ir_priv *p = cw_ir__priv(m);
  char **field = arr;
  /* appends come in runs to the same few arrays: a small cache saves most hash lookups */
  size_t ci = ((uintptr_t)field >> 3) % G_N_ELEMENTS(p->grow_cache);
  grow_slot *slot = p->grow_cache[ci].field == field ? p->grow_cache[ci].slot : NULL;
  if (!slot) {
    slot = g_hash_table_lookup(p->grow, field);
    if (!slot) {
      slot = cw_ir__alloc(m, sizeof *slot);
      g_hash_table_insert(p->grow, field, slot);
    }
    p->grow_cache[ci].field = field;
    p->grow_cache[ci].slot = slot;
  }
  if (slot->arr != *field || *n >= slot->cap) {
    uint32_t cap = slot->arr == *field && slot->cap ? slot->cap * 2 : (*n < 4 ? 4 : *n * 2);
    char *na = cw_ir__alloc(m, cap * elem_size);
    if (*n && *field) memcpy(na, *field, *n * elem_size);
    *field = na;    /* the old array stays in the arena until the module dies */
    slot->arr = na;
    slot->cap = cap;
  }
  memcpy(*field + *n * elem_size, item, elem_size);
  (*n)++;
}

const char *cw_ir_strdup(cw_ir_module *m, const char *s) {
  if (!s) return NULL;
  return g_string_chunk_insert_const(cw_ir__priv(m)->strings, s);
}

/* ---- types ---------------------------------------------------------------------------- */

static void scalar_layout(cw_ir_type_kind k, uint32_t *size, uint32_t *align) {
  switch (k) {
  case CW_IR_VOID: *size = 0; *align = 1; return;
  case CW_IR_BOOL: case CW_IR_I8: case CW_IR_U8: *size = *align = 1; return;
  case CW_IR_I16: case CW_IR_U16: case CW_IR_F16: case CW_IR_BF16: *size = *align = 2; return;
  case CW_IR_I32: case CW_IR_U32: case CW_IR_F32: *size = *align = 4; return;
  case CW_IR_I64: case CW_IR_U64: case CW_IR_F64: case CW_IR_PTR: *size = *align = 8; return;
  default: *size = 0; *align = 1; return;
  }
}

const cw_ir_type *cw_ir_type_scalar(cw_ir_module *m, cw_ir_type_kind kind) {
  cw_ir_priv *p = cw_ir__priv(m);
  if (kind > CW_IR_F64) return NULL;  /* composite kinds have their own constructors */
  if (!p->scalars[kind]) {
    cw_ir_type *t = cw_ir__alloc(m, sizeof *t);
    t->kind = kind;
    scalar_layout(kind, &t->size, &t->align);
    p->scalars[kind] = t;
  }
  return p->scalars[kind];
}

static cw_ir_type *intern(cw_ir_module *m, const char *key, bool *is_new) {
  cw_ir_priv *p = cw_ir__priv(m);
  cw_ir_type *t = g_hash_table_lookup(p->types, key);
  *is_new = !t;
  if (!t) {
    t = cw_ir__alloc(m, sizeof *t);
    g_hash_table_insert(p->types, (char *)cw_ir_strdup(m, key), t);
  }
  return t;
}

const cw_ir_type *cw_ir_type_ptr_cv(cw_ir_module *m, const cw_ir_type *elem, cw_ir_addrspace as,
                                    bool pointee_const, bool pointee_volatile) {
  char key[96];
  bool is_new;
  snprintf(key, sizeof key, "P%p/%d/%d/%d", (const void *)elem, (int)as, (int)pointee_const,
           (int)pointee_volatile);
  cw_ir_type *t = intern(m, key, &is_new);
  if (is_new) {
    t->kind = CW_IR_PTR;
    t->size = t->align = 8;
    t->elem = elem;
    t->as = as;
    t->pointee_const = pointee_const;
    t->pointee_volatile = pointee_volatile;
  }
  return t;
}

const cw_ir_type *cw_ir_type_ptr(cw_ir_module *m, const cw_ir_type *elem, cw_ir_addrspace as,
                                 bool pointee_const) {
  return cw_ir_type_ptr_cv(m, elem, as, pointee_const, false);
}

const cw_ir_type *cw_ir_type_array(cw_ir_module *m, const cw_ir_type *elem, uint32_t count) {
  char key[96];
  bool is_new;
  snprintf(key, sizeof key, "A%p/%u", (const void *)elem, count);
  cw_ir_type *t = intern(m, key, &is_new);
  if (is_new) {
    t->kind = CW_IR_ARRAY;
    t->elem = elem;
    t->count = count;
    t->size = elem ? (uint32_t)((uint64_t)elem->size * count) : 0;
    t->align = elem && elem->align ? elem->align : 1;
  }
  return t;
}

/* CUDA's name stem of a vector element type: float -> "float" (float4), U32 -> "uint" (uint2). */
static const char *vector_stem(cw_ir_type_kind k) {
  switch (k) {
  case CW_IR_I8: return "char";
  case CW_IR_U8: return "uchar";
  case CW_IR_I16: return "short";
  case CW_IR_U16: return "ushort";
  case CW_IR_I32: return "int";
  case CW_IR_U32: return "uint";
  case CW_IR_I64: return "longlong";
  case CW_IR_U64: return "ulonglong";
  case CW_IR_F32: return "float";
  case CW_IR_F64: return "double";
  case CW_IR_F16: return "__half";
  case CW_IR_BF16: return "__nv_bfloat16";
  case CW_IR_BOOL: return "bool";
  default: return "void";
  }
}

const cw_ir_type *cw_ir_type_vector(cw_ir_module *m, const cw_ir_type *elem, uint32_t lanes) {
  char key[96];
  bool is_new;
  if (!elem || lanes < 1 || lanes > 4) return NULL;
  snprintf(key, sizeof key, "V%p/%u", (const void *)elem, lanes);
  cw_ir_type *t = intern(m, key, &is_new);
  if (is_new) {
    uint32_t es = elem->size ? elem->size : 1;
    t->kind = CW_IR_VECTOR;
    t->elem = elem;
    t->count = lanes;
    t->size = es * lanes;
    /* CUDA: 1 and 3 lanes are aligned like the element, 2 lanes to their size, 4 lanes to
     * their size capped at 16 (double4/longlong4 are the 16-byte aligned variants). */
    t->align = lanes == 2 ? 2 * es : lanes == 4 ? (4 * es > 16 ? 16 : 4 * es) : es;
    char name[48];
    snprintf(name, sizeof name, "%s%u", vector_stem(elem->kind), lanes);
    t->name = cw_ir_strdup(m, name);
  }
  return t;
}

cw_ir_type *cw_ir_type_struct_new(cw_ir_module *m, const char *name, const char *source_name,
                                  bool is_union, cw_ir_loc loc) {
  cw_ir_type *t = cw_ir__alloc(m, sizeof *t);
  t->kind = CW_IR_STRUCT;
  t->is_union = is_union;
  t->name = cw_ir_strdup(m, name);
  t->source_name = cw_ir_strdup(m, source_name ? source_name : name);
  t->loc = loc;
  t->loc.file = cw_ir_strdup(m, loc.file);
  t->align = 1;
  CW_IR_APPEND(m, &m->structs, &m->n_structs, t);
  return t;
}

void cw_ir_type_struct_add_field(cw_ir_module *m, cw_ir_type *s, const char *name,
                                 const cw_ir_type *type) {
  cw_ir_field f = { cw_ir_strdup(m, name), type, 0 };
  cw_ir__append_elem(m, (void *)&s->fields, &s->n_fields, &f, sizeof f);
}

void cw_ir_type_struct_close(cw_ir_module *m, cw_ir_type *s, uint32_t align_override) {
  (void)m;
  uint32_t off = 0, size = 0, align = 1;
  cw_ir_field *fields = (cw_ir_field *)s->fields;
  for (uint32_t i = 0; i < s->n_fields; i++) {
    const cw_ir_type *ft = fields[i].type;
    uint32_t fa = ft && ft->align ? ft->align : 1, fs = ft ? ft->size : 0;
    if (fa > align) align = fa;
    if (s->is_union) {
      fields[i].offset = 0;
      if (fs > size) size = fs;
    } else {
      off = cw_ir__align_up(off, fa);
      fields[i].offset = off;
      off += fs;
      size = off;
    }
  }
  if (align_override > align) align = align_override;
  if (size == 0) size = 1;  /* C++: an empty class still occupies a byte */
  s->align = align;
  s->size = cw_ir__align_up(size, align);
}

/* ---- predicates ------------------------------------------------------------------------ */

bool cw_ir_type_is_int(const cw_ir_type *t) {
  return t && t->kind >= CW_IR_I8 && t->kind <= CW_IR_U64;
}

bool cw_ir_type_is_signed(const cw_ir_type *t) {
  if (!t) return false;
  switch (t->kind) {
  case CW_IR_I8: case CW_IR_I16: case CW_IR_I32: case CW_IR_I64:
  case CW_IR_F16: case CW_IR_BF16: case CW_IR_F32: case CW_IR_F64: return true;
  default: return false;
  }
}

bool cw_ir_type_is_float(const cw_ir_type *t) {
  return t && t->kind >= CW_IR_F16 && t->kind <= CW_IR_F64;
}

bool cw_ir_type_is_scalar(const cw_ir_type *t) {
  return t && ((t->kind >= CW_IR_BOOL && t->kind <= CW_IR_F64) || t->kind == CW_IR_PTR);
}
