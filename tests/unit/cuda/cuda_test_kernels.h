/* cuda_test_kernels.h — hand-built IR modules for the cuda tests, beyond tests/unit/ir's samples:
 * what the front end would build for the CUDA shown with each. */
#ifndef CUDA_TEST_KERNELS_H
#define CUDA_TEST_KERNELS_H

#include "ir_samples.h"

/* __global__ void block_sum(const float *in, float *out, int n) {
 *   __shared__ float s[256];
 *   unsigned t = threadIdx.x; int i = blockIdx.x * blockDim.x + threadIdx.x;
 *   s[t] = i < n ? in[i] : 0.0f; __syncthreads();
 *   for (unsigned stride = blockDim.x / 2; stride > 0; stride >>= 1) {
 *     if (t < stride) s[t] += s[t + stride];
 *     __syncthreads();
 *   }
 *   if (t == 0) atomicAdd(out, s[0]);
 * } */
cw_ir_module *kernels_block_sum(void);

/* __global__ void big_shared(float *out, int n) {   // extern __shared__ float dyn[];
 *   int t = threadIdx.x; dyn[n - 1 - t] = (float)t; __syncthreads();
 *   out[t] = dyn[n - 1 - t] + 1.0f;
 * } */
cw_ir_module *kernels_big_shared(void);

/* __global__ void fault(int *p) { p[threadIdx.x + 0x10000000] = 1; } */
cw_ir_module *kernels_fault(void);

/* __global__ void assert_fail(int *p) { p[threadIdx.x] = 1; assert(threadIdx.x < 16); } */
cw_ir_module *kernels_assert_fail(void);

#endif
