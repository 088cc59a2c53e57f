// Device assert: a kernel whose assert holds runs normally; one whose assert fails makes the next
// synchronization return cudaErrorAssert.  (The assert message itself goes to stderr.)
#include <cassert>
#include <cstdio>
#include <cuda_runtime.h>

__global__ void check_non_negative(const int *v, int n, int *checked) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    assert(v[i] >= 0);
    atomicAdd(checked, 1);
  }
}

int main() {
  const int n = 1000;
  int h[n];
  for (int i = 0; i < n; i++) h[i] = i;
  int *d, *dc, checked = 0;
  cudaMalloc(&d, sizeof h);
  cudaMalloc(&dc, sizeof(int));
  cudaMemset(dc, 0, sizeof(int));
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  check_non_negative<<<(n + 127) / 128, 128>>>(d, n, dc);
  cudaError_t e = cudaDeviceSynchronize();
  cudaMemcpy(&checked, dc, sizeof(int), cudaMemcpyDeviceToHost);
  printf("first launch: %s, checked %d\n", cudaGetErrorName(e), checked);
  if (e != cudaSuccess || checked != n) { printf("FAIL first launch\n"); return 1; }

  h[777] = -5;
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  check_non_negative<<<(n + 127) / 128, 128>>>(d, n, dc);
  e = cudaDeviceSynchronize();
  printf("second launch: %s (%d): %s\n", cudaGetErrorName(e), (int)e, cudaGetErrorString(e));
  if (e != cudaErrorAssert) { printf("FAIL expected cudaErrorAssert\n"); return 1; }
  printf("PASS\n");
  return 0;
}
