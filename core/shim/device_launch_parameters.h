/* device_launch_parameters.h — the thread-geometry built-ins.  They exist only in device code;
 * the host view declares them so that headers mentioning them compile, and any host use fails
 * to link, as it cannot mean anything on the host. */
#ifndef CW_SHIM_DEVICE_LAUNCH_PARAMETERS_H
#define CW_SHIM_DEVICE_LAUNCH_PARAMETERS_H

#include "vector_types.h"

#if defined(__cplusplus)
extern "C" {
#endif
extern const uint3 threadIdx;
extern const uint3 blockIdx;
extern const dim3 blockDim;
extern const dim3 gridDim;
extern const int warpSize;
#if defined(__cplusplus)
}
#endif

#endif
