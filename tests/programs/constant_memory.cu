// Constant memory: a __constant__ array filled with cudaMemcpyToSymbol (also at an offset), a
// __constant__ scalar and a __constant__ array with initializers, read back with cudaMemcpyFromSymbol.
#include <cstdio>
#include <cuda_runtime.h>

#define TAPS 9

__constant__ float weights[TAPS];
__constant__ int bias = 1000;
__constant__ int lut[4] = {3, 1, 4, 1};

__global__ void convolve(const float *in, float *out, int *tag, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float acc = 0.0f;
  for (int k = 0; k < TAPS; k++) {
    int j = i + k - TAPS / 2;
    if (j >= 0 && j < n) acc += weights[k] * in[j];
  }
  out[i] = acc;
  tag[i] = bias + lut[i % 4];
}

int main() {
  const int n = 2048;
  float w[TAPS] = {1, 2, 3, 4, 5, 4, 3, 2, 1};
  float upper[2] = {0.5f, 0.25f};
  cudaMemcpyToSymbol(weights, w, sizeof w);
  cudaMemcpyToSymbol(weights, upper, sizeof upper, 7 * sizeof(float));  // taps 7 and 8
  w[7] = 0.5f; w[8] = 0.25f;
  float check[TAPS];
  cudaMemcpyFromSymbol(check, weights, sizeof check);
  int bias_back = 0;
  cudaMemcpyFromSymbol(&bias_back, bias, sizeof(int));
  float *h = new float[n], *r = new float[n];
  int *t = new int[n];
  for (int i = 0; i < n; i++) h[i] = (float)(i % 16) - 8.0f;
  float *din, *dout; int *dt;
  cudaMalloc(&din, n * sizeof(float)); cudaMalloc(&dout, n * sizeof(float)); cudaMalloc(&dt, n * sizeof(int));
  cudaMemcpy(din, h, n * sizeof(float), cudaMemcpyHostToDevice);
  convolve<<<n / 256, 256>>>(din, dout, dt, n);
  cudaMemcpy(r, dout, n * sizeof(float), cudaMemcpyDeviceToHost);
  cudaMemcpy(t, dt, n * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  const int l[4] = {3, 1, 4, 1};
  for (int k = 0; k < TAPS; k++) bad += check[k] != w[k];
  bad += bias_back != 1000;
  for (int i = 0; i < n; i++) {
    float acc = 0.0f;
    for (int k = 0; k < TAPS; k++) {
      int j = i + k - TAPS / 2;
      if (j >= 0 && j < n) acc += w[k] * h[j];
    }
    bad += r[i] != acc;  // small multiples of 1/4: exact
    bad += t[i] != 1000 + l[i % 4];
  }
  printf("weights back: %.2f %.2f %.2f bias=%d\n", check[0], check[7], check[8], bias_back);
  printf("out[0]=%.2f out[100]=%.2f out[2047]=%.2f tag[0..3]=%d %d %d %d\n", r[0], r[100], r[n - 1], t[0], t[1],
         t[2], t[3]);
  delete[] h; delete[] r; delete[] t;
  cudaFree(din); cudaFree(dout); cudaFree(dt);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
