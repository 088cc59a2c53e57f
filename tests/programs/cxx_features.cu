// C++ in device code: typedef and using aliases, enum class, constexpr, auto, references, static_cast
// and reinterpret_cast, a union, a lambda, __forceinline__, __launch_bounds__, __restrict__, __ldg,
// and the min/max overloads.
#include <cstdio>
#include <cuda_runtime.h>

typedef unsigned int u32;
using real = float;
enum class Mode : int { Keep = 0, Negate = 1, Halve = 2 };
constexpr int kMagic = 12;

union Bits {
  float f;
  u32 u;
};

__device__ __forceinline__ real apply(Mode m, real v) {
  switch (m) {
  case Mode::Negate: return -v;
  case Mode::Halve: return v * 0.5f;
  default: return v;
  }
}

__device__ void swap_if_greater(int &a, int &b) {
  if (a > b) { int t = a; a = b; b = t; }
}

__global__ void __launch_bounds__(128) features(const float *__restrict__ in, float *__restrict__ out,
                                                u32 *bits, int *sorted, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  auto v = __ldg(&in[i]);
  Mode m = static_cast<Mode>(i % 3);
  auto square_plus = [=](real x) { return x * x + static_cast<real>(kMagic); };
  out[i] = square_plus(apply(m, v));
  Bits b;
  b.f = v;
  bits[i] = b.u ^ *reinterpret_cast<const u32 *>(&in[i]);  // same bits: always 0
  int lo = i % 7, hi = i % 5;
  swap_if_greater(lo, hi);
  sorted[i] = min(lo, hi) * 10 + max(lo, hi) + (int)(max(0u, (u32)lo) - min(1u, (u32)hi));
}

int main() {
  const int n = 1000;
  float in[n], out[n];
  unsigned bits[n];
  int sorted[n];
  for (int i = 0; i < n; i++) in[i] = (float)(i % 21) - 10.0f;
  float *din, *dout; unsigned *dbits; int *dsorted;
  cudaMalloc(&din, sizeof in); cudaMalloc(&dout, sizeof out); cudaMalloc(&dbits, sizeof bits);
  cudaMalloc(&dsorted, sizeof sorted);
  cudaMemcpy(din, in, sizeof in, cudaMemcpyHostToDevice);
  features<<<(n + 127) / 128, 128>>>(din, dout, dbits, dsorted, n);
  cudaMemcpy(out, dout, sizeof out, cudaMemcpyDeviceToHost);
  cudaMemcpy(bits, dbits, sizeof bits, cudaMemcpyDeviceToHost);
  cudaMemcpy(sorted, dsorted, sizeof sorted, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) {
    float v = in[i];
    float a = i % 3 == 1 ? -v : i % 3 == 2 ? v * 0.5f : v;
    bad += out[i] != a * a + 12.0f;
    bad += bits[i] != 0;
    int lo = i % 7, hi = i % 5;
    if (lo > hi) { int t = lo; lo = hi; hi = t; }
    bad += sorted[i] != lo * 10 + hi + (int)((unsigned)lo - (hi < 1 ? (unsigned)hi : 1u));
  }
  printf("out[0]=%.2f out[1]=%.2f out[2]=%.2f sorted[13]=%d sorted[34]=%d\n", out[0], out[1], out[2], sorted[13],
         sorted[34]);
  cudaFree(din); cudaFree(dout); cudaFree(dbits); cudaFree(dsorted);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
