/* cuda_profiler_api.h — profiler control.  With no profiler attached these are no-ops in CUDA
 * too (they return cudaSuccess). */
#ifndef CW_SHIM_CUDA_PROFILER_API_H
#define CW_SHIM_CUDA_PROFILER_API_H

#include "cuda_runtime_api.h"

#if defined(__cplusplus)
extern "C" {
#endif
extern CW_RTAPI cudaError_t cudaProfilerStart(void);
extern CW_RTAPI cudaError_t cudaProfilerStop(void);
#if defined(__cplusplus)
}
#endif

#endif
