/* glsl_warp.c — CUDA warp operations (32 lanes) emulated through shared memory.
 *
 * The subgroup of a Vulkan device need not be 32 wide (lavapipe's is 8), so a warp is the group
 * of 32 consecutive linear thread indices, as CUDA defines it, and each operation exchanges
 * values through a shared array with workgroup barriers.  That is only valid when the whole
 * block reaches the operation together: glsl_uniform.c checks it and the kernel is declined
 * otherwise.  The mask argument is ignored (all lanes of the warp take part). */
#include <string.h>

#include "glsl_internal.h"

static glsl_ctx *C(cw_cprinter *p) { return cw_cprinter_user(p); }
static GString *O(cw_cprinter *p) { return cw_cprinter_out(p); }
/* An operand; inside a predicated region (glsl_predicate.c) read only where the flag is set. */
static void arg(cw_cprinter *p, const cw_ir_expr *e, uint32_t i) {
  glsl_ctx *c = C(p);
  if (i >= e->n_args) {
    g_string_append(O(p), "0");
    return;
  }
  const char *guard = c->guard;
  if (!guard) {
    cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_ASSIGN);
    return;
  }
  c->guard = NULL;
  g_string_append_printf(O(p), "(%s ? ", guard);
  cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_COND);
  g_string_append(O(p), " : ");
  glsl_zero(c, O(p), e->args[i]->type);
  g_string_append_c(O(p), ')');
  c->guard = guard;
}

/* One barrier per exchange: exchanges alternate between the two halves of the buffer, so an
 * exchange's writes cannot meet a slow lane still reading the previous exchange's half (every
 * lane has passed that next exchange's barrier, after its read, before anyone writes it again).
 * 64-bit values go as two 32-bit exchanges. */
static const char warp_base[] =
  "shared uint cw_warp_buf[2u * gl_WorkGroupSize.x * gl_WorkGroupSize.y * gl_WorkGroupSize.z];\n"
  "uint cw_warp_phase = 0u;\n"
  "uint cw_nthreads() { return gl_WorkGroupSize.x * gl_WorkGroupSize.y * gl_WorkGroupSize.z; }\n"
  "uint cw_warp_half() { uint o = cw_warp_phase * cw_nthreads(); cw_warp_phase ^= 1u; return o; }\n"
  "uint cw_warp_xchg32(uint v, uint src_lane) {\n"
  "  uint tid = gl_LocalInvocationIndex, o = cw_warp_half();\n"
  "  cw_warp_buf[o + tid] = v;\n"
  "  barrier();\n"
  "  uint src = (tid & ~31u) + src_lane;\n"
  "  return src < cw_nthreads() ? cw_warp_buf[o + src] : v;\n"
  "}\n"
  "uint64_t cw_warp_xchg(uint64_t v, uint src_lane) {\n"
  "  uint lo = cw_warp_xchg32(uint(v), src_lane);\n"
  "  return packUint2x32(uvec2(lo, cw_warp_xchg32(uint(v >> 32), src_lane)));\n"
  "}\n"
  "uint cw_shfl_src(uint mode, uint x, uint w) {\n"
  "  uint lane = gl_LocalInvocationIndex & 31u, seg = lane & ~(w - 1u), src;\n"
  "  if (mode == 0u) src = seg + (x & (w - 1u));\n"
  "  else if (mode == 1u) src = (lane & (w - 1u)) < x ? lane : lane - x;\n"
  "  else if (mode == 2u) src = (lane & (w - 1u)) + x >= w ? lane : lane + x;\n"
  "  else { src = lane ^ x; if ((src & ~(w - 1u)) != seg) src = lane; }\n"
  "  return src;\n"
  "}\n"
  "uint cw_active_mask() {\n"
  "  uint base = gl_LocalInvocationIndex & ~31u, n = cw_nthreads();\n"
  "  return n - base >= 32u ? 0xffffffffu : (1u << (n - base)) - 1u;\n"
  "}\n"
  "uint cw_ballot(bool pred) {\n"
  "  uint tid = gl_LocalInvocationIndex, o = cw_warp_half();\n"
  "  cw_warp_buf[o + tid] = pred ? 1u : 0u;\n"
  "  barrier();\n"
  "  uint base = tid & ~31u, n = cw_nthreads(), m = 0u;\n"
  "  for (uint i = 0u; i < 32u && base + i < n; i++) if (cw_warp_buf[o + base + i] != 0u) m |= 1u << i;\n"
  "  return m;\n"
  "}\n";

/* Conversions of a value of type T to the exchanged bits (uint, or uint64_t for 64-bit types:
 * *wide) and back. */
