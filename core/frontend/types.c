/* Front-end types: construction, properties, canonical spelling, conversion to cw_ir_type. */
#include <string.h>

#include "frontend/parse.h"

static Type *new_type(Parser *p, TyKind k) {
  Type *t = cw_ctx_alloc(p->ctx, sizeof(Type));
  t->kind = k;
  t->unqual = t;
  return t;
}

void ty_init(Parser *p) {
  for (int k = 0; k <= TY_OPAQUE; k++)
    p->basic[k] = new_type(p, (TyKind)k);
  p->uint3_t = ty_vector(p, TY_UINT, 3);
}

Type *ty_basic(Parser *p, TyKind k) { return p->basic[k]; }

Type *ty_unqual(Type *t) { return t ? t->unqual : t; }

Type *ty_const(Parser *p, Type *t) {
  if (!t || t->is_const || t->kind == TY_ERR)
    return t;
  Type *u = t->unqual;
  if (t != u && t->is_volatile) {
    Type *c = new_type(p, t->kind);
    *c = *t;
    c->ptr_to = NULL; /* a pointer to `volatile T` is not one to `const volatile T` */
    c->is_const = true;
    return c;
  }
  if (!u->const_variant) {
    Type *c = new_type(p, u->kind);
    *c = *u;
    c->const_variant = NULL;
    c->ptr_to = NULL;
    c->is_const = true;
    c->unqual = u;
    u->const_variant = c;
  }
  return u->const_variant;
}

/* `volatile T`: a qualified copy like ty_const's (keeps const; not cached: volatile is rare). */
Type *ty_volatile(Parser *p, Type *t) {
  if (!t || t->is_volatile || t->kind == TY_ERR)
    return t;
  Type *c = new_type(p, t->kind);
  *c = *t;
  c->const_variant = NULL;
  c->ptr_to = NULL;
  c->is_volatile = true;
  c->unqual = t->unqual;
  return c;
}

/* A variable of type `t` is volatile: the type is, or the element type of an array is. */
bool ty_is_volatile_object(Type *t) {
  for (; t; t = t->kind == TY_ARRAY ? t->base : NULL)
    if (t->is_volatile)
      return true;
  return false;
}

static Type *interned(Parser *p, const char *key, TyKind k, Type *base) {
  Type *t = g_hash_table_lookup(p->types, key);
  if (t)
    return t;
  t = new_type(p, k);
  t->base = base;
  g_hash_table_insert(p->types, cw_ctx_strdup(p->ctx, key), t);
  return t;
}

Type *ty_ptr(Parser *p, Type *base) {
  if (base->ptr_to)
    return base->ptr_to;
  Type *t = new_type(p, TY_PTR);
  t->base = base;
  base->ptr_to = t;
  return t;
}

Type *ty_ref(Parser *p, Type *base) {
  if (base->kind == TY_REF)
    return base;
  char key[64];
  snprintf(key, sizeof key, "&%p", (void *)base);
  return interned(p, key, TY_REF, base);
}

Type *ty_array(Parser *p, Type *base, int64_t len) {
  char key[80];
  snprintf(key, sizeof key, "[%lld]%p", (long long)len, (void *)base);
  Type *t = interned(p, key, TY_ARRAY, base);
  t->array_len = len;
  return t;
}

static const char *scalar_short_name(TyKind k) {
  switch (k) {
  case TY_CHAR: return "char";
  case TY_SCHAR: return "char";
  case TY_UCHAR: return "uchar";
  case TY_SHORT: return "short";
  case TY_USHORT: return "ushort";
  case TY_INT: return "int";
  case TY_UINT: return "uint";
  case TY_LONG: return "long";
  case TY_ULONG: return "ulong";
  case TY_LLONG: return "longlong";
  case TY_ULLONG: return "ulonglong";
  case TY_FLOAT: return "float";
  case TY_DOUBLE: return "double";
  case TY_HALF: return "half";
  default: return "?";
  }
}

Type *ty_vector(Parser *p, TyKind elem, int lanes) {
  char key[64];
  snprintf(key, sizeof key, "%s%d", scalar_short_name(elem), lanes);
  Type *t = interned(p, key, TY_VECTOR, p->basic[elem]);
  if (!t->name) {
    t->lanes = lanes;
    t->name = cw_ctx_strdup(p->ctx, key);
  }
  return t;
}

