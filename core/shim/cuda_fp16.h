/* cuda_fp16.h — host side of __half / half and __half2: IEEE binary16 storage, conversions with
 * round-to-nearest-even (subnormals, infinities and NaN included), arithmetic through float. */
#ifndef CW_SHIM_CUDA_FP16_H
#define CW_SHIM_CUDA_FP16_H

#include <string.h>

#include "host_defines.h"
#include "vector_types.h"

#if defined(__cplusplus)

/* float → binary16 bits, round to nearest even. */
static inline unsigned short __cw_float_to_half_bits(float f) {
  unsigned int x;
  memcpy(&x, &f, sizeof x);
  unsigned int sign = (x >> 16) & 0x8000u;
  unsigned int exp = (x >> 23) & 0xffu;
  unsigned int mant = x & 0x7fffffu;
  if (exp == 0xffu) /* inf or NaN (keep NaN quiet) */
    return (unsigned short)(sign | 0x7c00u | (mant ? 0x200u | (mant >> 13) : 0u));
  int e = (int)exp - 127 + 15;
  if (e >= 0x1f) return (unsigned short)(sign | 0x7c00u); /* overflow → inf */
  if (e <= 0) {                                            /* subnormal or zero */
    if (e < -10) return (unsigned short)sign;
    mant |= 0x800000u;
    unsigned int shift = (unsigned int)(14 - e);
    unsigned int h = mant >> shift;
    unsigned int rem = mant & ((1u << shift) - 1u), half = 1u << (shift - 1u);
    if (rem > half || (rem == half && (h & 1u))) h++;
    return (unsigned short)(sign | h);
  }
  unsigned int h = ((unsigned int)e << 10) | (mant >> 13);
  unsigned int rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++; /* may carry into the exponent: fine */
  return (unsigned short)(sign | h);
}

