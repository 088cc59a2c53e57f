// A chain of __device__ functions (no recursion): helpers calling helpers, pointer and reference
// parameters, an early return, and a __host__ __device__ function used on both sides.
#include <cstdio>
#include <cuda_runtime.h>

__host__ __device__ int mix(int a, int b) { return (a * 31) ^ (b + 7); }

__device__ int clamp_index(int i, int n) {
  if (i < 0) return 0;
  if (i >= n) return n - 1;
  return i;
}

__device__ void accumulate(int &acc, const int *v, int i, int n) { acc += v[clamp_index(i, n)]; }

__device__ int window_sum(const int *v, int i, int n, int radius) {
  int acc = 0;
  for (int k = -radius; k <= radius; k++) accumulate(acc, v, i + k, n);
  return acc;
}

__device__ int stage2(const int *v, int i, int n) { return mix(window_sum(v, i, n, 2), i); }

__device__ void stage3(int *out, const int *v, int i, int n) {
  int s = stage2(v, i, n);
  out[i] = s % 2 == 0 ? s / 2 : -s;
}

__global__ void pipeline(const int *v, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) stage3(out, v, i, n);
}

int main() {
  const int n = 5000;
  int *v = new int[n], *out = new int[n];
  for (int i = 0; i < n; i++) v[i] = (i * 7) % 23 - 11;
  int *dv, *dout;
  cudaMalloc(&dv, n * sizeof(int)); cudaMalloc(&dout, n * sizeof(int));
  cudaMemcpy(dv, v, n * sizeof(int), cudaMemcpyHostToDevice);
  pipeline<<<(n + 255) / 256, 256>>>(dv, dout, n);
  cudaMemcpy(out, dout, n * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  long long sum = 0;
  for (int i = 0; i < n; i++) {
    int acc = 0;
    for (int k = -2; k <= 2; k++) {
      int j = i + k < 0 ? 0 : (i + k >= n ? n - 1 : i + k);
      acc += v[j];
    }
    int s = mix(acc, i);
    bad += out[i] != (s % 2 == 0 ? s / 2 : -s);
    sum += out[i];
  }
  printf("out[0]=%d out[1]=%d out[4999]=%d sum=%lld\n", out[0], out[1], out[n - 1], sum);
  cudaFree(dv); cudaFree(dout);
  delete[] v; delete[] out;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
