/* cprinter_builtin.c — builtins as CUDA spells them (the default of every dialect).
 *
 * The IR keeps one builtin per operation and lets the expression type say float or double; CUDA
 * has a name per type: sqrtf/sqrt, __popc/__popcll, __float2int_rn, __float_as_int, ...
 * Atomics CUDA lacks for a type go through the unsigned 64-bit (or bit-cast) overloads.
 * Helpers that need a definition (__cw_lane_id, __cw_globaltimer) are defined by the CUDA
 * prelude (cuda.c); other dialects take those builtins over in their expr hook. */
#include <string.h>

#include "cprinter_internal.h"

static void arg(cw_cprinter *p, const cw_ir_expr *e, uint32_t i) {
  if (i < e->n_args) cw_cprinter__expr(p, e->args[i], PREC_ASSIGN);
  else g_string_append(p->out, "0");
}

static void call(cw_cprinter *p, const char *name, const cw_ir_expr *e) {
  g_string_append(p->out, name);
  cw_cprinter_args(p, e->args, e->n_args);
}

static const cw_ir_type *arg_type(const cw_ir_expr *e, uint32_t i) {
  return i < e->n_args && e->args[i] ? e->args[i]->type : NULL;
}

static bool is64(const cw_ir_type *t) { return t && t->size == 8; }
static bool is_kind(const cw_ir_type *t, cw_ir_type_kind k) { return t && t->kind == k; }

/* CUDA's conversion-intrinsic stem of a type: __float2int_rn uses "float" and "int". */
static const char *cvt_stem(const cw_ir_type *t) {
  switch (t ? t->kind : CW_IR_VOID) {
  case CW_IR_F32: return "float";
  case CW_IR_F64: return "double";
  case CW_IR_F16: return "half";
  case CW_IR_BF16: return "bfloat16";
  case CW_IR_I32: return "int";
  case CW_IR_U32: return "uint";
  case CW_IR_I64: return "ll";
  case CW_IR_U64: return "ull";
  case CW_IR_I16: return "short";
  case CW_IR_U16: return "ushort";
  default: return "int";
  }
}

static void bitcast(cw_cprinter *p, const cw_ir_expr *e) {
  const cw_ir_type *from = arg_type(e, 0), *to = e->type;
  cw_ir_type_kind f = from ? from->kind : CW_IR_VOID, t = to ? to->kind : CW_IR_VOID;
  const char *name = NULL, *pre = "", *post = "";
  if (f == CW_IR_F32 && t == CW_IR_I32) name = "__float_as_int";
  else if (f == CW_IR_F32 && t == CW_IR_U32) name = "__float_as_uint";
  else if (f == CW_IR_I32 && t == CW_IR_F32) name = "__int_as_float";
  else if (f == CW_IR_U32 && t == CW_IR_F32) name = "__uint_as_float";
  else if (f == CW_IR_F64 && t == CW_IR_I64) name = "__double_as_longlong";
  else if (f == CW_IR_F64 && t == CW_IR_U64) name = "__double_as_longlong", pre = "((unsigned long long)", post = ")";
  else if (f == CW_IR_I64 && t == CW_IR_F64) name = "__longlong_as_double";
  else if (f == CW_IR_U64 && t == CW_IR_F64) {
    g_string_append(p->out, "__longlong_as_double((long long)(");
    arg(p, e, 0);
    g_string_append(p->out, "))");
    return;
  } else if (f == CW_IR_F16 && t == CW_IR_U16) name = "__half_as_ushort";
  else if (f == CW_IR_F16 && t == CW_IR_I16) name = "__half_as_short";
  else if (f == CW_IR_U16 && t == CW_IR_F16) name = "__ushort_as_half";
  else if (f == CW_IR_I16 && t == CW_IR_F16) name = "__short_as_half";
  else if (cw_ir_type_is_int(from) && cw_ir_type_is_int(to) && from->size == to->size) {
    g_string_append(p->out, "((");
    cw_cprinter_type(p, to);
    g_string_append(p->out, ")(");
    arg(p, e, 0);
    g_string_append(p->out, "))");
    return;
  } else {
    name = "__cw_unsupported_bitcast";  /* fails to compile rather than miscompile */
  }
  g_string_append_printf(p->out, "%s%s(", pre, name);
  arg(p, e, 0);
  g_string_append_printf(p->out, ")%s", post);
}

static void cvt(cw_cprinter *p, const cw_ir_expr *e, const char *mode) {
  const cw_ir_type *from = arg_type(e, 0), *to = e->type;
  /* int -> double is exact: CUDA only has the _rn name */
  if (is_kind(to, CW_IR_F64) && cw_ir_type_is_int(from) && from->size <= 4) mode = "rn";
  g_string_append_printf(p->out, "__%s2%s_%s(", cvt_stem(from), cvt_stem(to), mode);
  arg(p, e, 0);
  g_string_append_c(p->out, ')');
}