static bool bits_of(const cw_ir_type *t, const char **to, const char **from, bool *wide) {
  *wide = t && t->size == 8;
  switch (t ? t->kind : CW_IR_VOID) {
  case CW_IR_F32: *to = "floatBitsToUint(v)", *from = "uintBitsToFloat(r)"; return true;
  case CW_IR_F64: *to = "doubleBitsToUint64(v)", *from = "uint64BitsToDouble(r)"; return true;
  case CW_IR_I32: *to = "uint(v)", *from = "int(r)"; return true;
  case CW_IR_U32: *to = "v", *from = "r"; return true;
  case CW_IR_I64: *to = "uint64_t(v)", *from = "int64_t(r)"; return true;
  case CW_IR_U64: *to = "v", *from = "r"; return true;
  default: return false;
  }
}

static void pred(cw_cprinter *p, const cw_ir_expr *e, uint32_t i) {
  const cw_ir_type *t = i < e->n_args ? e->args[i]->type : NULL;
  if (t && t->kind == CW_IR_BOOL) {
    arg(p, e, i);
    return;
  }
  g_string_append(O(p), "((");
  arg(p, e, i);
  g_string_append(O(p), ") != ");
  if (t && t->size == 8) g_string_append(O(p), cw_ir_type_is_signed(t) ? "0l)" : "0ul)");
  else g_string_append(O(p), t && !cw_ir_type_is_signed(t) ? "0u)" : "0)");
}

static void as_bool_result(cw_cprinter *p, const cw_ir_expr *e, const char *cond_close) {
  bool b = e->type && e->type->kind == CW_IR_BOOL;
  g_string_append(O(p), cond_close);
  if (!b) g_string_append(O(p), " ? 1 : 0");
}

bool glsl_warp_native(const glsl_ctx *c) {
  return c->t->subgroup_size == 32 && (c->t->caps_flags & CW_CAP_SUBGROUPS);
}

static const char native_base[] =
  "uint cw_shfl_src(uint mode, uint x, uint w) {\n"
  "  uint lane = gl_SubgroupInvocationID, seg = lane & ~(w - 1u), src;\n"
  "  if (mode == 0u) src = seg + (x & (w - 1u));\n"
  "  else if (mode == 1u) src = (lane & (w - 1u)) < x ? lane : lane - x;\n"
  "  else if (mode == 2u) src = (lane & (w - 1u)) + x >= w ? lane : lane + x;\n"
  "  else { src = lane ^ x; if ((src & ~(w - 1u)) != seg) src = lane; }\n"
  "  return src;\n"
  "}\n";

/* Subgroups of exactly 32 invocations are CUDA's warps (consecutive linear thread indices):
 * the KHR subgroup operations, with no barrier and no uniformity requirement. */
static bool native_op(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  glsl_need_helper(c, "cw_warp_native", native_base);
  switch (e->bi) {
  /* __syncwarp: lanes wait for each other (execution), and their memory accesses are ordered */
  case CW_BI_SYNCWARP: g_string_append(o, "subgroupBarrier()"); return true;
  case CW_BI_ACTIVEMASK: g_string_append(o, "subgroupBallot(true).x"); return true;
  case CW_BI_BALLOT:
    g_string_append(o, "subgroupBallot(");
    pred(p, e, 1);
    g_string_append(o, ").x");
    return true;
  case CW_BI_ANY: case CW_BI_ALL:
    g_string_append(o, e->bi == CW_BI_ANY ? "(subgroupAny(" : "(subgroupAll(");
    pred(p, e, 1);
    as_bool_result(p, e, "))");
    return true;
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX:
    g_string_append(o, e->bi == CW_BI_REDUCE_ADD ? "subgroupAdd(" : e->bi == CW_BI_REDUCE_MIN ? "subgroupMin(" : "subgroupMax(");
    arg(p, e, 1);
    g_string_append_c(o, ')');
    return true;
  default: {
    /* subgroupShuffle takes 32-bit scalars and doubles: 64-bit integers go as two halves */
    const cw_ir_type *t = e->type;
    const char *open = NULL, *close = ")";
    switch (t ? t->kind : CW_IR_VOID) {
    case CW_IR_F32: case CW_IR_I32: case CW_IR_U32: case CW_IR_F64: open = "subgroupShuffle("; break;
    case CW_IR_U64: open = "cw_nshfl64("; break;
    case CW_IR_I64: open = "int64_t(cw_nshfl64(uint64_t", close = "))"; break;
    default: break;
    }
    if (!open) {
      glsl_fail(c, e->loc, "%s of a %s value", cw_ir_builtin_spelling(e->bi), cw_ir_type_str(t));
      return true;
    }
    if (t->kind == CW_IR_U64 || t->kind == CW_IR_I64)
      glsl_need_helper(c, "cw_nshfl64",
                       "uint64_t cw_nshfl64(uint64_t v, uint src) {\n"
                       "  uvec2 h = unpackUint2x32(v);\n"
                       "  return packUint2x32(uvec2(subgroupShuffle(h.x, src), subgroupShuffle(h.y, src)));\n"
                       "}\n");
    g_string_append(o, open);
    if (t->kind == CW_IR_I64) g_string_append_c(o, '(');
    arg(p, e, 1);
    if (t->kind == CW_IR_I64) g_string_append_c(o, ')');
    unsigned mode = e->bi == CW_BI_SHFL ? 0 : e->bi == CW_BI_SHFL_UP ? 1 : e->bi == CW_BI_SHFL_DOWN ? 2 : 3;
    g_string_append_printf(o, ", cw_shfl_src(%uu, uint(", mode);
    arg(p, e, 2);
    g_string_append(o, "), ");
    if (e->n_args > 3) {
      g_string_append(o, "uint(");
      arg(p, e, 3);
      g_string_append(o, "))");
    } else {
      g_string_append(o, "32u)");
    }
    g_string_append(o, close);
    return true;
  }
  }
}

