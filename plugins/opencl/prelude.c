/* prelude.c — OpenCL C helpers every generated program starts with.
 *
 * Atomics: CUDA's atomicAdd & co on every type and address space, overloaded (clang's
 * `overloadable`); float/double add, min and max and CUDA's wrapping atomicInc/atomicDec are
 * compare-exchange loops on the bit pattern.
 * Warps: OpenCL 1.2 without subgroups of 32 has no warp, so a warp is 32 consecutive threads of
 * the block (linear index, as CUDA numbers them) and each warp operation exchanges values
 * through the block's __local scratch: write, barrier, read.  Two exchange areas are used in
 * turn (a per-thread parity word says which), so one barrier per operation suffices: the
 * next operation writes the other area, and the one after waits at the next barrier.
 * That needs every thread of the block to reach the operation, which check.c makes sure of.
 * Bits: __ffs, __brev, __byte_perm, __sad and funnel shifts, which OpenCL 1.2 lacks. */
#include "emit.h"

static const char prelude_base[] =
  "#define CW_OVL __attribute__((overloadable))\n"
  "uint cw_tid(void) {\n"
  "  return (uint)(get_local_id(0) + get_local_size(0) * (get_local_id(1) + get_local_size(1) * get_local_id(2)));\n"
  "}\n"
  "uint cw_nthreads(void) { return (uint)(get_local_size(0) * get_local_size(1) * get_local_size(2)); }\n"
  "uint cw_warp_mask(void) {\n"
  "  uint n = cw_nthreads() - (cw_tid() & ~31u);\n"
  "  return n >= 32u ? 0xffffffffu : ((1u << n) - 1u);\n"
  "}\n"
  /* device asserts and traps: the first failing thread records where (stream.c reads it) */
  "void cw_assert_fail(__global int *e, int site) {\n"
  "  if (atomic_cmpxchg(e, 0, 1) != 0) return;\n"
  "  e[1] = site; e[2] = (int)get_group_id(0); e[3] = (int)get_group_id(1); e[4] = (int)get_group_id(2);\n"
  "  e[5] = (int)get_local_id(0); e[6] = (int)get_local_id(1); e[7] = (int)get_local_id(2);\n"
  "}\n"
  "void cw_trap(__global int *e) { atomic_cmpxchg(e, 0, 2); }\n"
  /* half and bfloat16 as 16-bit storage */
  "float cw_h2f(ushort h) { return vload_half(0, (const __private half *)&h); }\n"
  "ushort cw_f2h(float f) { ushort h; vstore_half_rte(f, 0, (__private half *)&h); return h; }\n"
  "float cw_bf2f(ushort h) { return as_float((uint)h << 16); }\n"
  "ushort cw_f2bf(float f) {\n"
  "  uint u = as_uint(f);\n"
  "  if (isnan(f)) return (ushort)((u >> 16) | 0x40u);\n"
  "  return (ushort)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);\n"
  "}\n"
  /* 32-bit atomics */
  "#define CW_AT32(AS, T) \\\n"
  "CW_OVL T cw_atomic_add(AS T *p, T v) { return atomic_add((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_sub(AS T *p, T v) { return atomic_sub((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_exch(AS T *p, T v) { return atomic_xchg((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_min(AS T *p, T v) { return atomic_min((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_max(AS T *p, T v) { return atomic_max((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_and(AS T *p, T v) { return atomic_and((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_or(AS T *p, T v) { return atomic_or((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_xor(AS T *p, T v) { return atomic_xor((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_cas(AS T *p, T c, T v) { return atomic_cmpxchg((volatile AS T *)p, c, v); } \\\n"
  "CW_OVL T cw_atomic_inc(AS T *p, T lim) { \\\n"
  "  T old = *(volatile AS T *)p, seen; \\\n"
  "  do { seen = old; old = atomic_cmpxchg((volatile AS T *)p, seen, seen >= lim ? (T)0 : (T)(seen + 1)); } while (old != seen); \\\n"
  "  return old; } \\\n"
  "CW_OVL T cw_atomic_dec(AS T *p, T lim) { \\\n"
  "  T old = *(volatile AS T *)p, seen; \\\n"
  "  do { seen = old; old = atomic_cmpxchg((volatile AS T *)p, seen, (seen == 0 || seen > lim) ? lim : (T)(seen - 1)); } while (old != seen); \\\n"
  "  return old; }\n"
  "CW_AT32(__global, int) CW_AT32(__global, uint) CW_AT32(__local, int) CW_AT32(__local, uint)\n"
  /* float atomics */
  "#define CW_ATF(AS) \\\n"
  "CW_OVL float cw_atomic_add(AS float *p, float v) { \\\n"
  "  volatile AS uint *q = (volatile AS uint *)p; uint old = *q, seen; \\\n"
  "  do { seen = old; old = atomic_cmpxchg(q, seen, as_uint(as_float(seen) + v)); } while (old != seen); \\\n"
  "  return as_float(old); } \\\n"
  "CW_OVL float cw_atomic_sub(AS float *p, float v) { return cw_atomic_add(p, -v); } \\\n"
  "CW_OVL float cw_atomic_exch(AS float *p, float v) { return atomic_xchg((volatile AS float *)p, v); } \\\n"
  "CW_OVL float cw_atomic_cas(AS float *p, float c, float v) { \\\n"
  "  return as_float(atomic_cmpxchg((volatile AS uint *)p, as_uint(c), as_uint(v))); } \\\n"
  "CW_OVL float cw_atomic_min(AS float *p, float v) { \\\n"
  "  volatile AS uint *q = (volatile AS uint *)p; uint old = *q, seen; \\\n"
  "  do { seen = old; if (!(v < as_float(seen))) break; old = atomic_cmpxchg(q, seen, as_uint(v)); } while (old != seen); \\\n"
  "  return as_float(old); } \\\n"
  "CW_OVL float cw_atomic_max(AS float *p, float v) { \\\n"
  "  volatile AS uint *q = (volatile AS uint *)p; uint old = *q, seen; \\\n"
  "  do { seen = old; if (!(v > as_float(seen))) break; old = atomic_cmpxchg(q, seen, as_uint(v)); } while (old != seen); \\\n"
  "  return as_float(old); }\n"
  "CW_ATF(__global) CW_ATF(__local)\n"
  /* warp emulation through the block's scratch */
  /* Every exchange is: barrier, write, barrier, read.  The leading barrier ends the reads of
   * the exchange before, so one area serves all; a per-thread parity choosing between two areas
   * saved that barrier but is a value PoCL keeps per work-item across the barrier, and indexing
   * through it keeps the loops over work-items from being vectorized (slower on PoCL: jacobi). */
  "uint cw_wpar(__local ulong *s, uint n) {\n"
  "  barrier(CLK_LOCAL_MEM_FENCE);\n"
  "  return 0u;\n"
  "}\n"
  /* Shuffles, one function per mode (the source lane is simple arithmetic, and 32-bit values
   * take 4-byte slots).  `act` is false for the threads a predicated branch leaves inactive
   * (emit_pred.c): they neither write nor read (a lane that reads an inactive lane gets an
   * undefined value in CUDA, here what its slot held).  Measured on PoCL (jacobi, score): the
   * thread index kept across the barriers is cheaper than cw_tid() computed again after them,
   * and skipping inactive threads' slots saves a fifth of score's kernel. */
  "#define CW_XCHG(M, T, OK, SRC) \\\n"
  "T cw_xchg_##M##_##T(__local ulong *s8, bool act, T v, int arg, int width) { \\\n"
  "  __local T *s = (__local T *)s8; \\\n"
  "  uint n = cw_nthreads(), t = cw_tid(); \\\n"
  "  barrier(CLK_LOCAL_MEM_FENCE); \\\n"
  "  if (act) s[t] = v; \\\n"
  "  barrier(CLK_LOCAL_MEM_FENCE); \\\n"
  "  uint lane = t & 31u; \\\n"
  "  uint w = (width > 0 && width <= 32) ? (uint)width : 32u, a = (uint)arg; \\\n"
  "  uint seg = lane & ~(w - 1u); \\\n"
  "  return (act && (OK)) ? s[SRC] : v; }\n"
  /* up and down read s[t -+ a]: an index affine in the work-item, which vectorizes */
  "#define CW_XCHG_MODES(T) \\\n"
  "CW_XCHG(idx, T, t - lane + seg + (a & (w - 1u)) < n, t - lane + seg + (a & (w - 1u))) \\\n"
  "CW_XCHG(up, T, lane - seg >= a, t - a) \\\n"
  "CW_XCHG(down, T, lane - seg + a < w && t + a < n, t + a) \\\n"
  "CW_XCHG(xor, T, (lane ^ a) < seg + w && t - lane + (lane ^ a) < n, t - lane + (lane ^ a))\n"
  "CW_XCHG_MODES(uint) CW_XCHG_MODES(ulong)\n"
  "#define CW_SHFL(M) \\\n"
  "CW_OVL int cw_shfl_##M(__local ulong *s, bool c, int v, int a, int w) { return (int)cw_xchg_##M##_uint(s, c, (uint)v, a, w); } \\\n"
  "CW_OVL uint cw_shfl_##M(__local ulong *s, bool c, uint v, int a, int w) { return cw_xchg_##M##_uint(s, c, v, a, w); } \\\n"
  "CW_OVL long cw_shfl_##M(__local ulong *s, bool c, long v, int a, int w) { return (long)cw_xchg_##M##_ulong(s, c, (ulong)v, a, w); } \\\n"
  "CW_OVL ulong cw_shfl_##M(__local ulong *s, bool c, ulong v, int a, int w) { return cw_xchg_##M##_ulong(s, c, v, a, w); } \\\n"
  "CW_OVL float cw_shfl_##M(__local ulong *s, bool c, float v, int a, int w) { return as_float(cw_xchg_##M##_uint(s, c, as_uint(v), a, w)); } \\\n"
  "CW_OVL ushort cw_shfl_##M(__local ulong *s, bool c, ushort v, int a, int w) { return (ushort)cw_xchg_##M##_uint(s, c, (uint)v, a, w); } \\\n"
  "CW_OVL short cw_shfl_##M(__local ulong *s, bool c, short v, int a, int w) { return (short)cw_xchg_##M##_uint(s, c, (uint)(ushort)v, a, w); } \\\n"
  "CW_OVL char cw_shfl_##M(__local ulong *s, bool c, char v, int a, int w) { return (char)cw_xchg_##M##_uint(s, c, (uint)(uchar)v, a, w); } \\\n"
  "CW_OVL uchar cw_shfl_##M(__local ulong *s, bool c, uchar v, int a, int w) { return (uchar)cw_xchg_##M##_uint(s, c, (uint)v, a, w); }\n"
  "CW_SHFL(idx) CW_SHFL(up) CW_SHFL(down) CW_SHFL(xor)\n"
  "uint cw_ballot(__local ulong *s, int pred) {\n"
  "  uint n = cw_nthreads(), off = cw_wpar(s, n), m = 0;\n"
  "  s[off + cw_tid()] = pred ? 1 : 0;\n"
  "  barrier(CLK_LOCAL_MEM_FENCE);\n"
  "  __local ulong *b = s + off;\n"
  "  uint base = cw_tid() & ~31u;\n"
  "  for (uint i = 0; i < 32u && base + i < n; i++) if (b[base + i]) m |= 1u << i;\n"
  "  return m;\n"
  "}\n"
  "#define CW_WRED(NAME, T, INIT, OP) \\\n"
  "CW_OVL T NAME(__local ulong *s, T v) { \\\n"
  "  uint n = cw_nthreads(), off = cw_wpar(s, n); T r = INIT; \\\n"
  "  s[off + cw_tid()] = (ulong)v; barrier(CLK_LOCAL_MEM_FENCE); \\\n"
  "  __local ulong *b = s + off; uint base = cw_tid() & ~31u; \\\n"
  "  for (uint i = 0; i < 32u && base + i < n; i++) { T x = (T)b[base + i]; r = OP; } \\\n"
  "  return r; }\n"
  "CW_WRED(cw_wreduce_add, uint, 0u, r + x) CW_WRED(cw_wreduce_add, int, 0, r + x)\n"
  "CW_WRED(cw_wreduce_min, uint, 0xffffffffu, min(r, x)) CW_WRED(cw_wreduce_min, int, 0x7fffffff, min(r, x))\n"
  "CW_WRED(cw_wreduce_max, uint, 0u, max(r, x)) CW_WRED(cw_wreduce_max, int, (-2147483647-1), max(r, x))\n"
  "int cw_sync_count(__local ulong *s, int pred) {\n"
  "  uint t = cw_tid(), n = cw_nthreads();\n"
  "  volatile __local uint *c = (volatile __local uint *)(s + 3u * n);\n"
  "  if (t == 0) *c = 0;\n"
  "  barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);\n"
  "  if (pred) atomic_inc(c);\n"
  "  barrier(CLK_LOCAL_MEM_FENCE);\n"
  "  int r = (int)*c;\n"
  "  barrier(CLK_LOCAL_MEM_FENCE);\n"
  "  return r;\n"
  "}\n"
  "int cw_sync_and(__local ulong *s, int pred) { return cw_sync_count(s, pred) == (int)cw_nthreads(); }\n"
  "int cw_sync_or(__local ulong *s, int pred) { return cw_sync_count(s, pred) != 0; }\n"
  /* bits */
  "CW_OVL int cw_ffs(uint x) { return x == 0u ? 0 : (int)popcount((x & (0u - x)) - 1u) + 1; }\n"
  "CW_OVL int cw_ffs(int x) { return cw_ffs((uint)x); }\n"
  "CW_OVL int cw_ffs(ulong x) { return x == 0ul ? 0 : (int)popcount((x & (0ul - x)) - 1ul) + 1; }\n"
  "CW_OVL int cw_ffs(long x) { return cw_ffs((ulong)x); }\n"
  "CW_OVL uint cw_brev(uint x) {\n"
  "  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);\n"
  "  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);\n"
  "  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);\n"
  "  x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);\n"
  "  return (x >> 16) | (x << 16);\n"
  "}\n"
  "CW_OVL ulong cw_brev(ulong x) { return ((ulong)cw_brev((uint)x) << 32) | (ulong)cw_brev((uint)(x >> 32)); }\n"
  "CW_OVL int cw_brev(int x) { return (int)cw_brev((uint)x); }\n"
  "CW_OVL long cw_brev(long x) { return (long)cw_brev((ulong)x); }\n"
  "uint cw_byte_perm(uint x, uint y, uint s) {\n"
  "  ulong v = ((ulong)y << 32) | (ulong)x; uint r = 0u;\n"
  "  for (uint i = 0u; i < 4u; i++) r |= (uint)((v >> (8u * ((s >> (4u * i)) & 7u))) & 0xfful) << (8u * i);\n"
  "  return r;\n"
  "}\n"
  "CW_OVL uint cw_sad(int x, int y, uint z) { return abs_diff(x, y) + z; }\n"
  "CW_OVL uint cw_sad(uint x, uint y, uint z) { return abs_diff(x, y) + z; }\n"
  "uint cw_funnelshift_l(uint lo, uint hi, uint sh) { ulong v = ((ulong)hi << 32) | lo; return (uint)((v << (sh & 31u)) >> 32); }\n"
  "uint cw_funnelshift_r(uint lo, uint hi, uint sh) { ulong v = ((ulong)hi << 32) | lo; return (uint)(v >> (sh & 31u)); }\n"
  /* math CUDA has and OpenCL lacks */
  "CW_OVL float cw_rcbrt(float x) { return 1.0f / cbrt(x); }\n"
  "CW_OVL float cw_rcp(float x) { return 1.0f / x; }\n"
  "CW_OVL float cw_normcdf(float x) { return 0.5f * erfc(-x * 0.707106781186547524f); }\n"
  "CW_OVL float cw_erfinv(float x) {\n"
  "  float w = -log((1.0f - x) * (1.0f + x)), p;\n"
  "  if (w < 5.0f) {\n"
  "    w = w - 2.5f; p = 2.81022636e-08f; p = 3.43273939e-07f + p * w; p = -3.5233877e-06f + p * w;\n"
  "    p = -4.39150654e-06f + p * w; p = 0.00021858087f + p * w; p = -0.00125372503f + p * w;\n"
  "    p = -0.00417768164f + p * w; p = 0.246640727f + p * w; p = 1.50140941f + p * w;\n"
  "  } else {\n"
  "    w = sqrt(w) - 3.0f; p = -0.000200214257f; p = 0.000100950558f + p * w; p = 0.00134934322f + p * w;\n"
  "    p = -0.00367342844f + p * w; p = 0.00573950773f + p * w; p = -0.0076224613f + p * w;\n"
  "    p = 0.00943887047f + p * w; p = 1.00167406f + p * w; p = 2.83297682f + p * w;\n"
  "  }\n"
  "  return p * x;\n"
  "}\n"
  /* memcpy/memset for every pair of address spaces */
  "#define CW_MEMCPY(DA, SA) CW_OVL void cw_memcpy(DA uchar *d, SA const uchar *s, ulong n) { for (ulong i = 0; i < n; i++) d[i] = s[i]; }\n"
  "#define CW_MEMCPY_TO(DA) CW_MEMCPY(DA, __global) CW_MEMCPY(DA, __local) CW_MEMCPY(DA, __private) CW_MEMCPY(DA, __constant)\n"
  "CW_MEMCPY_TO(__global) CW_MEMCPY_TO(__local) CW_MEMCPY_TO(__private)\n"
  "#define CW_MEMSET(DA) CW_OVL void cw_memset(DA uchar *d, int v, ulong n) { for (ulong i = 0; i < n; i++) d[i] = (uchar)v; }\n"
  "CW_MEMSET(__global) CW_MEMSET(__local) CW_MEMSET(__private)\n";

