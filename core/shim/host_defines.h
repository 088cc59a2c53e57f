/* host_defines.h — CUDA's declaration specifiers, as the HOST compiler sees them.
 *
 * cwrun/cwcc compile the host view of a .cu file with the system C++ compiler: __global__ functions
 * have become launch stubs and device-only code is gone, so the execution-space specifiers expand
 * to nothing.  __CUDACC__ and __CUDA_ARCH__ are deliberately NOT defined: this is the host view. */
#ifndef CW_SHIM_HOST_DEFINES_H
#define CW_SHIM_HOST_DEFINES_H

#define __host__
#define __device__
#define __global__
#define __shared__
#define __constant__
#define __managed__
#define __grid_constant__
/* No __noinline__ macro: libstdc++ (GCC 13+) spells __attribute__((__noinline__)), which a macro
 * would break.  The host rewrite spells the attribute out where the user wrote __noinline__. */
#define __forceinline__ inline __attribute__((always_inline))
#define __inline_hint__
#define __launch_bounds__(...)
#define __maxnreg__(n)
#define __cluster_dims__(...)
/* __restrict__ is a GCC/Clang keyword already. */
#define __builtin_align__(n) __align__(n)
#define __import__
#define __export__
#define __cdecl
#define __annotate__(a) __attribute__((a))
#define __location__(a) __annotate__(a)
#define __cudart_builtin__
#define __device_builtin__
#define __device_builtin_texture_type__
#define __device_builtin_surface_texture_type__
#define CUDARTAPI
#define CUDART_CB

#if defined(__cplusplus) && __cplusplus >= 201103L
#define __align__(n) alignas(n)
#else
#define __align__(n) __attribute__((aligned(n)))
#endif

#if defined(__cplusplus) && __cplusplus >= 201402L
#define __CUDA_DEPRECATED [[deprecated]]
#else
#define __CUDA_DEPRECATED
#endif

/* libcw exports the runtime API from a library built with -fvisibility=hidden. */
#if defined(CW_BUILDING_LIBCW)
#define CW_RTAPI __attribute__((visibility("default")))
#else
#define CW_RTAPI
#endif

#endif
