// saxpy: y = a*x + y on floats, one thread per element, bounds check on the last block.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void saxpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

int main() {
  const int n = 100000;  // not a multiple of the block size
  const float a = 2.5f;
  float *hx = new float[n], *hy = new float[n], *ref = new float[n];
  for (int i = 0; i < n; i++) {
    hx[i] = (i % 1000) * 0.25f;
    hy[i] = (float)(i % 7);
    ref[i] = a * hx[i] + hy[i];  // exact: small multiples of 1/8
  }
  float *dx, *dy;
  cudaMalloc(&dx, n * sizeof(float));
  cudaMalloc(&dy, n * sizeof(float));
  cudaMemcpy(dx, hx, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dy, hy, n * sizeof(float), cudaMemcpyHostToDevice);
  int threads = 256;
  saxpy<<<(n + threads - 1) / threads, threads>>>(n, a, dx, dy);
  cudaError_t err = cudaDeviceSynchronize();
  if (err != cudaSuccess) { printf("FAIL launch: %s\n", cudaGetErrorString(err)); return 1; }
  cudaMemcpy(hy, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = 0;
  double sum = 0;
  for (int i = 0; i < n; i++) {
    if (hy[i] != ref[i]) bad++;
    sum += hy[i];
  }
  printf("y[0]=%.3f y[1]=%.3f y[999]=%.3f y[%d]=%.3f\n", hy[0], hy[1], hy[999], n - 1, hy[n - 1]);
  printf("sum=%.3f\n", sum);
  cudaFree(dx);
  cudaFree(dy);
  delete[] hx; delete[] hy; delete[] ref;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
