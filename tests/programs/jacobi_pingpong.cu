// Many dependent launches: a 1D Jacobi smoothing iterated 200 times, ping-ponging between two device
// buffers; then device-to-device copies (cudaMemcpy and cudaMemcpyDefault) and pinned host memory.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void smooth(const int *src, int *dst, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  int l = i > 0 ? src[i - 1] : src[i];
  int r = i < n - 1 ? src[i + 1] : src[i];
  dst[i] = (l + 2 * src[i] + r) / 4;
}

int main() {
  const int n = 4096, iters = 200;
  int *h, *ref = new int[n], *tmp = new int[n];
  cudaHostAlloc((void **)&h, n * sizeof(int), cudaHostAllocDefault);
  for (int i = 0; i < n; i++) h[i] = (i % 64 == 0) ? 100000 : (i * 13) % 101;
  for (int i = 0; i < n; i++) ref[i] = h[i];
  int *a, *b, *c;
  cudaMalloc(&a, n * sizeof(int)); cudaMalloc(&b, n * sizeof(int)); cudaMalloc(&c, n * sizeof(int));
  cudaMemcpy(a, h, n * sizeof(int), cudaMemcpyHostToDevice);
  for (int t = 0; t < iters; t++) {
    smooth<<<n / 128, 128>>>(t % 2 ? b : a, t % 2 ? a : b, n);
    for (int i = 0; i < n; i++) {
      int l = i > 0 ? ref[i - 1] : ref[i], r = i < n - 1 ? ref[i + 1] : ref[i];
      tmp[i] = (l + 2 * ref[i] + r) / 4;
    }
    int *s = ref; ref = tmp; tmp = s;
  }
  int *result = iters % 2 ? b : a;
  cudaMemcpy(c, result, n * sizeof(int), cudaMemcpyDeviceToDevice);
  cudaMemcpy(h, c, n * sizeof(int), cudaMemcpyDefault);
  int bad = 0;
  long long sum = 0;
  for (int i = 0; i < n; i++) { bad += h[i] != ref[i]; sum += h[i]; }
  printf("after %d iterations: h[0]=%d h[32]=%d h[64]=%d sum=%lld\n", iters, h[0], h[32], h[64], sum);
  cudaFree(a); cudaFree(b); cudaFree(c);
  cudaFreeHost(h);
  delete[] ref; delete[] tmp;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
