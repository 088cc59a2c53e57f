/* glsl_builtin.c — CUDA builtins in GLSL: geometry, barriers, atomics, integer intrinsics, bit
 * casts, math (with CUDA's meaning where GLSL's differs: round, fmod, signed %), printf, assert.
 * double has no transcendental functions in GLSL: such kernels are declined. */
#include <string.h>

#include "glsl_internal.h"

static glsl_ctx *C(cw_cprinter *p) { return cw_cprinter_user(p); }
static GString *O(cw_cprinter *p) { return cw_cprinter_out(p); }
static void arg(cw_cprinter *p, const cw_ir_expr *e, uint32_t i) {
  if (i < e->n_args) cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_ASSIGN);
  else g_string_append(O(p), "0");
}
/* argument i as the operand of a binary operator (parenthesized) */
static void operand(cw_cprinter *p, const cw_ir_expr *e, uint32_t i) {
  if (i < e->n_args) cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_ALWAYS);
  else g_string_append(O(p), "0");
}
static const cw_ir_type *arg_type(const cw_ir_expr *e, uint32_t i) {
  return i < e->n_args && e->args[i] ? e->args[i]->type : NULL;
}
static bool is64(const cw_ir_type *t) { return t && t->size == 8; }
static bool is_f64(const cw_ir_type *t) { return t && t->kind == CW_IR_F64; }

static void call(cw_cprinter *p, const char *name, const cw_ir_expr *e) {
  g_string_append_printf(O(p), "%s(", name);
  for (uint32_t i = 0; i < e->n_args; i++) {
    if (i) g_string_append(O(p), ", ");
    arg(p, e, i);
  }
  g_string_append_c(O(p), ')');
}

void glsl_need_helper(glsl_ctx *c, const char *name, const char *text) {
  if (g_hash_table_contains(c->helpers, name)) return;
  g_hash_table_add(c->helpers, g_strdup(name));
  g_string_append(c->helper_text, text);
}

