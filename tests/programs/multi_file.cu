// A program split over files: kernels in include/multi_file_kernels.cuh, which includes a macro
// header of its own; the host code here uses the same macros.
#include <cstdio>
#include <cuda_runtime.h>

#include "include/multi_file_kernels.cuh"

int main() {
  const int n = 2500;
  int *h = new int[n], *r = new int[n];
  for (int i = 0; i < n; i++) h[i] = i - 1000;
  int *din, *dout;
  cudaMalloc(&din, n * sizeof(int)); cudaMalloc(&dout, n * sizeof(int));
  cudaMemcpy(din, h, n * sizeof(int), cudaMemcpyHostToDevice);
  weighted<<<(n + 255) / 256, 256>>>(din, dout, n);
  cudaMemcpy(r, dout, n * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) bad += r[i] != h[i] * MF_WEIGHT(i) + MF_OFFSET;
  printf("r[0]=%d r[1]=%d r[2499]=%d\n", r[0], r[1], r[n - 1]);
  cudaFree(din); cudaFree(dout);
  delete[] h; delete[] r;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