bool glsl_warp_builtin(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = C(p);
  GString *o = O(p);
  c->uses_warp = true;
  if (glsl_warp_native(c)) return native_op(p, e);
  glsl_need_helper(c, "cw_warp", warp_base);
  switch (e->bi) {
  case CW_BI_SYNCWARP:
    g_string_append(o, "barrier()");
    return true;
  case CW_BI_ACTIVEMASK:
    g_string_append(o, "cw_active_mask()");
    return true;
  case CW_BI_BALLOT:
    g_string_append(o, "cw_ballot(");
    pred(p, e, 1);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_ANY: case CW_BI_ALL:
    g_string_append(o, "(cw_ballot(");
    pred(p, e, 1);
    as_bool_result(p, e, e->bi == CW_BI_ANY ? ") != 0u)" : ") == cw_active_mask())");
    return true;
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX: {
    const char *tn = glsl_scalar_name(e->type);
    const char *to, *from;
    bool wide;
    if (!bits_of(e->type, &to, &from, &wide) || wide || !cw_ir_type_is_int(e->type)) {
      glsl_fail(c, e->loc, "%s on %s", cw_ir_builtin_spelling(e->bi), cw_ir_type_str(e->type));
      return true;
    }
    const char *op = e->bi == CW_BI_REDUCE_ADD ? "add" : e->bi == CW_BI_REDUCE_MIN ? "min" : "max";
    char *name = g_strdup_printf("cw_reduce_%s_%s", op, tn);
    const char *comb = e->bi == CW_BI_REDUCE_ADD ? "acc + x" : e->bi == CW_BI_REDUCE_MIN ? "min(acc, x)" : "max(acc, x)";
    char *text = g_strdup_printf(
        "%s %s(%s v) {\n"
        "  uint tid = gl_LocalInvocationIndex, o = cw_warp_half();\n"
        "  cw_warp_buf[o + tid] = %s;\n"
        "  barrier();\n"
        "  uint base = tid & ~31u, n = cw_nthreads();\n"
        "  %s acc = v;\n"
        "  bool first = true;\n"
        "  for (uint i = 0u; i < 32u && base + i < n; i++) { uint r = cw_warp_buf[o + base + i]; %s x = %s; acc = first ? x : %s; first = false; }\n"
        "  return acc;\n"
        "}\n", tn, name, tn, to, tn, tn, from, comb);
    glsl_need_helper(c, name, text);
    g_string_append_printf(o, "%s(", name);
    arg(p, e, 1);
    g_string_append_c(o, ')');
    g_free(name);
    g_free(text);
    return true;
  }
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: {
    const char *to, *from;
    bool wide;
    if (!bits_of(e->type, &to, &from, &wide)) {
      glsl_fail(c, e->loc, "%s of a %s value", cw_ir_builtin_spelling(e->bi), cw_ir_type_str(e->type));
      return true;
    }
    const char *tn = glsl_scalar_name(e->type);
    char *name = g_strdup_printf("cw_shfl_%s", tn);
    char *text = g_strdup_printf("%s %s(uint mode, %s v, uint x, uint w) {\n"
                                 "  %s r = %s(%s, cw_shfl_src(mode, x, w));\n"
                                 "  return %s;\n}\n", tn, name, tn, wide ? "uint64_t" : "uint",
                                 wide ? "cw_warp_xchg" : "cw_warp_xchg32", to, from);
    glsl_need_helper(c, name, text);
    unsigned mode = e->bi == CW_BI_SHFL ? 0 : e->bi == CW_BI_SHFL_UP ? 1 : e->bi == CW_BI_SHFL_DOWN ? 2 : 3;
    g_string_append_printf(o, "%s(%uu, ", name, mode);
    arg(p, e, 1);
    g_string_append(o, ", uint(");
    arg(p, e, 2);
    g_string_append(o, "), ");
    if (e->n_args > 3) {
      g_string_append(o, "uint(");
      arg(p, e, 3);
      g_string_append(o, "))");
    } else {
      g_string_append(o, "32u)");
    }
    g_free(name);
    g_free(text);
    return true;
  }
  default:
    return false;
  }
}
