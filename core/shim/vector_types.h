/* vector_types.h — CUDA's built-in vector types (char1 … double4), uint3 and dim3, with CUDA's
 * sizes and alignments, so that structs the host shares with kernels lay out as under nvcc. */
#ifndef CW_SHIM_VECTOR_TYPES_H
#define CW_SHIM_VECTOR_TYPES_H

#include "host_defines.h"

/* CW_VEC1..4(T, name, align): `struct __align__(align) name { T x, y, ...; }`; align 0 = natural
 * (CUDA leaves the 3-lane types and a few others at their element's alignment). */
#define CW_VEC_ALIGNED_(a) __align__(a)
#define CW_VEC_DECL_(name, a, fields) \
  struct CW_VEC_ALIGNED_(a) name { fields }; typedef struct name name;
#define CW_VEC_DECL_NATURAL_(name, fields) struct name { fields }; typedef struct name name;

#define CW_VEC_FAMILY_(T, base, a1, a2, a4) \
  CW_VEC_DECL_(base##1, a1, T x;) \
  CW_VEC_DECL_(base##2, a2, T x; T y;) \
  CW_VEC_DECL_NATURAL_(base##3, T x; T y; T z;) \
  CW_VEC_DECL_(base##4, a4, T x; T y; T z; T w;)

CW_VEC_FAMILY_(signed char, char, 1, 2, 4)
CW_VEC_FAMILY_(unsigned char, uchar, 1, 2, 4)
CW_VEC_FAMILY_(short, short, 2, 4, 8)
CW_VEC_FAMILY_(unsigned short, ushort, 2, 4, 8)
CW_VEC_FAMILY_(int, int, 4, 8, 16)
CW_VEC_FAMILY_(unsigned int, uint, 4, 8, 16)
CW_VEC_FAMILY_(long, long, __SIZEOF_LONG__, 2 * __SIZEOF_LONG__, 16)
CW_VEC_FAMILY_(unsigned long, ulong, __SIZEOF_LONG__, 2 * __SIZEOF_LONG__, 16)
CW_VEC_FAMILY_(long long, longlong, 8, 16, 16)
CW_VEC_FAMILY_(unsigned long long, ulonglong, 8, 16, 16)
CW_VEC_FAMILY_(float, float, 4, 8, 16)
CW_VEC_FAMILY_(double, double, 8, 16, 16)

/* CUDA 13 spells the 4-lane 64-bit types with an explicit alignment. */
CW_VEC_DECL_(long4_16a, 16, long x; long y; long z; long w;)
CW_VEC_DECL_(long4_32a, 32, long x; long y; long z; long w;)
CW_VEC_DECL_(ulong4_16a, 16, unsigned long x; unsigned long y; unsigned long z; unsigned long w;)
CW_VEC_DECL_(ulong4_32a, 32, unsigned long x; unsigned long y; unsigned long z; unsigned long w;)
CW_VEC_DECL_(longlong4_16a, 16, long long x; long long y; long long z; long long w;)
CW_VEC_DECL_(longlong4_32a, 32, long long x; long long y; long long z; long long w;)
CW_VEC_DECL_(ulonglong4_16a, 16, unsigned long long x; unsigned long long y; unsigned long long z;
             unsigned long long w;)
CW_VEC_DECL_(ulonglong4_32a, 32, unsigned long long x; unsigned long long y; unsigned long long z;
             unsigned long long w;)
CW_VEC_DECL_(double4_16a, 16, double x; double y; double z; double w;)
CW_VEC_DECL_(double4_32a, 32, double x; double y; double z; double w;)

#undef CW_VEC_FAMILY_
#undef CW_VEC_DECL_
#undef CW_VEC_DECL_NATURAL_
#undef CW_VEC_ALIGNED_

/* dim3: a uint3 with constructors (C++), defaulting unspecified dimensions to 1. */
#if defined(__cplusplus)
struct dim3 {
  unsigned int x, y, z;
#if __cplusplus >= 201103L
  constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return uint3{x, y, z}; }
#else
  dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
  dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  operator uint3() const { uint3 t; t.x = x; t.y = y; t.z = z; return t; }
#endif
};
#else
struct dim3 { unsigned int x, y, z; };
#endif
typedef struct dim3 dim3;

#endif
