// Empty structs: stateless functors passed by value to a template kernel, an empty struct as a
// member of a struct given by value (its C++ size 1 decides where the next member lies), and
// sizeof of both in device code.
#include <cstdio>
#include <cuda_runtime.h>

struct Plus {
  __device__ float operator()(float a, float b) const { return a + b; }
};
struct Times {
  __device__ float operator()(float a, float b) const { return a * b; }
};
struct Tag {};
struct Tagged {
  Tag tag;
  char c;
  int k;
};

template <typename Op>
__global__ void combine(const float *x, const float *y, float *z, int n, Op op) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) z[i] = op(x[i], y[i]);
}

__global__ void layout(Tagged t, int *out) {
  out[0] = (int)sizeof(Tag);
  out[1] = (int)sizeof(Tagged);
  out[2] = t.c;
  out[3] = t.k;
}

int main() {
  const int n = 300;
  float hx[n], hy[n], hz[n];
  for (int i = 0; i < n; i++) hx[i] = (float)i, hy[i] = (float)(i % 7);
  float *x, *y, *z;
  int *o;
  cudaMalloc(&x, sizeof hx); cudaMalloc(&y, sizeof hy); cudaMalloc(&z, sizeof hz);
  cudaMalloc(&o, 4 * sizeof(int));
  cudaMemcpy(x, hx, sizeof hx, cudaMemcpyHostToDevice);
  cudaMemcpy(y, hy, sizeof hy, cudaMemcpyHostToDevice);
  int bad = 0;

  combine<<<(n + 127) / 128, 128>>>(x, y, z, n, Plus());
  cudaMemcpy(hz, z, sizeof hz, cudaMemcpyDeviceToHost);
  for (int i = 0; i < n; i++) bad += hz[i] != hx[i] + hy[i];
  printf("plus: %.1f %.1f\n", hz[10], hz[299]);

  combine<<<(n + 127) / 128, 128>>>(x, y, z, n, Times{});
  cudaMemcpy(hz, z, sizeof hz, cudaMemcpyDeviceToHost);
  for (int i = 0; i < n; i++) bad += hz[i] != hx[i] * hy[i];
  printf("times: %.1f %.1f\n", hz[10], hz[299]);

  Tagged t;
  t.c = 'q';
  t.k = 123456;
  layout<<<1, 1>>>(t, o);
  int ho[4];
  cudaMemcpy(ho, o, sizeof ho, cudaMemcpyDeviceToHost);
  printf("sizeof(Tag)=%d sizeof(Tagged)=%d c=%c k=%d\n", ho[0], ho[1], ho[2], ho[3]);
  bad += ho[0] != (int)sizeof(Tag) || ho[1] != (int)sizeof(Tagged) || ho[2] != 'q' || ho[3] != 123456;

  cudaFree(x); cudaFree(y); cudaFree(z); cudaFree(o);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