Type *ty_vector_by_name(Parser *p, const char *name) {
  static const struct { const char *prefix; TyKind k; } elems[] = {
      {"char", TY_SCHAR}, {"uchar", TY_UCHAR}, {"short", TY_SHORT}, {"ushort", TY_USHORT},
      {"int", TY_INT}, {"uint", TY_UINT}, {"longlong", TY_LLONG}, {"ulonglong", TY_ULLONG},
      {"long", TY_LONG}, {"ulong", TY_ULONG}, {"float", TY_FLOAT}, {"double", TY_DOUBLE},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(elems); i++) {
    size_t n = strlen(elems[i].prefix);
    if (strncmp(name, elems[i].prefix, n) == 0 && name[n] >= '1' && name[n] <= '4' && name[n + 1] == 0)
      return ty_vector(p, elems[i].k, name[n] - '0');
  }
  return NULL;
}

Type *ty_record(Parser *p, Record *r) {
  (void)p;
  return r->type;
}

bool ty_is_int(Type *t) {
  return t && ((t->kind >= TY_BOOL && t->kind <= TY_ULLONG) || t->kind == TY_ENUM);
}
bool ty_is_float(Type *t) { return t && t->kind >= TY_HALF && t->kind <= TY_DOUBLE; }
bool ty_is_arith(Type *t) { return ty_is_int(t) || ty_is_float(t); }
bool ty_is_ptr(Type *t) { return t && t->kind == TY_PTR; }
bool ty_is_scalar(Type *t) { return ty_is_arith(t) || ty_is_ptr(t) || (t && t->kind == TY_NULLPTR); }

bool ty_is_signed(Type *t) {
  if (t->kind == TY_ENUM)
    return ty_is_signed(t->base);
  switch (t->kind) {
  case TY_CHAR: case TY_SCHAR: case TY_SHORT: case TY_INT: case TY_LONG: case TY_LLONG:
    return true;
  default:
    return ty_is_float(t);
  }
}

int ty_rank(Type *t) {
  switch (t->kind) {
  case TY_BOOL: return 0;
  case TY_CHAR: case TY_SCHAR: case TY_UCHAR: return 1;
  case TY_SHORT: case TY_USHORT: return 2;
  case TY_INT: case TY_UINT: return 3;
  case TY_LONG: case TY_ULONG: return 4;
  case TY_LLONG: case TY_ULLONG: return 5;
  case TY_ENUM: return ty_rank(t->base);
  default: return 0;
  }
}

bool ty_is_dependent(Type *t) {
  for (; t; t = t->base) {
    if (t->kind == TY_TPARAM || t->kind == TY_DEPENDENT)
      return true;
    if (t->kind == TY_RECORD || t->kind == TY_ENUM || t->kind == TY_VECTOR)
      return false;
  }
  return false;
}

bool ty_same(Type *a, Type *b) {
  if (!a || !b)
    return false;
  a = a->unqual;
  b = b->unqual;
  if (a == b)
    return true;
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case TY_PTR:
  case TY_REF:
    return a->base->is_const == b->base->is_const && a->base->is_volatile == b->base->is_volatile &&
           ty_same(a->base, b->base);
  case TY_ARRAY:
    return a->array_len == b->array_len && ty_same(a->base, b->base);
  case TY_RECORD:
    return a->rec == b->rec;
  case TY_VECTOR:
    return a->lanes == b->lanes && a->base->kind == b->base->kind;
  case TY_ENUM:
  case TY_TPARAM:
  case TY_DEPENDENT:
  case TY_OPAQUE:
    return false;
  default:
    return true;
  }
}

Type *ty_decay(Parser *p, Type *t) {
  if (t->kind == TY_ARRAY)
    return ty_ptr(p, t->base);
  return t;
}

int64_t ty_size(Parser *p, Type *t, cw_token *at) {
  if (t->kind == TY_REF)
    t = t->base;
  const cw_ir_type *ir = ty_ir(p, t, at);
  return ir ? ir->size : 1;
}

int64_t ty_align(Parser *p, Type *t, cw_token *at) {
  if (t->kind == TY_REF)
    t = t->base;
  const cw_ir_type *ir = ty_ir(p, t, at);
  return ir ? ir->align : 1;
}

/* A field type that reaches a struct only through a pointer or reference. */
static bool behind_pointer(Type *t) {
  for (; t; t = t->base) {
    if (t->kind == TY_PTR || t->kind == TY_REF)
      return true;
    if (t->kind != TY_ARRAY)
      return false;
  }
  return false;
}

