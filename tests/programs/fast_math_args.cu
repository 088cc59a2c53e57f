// Math functions whose argument is a compound expression (a + b): backends that scale the
// argument (exp10f(x) as exp2(x * log2(10)), sinpif(x) as sin(pi * x)) must keep it whole.
// Also checks __expf and __fdividef against the exact values within their documented error.
#include <cmath>
#include <cstdio>
#include <cuda_runtime.h>

__global__ void funcs(const float *a, const float *b, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float x = a[i], y = b[i];
  out[0 * n + i] = __expf(x + y);
  out[1 * n + i] = exp10f(x + y);
  out[2 * n + i] = sinpif(x + y);
  out[3 * n + i] = cospif(x - y);
  out[4 * n + i] = normcdff(x + y);
  out[5 * n + i] = erfcf(x - y);
  out[6 * n + i] = __fdividef(x + y, y + 2.0f);
}

int main() {
  const int n = 256, nf = 7;
  float ha[n], hb[n], *hout = new float[nf * n];
  for (int i = 0; i < n; i++) {
    ha[i] = -1.0f + 2.0f * i / n;          // [-1, 1)
    hb[i] = 0.25f + 0.5f * (i % 7) / 7.0f; // [0.25, 0.75)
  }
  float *da, *db, *dout;
  cudaMalloc(&da, sizeof ha);
  cudaMalloc(&db, sizeof hb);
  cudaMalloc(&dout, nf * n * sizeof(float));
  cudaMemcpy(da, ha, sizeof ha, cudaMemcpyHostToDevice);
  cudaMemcpy(db, hb, sizeof hb, cudaMemcpyHostToDevice);
  funcs<<<(n + 63) / 64, 64>>>(da, db, dout, n);
  cudaMemcpy(hout, dout, nf * n * sizeof(float), cudaMemcpyDeviceToHost);
  const char *names[nf] = {"__expf", "exp10f", "sinpif", "cospif", "normcdff", "erfcf", "__fdividef"};
  const double pi = 3.14159265358979323846;
  int bad = 0;
  for (int f = 0; f < nf; f++) {
    int fbad = 0;
    for (int i = 0; i < n; i++) {
      double x = ha[i], y = hb[i], want;
      switch (f) {
      case 0: want = exp(x + y); break;
      case 1: want = pow(10.0, x + y); break;
      case 2: want = sin(pi * (x + y)); break;
      case 3: want = cos(pi * (x - y)); break;
      case 4: want = 0.5 * erfc(-(x + y) / sqrt(2.0)); break;
      case 5: want = erfc(x - y); break;
      default: want = (x + y) / (y + 2.0); break;
      }
      // a few ulps relative, or absolute near zeros of sin/cos
      double err = fabs(hout[f * n + i] - want);
      if (err > 1e-5 * fabs(want) && err > 1e-6) fbad++;
    }
    printf("%-10s %s\n", names[f], fbad ? "wrong" : "ok");
    bad += fbad;
  }
  cudaFree(da); cudaFree(db); cudaFree(dout);
  delete[] hout;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
