/* glsl_types.c — GLSL spellings of IR types, identifiers, buffer_reference blocks, and struct
 * definitions laid out exactly as CUDA lays them out (scalar block layout + explicit padding). */
#include <string.h>

#include "glsl_internal.h"

static const char *const reserved[] = {
  /* keywords and reserved words */
  "active", "asm", "atomic_uint", "attribute", "bool", "break", "buffer", "bvec2", "bvec3", "bvec4",
  "case", "cast", "centroid", "class", "coherent", "common", "const", "continue", "default",
  "discard", "dmat2", "dmat3", "dmat4", "do", "double", "dvec2", "dvec3", "dvec4", "else", "enum",
  "extern", "external", "false", "filter", "fixed", "flat", "float", "for", "fvec2", "fvec3",
  "fvec4", "goto", "half", "highp", "hvec2", "hvec3", "hvec4", "if", "iimage1D", "image1D",
  "image2D", "image3D", "in", "inline", "inout", "input", "int", "interface", "invariant",
  "isampler1D", "ivec2", "ivec3", "ivec4", "layout", "long", "lowp", "mat2", "mat3", "mat4",
  "mediump", "namespace", "noinline", "noperspective", "out", "output", "packed", "partition",
  "patch", "precise", "precision", "public", "readonly", "resource", "restrict", "return",
  "sample", "sampler1D", "sampler2D", "sampler3D", "shared", "short", "sizeof", "smooth", "static",
  "struct", "subroutine", "superp", "switch", "template", "this", "true", "typedef", "uimage1D",
  "uniform", "union", "unsigned", "usampler1D", "using", "uvec2", "uvec3", "uvec4", "varying",
  "vec2", "vec3", "vec4", "void", "volatile", "while", "writeonly", "texture", "demote",
  "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
  "float16_t", "float32_t", "float64_t", "uint", "main",
  /* built-in functions the emitted code calls */
  "abs", "sign", "floor", "trunc", "round", "roundEven", "ceil", "fract", "mod", "modf", "min",
  "max", "clamp", "mix", "step", "isnan", "isinf", "sqrt", "inversesqrt", "exp", "exp2", "log",
  "log2", "pow", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
  "acosh", "atanh", "fma", "frexp", "ldexp", "length", "dot", "cross", "normalize", "distance",
  "bitCount", "findLSB", "findMSB", "bitfieldReverse", "bitfieldExtract", "bitfieldInsert",
  "umulExtended", "imulExtended", "floatBitsToInt", "floatBitsToUint", "intBitsToFloat",
  "uintBitsToFloat", "doubleBitsToInt64", "doubleBitsToUint64", "int64BitsToDouble",
  "uint64BitsToDouble", "packUint2x32", "unpackUint2x32", "barrier", "memoryBarrier",
  "memoryBarrierShared", "memoryBarrierBuffer", "groupMemoryBarrier", "atomicAdd", "atomicMin",
  "atomicMax", "atomicAnd", "atomicOr", "atomicXor", "atomicExchange", "atomicCompSwap", "any",
  "all", "not", "equal", "radians", "degrees", "smoothstep", "reflect", "refract",
};

static GHashTable *reserved_set(void) {
  static gsize once = 0;
  static GHashTable *set;
  if (g_once_init_enter(&once)) {
    set = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < G_N_ELEMENTS(reserved); i++) g_hash_table_add(set, (gpointer)reserved[i]);
    g_once_init_leave(&once, 1);
  }
  return set;
}

/* name with every "__" turned into "_U" (GLSL reserves identifiers containing "__") */
static void no_double_underscore(const char *name, GString *o) {
  for (const char *s = name; *s; s++) {
    if (s[0] == '_' && s[1] == '_') {
      g_string_append(o, "_U");
      s++;
    } else {
      g_string_append_c(o, *s);
    }
  }
}

const char *glsl_ident(const char *name, char *buf, size_t len) {
  if (!name) name = "anon";
  bool bad = strstr(name, "__") || g_str_has_prefix(name, "gl_") || g_str_has_prefix(name, "cw_") ||
             g_str_has_prefix(name, "f_") || g_str_has_prefix(name, "S_") ||
             g_str_has_prefix(name, "R_") || g_hash_table_contains(reserved_set(), name);
  if (!bad) {
    g_strlcpy(buf, name, len);
    return buf;
  }
  GString *o = g_string_new("u");
  if (name[0] != '_') g_string_append_c(o, '_');
  no_double_underscore(name, o);
  g_strlcpy(buf, o->str, len);
  g_string_free(o, TRUE);
  return buf;
}

