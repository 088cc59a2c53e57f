// Block reduction in shared memory: tree with __syncthreads in a loop, then a second pass over the
// per-block partial sums.  Integers, so the result is exact whatever the order.
#include <cstdio>
#include <cuda_runtime.h>

#define BLOCK 256

__global__ void reduce_sum(const int *in, long long *partial, int n) {
  __shared__ long long buf[BLOCK];
  int tid = threadIdx.x;
  int i = blockIdx.x * blockDim.x * 2 + threadIdx.x;
  long long v = 0;
  if (i < n) v += in[i];
  if (i + blockDim.x < n) v += in[i + blockDim.x];
  buf[tid] = v;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) buf[tid] += buf[tid + s];
    __syncthreads();
  }
  if (tid == 0) partial[blockIdx.x] = buf[0];
}

__global__ void reduce_max(const int *in, int *out, int n) {
  __shared__ int m[BLOCK];
  int best = -2147483647 - 1;
  for (int i = threadIdx.x; i < n; i += blockDim.x) best = max(best, in[i]);
  m[threadIdx.x] = best;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s /= 2) {
    if (threadIdx.x < s && m[threadIdx.x + s] > m[threadIdx.x]) m[threadIdx.x] = m[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) *out = m[0];
}

int main() {
  const int n = 1000003;
  int *h = new int[n];
  long long want = 0;
  int want_max = -2147483647 - 1;
  for (int i = 0; i < n; i++) {
    h[i] = (int)((i * 2654435761u) % 20001u) - 10000;
    want += h[i];
    if (h[i] > want_max) want_max = h[i];
  }
  int blocks = (n + 2 * BLOCK - 1) / (2 * BLOCK);
  int *d, *dmax; long long *dp;
  cudaMalloc(&d, n * sizeof(int));
  cudaMalloc(&dp, blocks * sizeof(long long));
  cudaMalloc(&dmax, sizeof(int));
  cudaMemcpy(d, h, n * sizeof(int), cudaMemcpyHostToDevice);
  reduce_sum<<<blocks, BLOCK>>>(d, dp, n);
  reduce_max<<<1, BLOCK>>>(d, dmax, n);
  long long *hp = new long long[blocks];
  int got_max;
  cudaMemcpy(hp, dp, blocks * sizeof(long long), cudaMemcpyDeviceToHost);
  cudaMemcpy(&got_max, dmax, sizeof(int), cudaMemcpyDeviceToHost);
  long long got = 0;
  for (int b = 0; b < blocks; b++) got += hp[b];
  printf("blocks=%d\n", blocks);
  printf("sum=%lld expected=%lld\n", got, want);
  printf("max=%d expected=%d\n", got_max, want_max);
  cudaFree(d); cudaFree(dp); cudaFree(dmax);
  delete[] h; delete[] hp;
  if (got != want || got_max != want_max) { printf("FAIL\n"); return 1; }
  printf("PASS\n");
  return 0;
}
