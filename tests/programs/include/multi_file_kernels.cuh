// Kernels and device helpers for multi_file.cu, included with #include "include/...".
#ifndef MULTI_FILE_KERNELS_CUH
#define MULTI_FILE_KERNELS_CUH

#include "multi_file_util.h"

__device__ inline int weight(int i) { return MF_WEIGHT(i); }

__global__ void weighted(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = in[i] * weight(i) + MF_OFFSET;
}

#endif