/* Helpers in GLSL source, keyed by name. */
static const struct { const char *name, *text; } helper_src[] = {
  {"cw_syncthreads", "void cw_syncthreads() { memoryBarrier(); barrier(); }\n"},
  {"cw_sync_count",
   "shared uint cw_sync_cnt;\n"
   "uint cw_sync_count(bool pred) {\n"
   "  memoryBarrier(); barrier();\n"
   "  if (gl_LocalInvocationIndex == 0u) cw_sync_cnt = 0u;\n"
   "  barrier();\n"
   "  if (pred) atomicAdd(cw_sync_cnt, 1u);\n"
   "  barrier();\n"
   "  uint r = cw_sync_cnt;\n"
   "  barrier();\n"
   "  return r;\n"
   "}\n"},
  {"cw_round_f32", "float cw_round_f32(float x) { return x < 0.0 ? -floor(-x + 0.5) : floor(x + 0.5); }\n"},
  {"cw_round_f64", "double cw_round_f64(double x) { return x < 0.0lf ? -floor(-x + 0.5lf) : floor(x + 0.5lf); }\n"},
  {"cw_fmod_f32", "float cw_fmod_f32(float x, float y) { return x - y * trunc(x / y); }\n"},
  {"cw_fmod_f64", "double cw_fmod_f64(double x, double y) { return x - y * trunc(x / y); }\n"},
  {"cw_cbrt_f32", "float cw_cbrt_f32(float x) { float r = pow(abs(x), 1.0 / 3.0); r = r - (r * r * r - abs(x)) / (3.0 * r * r + 1e-30); return x < 0.0 ? -r : r; }\n"},
  {"cw_expm1_f32", "float cw_expm1_f32(float x) { return abs(x) < 1e-3 ? x + 0.5 * x * x + x * x * x / 6.0 : exp(x) - 1.0; }\n"},
  {"cw_log1p_f32", "float cw_log1p_f32(float x) { float u = 1.0 + x; return u == 1.0 ? x : log(u) * x / (u - 1.0); }\n"},
  {"cw_hypot_f32", "float cw_hypot_f32(float x, float y) { float a = abs(x), b = abs(y), m = max(a, b); if (m == 0.0 || isinf(m)) return m; float n = min(a, b) / m; return m * sqrt(1.0 + n * n); }\n"},
  {"cw_hypot_f64", "double cw_hypot_f64(double x, double y) { double a = abs(x), b = abs(y), m = max(a, b); if (m == 0.0lf) return m; double n = min(a, b) / m; return m * sqrt(1.0lf + n * n); }\n"},
  {"cw_erf_f32",
   /* Abramowitz-Stegun 7.1.26 refined: |error| < 1.2e-7 (Numerical Recipes erfc) */
   "float cw_erfc_f32(float x) {\n"
   "  float z = abs(x), t = 1.0 / (1.0 + 0.5 * z);\n"
   "  float r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +\n"
   "            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +\n"
   "            t * (-0.82215223 + t * 0.17087277)))))))));\n"
   "  return x >= 0.0 ? r : 2.0 - r;\n"
   "}\n"
   "float cw_erf_f32(float x) { return abs(x) < 0.5 ? x * (1.1283791671 + x * x * (-0.3761263890 + x * x * (0.1128379167 + x * x * -0.0268661706))) : 1.0 - cw_erfc_f32(x); }\n"},
  {"cw_copysign_f32", "float cw_copysign_f32(float x, float y) { return uintBitsToFloat((floatBitsToUint(x) & 0x7fffffffu) | (floatBitsToUint(y) & 0x80000000u)); }\n"},
  {"cw_copysign_f64", "double cw_copysign_f64(double x, double y) { return uint64BitsToDouble((doubleBitsToUint64(x) & 0x7ffffffffffffffful) | (doubleBitsToUint64(y) & 0x8000000000000000ul)); }\n"},
  {"cw_clz64", "int cw_clz64(uint64_t x) { uvec2 v = unpackUint2x32(x); return v.y != 0u ? 31 - findMSB(v.y) : 63 - findMSB(v.x); }\n"},
  {"cw_ffs64", "int cw_ffs64(uint64_t x) { uvec2 v = unpackUint2x32(x); return v.x != 0u ? findLSB(v.x) + 1 : (v.y != 0u ? findLSB(v.y) + 33 : 0); }\n"},
  {"cw_popc64", "int cw_popc64(uint64_t x) { uvec2 v = unpackUint2x32(x); return bitCount(v.x) + bitCount(v.y); }\n"},
  {"cw_brev64", "uint64_t cw_brev64(uint64_t x) { uvec2 v = unpackUint2x32(x); return packUint2x32(uvec2(bitfieldReverse(v.y), bitfieldReverse(v.x))); }\n"},
  {"cw_mulhi_i32", "int cw_mulhi_i32(int a, int b) { int hi, lo; imulExtended(a, b, hi, lo); return hi; }\n"},
  {"cw_mulhi_u32", "uint cw_mulhi_u32(uint a, uint b) { uint hi, lo; umulExtended(a, b, hi, lo); return hi; }\n"},
  {"cw_mulhi_u64",
   "uint64_t cw_mulhi_u64(uint64_t a, uint64_t b) {\n"
   "  uint64_t al = a & 0xfffffffful, ah = a >> 32, bl = b & 0xfffffffful, bh = b >> 32;\n"
   "  uint64_t p0 = al * bl, p1 = al * bh, p2 = ah * bl, p3 = ah * bh;\n"
   "  uint64_t mid = (p0 >> 32) + (p1 & 0xfffffffful) + (p2 & 0xfffffffful);\n"
   "  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);\n"
   "}\n"},
  {"cw_byte_perm",
   "uint cw_byte_perm(uint x, uint y, uint s) {\n"
   "  uint64_t v = packUint2x32(uvec2(x, y)); uint r = 0u;\n"
   "  for (uint i = 0u; i < 4u; i++) { uint sel = (s >> (4u * i)) & 7u; r |= uint((v >> (8u * sel)) & 0xfful) << (8u * i); }\n"
   "  return r;\n"
   "}\n"},
  {"cw_printf",
   "layout(buffer_reference, scalar, buffer_reference_align = 4) buffer CwPrintfBuf { uint head; uint cap; uint assert_flag; uint lost; uint data[]; };\n"
   "layout(constant_id = 6) const uint CW_PRINTF_LO = 0u;\n"
   "layout(constant_id = 7) const uint CW_PRINTF_HI = 0u;\n"
   "CwPrintfBuf cw_printf_buf() { return CwPrintfBuf(packUint2x32(uvec2(CW_PRINTF_LO, CW_PRINTF_HI))); }\n"
   "uint cw_pf_begin(uint fmt, uint nargs) {\n"
   "  CwPrintfBuf b = cw_printf_buf();\n"
   "  uint words = 2u + 2u * nargs;\n"
   "  uint p = atomicAdd(b.head, words);\n"
   "  if (p + words > b.cap) { atomicAdd(b.lost, 1u); return 0xffffffffu; }\n"
   "  b.data[p] = fmt; b.data[p + 1u] = nargs;\n"
   "  return p;\n"
   "}\n"
   "void cw_pf_put(uint p, uint i, uint64_t v) {\n"
   "  CwPrintfBuf b = cw_printf_buf();\n"
   "  b.data[p + 2u + 2u * i] = uint(v); b.data[p + 3u + 2u * i] = uint(v >> 32);\n"
   "}\n"
   "void cw_assert(bool ok, uint strings, int line) {\n"
   "  if (ok) return;\n"
   "  cw_printf_buf().assert_flag = 1u;\n"
   "  uint p = cw_pf_begin(0u, 10u);\n"
   "  if (p == 0xffffffffu) return;\n"
   "  cw_pf_put(p, 0u, strings); cw_pf_put(p, 1u, uint64_t(line)); cw_pf_put(p, 2u, strings + 1u);\n"
   "  cw_pf_put(p, 3u, gl_WorkGroupID.x + cw_pc.cw_base.x); cw_pf_put(p, 4u, gl_WorkGroupID.y + cw_pc.cw_base.y);\n"
   "  cw_pf_put(p, 5u, gl_WorkGroupID.z + cw_pc.cw_base.z); cw_pf_put(p, 6u, gl_LocalInvocationID.x);\n"
   "  cw_pf_put(p, 7u, gl_LocalInvocationID.y); cw_pf_put(p, 8u, gl_LocalInvocationID.z);\n"
   "  cw_pf_put(p, 9u, strings + 2u);\n"
   "}\n"
   "void cw_trap() { cw_printf_buf().assert_flag = 2u; }\n"},
};

static const char *helper(glsl_ctx *c, const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(helper_src); i++)
    if (strcmp(helper_src[i].name, name) == 0) {
      glsl_need_helper(c, name, helper_src[i].text);
      return name;
    }
  return name;
}

/* ---- atomics ---------------------------------------------------------------------------- */

/* A compare-exchange loop on the 32/64-bit word at a global address, computing `update` from
 * `old` (GLSL text over `o` and `v`); returns the old value as T. */
static const char *cas_helper(glsl_ctx *c, const char *op, const cw_ir_type *t, const char *update) {
  const char *tn = glsl_scalar_name(t);
  bool w64 = t->size == 8;
  const char *bits = w64 ? "uint64_t" : "uint";
  const char *to_bits = t->kind == CW_IR_F32 ? "floatBitsToUint" : t->kind == CW_IR_F64 ? "doubleBitsToUint64" : bits;
  const char *from_bits = t->kind == CW_IR_F32 ? "uintBitsToFloat" : t->kind == CW_IR_F64 ? "uint64BitsToDouble" : tn;
  char *name = g_strdup_printf("cw_atomic_%s_%s", op, tn);
  const char *ref = glsl_ref(c, cw_ir_type_scalar((cw_ir_module *)c->m, w64 ? CW_IR_U64 : CW_IR_U32));
  char *text = g_strdup_printf(
      "%s %s(uint64_t a, %s v) {\n"
      "  %s r = %s(a);\n"
      "  %s cur = r.v, prev;\n"
      "  do {\n"
      "    prev = cur;\n"
      "    %s o = %s(prev);\n"
      "    cur = atomicCompSwap(r.v, prev, %s(%s));\n"
      "  } while (cur != prev);\n"
      "  return %s(prev);\n"
      "}\n",
      tn, name, tn, ref, ref, bits, tn, from_bits, to_bits, update, from_bits);
  glsl_need_helper(c, name, text);
  g_free(text);
  const char *interned = g_intern_string(name);
  g_free(name);
  return interned;
}

