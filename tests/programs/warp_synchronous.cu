// Warp-synchronous shared-memory code, written without __syncwarp as older CUDA code is: the lanes
// of a warp run each statement together, so every lane reads before any lane writes.
//   reduce: the classic volatile tail of a block reduction (s[t] += s[t + 16]; s[t] += s[t + 8]...),
//   once in a __device__ function taking the shared array, once written out in the kernel
//   pipeline: a systolic shift where lane t reads its left neighbour's value of the previous step
//   and then overwrites its own (a barrier only at the end of each step).
#include <cstdio>
#include <cuda_runtime.h>

__device__ void warp_reduce(volatile int *v, int t) {
  v[t] += v[t + 32];
  v[t] += v[t + 16];
  v[t] += v[t + 8];
  v[t] += v[t + 4];
  v[t] += v[t + 2];
  v[t] += v[t + 1];
}

__global__ void reduce(const int *in, int *out, int *out2) {
  __shared__ int s[128];
  int t = threadIdx.x;
  s[t] = in[blockIdx.x * 128 + t];
  __syncthreads();
  if (t < 64) s[t] += s[t + 64];
  __syncthreads();
  int first = s[t];
  __syncthreads();
  if (t < 32) warp_reduce(s, t);  // as a function (the CUDA samples' form)
  if (t == 0) out[blockIdx.x] = s[0];
  __syncthreads();
  s[t] = first;
  __syncthreads();
  if (t < 32) {  // written out
    volatile int *v = s;
    v[t] += v[t + 32];
    v[t] += v[t + 16];
    v[t] += v[t + 8];
    v[t] += v[t + 4];
    v[t] += v[t + 2];
    v[t] += v[t + 1];
  }
  if (t == 0) out2[blockIdx.x] = s[0];
}

__global__ void pipeline(const int *in, int steps, int *out) {
  __shared__ int s[32];
  int t = threadIdx.x;
  s[t] = -1;
  __syncthreads();
  for (int n = 0; n < steps; n++) {
    int x;
    if (t == 0) x = in[n];
    else x = s[t - 1];
    s[t] = x + t + 1;
    __syncthreads();
  }
  out[t] = s[t];
}

int main() {
  const int blocks = 3, n = blocks * 128, steps = 40;
  int h_in[n], sums[blocks], sums2[blocks], piped[32];
  for (int i = 0; i < n; i++) h_in[i] = (i * 37) % 23 - 11;
  int *d_in, *d_sums, *d_sums2, *d_piped;
  cudaMalloc(&d_in, sizeof h_in);
  cudaMalloc(&d_sums, sizeof sums);
  cudaMalloc(&d_sums2, sizeof sums2);
  cudaMalloc(&d_piped, sizeof piped);
  cudaMemcpy(d_in, h_in, sizeof h_in, cudaMemcpyHostToDevice);
  reduce<<<blocks, 128>>>(d_in, d_sums, d_sums2);
  pipeline<<<1, 32>>>(d_in, steps, d_piped);
  cudaMemcpy(sums, d_sums, sizeof sums, cudaMemcpyDeviceToHost);
  cudaMemcpy(sums2, d_sums2, sizeof sums2, cudaMemcpyDeviceToHost);
  cudaMemcpy(piped, d_piped, sizeof piped, cudaMemcpyDeviceToHost);

  bool ok = true;
  for (int b = 0; b < blocks; b++) {
    int want = 0;
    for (int i = 0; i < 128; i++) want += h_in[b * 128 + i];
    if (sums[b] != want || sums2[b] != want) ok = false;
  }
  int ref[32], next[32];
  for (int t = 0; t < 32; t++) ref[t] = -1;
  for (int s = 0; s < steps; s++) {  // every lane reads the previous step's values
    for (int t = 0; t < 32; t++) next[t] = (t == 0 ? h_in[s] : ref[t - 1]) + t + 1;
    for (int t = 0; t < 32; t++) ref[t] = next[t];
  }
  for (int t = 0; t < 32; t++)
    if (piped[t] != ref[t]) ok = false;
  printf("block sums: %d %d %d\n", sums[0], sums[1], sums[2]);
  printf("pipeline: %d %d %d %d\n", piped[0], piped[1], piped[5], piped[31]);
  printf("%s\n", ok ? "PASS" : "FAIL");
  cudaFree(d_in); cudaFree(d_sums); cudaFree(d_sums2); cudaFree(d_piped);
  return ok ? 0 : 1;
}
