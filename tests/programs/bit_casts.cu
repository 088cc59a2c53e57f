// Bit reinterpretation intrinsics: __float_as_int, __int_as_float, __float_as_uint, __uint_as_float,
// __double_as_longlong, __longlong_as_double, __double2hiint, __double2loint, __hiloint2double.
#include <cstdio>
#include <cstring>
#include <cuda_runtime.h>

__global__ void casts(const float *f, const double *d, int *fi, float *back, unsigned *sign_cleared,
                      long long *dl, int *hi, int *lo, double *rebuilt, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  fi[i] = __float_as_int(f[i]);
  back[i] = __int_as_float(fi[i] ^ (int)0x80000000);  // negate through the sign bit
  sign_cleared[i] = __float_as_uint(__uint_as_float(__float_as_uint(f[i]) & 0x7fffffffu));
  dl[i] = __double_as_longlong(d[i]);
  hi[i] = __double2hiint(d[i]);
  lo[i] = __double2loint(d[i]);
  rebuilt[i] = __hiloint2double(hi[i], lo[i]) + __longlong_as_double(dl[i]);
}

int main() {
  const int n = 8;
  float f[n] = {1.0f, -2.0f, 0.5f, 0.0f, -0.0f, 3.4028235e38f, 1.17549435e-38f, 123.456f};
  double d[n] = {1.0, -2.0, 0.1, 0.0, -0.0, 1e300, 4.9e-324, 123.456};
  int fi[n], hi[n], lo[n]; float back[n]; unsigned sc[n]; long long dl[n]; double rb[n];
  float *df, *dback; double *dd, *drb; int *dfi, *dhi, *dlo; unsigned *dsc; long long *ddl;
  cudaMalloc(&df, sizeof f); cudaMalloc(&dd, sizeof d); cudaMalloc(&dfi, sizeof fi); cudaMalloc(&dback, sizeof back);
  cudaMalloc(&dsc, sizeof sc); cudaMalloc(&ddl, sizeof dl); cudaMalloc(&dhi, sizeof hi); cudaMalloc(&dlo, sizeof lo);
  cudaMalloc(&drb, sizeof rb);
  cudaMemcpy(df, f, sizeof f, cudaMemcpyHostToDevice);
  cudaMemcpy(dd, d, sizeof d, cudaMemcpyHostToDevice);
  casts<<<1, 32>>>(df, dd, dfi, dback, dsc, ddl, dhi, dlo, drb, n);
  cudaMemcpy(fi, dfi, sizeof fi, cudaMemcpyDeviceToHost);
  cudaMemcpy(back, dback, sizeof back, cudaMemcpyDeviceToHost);
  cudaMemcpy(sc, dsc, sizeof sc, cudaMemcpyDeviceToHost);
  cudaMemcpy(dl, ddl, sizeof dl, cudaMemcpyDeviceToHost);
  cudaMemcpy(hi, dhi, sizeof hi, cudaMemcpyDeviceToHost);
  cudaMemcpy(lo, dlo, sizeof lo, cudaMemcpyDeviceToHost);
  cudaMemcpy(rb, drb, sizeof rb, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) {
    int wi; long long wl;
    memcpy(&wi, &f[i], 4);
    memcpy(&wl, &d[i], 8);
    float neg = -f[i];
    unsigned wsc = (unsigned)wi & 0x7fffffffu;
    bad += fi[i] != wi || memcmp(&back[i], &neg, 4) != 0 || sc[i] != wsc;
    bad += dl[i] != wl || hi[i] != (int)(wl >> 32) || lo[i] != (int)(unsigned)(wl & 0xffffffffLL);
    bad += rb[i] != d[i] + d[i];
    printf("%d: %08x %016llx %08x %08x\n", i, (unsigned)fi[i], (unsigned long long)dl[i], (unsigned)hi[i],
           (unsigned)lo[i]);
  }
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