static bool atomic(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  const cw_ir_type *pt = arg_type(e, 0);
  const cw_ir_type *t = pt && pt->kind == CW_IR_PTR ? pt->elem : e->type;
  const cw_ir_expr *ptr = e->args[0];
  const cw_ir_var *root = glsl_shared_root(c, ptr);
  bool shared = root != NULL || (ptr->kind == CW_EX_ADDR && ptr->prov.kind == CW_PROV_SHARED);
  bool f = cw_ir_type_is_float(t);
  if (!t || (!cw_ir_type_is_int(t) && !f) || t->size < 4) {
    glsl_fail(c, e->loc, "%s on %s is not supported by the Vulkan backend",
              cw_ir_builtin_spelling(e->bi), cw_ir_type_str(t));
    return true;
  }
  if (t->size == 8 && !f && !(c->t->caps_flags & CW_CAP_ATOMIC_INT64)) {
    glsl_fail(c, e->loc, "64-bit atomics, the device has no shaderBufferInt64Atomics");
    return true;
  }
  bool native_fadd = t->kind == CW_IR_F32 && (shared ? c->t->shared_float_atomic_add
                                                     : (c->t->caps_flags & CW_CAP_ATOMIC_FLOAT32));
  const char *native = NULL, *update = NULL, *opname = NULL;
  bool negate = false;
  switch (e->bi) {
  case CW_BI_ATOMIC_ADD:
    if (!f || native_fadd) native = "atomicAdd";
    else update = "o + v", opname = "add";
    break;
  case CW_BI_ATOMIC_SUB:
    if (!f || native_fadd) native = "atomicAdd", negate = true;
    else update = "o - v", opname = "sub";
    break;
  case CW_BI_ATOMIC_EXCH:
    if (!f || native_fadd) native = "atomicExchange";
    else update = "v", opname = "exch";
    break;
  case CW_BI_ATOMIC_MIN:
    if (!f) native = "atomicMin";
    else update = "min(o, v)", opname = "min";
    break;
  case CW_BI_ATOMIC_MAX:
    if (!f) native = "atomicMax";
    else update = "max(o, v)", opname = "max";
    break;
  case CW_BI_ATOMIC_AND: native = "atomicAnd"; break;
  case CW_BI_ATOMIC_OR: native = "atomicOr"; break;
  case CW_BI_ATOMIC_XOR: native = "atomicXor"; break;
  case CW_BI_ATOMIC_INC: update = "(o >= v) ? 0u : o + 1u", opname = "inc"; break;
  case CW_BI_ATOMIC_DEC: update = "(o == 0u || o > v) ? v : o - 1u", opname = "dec"; break;
  case CW_BI_ATOMIC_CAS:
    if (f) {
      if (shared) break;
      const char *tn = glsl_scalar_name(t);
      bool d = t->kind == CW_IR_F64;
      const char *ref = glsl_ref(c, cw_ir_type_scalar((cw_ir_module *)c->m, d ? CW_IR_U64 : CW_IR_U32));
      g_string_append_printf(o, "%s(atomicCompSwap(%s(", d ? "uint64BitsToDouble" : "uintBitsToFloat", ref);
      arg(p, e, 0);
      g_string_append_printf(o, ").v, %s(", d ? "doubleBitsToUint64" : "floatBitsToUint");
      arg(p, e, 1);
      g_string_append_printf(o, "), %s(", d ? "doubleBitsToUint64" : "floatBitsToUint");
      arg(p, e, 2);
      g_string_append(o, ")))");
      (void)tn;
      return true;
    }
    native = "atomicCompSwap";
    break;
  default: break;
  }
  if (glsl_untyped_root(c, ptr)) {
    bool sgn_minmax = t->kind == CW_IR_I32 && (e->bi == CW_BI_ATOMIC_MIN || e->bi == CW_BI_ATOMIC_MAX);
    return glsl_untyped_atomic(p, e, sgn_minmax ? NULL : native, negate);
  }
  if (native) {
    g_string_append_printf(o, "%s(", native);
    glsl_print_lvalue_of_ptr(p, ptr);
    for (uint32_t i = 1; i < e->n_args; i++) {
      g_string_append(o, ", ");
      if (negate) {
        g_string_append(o, "-(");
        arg(p, e, i);
        g_string_append_c(o, ')');
      } else {
        arg(p, e, i);
      }
    }
    g_string_append_c(o, ')');
    return true;
  }
  if (!update || shared) {
    glsl_fail(c, e->loc, "%s on %s in %s memory needs a compare-exchange loop, which GLSL can only "
              "do on global memory", cw_ir_builtin_spelling(e->bi), cw_ir_type_str(t),
              shared ? "shared" : "this");
    return true;
  }
  g_string_append_printf(o, "%s(", cas_helper(c, opname, t, update));
  arg(p, e, 0);
  g_string_append(o, ", ");
  arg(p, e, 1);
  g_string_append_c(o, ')');
  return true;
}

/* ---- printf and assert ----------------------------------------------------------------- */

static void to_bits64(GString *o, const cw_ir_type *t, const char *x) {
  if (!t) {
    g_string_append_printf(o, "uint64_t(%s)", x);
    return;
  }
  switch (t->kind) {
  case CW_IR_F64: g_string_append_printf(o, "doubleBitsToUint64(%s)", x); return;
  case CW_IR_F32: case CW_IR_F16: g_string_append_printf(o, "doubleBitsToUint64(double(%s))", x); return;
  case CW_IR_BOOL: g_string_append_printf(o, "(%s ? 1ul : 0ul)", x); return;
  case CW_IR_U64: case CW_IR_PTR: g_string_append(o, x); return;
  default:
    if (cw_ir_type_is_signed(t)) g_string_append_printf(o, "uint64_t(int64_t(%s))", x);
    else g_string_append_printf(o, "uint64_t(%s)", x);
  }
}