/* "f_name" for functions, "S_name" for structs. */
static void prefixed(GString *o, const char *prefix, const char *name) {
  g_string_append(o, prefix);
  if (name[0] != '_') g_string_append_c(o, '_');
  no_double_underscore(name, o);
}

const char *glsl_scalar_name(const cw_ir_type *t) {
  if (!t) return "void";
  switch (t->kind) {
  case CW_IR_VOID: return "void";
  case CW_IR_BOOL: return "bool";
  case CW_IR_I8: return "int8_t";
  case CW_IR_U8: return "uint8_t";
  case CW_IR_I16: return "int16_t";
  case CW_IR_U16: return "uint16_t";
  case CW_IR_I32: return "int";
  case CW_IR_U32: return "uint";
  case CW_IR_I64: return "int64_t";
  case CW_IR_U64: return "uint64_t";
  case CW_IR_F16: return "float16_t";
  case CW_IR_F32: return "float";
  case CW_IR_F64: return "double";
  case CW_IR_PTR: return "uint64_t";
  case CW_IR_VECTOR: {
    if (t->count == 1) return glsl_scalar_name(t->elem);
    static const char *const names[][3] = {
      [CW_IR_BOOL] = {"bvec2", "bvec3", "bvec4"},
      [CW_IR_I8] = {"i8vec2", "i8vec3", "i8vec4"}, [CW_IR_U8] = {"u8vec2", "u8vec3", "u8vec4"},
      [CW_IR_I16] = {"i16vec2", "i16vec3", "i16vec4"}, [CW_IR_U16] = {"u16vec2", "u16vec3", "u16vec4"},
      [CW_IR_I32] = {"ivec2", "ivec3", "ivec4"}, [CW_IR_U32] = {"uvec2", "uvec3", "uvec4"},
      [CW_IR_I64] = {"i64vec2", "i64vec3", "i64vec4"}, [CW_IR_U64] = {"u64vec2", "u64vec3", "u64vec4"},
      [CW_IR_F16] = {"f16vec2", "f16vec3", "f16vec4"}, [CW_IR_F32] = {"vec2", "vec3", "vec4"},
      [CW_IR_F64] = {"dvec2", "dvec3", "dvec4"},
    };
    if (!t->elem || t->elem->kind > CW_IR_F64 || t->count < 2 || t->count > 4) return NULL;
    return names[t->elem->kind][t->count - 2];
  }
  default: return NULL;
  }
}

void glsl_type_name(glsl_ctx *c, GString *o, const cw_ir_type *t) {
  (void)c;
  while (t && t->kind == CW_IR_ARRAY) t = t->elem;
  if (t && t->kind == CW_IR_STRUCT) {
    prefixed(o, "S", t->name ? t->name : "anon");
    return;
  }
  const char *s = glsl_scalar_name(t);
  g_string_append(o, s ? s : "void");
}

void glsl_decl(glsl_ctx *c, GString *o, const cw_ir_type *t, const char *name) {
  glsl_type_name(c, o, t);
  g_string_append_printf(o, " %s", name);
  for (; t && t->kind == CW_IR_ARRAY; t = t->elem) g_string_append_printf(o, "[%u]", t->count ? t->count : 1);
}

/* ---- buffer_reference blocks ------------------------------------------------------------ */

static void mangle(glsl_ctx *c, GString *o, const cw_ir_type *t) {
  if (t && t->kind == CW_IR_ARRAY) {
    g_string_append_printf(o, "A%u_", t->count);
    mangle(c, o, t->elem);
    return;
  }
  glsl_type_name(c, o, t);
}

const char *glsl_ref(glsl_ctx *c, const cw_ir_type *t) {
  GString *name = g_string_new("R_");
  mangle(c, name, t);
  char *key = g_string_free(name, FALSE);
  const char *interned = g_hash_table_lookup(c->refs, key);
  if (interned) {
    g_free(key);
    return interned;
  }
  g_hash_table_insert(c->refs, key, key);
  uint32_t align = t->align ? t->align : 1;
  g_string_append_printf(c->ref_decls,
                         "layout(buffer_reference, scalar, buffer_reference_align = %u) buffer %s { ",
                         align, key);
  glsl_decl(c, c->ref_decls, t, "v");
  g_string_append(c->ref_decls, "; };\n");
  return key;
}

/* ---- structs --------------------------------------------------------------------------- */

