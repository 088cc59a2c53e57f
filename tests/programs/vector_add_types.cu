// Vector addition on int, float and double arrays: three kernels, three element types.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void add_int(const int *a, const int *b, int *c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}
__global__ void add_float(const float *a, const float *b, float *c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}
__global__ void add_double(const double *a, const double *b, double *c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}

int main() {
  const int n = 50000;
  int *ia = new int[n], *ib = new int[n], *ic = new int[n];
  float *fa = new float[n], *fb = new float[n], *fc = new float[n];
  double *da = new double[n], *db = new double[n], *dc = new double[n];
  for (int i = 0; i < n; i++) {
    ia[i] = i * 3 - 70000; ib[i] = 12345 - i;
    fa[i] = i * 0.5f; fb[i] = -0.25f * (i % 13);
    da[i] = i * 1e-3; db[i] = 1.0 / (1 + i % 5);
  }
  int *dia, *dib, *dic; float *dfa, *dfb, *dfc; double *dda, *ddb, *ddc;
  cudaMalloc(&dia, n * sizeof(int)); cudaMalloc(&dib, n * sizeof(int)); cudaMalloc(&dic, n * sizeof(int));
  cudaMalloc(&dfa, n * sizeof(float)); cudaMalloc(&dfb, n * sizeof(float)); cudaMalloc(&dfc, n * sizeof(float));
  cudaMalloc(&dda, n * sizeof(double)); cudaMalloc(&ddb, n * sizeof(double)); cudaMalloc(&ddc, n * sizeof(double));
  cudaMemcpy(dia, ia, n * sizeof(int), cudaMemcpyHostToDevice);
  cudaMemcpy(dib, ib, n * sizeof(int), cudaMemcpyHostToDevice);
  cudaMemcpy(dfa, fa, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dfb, fb, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dda, da, n * sizeof(double), cudaMemcpyHostToDevice);
  cudaMemcpy(ddb, db, n * sizeof(double), cudaMemcpyHostToDevice);
  dim3 block(128), grid((n + 127) / 128);
  add_int<<<grid, block>>>(dia, dib, dic, n);
  add_float<<<grid, block>>>(dfa, dfb, dfc, n);
  add_double<<<grid, block>>>(dda, ddb, ddc, n);
  cudaMemcpy(ic, dic, n * sizeof(int), cudaMemcpyDeviceToHost);
  cudaMemcpy(fc, dfc, n * sizeof(float), cudaMemcpyDeviceToHost);
  cudaMemcpy(dc, ddc, n * sizeof(double), cudaMemcpyDeviceToHost);
  int bad = 0;
  long long isum = 0;
  for (int i = 0; i < n; i++) {
    if (ic[i] != ia[i] + ib[i]) bad++;
    if (fc[i] != fa[i] + fb[i]) bad++;
    if (dc[i] != da[i] + db[i]) bad++;  // IEEE addition is exact-rounded on both sides
    isum += ic[i];
  }
  printf("int: c[0]=%d c[%d]=%d sum=%lld\n", ic[0], n - 1, ic[n - 1], isum);
  printf("float: c[7]=%.2f c[%d]=%.2f\n", fc[7], n - 1, fc[n - 1]);
  printf("double: c[4]=%.6f c[%d]=%.6f\n", dc[4], n - 1, dc[n - 1]);
  if (cudaGetLastError() != cudaSuccess) bad++;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