static bool print_call(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  if (!e->n_args || e->args[0]->kind != CW_EX_STRING) {
    glsl_fail(c, e->loc, "printf with a format that is not a string literal");
    return true;
  }
  helper(c, "cw_printf");
  c->uses_printf = true;
  uint32_t fmt = GPOINTER_TO_UINT(g_hash_table_lookup(c->string_ids, e->args[0]));
  char *name = g_strdup_printf("cw_printf_%u", c->n_call_helpers++);
  GString *h = g_string_new(NULL);
  g_string_append_printf(h, "int %s(", name);
  uint32_t np = 0;
  for (uint32_t i = 1; i < e->n_args; i++) {
    const cw_ir_type *t = e->args[i]->type;
    if (e->args[i]->kind == CW_EX_STRING) continue;
    if (t && !cw_ir_type_is_scalar(t)) {
      glsl_fail(c, e->args[i]->loc, "printf of a %s value", cw_ir_type_str(t));
      g_string_free(h, TRUE);
      g_free(name);
      return true;
    }
    if (np++) g_string_append(h, ", ");
    g_string_append_printf(h, "%s a%u", t && t->kind == CW_IR_PTR ? "uint64_t" : glsl_scalar_name(t), i);
  }
  g_string_append_printf(h, ") {\n  uint p = cw_pf_begin(%uu, %uu);\n  if (p == 0xffffffffu) return -1;\n",
                         fmt, e->n_args - 1);
  for (uint32_t i = 1; i < e->n_args; i++) {
    g_string_append_printf(h, "  cw_pf_put(p, %uu, ", i - 1);
    if (e->args[i]->kind == CW_EX_STRING) {
      g_string_append_printf(h, "%" G_GUINT64_FORMAT "ul",
                             (guint64)(GLSL_STRING_TAG | GPOINTER_TO_UINT(g_hash_table_lookup(c->string_ids, e->args[i]))));
    } else {
      char x[16];
      snprintf(x, sizeof x, "a%u", i);
      to_bits64(h, e->args[i]->type, x);
    }
    g_string_append(h, ");\n");
  }
  g_string_append(h, "  return 0;\n}\n");
  g_string_append(c->late_helpers, h->str);
  g_string_free(h, TRUE);
  g_string_append_printf(o, "%s(", name);
  np = 0;
  for (uint32_t i = 1; i < e->n_args; i++) {
    if (e->args[i]->kind == CW_EX_STRING) continue;
    if (np++) g_string_append(o, ", ");
    arg(p, e, i);
  }
  g_string_append_c(o, ')');
  g_free(name);
  return true;
}

/* ---- math ------------------------------------------------------------------------------- */

extern const char glsl_math64_text[];

/* float → half rounded by us (to nearest even, overflow to infinity, subnormals), so it happens
 * even where a driver keeps 16-bit values in wider registers and skips the conversion (NVIDIA) */
const char glsl_f2h_text[] =
  "float cw_round_half(float x) {\n"
  "  uint u = floatBitsToUint(x), s = u & 0x80000000u, a = u & 0x7fffffffu;\n"
  "  if (a >= 0x7f800000u) return x;\n"
  "  if (a >= 0x477ff000u) return uintBitsToFloat(s | 0x7f800000u);\n"
  "  int q = max(int(a >> 23) - 127 - 10, -24);\n"
  "  float r = roundEven(ldexp(uintBitsToFloat(a), -q));\n"
  "  return uintBitsToFloat(s | floatBitsToUint(ldexp(r, q)));\n"
  "}\n"
  "float16_t cw_f2h(float x) { return float16_t(cw_round_half(x)); }\n";

static bool float_via_double(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_EXP: case CW_BI_EXP2: case CW_BI_LOG: case CW_BI_LOG2: case CW_BI_SIN: case CW_BI_COS:
  case CW_BI_TAN: case CW_BI_ASIN: case CW_BI_ACOS: case CW_BI_ATAN: case CW_BI_ATAN2: case CW_BI_SINH:
  case CW_BI_COSH: case CW_BI_TANH: case CW_BI_ASINH: case CW_BI_ACOSH: case CW_BI_ATANH: case CW_BI_POW:
  case CW_BI_EXPM1: case CW_BI_LOG1P: case CW_BI_CBRT:
    return true;
  default:
    return false;
  }
}

/* double transcendental functions: ours (glsl_math64.c); float operands are widened */
static bool math64(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  const char *name = NULL;
  switch (e->bi) {
  case CW_BI_EXP: name = "cw_exp_f64"; break;
  case CW_BI_EXP2: name = "cw_exp2_f64"; break;
  case CW_BI_EXP10: name = "cw_exp10_f64"; break;
  case CW_BI_EXPM1: name = "cw_expm1_f64"; break;
  case CW_BI_LOG: name = "cw_log_f64"; break;
  case CW_BI_LOG2: name = "cw_log2_f64"; break;
  case CW_BI_LOG10: name = "cw_log10_f64"; break;
  case CW_BI_LOG1P: name = "cw_log1p_f64"; break;
  case CW_BI_SIN: name = "cw_sin_f64"; break;
  case CW_BI_COS: name = "cw_cos_f64"; break;
  case CW_BI_TAN: name = "cw_tan_f64"; break;
  case CW_BI_ASIN: name = "cw_asin_f64"; break;
  case CW_BI_ACOS: name = "cw_acos_f64"; break;
  case CW_BI_ATAN: name = "cw_atan_f64"; break;
  case CW_BI_ATAN2: name = "cw_atan2_f64"; break;
  case CW_BI_SINH: name = "cw_sinh_f64"; break;
  case CW_BI_COSH: name = "cw_cosh_f64"; break;
  case CW_BI_TANH: name = "cw_tanh_f64"; break;
  case CW_BI_ASINH: name = "cw_asinh_f64"; break;
  case CW_BI_ACOSH: name = "cw_acosh_f64"; break;
  case CW_BI_ATANH: name = "cw_atanh_f64"; break;
  case CW_BI_POW: name = "cw_pow_f64"; break;
  case CW_BI_CBRT: name = "cw_cbrt_f64"; break;
  default:
    glsl_fail(c, e->loc, "double %s has no GLSL equivalent", cw_ir_builtin_spelling(e->bi));
    return true;
  }
  glsl_need_helper(c, "cw_math64", glsl_math64_text);
  GString *o = O(p);
  g_string_append_printf(o, "%s(", name);
  for (uint32_t i = 0; i < e->n_args; i++) {
    g_string_append(o, i ? ", double(" : "double(");
    arg(p, e, i);
    g_string_append_c(o, ')');
  }
  g_string_append_c(o, ')');
  return true;
}

