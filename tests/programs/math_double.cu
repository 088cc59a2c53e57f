// Double-precision math on the device compared with the host's libm (tight relative tolerance).
#include <cmath>
#include <cstdio>
#include <cuda_runtime.h>

#define NF 10

__global__ void eval(const double *x, double *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  double v = x[i];
  double *o = out + i * NF;
  o[0] = sqrt(v);
  o[1] = exp(v * 0.05);
  o[2] = log(v);
  o[3] = sin(v);
  o[4] = cos(v);
  o[5] = pow(v, 2.5);
  o[6] = fabs(1.0 - v);
  o[7] = floor(v * 3.0);
  o[8] = fma(v, v, -2.0);
  o[9] = fmin(v, 5.0) + fmax(v, 5.0) + ceil(v) + rsqrt(v);
}

int main() {
  const int n = 600;
  double x[n];
  for (int i = 0; i < n; i++) x[i] = 0.001 + i * 0.0731;
  double *dx, *dout, *out = new double[n * NF];
  cudaMalloc(&dx, sizeof x);
  cudaMalloc(&dout, n * NF * sizeof(double));
  cudaMemcpy(dx, x, sizeof x, cudaMemcpyHostToDevice);
  eval<<<5, 128>>>(dx, dout, n);
  cudaMemcpy(out, dout, n * NF * sizeof(double), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) {
    double v = x[i], want[NF] = {sqrt(v), exp(v * 0.05), log(v), sin(v), cos(v), pow(v, 2.5), fabs(1.0 - v),
                                 floor(v * 3.0), fma(v, v, -2.0), fmin(v, 5.0) + fmax(v, 5.0) + ceil(v) + 1.0 / sqrt(v)};
    for (int f = 0; f < NF; f++) {
      double tol = 1e-13 * fabs(want[f]) + (f == 3 || f == 4 || f == 8 ? 1e-14 : 0.0);
      if (!(fabs(out[i * NF + f] - want[f]) <= tol)) bad++;
    }
  }
  // x[19] = 1.3899
  printf("x=%.4f sqrt=%.10f exp=%.10f log=%.10f\n", x[19], out[19 * NF + 0], out[19 * NF + 1], out[19 * NF + 2]);
  printf("sin=%.10f cos=%.10f pow=%.8f floor=%.1f\n", out[19 * NF + 3], out[19 * NF + 4], out[19 * NF + 5],
         out[19 * NF + 7]);
  cudaFree(dx); cudaFree(dout);
  delete[] out;
  if (bad) { printf("FAIL %d values off\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