/* Scalar-layout alignment of a type in a GLSL block (its largest scalar component). */
static uint32_t scalar_align(const cw_ir_type *t) {
  switch (t->kind) {
  case CW_IR_ARRAY: case CW_IR_VECTOR: return scalar_align(t->elem);
  case CW_IR_STRUCT: {
    if (t->is_union) return 4;  /* its words */
    uint32_t a = 1;
    for (uint32_t i = 0; i < t->n_fields; i++) {
      uint32_t f = scalar_align(t->fields[i].type);
      if (f > a) a = f;
    }
    return a;
  }
  case CW_IR_BOOL: return 4;
  default: return t->size ? t->size : 1;
  }
}

/* Calls fn for each padding run before field i (i == n_fields: the tail). */
typedef void (*pad_fn)(GString *o, uint32_t at, uint32_t bytes, uint32_t index);

static void pad_bytes(GString *o, uint32_t at, uint32_t bytes, pad_fn fn, uint32_t *index) {
  while (bytes) {
    uint32_t chunk;
    if (at % 4 == 0 && bytes >= 4) chunk = bytes / 4 * 4;
    else if (at % 2 == 0 && bytes >= 2) chunk = 2;
    else chunk = 1;
    fn(o, at, chunk, (*index)++);
    at += chunk;
    bytes -= chunk;
  }
}

/* Prints (through fn) the padding runs just before field `upto` (n_fields: the tail);
 * runs elsewhere are counted, so each has a unique index. */
static void walk_pads(GString *o, const cw_ir_type *t, uint32_t upto, pad_fn fn) {
  uint32_t at = 0, index = 0;
  for (uint32_t i = 0; i <= t->n_fields; i++) {
    GString *out = i == upto ? o : NULL;
    uint32_t target = i < t->n_fields ? t->fields[i].offset : t->size;
    if (i < t->n_fields) {
      uint32_t a = scalar_align(t->fields[i].type);
      uint32_t natural = (at + a - 1) / a * a;
      if (target > at && natural != target) pad_bytes(out, at, target - at, fn, &index);
      at = target + t->fields[i].type->size;
    } else if (target > at) {
      pad_bytes(out, at, target - at, fn, &index);
    }
    if (i == upto) return;
  }
}

static void pad_decl(GString *o, uint32_t at, uint32_t bytes, uint32_t index) {
  (void)at;
  if (!o) return;
  if (bytes % 4 == 0) g_string_append_printf(o, "  uint cw_pad%u[%u];\n", index, bytes / 4);
  else g_string_append_printf(o, "  %s cw_pad%u;\n", bytes == 2 ? "uint16_t" : "uint8_t", index);
}

static void pad_zero(GString *o, uint32_t at, uint32_t bytes, uint32_t index) {
  (void)at, (void)index;
  if (!o) return;
  if (bytes % 4 == 0) {
    g_string_append_printf(o, "uint[%u](", bytes / 4);
    for (uint32_t k = 0; k < bytes / 4; k++) g_string_append(o, k ? ", 0u" : "0u");
    g_string_append(o, "), ");
  } else {
    g_string_append(o, bytes == 2 ? "uint16_t(0), " : "uint8_t(0), ");
  }
}

/* Pads that precede field i only (walk_pads prints runs only for field == upto). */
void glsl_struct_pads_before(GString *o, const cw_ir_type *t, uint32_t field) {
  walk_pads(o, t, field, pad_zero);
}
void glsl_struct_pads_tail(GString *o, const cw_ir_type *t) { walk_pads(o, t, t->n_fields, pad_zero); }

void glsl_struct_defs(glsl_ctx *c, GString *o) {
  for (uint32_t i = 0; i < c->m->n_structs; i++) {
    const cw_ir_type *t = c->m->structs[i];
    if (!t->n_fields) continue;
    if (t->is_union) {
      g_string_append(o, "struct ");
      glsl_type_name(c, o, t);
      g_string_append_printf(o, " { uint cw_w[%u]; };\n", glsl_union_words(t));
      continue;
    }
    g_string_append(o, "struct ");
    glsl_type_name(c, o, t);
    g_string_append(o, " {\n");
    for (uint32_t f = 0; f <= t->n_fields; f++) {
      GString *pads = g_string_new(NULL);
      walk_pads(pads, t, f, pad_decl);
      g_string_append(o, pads->str);
      g_string_free(pads, TRUE);
      if (f == t->n_fields) break;
      char buf[256];
      g_string_append(o, "  ");
      glsl_decl(c, o, t->fields[f].type, glsl_ident(t->fields[f].name, buf, sizeof buf));
      g_string_append(o, ";\n");
    }
    g_string_append(o, "};\n");
  }
}