static bool math(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  const cw_ir_type *t = e->type;
  bool d = is_f64(t);
  const char *sfx = d ? "_f64" : "_f32";
  const char *glsl = NULL;      /* same name and arguments in GLSL */
  const char *h = NULL;         /* a helper of ours: name stem (suffix added) */
  bool f32_only = false;
  switch (e->bi) {
  case CW_BI_SQRT: glsl = "sqrt"; break;
  case CW_BI_RSQRT: glsl = "inversesqrt"; break;
  case CW_BI_FABS: glsl = "abs"; break;
  case CW_BI_FLOOR: glsl = "floor"; break;
  case CW_BI_CEIL: glsl = "ceil"; break;
  case CW_BI_TRUNC: glsl = "trunc"; break;
  case CW_BI_RINT: glsl = "roundEven"; break;
  case CW_BI_FMA: glsl = "fma"; break;
  case CW_BI_FMIN: glsl = "min"; break;
  case CW_BI_FMAX: glsl = "max"; break;
  case CW_BI_LDEXP: glsl = "ldexp"; break;
  case CW_BI_ROUND: h = "cw_round"; break;
  case CW_BI_FMOD: h = "cw_fmod"; break;
  case CW_BI_HYPOT: h = "cw_hypot"; break;
  case CW_BI_COPYSIGN: h = "cw_copysign"; break;
  case CW_BI_EXP: glsl = "exp", f32_only = true; break;
  case CW_BI_FAST_EXP: break;  /* below */
  case CW_BI_EXP2: glsl = "exp2", f32_only = true; break;
  case CW_BI_LOG: case CW_BI_FAST_LOG: glsl = "log", f32_only = true; break;
  case CW_BI_LOG2: case CW_BI_FAST_LOG2: glsl = "log2", f32_only = true; break;
  case CW_BI_SIN: case CW_BI_FAST_SIN: glsl = "sin", f32_only = true; break;
  case CW_BI_COS: case CW_BI_FAST_COS: glsl = "cos", f32_only = true; break;
  case CW_BI_TAN: case CW_BI_FAST_TAN: glsl = "tan", f32_only = true; break;
  case CW_BI_ASIN: glsl = "asin", f32_only = true; break;
  case CW_BI_ACOS: glsl = "acos", f32_only = true; break;
  case CW_BI_ATAN: case CW_BI_ATAN2: glsl = "atan", f32_only = true; break;
  case CW_BI_SINH: glsl = "sinh", f32_only = true; break;
  case CW_BI_COSH: glsl = "cosh", f32_only = true; break;
  case CW_BI_TANH: glsl = "tanh", f32_only = true; break;
  case CW_BI_ASINH: glsl = "asinh", f32_only = true; break;
  case CW_BI_ACOSH: glsl = "acosh", f32_only = true; break;
  case CW_BI_ATANH: glsl = "atanh", f32_only = true; break;
  case CW_BI_POW: case CW_BI_FAST_POW: glsl = "pow", f32_only = true; break;
  case CW_BI_CBRT: h = "cw_cbrt", f32_only = true; break;
  case CW_BI_EXPM1: h = "cw_expm1", f32_only = true; break;
  case CW_BI_LOG1P: h = "cw_log1p", f32_only = true; break;
  case CW_BI_ERF: h = "cw_erf", f32_only = true; break;
  case CW_BI_ERFC: case CW_BI_NORMCDF: case CW_BI_EXP10: case CW_BI_FAST_EXP10: case CW_BI_LOG10:
  case CW_BI_FAST_LOG10: case CW_BI_SINPI: case CW_BI_COSPI: case CW_BI_RCBRT: case CW_BI_FDIM:
  case CW_BI_REMAINDER: case CW_BI_SATURATE: case CW_BI_RCP: case CW_BI_FAST_DIV:
    break;  /* expressions below */
  default:
    glsl_fail(c, e->loc, "%s is not supported by the Vulkan backend", cw_ir_builtin_spelling(e->bi));
    return true;
  }
  if (d && f32_only) return math64(p, e);
  if (f32_only && (c->t->caps_flags & CW_CAP_FP64) && float_via_double(e->bi)) {
    /* GLSL's float transcendentals may be far less accurate than CUDA's (NVIDIA's sin/cos are
     * its fast approximations, lavapipe's atan is a few ulps off): ours in double, rounded.
     * The __sinf-style intrinsics keep the native ones. */
    g_string_append(o, "float(");
    math64(p, e);
    g_string_append_c(o, ')');
    return true;
  }
  if (glsl) {
    call(p, glsl, e);
    return true;
  }
  if (h) {
    char name[64];
    snprintf(name, sizeof name, "%s%s", h, sfx);
    if (strcmp(h, "cw_erf") == 0) helper(c, "cw_erf_f32");
    else helper(c, name);
    call(p, name, e);
    return true;
  }
  const char *one = d ? "1.0lf" : "1.0";
  switch (e->bi) {
  case CW_BI_ERFC:
    if (d) break;
    helper(c, "cw_erf_f32");
    call(p, "cw_erfc_f32", e);
    return true;
  case CW_BI_NORMCDF:
    if (d) break;
    helper(c, "cw_erf_f32");
    g_string_append(o, "(0.5 * cw_erfc_f32(-0.70710678118654752 * ");
    operand(p, e, 0);
    g_string_append(o, "))");
    return true;
  case CW_BI_FAST_EXP:
    if (d) return math64(p, e);
    /* as NVIDIA computes __expf: 2^(x * log2(e)) with the product rounded to float and the
     * power nearly exact (ex2.approx is within 2 ulps); lavapipe's exp2 is biased by several
     * ulps, which shifts averages over many calls (hecbench libor) */
    if (c->t->caps_flags & CW_CAP_FP64) {
      glsl_need_helper(c, "cw_math64", glsl_math64_text);
      g_string_append(o, "float(cw_exp2_f64(double(1.44269504088896341 * ");
      operand(p, e, 0);
      g_string_append(o, ")))");
      return true;
    }
    g_string_append(o, "exp2(1.44269504088896341 * ");
    operand(p, e, 0);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_EXP10: case CW_BI_FAST_EXP10:
    if (d) return math64(p, e);
    g_string_append(o, "exp2(3.32192809488736235 * ");
    operand(p, e, 0);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_LOG10: case CW_BI_FAST_LOG10:
    if (d) return math64(p, e);
    g_string_append(o, "(log2(");
    arg(p, e, 0);
    g_string_append(o, ") * 0.301029995663981195)");
    return true;
  case CW_BI_SINPI: case CW_BI_COSPI:
    if (d) glsl_need_helper(c, "cw_math64", glsl_math64_text);
    g_string_append_printf(o, "%s(%s * ", d ? (e->bi == CW_BI_SINPI ? "cw_sin_f64" : "cw_cos_f64")
                                            : (e->bi == CW_BI_SINPI ? "sin" : "cos"),
                           d ? "3.14159265358979311600lf" : "3.14159265358979324");
    operand(p, e, 0);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_RCBRT:
    if (d) glsl_need_helper(c, "cw_math64", glsl_math64_text);
    else helper(c, "cw_cbrt_f32");
    g_string_append(o, d ? "(1.0lf / cw_cbrt_f64(" : "(1.0 / cw_cbrt_f32(");
    arg(p, e, 0);
    g_string_append(o, "))");
    return true;
  case CW_BI_FDIM:
    g_string_append(o, "max(");
    arg(p, e, 0);
    g_string_append(o, " - ");
    cw_cprinter_expr_prec(p, e->args[1], CW_CPREC_ALWAYS);
    g_string_append_printf(o, ", %s)", d ? "0.0lf" : "0.0");
    return true;
  case CW_BI_REMAINDER:
    g_string_append_c(o, '(');
    cw_cprinter_expr_prec(p, e->args[0], CW_CPREC_ALWAYS);
    g_string_append(o, " - ");
    cw_cprinter_expr_prec(p, e->args[1], CW_CPREC_ALWAYS);
    g_string_append(o, " * roundEven(");
    cw_cprinter_expr_prec(p, e->args[0], CW_CPREC_ALWAYS);
    g_string_append(o, " / ");
    cw_cprinter_expr_prec(p, e->args[1], CW_CPREC_ALWAYS);
    g_string_append(o, "))");
    return true;
  case CW_BI_SATURATE:
    g_string_append(o, "clamp(");
    arg(p, e, 0);
    g_string_append_printf(o, ", %s, %s)", d ? "0.0lf" : "0.0", one);
    return true;
  case CW_BI_RCP:
    g_string_append_printf(o, "(%s / ", one);
    cw_cprinter_expr_prec(p, e->args[0], CW_CPREC_ALWAYS);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_FAST_DIV:
    g_string_append_c(o, '(');
    cw_cprinter_expr_prec(p, e->args[0], CW_CPREC_ALWAYS);
    g_string_append(o, " / ");
    cw_cprinter_expr_prec(p, e->args[1], CW_CPREC_ALWAYS);
    g_string_append_c(o, ')');
    return true;
  default: break;
  }
  glsl_fail(c, e->loc, "double %s has no GLSL equivalent", cw_ir_builtin_spelling(e->bi));
  return true;
}

