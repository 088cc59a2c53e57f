// Grid-stride loop: a small fixed grid covers a large array; each element is touched exactly once.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void scale_and_count(int n, float *data, int *touched) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    data[i] = data[i] * 3.0f - 1.0f;
    touched[i] += 1;
  }
}

int main() {
  const int n = 1 << 20;
  float *h = new float[n];
  int *t = new int[n];
  for (int i = 0; i < n; i++) h[i] = (float)(i & 1023);
  float *d; int *dt;
  cudaMalloc(&d, n * sizeof(float));
  cudaMalloc(&dt, n * sizeof(int));
  cudaMemcpy(d, h, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemset(dt, 0, n * sizeof(int));
  scale_and_count<<<24, 96>>>(n, d, dt);  // 2304 threads for 1M elements
  cudaMemcpy(h, d, n * sizeof(float), cudaMemcpyDeviceToHost);
  cudaMemcpy(t, dt, n * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  double sum = 0;
  for (int i = 0; i < n; i++) {
    if (h[i] != (float)(i & 1023) * 3.0f - 1.0f || t[i] != 1) bad++;
    sum += h[i];
  }
  printf("h[0]=%.1f h[1023]=%.1f h[1024]=%.1f\n", h[0], h[1023], h[1024]);
  printf("sum=%.1f\n", sum);
  cudaFree(d); cudaFree(dt);
  delete[] h; delete[] t;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