static inline float __cw_half_bits_to_float(unsigned short h) {
  unsigned int sign = ((unsigned int)h & 0x8000u) << 16;
  unsigned int exp = ((unsigned int)h >> 10) & 0x1fu;
  unsigned int mant = (unsigned int)h & 0x3ffu;
  unsigned int x;
  if (exp == 0x1fu) {
    x = sign | 0x7f800000u | (mant << 13);
  } else if (exp == 0) {
    if (mant == 0) {
      x = sign;
    } else { /* normalize the subnormal */
      int e = -1;
      do { mant <<= 1; e++; } while (!(mant & 0x400u));
      x = sign | ((unsigned int)(127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
    }
  } else {
    x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  memcpy(&f, &x, sizeof f);
  return f;
}

struct __half_raw { unsigned short x; };

struct __half {
  unsigned short __x;
  __half() = default;
  __half(const __half_raw &r) : __x(r.x) {}
  __half(float f) : __x(__cw_float_to_half_bits(f)) {}
  __half(double d) : __x(__cw_float_to_half_bits((float)d)) {}
  __half(int i) : __x(__cw_float_to_half_bits((float)i)) {}
  __half(unsigned int i) : __x(__cw_float_to_half_bits((float)i)) {}
  __half(long long i) : __x(__cw_float_to_half_bits((float)i)) {}
  __half(unsigned long long i) : __x(__cw_float_to_half_bits((float)i)) {}
  __half(short i) : __x(__cw_float_to_half_bits((float)i)) {}
  __half(unsigned short i) : __x(__cw_float_to_half_bits((float)i)) {}
  operator float() const { return __cw_half_bits_to_float(__x); }
  operator __half_raw() const { __half_raw r; r.x = __x; return r; }
  __half &operator=(float f) { __x = __cw_float_to_half_bits(f); return *this; }
  __half &operator=(double d) { __x = __cw_float_to_half_bits((float)d); return *this; }
};
typedef struct __half half;

struct __half2 {
  __half x, y;
  __half2() = default;
  __half2(const __half &a, const __half &b) : x(a), y(b) {}
};
typedef struct __half2 half2;

static inline __half __float2half(float a) { return __half(a); }
static inline __half __float2half_rn(float a) { return __half(a); }
static inline __half __double2half(double a) { return __half((float)a); }
static inline __half __int2half_rn(int a) { return __half((float)a); }
static inline __half __uint2half_rn(unsigned int a) { return __half((float)a); }
static inline float __half2float(__half a) { return (float)a; }
static inline int __half2int_rz(__half a) { return (int)(float)a; }
static inline unsigned short __half_as_ushort(__half a) { return a.__x; }
static inline short __half_as_short(__half a) { return (short)a.__x; }
static inline __half __ushort_as_half(unsigned short u) { __half_raw r; r.x = u; return __half(r); }
static inline __half __short_as_half(short s) { __half_raw r; r.x = (unsigned short)s; return __half(r); }
static inline __half2 make_half2(__half a, __half b) { return __half2(a, b); }
static inline __half2 __halves2half2(__half a, __half b) { return __half2(a, b); }
static inline __half2 __float2half2_rn(float a) { return __half2(__half(a), __half(a)); }
static inline __half2 __floats2half2_rn(float a, float b) { return __half2(__half(a), __half(b)); }
static inline __half2 __float22half2_rn(float2 a) { return __half2(__half(a.x), __half(a.y)); }
static inline float2 __half22float2(__half2 a) { float2 r; r.x = (float)a.x; r.y = (float)a.y; return r; }
static inline float __low2float(__half2 a) { return (float)a.x; }
static inline float __high2float(__half2 a) { return (float)a.y; }
static inline __half __low2half(__half2 a) { return a.x; }
static inline __half __high2half(__half2 a) { return a.y; }

static inline __half __hadd(__half a, __half b) { return __half((float)a + (float)b); }
static inline __half __hsub(__half a, __half b) { return __half((float)a - (float)b); }
static inline __half __hmul(__half a, __half b) { return __half((float)a * (float)b); }
static inline __half __hdiv(__half a, __half b) { return __half((float)a / (float)b); }
static inline __half __hneg(__half a) { return __half(-(float)a); }
static inline __half __hfma(__half a, __half b, __half c) { return __half((float)a * (float)b + (float)c); }
static inline bool __heq(__half a, __half b) { return (float)a == (float)b; }
static inline bool __hlt(__half a, __half b) { return (float)a < (float)b; }
static inline bool __hgt(__half a, __half b) { return (float)a > (float)b; }
static inline bool __hisnan(__half a) { return (a.__x & 0x7c00u) == 0x7c00u && (a.__x & 0x3ffu); }
static inline bool __hisinf(__half a) { return (a.__x & 0x7fffu) == 0x7c00u; }
static inline __half2 __hadd2(__half2 a, __half2 b) { return __half2(__hadd(a.x, b.x), __hadd(a.y, b.y)); }
static inline __half2 __hmul2(__half2 a, __half2 b) { return __half2(__hmul(a.x, b.x), __hmul(a.y, b.y)); }

#define CW_HALF_BINOP_(op)                                                               \
  static inline __half operator op(const __half &a, const __half &b) {                  \
    return __half((float)a op (float)b);                                                \
  }                                                                                      \
  static inline __half &operator op##=(__half &a, const __half &b) { return a = a op b; }
CW_HALF_BINOP_(+)
CW_HALF_BINOP_(-)
CW_HALF_BINOP_(*)
CW_HALF_BINOP_(/)
#undef CW_HALF_BINOP_
#define CW_HALF_CMP_(op) \
  static inline bool operator op(const __half &a, const __half &b) { return (float)a op (float)b; }
CW_HALF_CMP_(==)
CW_HALF_CMP_(!=)
CW_HALF_CMP_(<)
CW_HALF_CMP_(<=)
CW_HALF_CMP_(>)
CW_HALF_CMP_(>=)
#undef CW_HALF_CMP_
static inline __half operator-(const __half &a) { return __hneg(a); }
static inline __half operator+(const __half &a) { return a; }
static inline __half2 operator+(const __half2 &a, const __half2 &b) { return __hadd2(a, b); }
static inline __half2 operator*(const __half2 &a, const __half2 &b) { return __hmul2(a, b); }

#else /* C: storage only */
typedef struct __half { unsigned short __x; } __half;
typedef struct __half2 { __half x, y; } __half2;
typedef __half half;
typedef __half2 half2;
#endif

#endif
