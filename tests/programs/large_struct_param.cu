// Kernel parameters larger than some APIs pass directly (OpenCL guarantees only 1024 bytes of
// arguments): a 1.6 KB struct of coefficients by value, and a struct that holds a table of
// device pointers next to 2 KB of other data.
#include <cstdio>
#include <cuda_runtime.h>

struct Poly {
  int degree;
  float c[400];
};

struct Tables {
  const int *src[8];
  int bias[512];
};

__global__ void eval(Poly p, const float *x, float *y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float acc = 0.0f;
  for (int k = p.degree; k >= 0; k--) acc = acc * x[i] + p.c[k];
  y[i] = acc;
}

__global__ void gather(Tables t, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  out[i] = t.src[i % 8][i / 8] + t.bias[i % 512];
}

int main() {
  const int n = 1024;
  Poly p;
  p.degree = 399;
  for (int k = 0; k < 400; k++) p.c[k] = (k % 3) - 1;  // -1, 0, 1, ...
  float hx[n], hy[n];
  for (int i = 0; i < n; i++) hx[i] = (i % 2) ? -1.0f : 1.0f;
  float *dx, *dy;
  cudaMalloc(&dx, sizeof hx);
  cudaMalloc(&dy, sizeof hy);
  cudaMemcpy(dx, hx, sizeof hx, cudaMemcpyHostToDevice);
  eval<<<n / 128, 128>>>(p, dx, dy, n);
  cudaMemcpy(hy, dy, sizeof hy, cudaMemcpyDeviceToHost);
  // x = 1: sum of c = 133*(-1+0+1) + c[399] (399 % 3 == 0: -1) = -1
  // x = -1: sum c[k](-1)^k
  float want1 = 0, wantm1 = 0;
  for (int k = 0; k < 400; k++) want1 += p.c[k], wantm1 += (k % 2 ? -1 : 1) * p.c[k];
  int bad = 0;
  for (int i = 0; i < n; i++) bad += hy[i] != ((i % 2) ? wantm1 : want1);
  printf("eval: y[0]=%.1f y[1]=%.1f\n", hy[0], hy[1]);

  Tables t;
  int *dsrc[8];
  for (int s = 0; s < 8; s++) {
    int h[n / 8];
    for (int j = 0; j < n / 8; j++) h[j] = s * 1000 + j;
    cudaMalloc(&dsrc[s], sizeof h);
    cudaMemcpy(dsrc[s], h, sizeof h, cudaMemcpyHostToDevice);
    t.src[s] = dsrc[s];
  }
  for (int b = 0; b < 512; b++) t.bias[b] = b * 7;
  int *dout, hout[n];
  cudaMalloc(&dout, sizeof hout);
  gather<<<n / 256, 256>>>(t, dout, n);
  cudaMemcpy(hout, dout, sizeof hout, cudaMemcpyDeviceToHost);
  long long sum = 0;
  for (int i = 0; i < n; i++) {
    bad += hout[i] != (i % 8) * 1000 + i / 8 + (i % 512) * 7;
    sum += hout[i];
  }
  printf("gather: out[0]=%d out[9]=%d out[1023]=%d sum=%lld\n", hout[0], hout[9], hout[1023], sum);
  for (int s = 0; s < 8; s++) cudaFree(dsrc[s]);
  cudaFree(dx); cudaFree(dy); cudaFree(dout);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
