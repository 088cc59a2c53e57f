// Warp-synchronous statements that read what a lower lane stores in the same statement, without
// __syncwarp (older CUDA code): in step, every lane of the warp reads before any lane writes.
//   scan:  the unrolled per-warp inclusive scan (if (lane >= 1) s[i] += s[i - 1]; ... 16)
//   shift: a one-statement systolic shift, s[t] = s[t - 1] * 2 + 1 under if (t > 0)
#include <cstdio>
#include <cuda_runtime.h>

__global__ void scan(const int *in, int *out) {
  __shared__ int s[64];
  int i = threadIdx.x, lane = i & 31;
  s[i] = in[blockIdx.x * 64 + i];
  __syncthreads();
  volatile int *v = s;
  if (lane >= 1) v[i] += v[i - 1];
  if (lane >= 2) v[i] += v[i - 2];
  if (lane >= 4) v[i] += v[i - 4];
  if (lane >= 8) v[i] += v[i - 8];
  if (lane >= 16) v[i] += v[i - 16];
  __syncthreads();
  out[blockIdx.x * 64 + i] = s[i];
}

__global__ void shift(int *out) {
  __shared__ int s[32];
  int t = threadIdx.x;
  s[t] = t;
  __syncthreads();
  for (int n = 0; n < 3; n++) {
    if (t > 0) s[t] = s[t - 1] * 2 + 1;
    __syncthreads();
  }
  out[t] = s[t];
}

int main() {
  const int blocks = 3, n = blocks * 64;
  int h_in[n], h_out[n], shifted[32];
  for (int i = 0; i < n; i++) h_in[i] = (i * 29) % 17 - 8;
  int *d_in, *d_out, *d_shifted;
  cudaMalloc(&d_in, sizeof h_in);
  cudaMalloc(&d_out, sizeof h_out);
  cudaMalloc(&d_shifted, sizeof shifted);
  cudaMemcpy(d_in, h_in, sizeof h_in, cudaMemcpyHostToDevice);
  scan<<<blocks, 64>>>(d_in, d_out);
  shift<<<1, 32>>>(d_shifted);
  cudaMemcpy(h_out, d_out, sizeof h_out, cudaMemcpyDeviceToHost);
  cudaMemcpy(shifted, d_shifted, sizeof shifted, cudaMemcpyDeviceToHost);
  bool ok = true;
  for (int w = 0; w < n / 32; w++) {  // each warp's 32 values, scanned on their own
    int sum = 0;
    for (int l = 0; l < 32; l++) {
      sum += h_in[w * 32 + l];
      if (h_out[w * 32 + l] != sum) ok = false;
    }
  }
  int ref[32], next[32];
  for (int t = 0; t < 32; t++) ref[t] = t;
  for (int s = 0; s < 3; s++) {
    for (int t = 0; t < 32; t++) next[t] = t > 0 ? ref[t - 1] * 2 + 1 : ref[t];
    for (int t = 0; t < 32; t++) ref[t] = next[t];
  }
  for (int t = 0; t < 32; t++)
    if (shifted[t] != ref[t]) ok = false;
  printf("scan: %d %d %d %d\n", h_out[0], h_out[31], h_out[32], h_out[n - 1]);
  printf("shift: %d %d %d %d\n", shifted[0], shifted[1], shifted[2], shifted[31]);
  printf("%s\n", ok ? "PASS" : "FAIL");
  cudaFree(d_in); cudaFree(d_out); cudaFree(d_shifted);
  return ok ? 0 : 1;
}
