// Vector types: float4 loads and stores, make_float4, int2 fields, and a float2 built with
// make_float2; the kernel works on 4 floats per thread.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void axpy4(const float4 *x, float4 *y, float a, int n4) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n4) {
    float4 xv = x[i];
    float4 yv = y[i];
    y[i] = make_float4(a * xv.x + yv.x, a * xv.y + yv.y, a * xv.z + yv.z, a * xv.w + yv.w);
  }
}

__global__ void pairs(const int2 *in, int2 *out, float2 *mid, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    int2 p = in[i];
    out[i] = make_int2(p.y, p.x + p.y);
    mid[i] = make_float2(0.5f * (p.x + p.y), (float)(p.x - p.y));
  }
}

int main() {
  const int n = 4096, n4 = n / 4;
  float *hx = new float[n], *hy = new float[n];
  for (int i = 0; i < n; i++) { hx[i] = (float)(i % 10); hy[i] = (float)(i / 10); }
  float4 *dx, *dy;
  cudaMalloc(&dx, n * sizeof(float));
  cudaMalloc(&dy, n * sizeof(float));
  cudaMemcpy(dx, hx, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dy, hy, n * sizeof(float), cudaMemcpyHostToDevice);
  axpy4<<<(n4 + 127) / 128, 128>>>(dx, dy, 2.0f, n4);
  float *r = new float[n];
  cudaMemcpy(r, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) bad += r[i] != 2.0f * hx[i] + hy[i];
  printf("float4: r[0]=%.1f r[5]=%.1f r[4095]=%.1f sizeof=%d\n", r[0], r[5], r[n - 1], (int)sizeof(float4));

  const int m = 500;
  int2 *hp = new int2[m], *hq = new int2[m];
  float2 *hm = new float2[m];
  for (int i = 0; i < m; i++) hp[i] = make_int2(i, 3 * i - 700);
  int2 *dp, *dq; float2 *dm;
  cudaMalloc(&dp, m * sizeof(int2)); cudaMalloc(&dq, m * sizeof(int2)); cudaMalloc(&dm, m * sizeof(float2));
  cudaMemcpy(dp, hp, m * sizeof(int2), cudaMemcpyHostToDevice);
  pairs<<<4, 128>>>(dp, dq, dm, m);
  cudaMemcpy(hq, dq, m * sizeof(int2), cudaMemcpyDeviceToHost);
  cudaMemcpy(hm, dm, m * sizeof(float2), cudaMemcpyDeviceToHost);
  for (int i = 0; i < m; i++) {
    bad += hq[i].x != hp[i].y || hq[i].y != hp[i].x + hp[i].y;
    bad += hm[i].x != 0.5f * (hp[i].x + hp[i].y) || hm[i].y != (float)(hp[i].x - hp[i].y);
  }
  printf("int2: q[7]=(%d,%d) q[499]=(%d,%d) mid[3]=(%.1f,%.1f)\n", hq[7].x, hq[7].y, hq[499].x, hq[499].y,
         hm[3].x, hm[3].y);
  cudaFree(dx); cudaFree(dy); cudaFree(dp); cudaFree(dq); cudaFree(dm);
  delete[] hx; delete[] hy; delete[] r; delete[] hp; delete[] hq; delete[] hm;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
