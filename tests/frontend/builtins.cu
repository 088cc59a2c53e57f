// CUDA builtins: math, intrinsics, warp operations, vector types, half, printf, assert.
#include <cuda_fp16.h>
#include <assert.h>
__global__ void b(float4 *v, double *d, unsigned long long *u, __half *h, int *i) {
  int lane = threadIdx.x % warpSize;
  float4 a = make_float4(1.0f, 2.0f, 3.0f, 4.0f);
  a.x = sqrtf(a.y) + __expf(a.z) + rsqrtf(a.w) + fminf(a.x, 2) + min(lane, 3) + fabs(a.x);
  float s, c;
  sincosf(a.x, &s, &c);
  d[0] = sqrt(d[1]) + pow(d[2], 2.0) + max(d[3], 1.0f) + std::min(1.0, d[0]);
  unsigned mask = __ballot_sync(0xffffffffu, lane < 16);
  int sum = __shfl_down_sync(mask, i[lane], 1);
  sum += __shfl_xor_sync(0xffffffff, sum, 4, 16) + __popc(mask) + __clzll(u[0]) + __ffs(sum);
  atomicAdd(u, 1ull);
  atomicMax(i, sum);
  atomicCAS(i + 1, 0, 1);
  atomicExch(&v[0].x, 1.0f);
  i[2] = __float_as_int(s) + __float2int_rn(c);
  h[0] = __float2half(__half2float(h[1]) * 2.0f);
  float hs = h[0] + h[1];
  v[lane] = a;
  assert(lane >= 0);
  printf("lane %d sum %d s %f hs %f\n", lane, sum, s, hs);
  __syncwarp();
  __threadfence();
}
