// A device address handed to a kernel as an integer (an unsigned long long parameter) and turned
// back into a pointer there: directly, inside a __device__ function that returns the pointer,
// through a local copy, and into an allocation at an offset from its start.
#include <cstdio>
#include <cuda_runtime.h>

__device__ float *element(unsigned long long base, int i) { return (float *)base + i; }

__global__ void affine(unsigned long long dst, unsigned long long src, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned long long from = src;
  if (i < n) *element(dst, i) = 2.0f * ((const float *)from)[i] + 1.0f;
}

int main() {
  const int n = 1000;
  static float h[n], out[n + 8];
  for (int i = 0; i < n; i++) h[i] = (float)(i % 97) - 40.0f;
  float *src, *dst;
  cudaMalloc(&src, n * sizeof(float));
  cudaMalloc(&dst, (n + 8) * sizeof(float));
  cudaMemcpy(src, h, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemset(dst, 0, (n + 8) * sizeof(float));
  affine<<<(n + 127) / 128, 128>>>((unsigned long long)(dst + 5), (unsigned long long)src, n);
  cudaMemcpy(out, dst, (n + 8) * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n + 8; i++) {
    float want = i >= 5 && i < n + 5 ? 2.0f * h[i - 5] + 1.0f : 0.0f;
    bad += out[i] != want;
  }
  printf("out: %.0f %.0f %.0f %.0f %.0f\n", out[4], out[5], out[6], out[n + 4], out[n + 5]);
  printf("errors: %s\n", cudaGetErrorName(cudaGetLastError()));
  printf("%d wrong\n%s\n", bad, bad ? "FAIL" : "PASS");
  cudaFree(src);
  cudaFree(dst);
  return bad ? 1 : 0;
}