static void bitcast(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  const cw_ir_type *from = arg_type(e, 0), *to = e->type;
  cw_ir_type_kind f = from ? from->kind : CW_IR_VOID, t = to ? to->kind : CW_IR_VOID;
  const char *name = NULL;
  if (f == CW_IR_F32 && t == CW_IR_I32) name = "floatBitsToInt";
  else if (f == CW_IR_F32 && t == CW_IR_U32) name = "floatBitsToUint";
  else if (f == CW_IR_I32 && t == CW_IR_F32) name = "intBitsToFloat";
  else if (f == CW_IR_U32 && t == CW_IR_F32) name = "uintBitsToFloat";
  else if (f == CW_IR_F64 && t == CW_IR_I64) name = "doubleBitsToInt64";
  else if (f == CW_IR_F64 && t == CW_IR_U64) name = "doubleBitsToUint64";
  else if (f == CW_IR_I64 && t == CW_IR_F64) name = "int64BitsToDouble";
  else if (f == CW_IR_U64 && t == CW_IR_F64) name = "uint64BitsToDouble";
  else if (f == CW_IR_F16 && t == CW_IR_U16) name = "float16BitsToUint16";
  else if (f == CW_IR_F16 && t == CW_IR_I16) name = "float16BitsToInt16";
  else if (f == CW_IR_U16 && t == CW_IR_F16) name = "uint16BitsToFloat16";
  else if (f == CW_IR_I16 && t == CW_IR_F16) name = "int16BitsToFloat16";
  else if (cw_ir_type_is_int(from) && cw_ir_type_is_int(to) && from->size == to->size) name = glsl_scalar_name(to);
  if (!name) {
    glsl_fail(c, e->loc, "bit cast from %s to %s", cw_ir_type_str(from), cw_ir_type_str(to));
    return;
  }
  call(p, name, e);
}

static void cvt(cw_cprinter *p, const cw_ir_expr *e, const char *round) {
  const cw_ir_type *from = arg_type(e, 0);
  g_string_append_printf(O(p), "%s(", glsl_scalar_name(e->type));
  if (cw_ir_type_is_float(from) && cw_ir_type_is_int(e->type) && round) {
    g_string_append_printf(O(p), "%s(", round);
    arg(p, e, 0);
    g_string_append_c(O(p), ')');
  } else {
    arg(p, e, 0);
  }
  g_string_append_c(O(p), ')');
}

/* Under loop fission (c->fis) a work group is one invocation per warp: the thread's index is the
 * region's cw_tid (in called functions the module-scope copy cw_gtid), the block's size the
 * specialization constants CW_BD*. */
