// Half precision: float -> half -> float round trips (round to nearest even, overflow to infinity,
// subnormals, underflow to zero) and half arithmetic with __hadd, __hmul, __hsub and __hneg, checked
// against a host model of IEEE binary16 rounding.
#include <cmath>
#include <cstdio>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

__global__ void halves(const float *a, const float *b, float *trip, float *sum, float *prod, float *diff, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  __half ha = __float2half(a[i]);
  __half hb = __float2half_rn(b[i]);
  trip[i] = __half2float(ha);
  sum[i] = __half2float(__hadd(ha, hb));
  prod[i] = __half2float(__hmul(ha, hb));
  diff[i] = __half2float(__hneg(__hsub(ha, hb)));
}

// The nearest binary16 value (ties to even), as a double.
static double to_half(double v) {
  if (std::isnan(v)) return v;
  double a = fabs(v);
  if (a >= 65520.0) return copysign(INFINITY, v);
  int e;
  frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  double q = e - 11 < -24 ? ldexp(1.0, -24) : ldexp(1.0, e - 11);  // spacing of halves near a
  return copysign(nearbyint(a / q) * q, v);
}

int main() {
  const float special[] = {1.0f, 0.1f, 65504.0f, 65519.0f, 65520.0f, 1e-5f, -2.5f, 3.14159f,
                           1.0f / 3.0f, 1e-8f, 2049.0f, 2051.0f, -0.0f, 6.1e-5f, 1000.7f, -7.0e4f};
  const int ns = sizeof special / sizeof special[0];
  const int n = 512;
  float a[n], b[n], t[n], s[n], p[n], d[n];
  for (int i = 0; i < n; i++) {
    a[i] = i < ns ? special[i] : (float)((i * 37) % 401 - 200) * 0.173f;
    b[i] = (float)((i * 11) % 97 - 48) * 0.061f;
  }
  float *da, *db, *dt, *ds, *dp, *dd;
  cudaMalloc(&da, sizeof a); cudaMalloc(&db, sizeof b); cudaMalloc(&dt, sizeof t);
  cudaMalloc(&ds, sizeof s); cudaMalloc(&dp, sizeof p); cudaMalloc(&dd, sizeof d);
  cudaMemcpy(da, a, sizeof a, cudaMemcpyHostToDevice);
  cudaMemcpy(db, b, sizeof b, cudaMemcpyHostToDevice);
  halves<<<4, 128>>>(da, db, dt, ds, dp, dd, n);
  cudaMemcpy(t, dt, sizeof t, cudaMemcpyDeviceToHost);
  cudaMemcpy(s, ds, sizeof s, cudaMemcpyDeviceToHost);
  cudaMemcpy(p, dp, sizeof p, cudaMemcpyDeviceToHost);
  cudaMemcpy(d, dd, sizeof d, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) {
    double ha = to_half(a[i]), hb = to_half(b[i]);
    // Sums, differences and products of two halves are exact in double: one rounding to half.
    double ws = to_half(ha + hb), wp = to_half(ha * hb), wd = -to_half(ha - hb);
    if ((double)t[i] != ha || (double)s[i] != ws || (double)p[i] != wp || (double)d[i] != wd) {
      if (bad < 5) printf("element %d (%g, %g): got %g %g %g %g\n", i, a[i], b[i], t[i], s[i], p[i], d[i]);
      bad++;
    }
  }
  printf("round trips:");
  for (int i = 0; i < ns; i++) printf(" %.9g", t[i]);
  printf("\nsum[2]=%.9g prod[6]=%.9g diff[1]=%.9g\n", s[2], p[6], d[1]);
  cudaFree(da); cudaFree(db); cudaFree(dt); cudaFree(ds); cudaFree(dp); cudaFree(dd);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