void glsl_zero(glsl_ctx *c, GString *o, const cw_ir_type *t) {
  if (!t) return;
  switch (t->kind) {
  case CW_IR_BOOL: g_string_append(o, "false"); return;
  case CW_IR_F32: g_string_append(o, "0.0"); return;
  case CW_IR_F64: g_string_append(o, "0.0lf"); return;
  case CW_IR_I32: g_string_append(o, "0"); return;
  case CW_IR_U32: g_string_append(o, "0u"); return;
  case CW_IR_I64: g_string_append(o, "0l"); return;
  case CW_IR_U64: case CW_IR_PTR: g_string_append(o, "0ul"); return;
  case CW_IR_STRUCT:
    glsl_type_name(c, o, t);
    if (t->is_union) {
      g_string_append_printf(o, "(uint[%u](", glsl_union_words(t));
      for (uint32_t i = 0; i < glsl_union_words(t); i++) g_string_append(o, i ? ", 0u" : "0u");
      g_string_append(o, "))");
      return;
    }
    g_string_append_c(o, '(');
    for (uint32_t i = 0; i < t->n_fields; i++) {
      if (i) g_string_append(o, ", ");
      glsl_struct_pads_before(o, t, i);
      glsl_zero(c, o, t->fields[i].type);
    }
    if (t->n_fields) g_string_append(o, ", ");
    glsl_struct_pads_tail(o, t);
    while (o->len >= 2 && strcmp(o->str + o->len - 2, ", ") == 0) g_string_truncate(o, o->len - 2);
    g_string_append_c(o, ')');
    return;
  case CW_IR_ARRAY:
    glsl_type_name(c, o, t->elem);
    for (const cw_ir_type *e = t->elem; e->kind == CW_IR_ARRAY; e = e->elem) g_string_append_printf(o, "[%u]", e->count);
    g_string_append_printf(o, "[%u](", t->count);
    for (uint32_t i = 0; i < t->count; i++) {
      if (i) g_string_append(o, ", ");
      glsl_zero(c, o, t->elem);
    }
    g_string_append_c(o, ')');
    return;
  default:
    glsl_type_name(c, o, t);
    g_string_append(o, "(0)");
    return;
  }
}

bool glsl_type_ok(glsl_ctx *c, const cw_ir_type *t, cw_ir_loc loc, int depth) {
  if (!t || depth > 32) return true;
  switch (t->kind) {
  case CW_IR_BF16:
    glsl_fail(c, loc, "__nv_bfloat16 is not supported by the Vulkan backend");
    return false;
  case CW_IR_F16:
    if (!c->t->fp16) {
      glsl_fail(c, loc, "uses half, the device has no 16-bit float arithmetic and storage");
      return false;
    }
    return true;
  case CW_IR_F64:
    if (!(c->t->caps_flags & CW_CAP_FP64)) {
      glsl_fail(c, loc, "uses double, the device has no shaderFloat64");
      return false;
    }
    return true;
  case CW_IR_I64: case CW_IR_U64:
    if (!(c->t->caps_flags & CW_CAP_INT64)) {
      glsl_fail(c, loc, "uses 64-bit integers, the device has no shaderInt64");
      return false;
    }
    return true;
  case CW_IR_I8: case CW_IR_U8: case CW_IR_I16: case CW_IR_U16:
    if (!c->t->int8_storage) {
      glsl_fail(c, loc, "uses 8/16-bit integers, the device lacks shaderInt8/16 with 8/16-bit storage");
      return false;
    }
    return true;
  case CW_IR_STRUCT:
    if (t->is_union) {
      if (t->size % 4 || !glsl_union_ok(t, 0)) {
        glsl_fail(c, loc, "uses union %s: the Vulkan backend keeps unions as 32-bit words, so their members "
                  "must be 4- and 8-byte scalars at 4-byte offsets", t->source_name ? t->source_name : t->name);
        return false;
      }
      return true;
    }
    for (uint32_t i = 0; i < t->n_fields; i++) {
      if (t->fields[i].type && t->fields[i].type->kind == CW_IR_BOOL) {
        glsl_fail(c, loc, "struct %s has a bool field (1 byte in CUDA, 4 in GLSL)",
                  t->source_name ? t->source_name : t->name);
        return false;
      }
      if (!glsl_type_ok(c, t->fields[i].type, loc, depth + 1)) return false;
    }
    return true;
  case CW_IR_ARRAY: case CW_IR_VECTOR: return glsl_type_ok(c, t->elem, loc, depth + 1);
  default: return true;
  }
}