static void geometry(glsl_ctx *c, GString *o, const char *what, char axis) {
  if (strcmp(what, "block") == 0) g_string_append_printf(o, "(gl_WorkGroupID.%c + cw_pc.cw_base.%c)", axis, axis);
  else if (strcmp(what, "thread") == 0)
    g_string_append_printf(o, !c->fis ? "gl_LocalInvocationID.%c" : c->fis->in_kernel ? "cw_tid.%c" : "cw_gtid.%c", axis);
  else if (strcmp(what, "dim") == 0 && c->fis) g_string_append_printf(o, "CW_BD%c", g_ascii_toupper(axis));
  else if (strcmp(what, "dim") == 0) g_string_append_printf(o, "gl_WorkGroupSize.%c", axis);
  else g_string_append_printf(o, "cw_pc.cw_grid.%c", axis);
}

bool glsl_builtin(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  const cw_ir_type *a0 = arg_type(e, 0);
  if (c->fis && cw_ir_sync_expr_is_op(e)) {
    /* glsl_fission.c splits each out of its statement: one left here has no meaning */
    glsl_fail(c, e->loc, "loop fission: %s where it cannot be split out", cw_ir_builtin_spelling(e->bi));
    return true;
  }
  switch (e->bi) {
  case CW_BI_THREAD_IDX_X: geometry(c, o, "thread", 'x'); return true;
  case CW_BI_THREAD_IDX_Y: geometry(c, o, "thread", 'y'); return true;
  case CW_BI_THREAD_IDX_Z: geometry(c, o, "thread", 'z'); return true;
  case CW_BI_BLOCK_IDX_X: geometry(c, o, "block", 'x'); return true;
  case CW_BI_BLOCK_IDX_Y: geometry(c, o, "block", 'y'); return true;
  case CW_BI_BLOCK_IDX_Z: geometry(c, o, "block", 'z'); return true;
  case CW_BI_BLOCK_DIM_X: geometry(c, o, "dim", 'x'); return true;
  case CW_BI_BLOCK_DIM_Y: geometry(c, o, "dim", 'y'); return true;
  case CW_BI_BLOCK_DIM_Z: geometry(c, o, "dim", 'z'); return true;
  case CW_BI_GRID_DIM_X: geometry(c, o, "grid", 'x'); return true;
  case CW_BI_GRID_DIM_Y: geometry(c, o, "grid", 'y'); return true;
  case CW_BI_GRID_DIM_Z: geometry(c, o, "grid", 'z'); return true;
  case CW_BI_WARP_SIZE: g_string_append(o, "32"); return true;
  case CW_BI_LANE_ID:
    g_string_append(o, !c->fis ? "(gl_LocalInvocationIndex & 31u)" : c->fis->in_kernel ? "cw_k" : "cw_glane");
    return true;
  case CW_BI_SYNCTHREADS:
    g_string_append_printf(o, "%s()", helper(c, "cw_syncthreads"));
    return true;
  case CW_BI_SYNCTHREADS_COUNT: case CW_BI_SYNCTHREADS_AND: case CW_BI_SYNCTHREADS_OR:
    helper(c, "cw_sync_count");
    g_string_append(o, e->bi == CW_BI_SYNCTHREADS_COUNT ? "int(cw_sync_count(" : "int(cw_sync_count(");
    if (a0 && a0->kind == CW_IR_BOOL) arg(p, e, 0);
    else {
      g_string_append_c(o, '(');
      arg(p, e, 0);
      g_string_append(o, ") != 0");
    }
    g_string_append(o, "))");
    if (e->bi == CW_BI_SYNCTHREADS_AND) {
      g_string_append(o, " == int(gl_WorkGroupSize.x * gl_WorkGroupSize.y * gl_WorkGroupSize.z) ? 1 : 0");
    } else if (e->bi == CW_BI_SYNCTHREADS_OR) {
      g_string_append(o, " != 0 ? 1 : 0");
    }
    return true;
  case CW_BI_THREADFENCE: case CW_BI_THREADFENCE_SYSTEM: g_string_append(o, "memoryBarrier()"); return true;
  case CW_BI_THREADFENCE_BLOCK: g_string_append(o, "memoryBarrier()"); return true;
  case CW_BI_ATOMIC_ADD: case CW_BI_ATOMIC_SUB: case CW_BI_ATOMIC_EXCH: case CW_BI_ATOMIC_MIN:
  case CW_BI_ATOMIC_MAX: case CW_BI_ATOMIC_INC: case CW_BI_ATOMIC_DEC: case CW_BI_ATOMIC_CAS:
  case CW_BI_ATOMIC_AND: case CW_BI_ATOMIC_OR: case CW_BI_ATOMIC_XOR:
    return atomic(p, e);
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: case CW_BI_BALLOT:
  case CW_BI_ANY: case CW_BI_ALL: case CW_BI_ACTIVEMASK: case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN:
  case CW_BI_REDUCE_MAX: case CW_BI_SYNCWARP:
    return glsl_warp_builtin(p, e);
  case CW_BI_POPC:
    if (is64(a0)) call(p, helper(c, "cw_popc64"), e);
    else call(p, "bitCount", e);
    return true;
  case CW_BI_CLZ:
    if (is64(a0)) {
      g_string_append(o, "cw_clz64(uint64_t(");
      helper(c, "cw_clz64");
    } else {
      g_string_append(o, "(31 - findMSB(uint(");
    }
    arg(p, e, 0);
    g_string_append(o, is64(a0) ? "))" : ")))");
    return true;
  case CW_BI_FFS:
    if (is64(a0)) {
      g_string_append(o, "cw_ffs64(uint64_t(");
      helper(c, "cw_ffs64");
      arg(p, e, 0);
      g_string_append(o, "))");
    } else {
      g_string_append(o, "(findLSB(");
      arg(p, e, 0);
      g_string_append(o, ") + 1)");
    }
    return true;
  case CW_BI_BREV:
    if (is64(a0)) call(p, helper(c, "cw_brev64"), e);
    else call(p, "bitfieldReverse", e);
    return true;
  case CW_BI_MULHI:
    if (is64(e->type)) {
      if (cw_ir_type_is_signed(e->type)) {
        glsl_fail(c, e->loc, "__mul64hi is not supported by the Vulkan backend");
        return true;
      }
      call(p, helper(c, "cw_mulhi_u64"), e);
    } else {
      call(p, helper(c, cw_ir_type_is_signed(e->type) ? "cw_mulhi_i32" : "cw_mulhi_u32"), e);
    }
    return true;
  case CW_BI_MUL24:
    g_string_append_c(o, '(');
    cw_cprinter_expr_prec(p, e->args[0], CW_CPREC_ALWAYS);
    g_string_append(o, " * ");
    cw_cprinter_expr_prec(p, e->args[1], CW_CPREC_ALWAYS);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_SAD:
    g_string_append(o, "(uint(abs(int64_t(");
    arg(p, e, 0);
    g_string_append(o, ") - int64_t(");
    arg(p, e, 1);
    g_string_append(o, "))) + uint(");
    arg(p, e, 2);
    g_string_append(o, "))");
    return true;
  case CW_BI_BYTE_PERM: call(p, helper(c, "cw_byte_perm"), e); return true;
  case CW_BI_FUNNELSHIFT_L: case CW_BI_FUNNELSHIFT_R:
    g_string_append(o, "uint((packUint2x32(uvec2(");
    arg(p, e, 0);
    g_string_append(o, ", ");
    arg(p, e, 1);
    g_string_append(o, e->bi == CW_BI_FUNNELSHIFT_L ? ")) << (uint(" : ")) >> (uint(");
    arg(p, e, 2);
    g_string_append(o, e->bi == CW_BI_FUNNELSHIFT_L ? ") & 31u)) >> 32)" : ") & 31u)))");
    return true;
  case CW_BI_BITCAST: bitcast(p, e); return true;
  case CW_BI_CVT_RN: cvt(p, e, "roundEven"); return true;
  case CW_BI_CVT_RZ: cvt(p, e, "trunc"); return true;
  case CW_BI_CVT_RU: cvt(p, e, "ceil"); return true;
  case CW_BI_CVT_RD: cvt(p, e, "floor"); return true;
  case CW_BI_ISNAN: case CW_BI_ISINF: case CW_BI_ISFINITE: case CW_BI_SIGNBIT: {
    bool to_bool = e->type && e->type->kind == CW_IR_BOOL;
    if (!to_bool) g_string_append(o, "(");
    if (e->bi == CW_BI_ISNAN) call(p, "isnan", e);
    else if (e->bi == CW_BI_ISINF) call(p, "isinf", e);
    else if (e->bi == CW_BI_ISFINITE) {
      g_string_append(o, "!(isnan(");
      arg(p, e, 0);
      g_string_append(o, ") || isinf(");
      arg(p, e, 0);
      g_string_append(o, "))");
    } else {
      g_string_append(o, is_f64(a0) ? "((doubleBitsToUint64(" : "((floatBitsToUint(");
      arg(p, e, 0);
      g_string_append(o, is_f64(a0) ? ") >> 63) != 0ul)" : ") >> 31) != 0u)");
    }
    if (!to_bool) g_string_append_printf(o, " ? %s : %s)", e->type && e->type->size == 8 ? "1l" : "1",
                                         e->type && e->type->size == 8 ? "0l" : "0");
    return true;
  }
  case CW_BI_MIN: case CW_BI_MAX:
    call(p, e->bi == CW_BI_MIN ? "min" : "max", e);
    return true;
  case CW_BI_ABS: call(p, "abs", e); return true;
  case CW_BI_HALF_TO_FLOAT: g_string_append(o, "float("); arg(p, e, 0); g_string_append_c(o, ')'); return true;
  case CW_BI_FLOAT_TO_HALF:
    glsl_need_helper(c, "cw_f2h", glsl_f2h_text);
    g_string_append(o, "cw_f2h(float(");
    arg(p, e, 0);
    g_string_append(o, "))");
    return true;
  case CW_BI_PRINTF: return print_call(p, e);
  case CW_BI_ASSERT: {
    helper(c, "cw_printf");
    c->uses_printf = true;
    uint32_t id = GPOINTER_TO_UINT(g_hash_table_lookup(c->string_ids, e));
    g_string_append(o, "cw_assert(");
    arg(p, e, 0);
    g_string_append_printf(o, ", %uu, %d)", id, e->loc.line);
    return true;
  }
  case CW_BI_TRAP:
    helper(c, "cw_printf");
    c->uses_printf = true;
    g_string_append(o, "cw_trap()");
    return true;
  case CW_BI_LDG: glsl_print_lvalue_of_ptr(p, e->args[0]); return true;
  case CW_BI_SINCOS:
    if (is_f64(a0)) glsl_need_helper(c, "cw_math64", glsl_math64_text);
    g_string_append(o, "(");
    glsl_print_lvalue_of_ptr(p, e->args[1]);
    g_string_append(o, is_f64(a0) ? " = cw_sin_f64(" : " = sin(");
    arg(p, e, 0);
    g_string_append(o, "), ");
    glsl_print_lvalue_of_ptr(p, e->args[2]);
    g_string_append(o, is_f64(a0) ? " = cw_cos_f64(" : " = cos(");
    arg(p, e, 0);
    g_string_append(o, "))");
    return true;
  case CW_BI_FREXP: case CW_BI_MODF:
    g_string_append(o, e->bi == CW_BI_FREXP ? "frexp(" : "modf(");
    arg(p, e, 0);
    g_string_append(o, ", ");
    glsl_print_lvalue_of_ptr(p, e->args[1]);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_NANOSLEEP: g_string_append(o, "memoryBarrier()"); return true;
  case CW_BI_CLOCK: case CW_BI_CLOCK64: case CW_BI_GLOBALTIMER: case CW_BI_MEMCPY: case CW_BI_MEMSET:
  case CW_BI_ERFINV: case CW_BI_LGAMMA: case CW_BI_TGAMMA:
    glsl_fail(c, e->loc, "%s is not supported by the Vulkan backend", cw_ir_builtin_spelling(e->bi));
    return true;
  default:
    return math(p, e);
  }
}