static const char prelude_int64_atomics[] =
  "#define CW_AT64(AS, T) \\\n"
  "CW_OVL T cw_atomic_add(AS T *p, T v) { return atom_add((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_sub(AS T *p, T v) { return atom_sub((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_exch(AS T *p, T v) { return atom_xchg((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_min(AS T *p, T v) { return atom_min((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_max(AS T *p, T v) { return atom_max((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_and(AS T *p, T v) { return atom_and((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_or(AS T *p, T v) { return atom_or((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_xor(AS T *p, T v) { return atom_xor((volatile AS T *)p, v); } \\\n"
  "CW_OVL T cw_atomic_cas(AS T *p, T c, T v) { return atom_cmpxchg((volatile AS T *)p, c, v); } \\\n"
  "CW_OVL T cw_atomic_inc(AS T *p, T lim) { \\\n"
  "  T old = *(volatile AS T *)p, seen; \\\n"
  "  do { seen = old; old = atom_cmpxchg((volatile AS T *)p, seen, seen >= lim ? (T)0 : (T)(seen + 1)); } while (old != seen); \\\n"
  "  return old; } \\\n"
  "CW_OVL T cw_atomic_dec(AS T *p, T lim) { \\\n"
  "  T old = *(volatile AS T *)p, seen; \\\n"
  "  do { seen = old; old = atom_cmpxchg((volatile AS T *)p, seen, (seen == 0 || seen > lim) ? lim : (T)(seen - 1)); } while (old != seen); \\\n"
  "  return old; }\n"
  "CW_AT64(__global, long) CW_AT64(__global, ulong) CW_AT64(__local, long) CW_AT64(__local, ulong)\n";