static const cw_ir_type *record_ir(Parser *p, Record *r, cw_token *at) {
  if (r->ir)
    return r->ir;
  if (r->broken) {
    fe_error(p, at, "type '%s' cannot be used in device code: %s", r->qual_name, r->broken);
    if (r->broken_at)
      fe_note(p, r->broken_at, "here");
    return NULL;
  }
  if (!r->complete) {
    fe_error(p, at, "incomplete type '%s'", r->qual_name);
    return NULL;
  }
  if (r->being_defined) {
    fe_error(p, at, "type '%s' contains itself", r->qual_name);
    return NULL;
  }
  r->being_defined = true;
  const cw_ir_type **ftypes = g_new0(const cw_ir_type *, r->fields->len + 1);
  bool ok = true;
  /* structs it contains by value first (the module lists them before this one) ... */
  for (guint i = 0; i < r->fields->len; i++) {
    Field *f = &g_array_index(r->fields, Field, i);
    if (!behind_pointer(f->type) && !(ftypes[i] = ty_ir(p, f->type, f->init ? f->init : at)))
      ok = false;
  }
  cw_ir_type *s = NULL;
  if (ok) {
    /* ... then this one, so that pointers to it (struct Node { Node *next; }) resolve */
    s = cw_ir_type_struct_new(p->m, r->c_name, r->qual_name, r->is_union, fe_loc(p, r->loc));
    r->ir = s;
    for (guint i = 0; i < r->fields->len; i++) {
      Field *f = &g_array_index(r->fields, Field, i);
      if (behind_pointer(f->type) && !(ftypes[i] = ty_ir(p, f->type, f->init ? f->init : at)))
        ok = false;
    }
  }
  r->being_defined = false;
  if (ok) {
    for (guint i = 0; i < r->fields->len; i++) {
      Field *f = &g_array_index(r->fields, Field, i);
      cw_ir_type_struct_add_field(p->m, s, f->name, ftypes[i]);
    }
    /* C, OpenCL C and GLSL have no empty structs; C++ gives them size 1: one padding byte */
    if (r->fields->len == 0)
      cw_ir_type_struct_add_field(p->m, s, "_empty", cw_ir_type_scalar(p->m, CW_IR_U8));
    cw_ir_type_struct_close(p->m, s, (uint32_t)r->align);
  } else {
    r->ir = NULL;
  }
  g_free(ftypes);
  return r->ir;
}

const cw_ir_type *ty_ir(Parser *p, Type *t, cw_token *at) {
  if (!t)
    return NULL;
  if (t->unqual->ir)
    return t->unqual->ir;
  Type *u = t->unqual;
  const cw_ir_type *r = NULL;
  switch (u->kind) {
  case TY_ERR: return NULL;
  case TY_VOID: r = cw_ir_type_scalar(p->m, CW_IR_VOID); break;
  case TY_BOOL: r = cw_ir_type_scalar(p->m, CW_IR_BOOL); break;
  case TY_CHAR: case TY_SCHAR: r = cw_ir_type_scalar(p->m, CW_IR_I8); break;
  case TY_UCHAR: r = cw_ir_type_scalar(p->m, CW_IR_U8); break;
  case TY_SHORT: r = cw_ir_type_scalar(p->m, CW_IR_I16); break;
  case TY_USHORT: r = cw_ir_type_scalar(p->m, CW_IR_U16); break;
  case TY_INT: r = cw_ir_type_scalar(p->m, CW_IR_I32); break;
  case TY_UINT: r = cw_ir_type_scalar(p->m, CW_IR_U32); break;
  case TY_LONG: case TY_LLONG: r = cw_ir_type_scalar(p->m, CW_IR_I64); break;
  case TY_ULONG: case TY_ULLONG: r = cw_ir_type_scalar(p->m, CW_IR_U64); break;
  case TY_HALF: r = cw_ir_type_scalar(p->m, CW_IR_F16); break;
  case TY_BF16: r = cw_ir_type_scalar(p->m, CW_IR_BF16); break;
  case TY_FLOAT: r = cw_ir_type_scalar(p->m, CW_IR_F32); break;
  case TY_DOUBLE: r = cw_ir_type_scalar(p->m, CW_IR_F64); break;
  case TY_NULLPTR: r = cw_ir_type_ptr(p->m, cw_ir_type_scalar(p->m, CW_IR_VOID), CW_AS_GENERIC, false); break;
  case TY_PTR:
  case TY_REF: {
    const cw_ir_type *b = u->base->kind == TY_VOID ? cw_ir_type_scalar(p->m, CW_IR_VOID) : ty_ir(p, u->base, at);
    if (!b)
      return NULL;
    r = cw_ir_type_ptr_cv(p->m, b, CW_AS_GENERIC, u->base->is_const, ty_is_volatile_object(u->base));
    break;
  }
  case TY_ARRAY: {
    const cw_ir_type *b = ty_ir(p, u->base, at);
    if (!b)
      return NULL;
    return cw_ir_type_array(p->m, b, u->array_len < 0 ? 0 : (uint32_t)u->array_len);
  }
  case TY_VECTOR: {
    const cw_ir_type *b = ty_ir(p, u->base, at);
    r = cw_ir_type_vector(p->m, b, (uint32_t)u->lanes);
    break;
  }
  case TY_RECORD: return record_ir(p, u->rec, at);
  case TY_ENUM: r = ty_ir(p, u->base, at); break;
  case TY_AUTO:
    fe_error(p, at, "cannot deduce 'auto' here");
    return NULL;
  case TY_TPARAM:
  case TY_DEPENDENT:
    fe_error(p, at, "type depends on a template parameter that is not known here");
    return NULL;
  case TY_OPAQUE:
    fe_error(p, at, "type '%s' is not supported in device code", u->name ? u->name : "?");
    return NULL;
  }
  u->ir = r;
  return r;
}