/* Math: the F32 name adds 'f' (sqrtf); a few have their own names. */
static void math(cw_cprinter *p, const cw_ir_expr *e, const char *base) {
  const cw_ir_type *t = e->type;
  bool f32 = !is_kind(t, CW_IR_F64);
  g_string_append_printf(p->out, "%s%s", base, f32 ? "f" : "");
  cw_cprinter_args(p, e->args, e->n_args);
}

static const char *const atomic_names[] = {
  [CW_BI_ATOMIC_ADD] = "atomicAdd", [CW_BI_ATOMIC_SUB] = "atomicSub",
  [CW_BI_ATOMIC_EXCH] = "atomicExch", [CW_BI_ATOMIC_MIN] = "atomicMin",
  [CW_BI_ATOMIC_MAX] = "atomicMax", [CW_BI_ATOMIC_INC] = "atomicInc",
  [CW_BI_ATOMIC_DEC] = "atomicDec", [CW_BI_ATOMIC_CAS] = "atomicCAS",
  [CW_BI_ATOMIC_AND] = "atomicAnd", [CW_BI_ATOMIC_OR] = "atomicOr",
  [CW_BI_ATOMIC_XOR] = "atomicXor",
};

static void atomic(cw_cprinter *p, const cw_ir_expr *e) {
  GString *o = p->out;
  const cw_ir_type *pt = arg_type(e, 0);
  const cw_ir_type *t = pt && pt->kind == CW_IR_PTR ? pt->elem : e->type;
  const char *name = atomic_names[e->bi];
  cw_ir_type_kind k = t ? t->kind : CW_IR_I32;
  /* float atomicSub does not exist: add the negation */
  if (e->bi == CW_BI_ATOMIC_SUB && cw_ir_type_is_float(t)) {
    g_string_append(o, "atomicAdd(");
    arg(p, e, 0);
    g_string_append(o, ", -(");
    arg(p, e, 1);
    g_string_append(o, "))");
    return;
  }
  /* signed 64-bit add/exch/cas/and/or/xor and 64-bit sub: CUDA has them for unsigned long long */
  bool via_ull = k == CW_IR_I64 && e->bi != CW_BI_ATOMIC_MIN && e->bi != CW_BI_ATOMIC_MAX;
  if (k == CW_IR_U64 && e->bi == CW_BI_ATOMIC_SUB) via_ull = true;
  if (via_ull) {
    bool sub = e->bi == CW_BI_ATOMIC_SUB;
    g_string_append_printf(o, "((%s)%s((unsigned long long *)(", k == CW_IR_I64 ? "long long" : "unsigned long long",
                           sub ? "atomicAdd" : name);
    arg(p, e, 0);
    for (uint32_t i = 1; i < e->n_args; i++) {
      g_string_append(o, sub ? "), 0ULL - (unsigned long long)(" : "), (unsigned long long)(");
      arg(p, e, i);
    }
    g_string_append(o, ")))");
    return;
  }
  /* double exchange/CAS and float CAS: on the integer bits */
  if ((k == CW_IR_F64 && (e->bi == CW_BI_ATOMIC_EXCH || e->bi == CW_BI_ATOMIC_CAS)) ||
      (k == CW_IR_F32 && e->bi == CW_BI_ATOMIC_CAS)) {
    bool d = k == CW_IR_F64;
    g_string_append_printf(o, "%s(%s((%s *)(", d ? "__longlong_as_double((long long)" : "__int_as_float((int)",
                           name, d ? "unsigned long long" : "int");
    arg(p, e, 0);
    for (uint32_t i = 1; i < e->n_args; i++) {
      g_string_append_printf(o, "), (%s)%s(", d ? "unsigned long long" : "int",
                             d ? "__double_as_longlong" : "__float_as_int");
      arg(p, e, i);
    }
    g_string_append(o, "))))");
    return;
  }
  call(p, name, e);
}

