// Floating-point atomics: atomicAdd on float and double (values chosen so every partial sum is
// exact, so the order of additions cannot matter), and custom atomics built from atomicCAS loops:
// a float atomic max through the int bits and a double add through unsigned long long.
#include <cstdio>
#include <cuda_runtime.h>

__device__ float atomic_max_float(float *addr, float v) {
  int *p = (int *)addr;
  int old = *p, assumed;
  do {
    assumed = old;
    if (__int_as_float(assumed) >= v) break;
    old = atomicCAS(p, assumed, __float_as_int(v));
  } while (old != assumed);
  return __int_as_float(old);
}

__device__ double atomic_add_double_cas(double *addr, double v) {
  unsigned long long *p = (unsigned long long *)addr;
  unsigned long long old = *p, assumed;
  do {
    assumed = old;
    old = atomicCAS(p, assumed, __double_as_longlong(__longlong_as_double((long long)assumed) + v));
  } while (old != assumed);
  return __longlong_as_double((long long)old);
}

__global__ void accumulate(float *fsum, double *dsum, float *fmax, double *dsum_cas, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  atomicAdd(fsum, (float)(i % 8) * 0.5f);
  atomicAdd(dsum, (double)(i % 16) * 0.25 - 1.0);
  atomic_max_float(fmax, (float)((i * 7919) % 10007) * 0.125f - 600.0f);
  atomic_add_double_cas(dsum_cas, (double)(i % 3) * 0.5);
}

int main() {
  const int n = 20000;
  float *fs, *fm; double *ds, *dc;
  cudaMalloc(&fs, sizeof(float)); cudaMalloc(&fm, sizeof(float));
  cudaMalloc(&ds, sizeof(double)); cudaMalloc(&dc, sizeof(double));
  float f0 = 0.0f, fm0 = -1e30f;
  double d0 = 10.0;
  cudaMemcpy(fs, &f0, sizeof f0, cudaMemcpyHostToDevice);
  cudaMemcpy(fm, &fm0, sizeof fm0, cudaMemcpyHostToDevice);
  cudaMemcpy(ds, &d0, sizeof d0, cudaMemcpyHostToDevice);
  cudaMemcpy(dc, &d0, sizeof d0, cudaMemcpyHostToDevice);
  accumulate<<<(n + 255) / 256, 256>>>(fs, ds, fm, dc, n);
  float gfs, gfm; double gds, gdc;
  cudaMemcpy(&gfs, fs, sizeof gfs, cudaMemcpyDeviceToHost);
  cudaMemcpy(&gfm, fm, sizeof gfm, cudaMemcpyDeviceToHost);
  cudaMemcpy(&gds, ds, sizeof gds, cudaMemcpyDeviceToHost);
  cudaMemcpy(&gdc, dc, sizeof gdc, cudaMemcpyDeviceToHost);
  float wfs = 0.0f, wfm = -1e30f;
  double wds = 10.0, wdc = 10.0;
  for (int i = 0; i < n; i++) {
    wfs += (float)(i % 8) * 0.5f;
    wds += (double)(i % 16) * 0.25 - 1.0;
    float m = (float)((i * 7919) % 10007) * 0.125f - 600.0f;
    if (m > wfm) wfm = m;
    wdc += (double)(i % 3) * 0.5;
  }
  printf("float add %.2f (expected %.2f)\n", gfs, wfs);
  printf("double add %.2f (expected %.2f)\n", gds, wds);
  printf("float cas max %.3f (expected %.3f)\n", gfm, wfm);
  printf("double cas add %.2f (expected %.2f)\n", gdc, wdc);
  cudaFree(fs); cudaFree(fm); cudaFree(ds); cudaFree(dc);
  if (gfs != wfs || gds != wds || gfm != wfm || gdc != wdc) { printf("FAIL\n"); return 1; }
  printf("PASS\n");
  return 0;
}