static void type_str(Parser *p, Type *t, GString *g) {
  if (t->is_const && t->kind != TY_PTR)
    g_string_append(g, "const ");
  switch (t->kind) {
  case TY_ERR: g_string_append(g, "<error>"); break;
  case TY_VOID: g_string_append(g, "void"); break;
  case TY_BOOL: g_string_append(g, "bool"); break;
  case TY_CHAR: g_string_append(g, "char"); break;
  case TY_SCHAR: g_string_append(g, "signed char"); break;
  case TY_UCHAR: g_string_append(g, "unsigned char"); break;
  case TY_SHORT: g_string_append(g, "short"); break;
  case TY_USHORT: g_string_append(g, "unsigned short"); break;
  case TY_INT: g_string_append(g, "int"); break;
  case TY_UINT: g_string_append(g, "unsigned int"); break;
  case TY_LONG: g_string_append(g, "long"); break;
  case TY_ULONG: g_string_append(g, "unsigned long"); break;
  case TY_LLONG: g_string_append(g, "long long"); break;
  case TY_ULLONG: g_string_append(g, "unsigned long long"); break;
  case TY_HALF: g_string_append(g, "__half"); break;
  case TY_BF16: g_string_append(g, "__nv_bfloat16"); break;
  case TY_FLOAT: g_string_append(g, "float"); break;
  case TY_DOUBLE: g_string_append(g, "double"); break;
  case TY_NULLPTR: g_string_append(g, "std::nullptr_t"); break;
  case TY_PTR:
    type_str(p, t->base, g);
    g_string_append(g, t->is_const ? "*const" : "*");
    break;
  case TY_REF:
    type_str(p, t->base, g);
    g_string_append(g, "&");
    break;
  case TY_ARRAY:
    type_str(p, t->base, g);
    if (t->array_len >= 0)
      g_string_append_printf(g, "[%lld]", (long long)t->array_len);
    else
      g_string_append(g, "[]");
    break;
  case TY_VECTOR: g_string_append(g, t->unqual->name ? t->unqual->name : "vector"); break;
  case TY_RECORD: g_string_append(g, t->rec->qual_name); break;
  case TY_ENUM: case TY_OPAQUE: g_string_append(g, t->unqual->name ? t->unqual->name : "?"); break;
  case TY_AUTO: g_string_append(g, "auto"); break;
  case TY_TPARAM: g_string_append_printf(g, "<T%d>", t->tparam_index); break;
  case TY_DEPENDENT: g_string_append(g, "<dependent>"); break;
  }
}

const char *ty_str(Parser *p, Type *t) {
  if (!t)
    return "?";
  GString *g = g_string_new(NULL);
  type_str(p, t, g);
  char *r = cw_ctx_strdup(p->ctx, g->str);
  g_string_free(g, TRUE);
  return r;
}
