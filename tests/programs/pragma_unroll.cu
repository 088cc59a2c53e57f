// #pragma unroll in its three forms (full, with a count, and "unroll 1" to forbid it), over loops with
// constant and runtime trip counts, and a per-thread local array indexed by the loop variable.
#include <cstdio>
#include <cuda_runtime.h>

#define K 8

__global__ void poly(const float *x, float *y, const int *reps, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float coef[K];
#pragma unroll
  for (int k = 0; k < K; k++) coef[k] = (float)(k + 1) * 0.5f;
  float v = x[i], acc = 0.0f;
#pragma unroll 4
  for (int k = K - 1; k >= 0; k--) acc = acc * v + coef[k];  // Horner
  int total = 0;
#pragma unroll 1
  for (int r = 0; r < reps[i]; r++) total += r;
  y[i] = acc + (float)total;
}

int main() {
  const int n = 4000;
  float *x = new float[n], *y = new float[n];
  int *reps = new int[n];
  for (int i = 0; i < n; i++) { x[i] = (float)(i % 5) * 0.5f - 1.0f; reps[i] = i % 17; }
  float *dx, *dy; int *dr;
  cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float)); cudaMalloc(&dr, n * sizeof(int));
  cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dr, reps, n * sizeof(int), cudaMemcpyHostToDevice);
  poly<<<(n + 127) / 128, 128>>>(dx, dy, dr, n);
  cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) {
    float acc = 0.0f;
    for (int k = K - 1; k >= 0; k--) acc = acc * x[i] + (float)(k + 1) * 0.5f;  // exact: x in {-1,-.5,0,.5,1}
    int total = reps[i] * (reps[i] - 1) / 2;
    bad += y[i] != acc + (float)total;
  }
  printf("y[0]=%.5f y[1]=%.5f y[2]=%.5f y[3]=%.5f y[4]=%.5f y[16]=%.5f\n", y[0], y[1], y[2], y[3], y[4], y[16]);
  cudaFree(dx); cudaFree(dy); cudaFree(dr);
  delete[] x; delete[] y; delete[] reps;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