static const char prelude_double[] =
  "#define CW_SHFL_D(M) CW_OVL double cw_shfl_##M(__local ulong *s, bool c, double v, int a, int w) { \\\n"
  "  return as_double(cw_xchg_##M##_ulong(s, c, as_ulong(v), a, w)); }\n"
  "CW_SHFL_D(idx) CW_SHFL_D(up) CW_SHFL_D(down) CW_SHFL_D(xor)\n"
  "CW_OVL double cw_rcbrt(double x) { return 1.0 / cbrt(x); }\n"
  "CW_OVL double cw_rcp(double x) { return 1.0 / x; }\n"
  "CW_OVL double cw_div(double a, double b) { return a / b; }\n"
  "CW_OVL double cw_normcdf(double x) { return 0.5 * erfc(-x * 0.707106781186547524); }\n"
  "CW_OVL double cw_erfinv(double x) { return (double)cw_erfinv((float)x); }\n";

static const char prelude_double_atomics[] =
  "#define CW_ATD(AS) \\\n"
  "CW_OVL double cw_atomic_add(AS double *p, double v) { \\\n"
  "  volatile AS ulong *q = (volatile AS ulong *)p; ulong old = *q, seen; \\\n"
  "  do { seen = old; old = atom_cmpxchg(q, seen, as_ulong(as_double(seen) + v)); } while (old != seen); \\\n"
  "  return as_double(old); } \\\n"
  "CW_OVL double cw_atomic_sub(AS double *p, double v) { return cw_atomic_add(p, -v); } \\\n"
  "CW_OVL double cw_atomic_exch(AS double *p, double v) { \\\n"
  "  return as_double(atom_xchg((volatile AS ulong *)p, as_ulong(v))); } \\\n"
  "CW_OVL double cw_atomic_cas(AS double *p, double c, double v) { \\\n"
  "  return as_double(atom_cmpxchg((volatile AS ulong *)p, as_ulong(c), as_ulong(v))); } \\\n"
  "CW_OVL double cw_atomic_min(AS double *p, double v) { \\\n"
  "  volatile AS ulong *q = (volatile AS ulong *)p; ulong old = *q, seen; \\\n"
  "  do { seen = old; if (!(v < as_double(seen))) break; old = atom_cmpxchg(q, seen, as_ulong(v)); } while (old != seen); \\\n"
  "  return as_double(old); } \\\n"
  "CW_OVL double cw_atomic_max(AS double *p, double v) { \\\n"
  "  volatile AS ulong *q = (volatile AS ulong *)p; ulong old = *q, seen; \\\n"
  "  do { seen = old; if (!(v > as_double(seen))) break; old = atom_cmpxchg(q, seen, as_ulong(v)); } while (old != seen); \\\n"
  "  return as_double(old); }\n"
  "CW_ATD(__global) CW_ATD(__local)\n";

void ocl_prelude(GString *out, const cw_ir_module *ir, const cw_device_caps *caps) {
  bool fp64 = caps->flags & CW_CAP_FP64, at64 = caps->flags & CW_CAP_ATOMIC_INT64;
  if (fp64) g_string_append(out, "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
  if (at64)
    g_string_append(out, "#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable\n"
                         "#pragma OPENCL EXTENSION cl_khr_int64_extended_atomics : enable\n");
  g_string_append(out, prelude_base);
  if (at64) g_string_append(out, prelude_int64_atomics);
  if (fp64) g_string_append(out, prelude_double);
  if (fp64 && at64) g_string_append(out, prelude_double_atomics);
  if (!(caps->flags & CW_CAP_REAL_POINTERS)) ocl_window_prelude(out, ir);  /* SVM: integers are addresses */
}