void cw_cprinter__builtin(cw_cprinter *p, const cw_ir_expr *e) {
  GString *o = p->out;
  const cw_ir_type *a0 = arg_type(e, 0);
  switch (e->bi) {
  case CW_BI_THREAD_IDX_X: case CW_BI_THREAD_IDX_Y: case CW_BI_THREAD_IDX_Z:
  case CW_BI_BLOCK_IDX_X: case CW_BI_BLOCK_IDX_Y: case CW_BI_BLOCK_IDX_Z:
  case CW_BI_BLOCK_DIM_X: case CW_BI_BLOCK_DIM_Y: case CW_BI_BLOCK_DIM_Z:
  case CW_BI_GRID_DIM_X: case CW_BI_GRID_DIM_Y: case CW_BI_GRID_DIM_Z:
  case CW_BI_WARP_SIZE:
    g_string_append(o, cw_ir_builtin_spelling(e->bi));
    return;
  case CW_BI_LANE_ID: g_string_append(o, "__cw_lane_id()"); return;
  case CW_BI_GLOBALTIMER: g_string_append(o, "__cw_globaltimer()"); return;
  case CW_BI_ATOMIC_ADD: case CW_BI_ATOMIC_SUB: case CW_BI_ATOMIC_EXCH: case CW_BI_ATOMIC_MIN:
  case CW_BI_ATOMIC_MAX: case CW_BI_ATOMIC_INC: case CW_BI_ATOMIC_DEC: case CW_BI_ATOMIC_CAS:
  case CW_BI_ATOMIC_AND: case CW_BI_ATOMIC_OR: case CW_BI_ATOMIC_XOR:
    atomic(p, e);
    return;
  case CW_BI_POPC: call(p, is64(a0) ? "__popcll" : "__popc", e); return;
  case CW_BI_CLZ: call(p, is64(a0) ? "__clzll" : "__clz", e); return;
  case CW_BI_FFS: call(p, is64(a0) ? "__ffsll" : "__ffs", e); return;
  case CW_BI_BREV: call(p, is64(a0) ? "__brevll" : "__brev", e); return;
  case CW_BI_MULHI:
    call(p, is64(e->type) ? (cw_ir_type_is_signed(e->type) ? "__mul64hi" : "__umul64hi")
                          : (cw_ir_type_is_signed(e->type) ? "__mulhi" : "__umulhi"), e);
    return;
  case CW_BI_MUL24: call(p, cw_ir_type_is_signed(e->type) ? "__mul24" : "__umul24", e); return;
  case CW_BI_SAD: call(p, cw_ir_type_is_signed(a0) ? "__sad" : "__usad", e); return;
  case CW_BI_BITCAST: bitcast(p, e); return;
  case CW_BI_CVT_RN: cvt(p, e, "rn"); return;
  case CW_BI_CVT_RZ: cvt(p, e, "rz"); return;
  case CW_BI_CVT_RU: cvt(p, e, "ru"); return;
  case CW_BI_CVT_RD: cvt(p, e, "rd"); return;
  case CW_BI_SATURATE:
    if (is_kind(e->type, CW_IR_F64)) {
      g_string_append(o, "fmin(fmax(");
      arg(p, e, 0);
      g_string_append(o, ", 0.0), 1.0)");
    } else {
      call(p, "__saturatef", e);
    }
    return;
  case CW_BI_RCP: call(p, is_kind(e->type, CW_IR_F64) ? "__drcp_rn" : "__frcp_rn", e); return;
  case CW_BI_ISNAN: case CW_BI_ISINF: case CW_BI_ISFINITE: case CW_BI_SIGNBIT:
    call(p, cw_ir_builtin_spelling(e->bi), e);
    return;
  case CW_BI_MIN: case CW_BI_MAX: {
    bool mn = e->bi == CW_BI_MIN;
    if (cw_ir_type_is_float(e->type)) math(p, e, mn ? "fmin" : "fmax");
    else call(p, mn ? "min" : "max", e);
    return;
  }
  case CW_BI_ABS:
    if (cw_ir_type_is_float(e->type)) math(p, e, "fabs");
    else call(p, is64(e->type) ? "llabs" : "abs", e);
    return;
  case CW_BI_SQRT: case CW_BI_RSQRT: case CW_BI_CBRT: case CW_BI_RCBRT: case CW_BI_EXP:
  case CW_BI_EXP2: case CW_BI_EXP10: case CW_BI_EXPM1: case CW_BI_LOG: case CW_BI_LOG2:
  case CW_BI_LOG10: case CW_BI_LOG1P: case CW_BI_SIN: case CW_BI_COS: case CW_BI_TAN:
  case CW_BI_ASIN: case CW_BI_ACOS: case CW_BI_ATAN: case CW_BI_ATAN2: case CW_BI_SINH:
  case CW_BI_COSH: case CW_BI_TANH: case CW_BI_ASINH: case CW_BI_ACOSH: case CW_BI_ATANH:
  case CW_BI_SINPI: case CW_BI_COSPI: case CW_BI_POW: case CW_BI_FABS: case CW_BI_FLOOR:
  case CW_BI_CEIL: case CW_BI_TRUNC: case CW_BI_ROUND: case CW_BI_RINT: case CW_BI_FMOD:
  case CW_BI_REMAINDER: case CW_BI_FMIN: case CW_BI_FMAX: case CW_BI_FMA: case CW_BI_FDIM:
  case CW_BI_HYPOT: case CW_BI_ERF: case CW_BI_ERFC: case CW_BI_ERFINV: case CW_BI_LGAMMA:
  case CW_BI_TGAMMA: case CW_BI_COPYSIGN: case CW_BI_LDEXP: case CW_BI_FREXP: case CW_BI_MODF:
  case CW_BI_NORMCDF:
    math(p, e, cw_ir_builtin_spelling(e->bi));
    return;
  case CW_BI_SINCOS: {
    /* void: the type is in the first argument */
    bool f32 = !is_kind(a0, CW_IR_F64);
    call(p, f32 ? "sincosf" : "sincos", e);
    return;
  }
  case CW_BI_ASSERT:
    g_string_append(o, "assert(");
    arg(p, e, 0);
    g_string_append_c(o, ')');
    return;
  default:
    /* everything else is a plain call of its CUDA spelling with the IR's arguments */
    call(p, cw_ir_builtin_spelling(e->bi), e);
    return;
  }
}
