// Large buffers allocated and freed in a loop, synchronously and stream-ordered
// (cudaMallocAsync/cudaFreeAsync), with sizes that change between rounds: whatever memory a
// backend hands out again must hold only what this round wrote, and work queued before a free
// must still see the old contents.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void fill(float *a, int n, float v) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) a[i] = v + (i & 7);
}

__global__ void axpb(const float *a, float *b, int n, float s, float t) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) b[i] = s * a[i] + t;
}

static double check(const float *h, int n, float s, float v, float t, int *bad) {
  double sum = 0;
  for (int i = 0; i < n; i++) {
    float want = s * (v + (i & 7)) + t;
    *bad += h[i] != want;
    sum += h[i];
  }
  return sum;
}

int main() {
  const int sizes[3] = {3 << 20, (3 << 20) - 1000, 1 << 20};  // floats
  float *h = new float[3 << 20];
  int bad = 0;
  double total = 0;
  for (int r = 0; r < 6; r++) {
    int n = sizes[r % 3];
    float *a, *b;
    cudaMalloc(&a, n * sizeof(float));
    cudaMalloc(&b, n * sizeof(float));
    fill<<<64, 256>>>(a, n, (float)r);
    axpb<<<64, 256>>>(a, b, n, 2.0f, (float)r);
    cudaFree(a);  // a is still read by axpb when freed
    cudaMemcpy(h, b, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(b);
    double s = check(h, n, 2.0f, (float)r, (float)r, &bad);
    total += s;
    printf("sync round %d: n=%d sum=%.0f\n", r, n, s);
  }
  cudaStream_t st[2];
  cudaStreamCreate(&st[0]);
  cudaStreamCreate(&st[1]);
  for (int r = 0; r < 4; r++) {
    int n = sizes[r % 2];
    cudaStream_t s0 = st[r % 2], s1 = st[(r + 1) % 2];
    float *a, *b;
    cudaMallocAsync(&a, n * sizeof(float), s0);
    fill<<<64, 256, 0, s0>>>(a, n, 10.0f * r);
    cudaMallocAsync(&b, n * sizeof(float), s0);
    axpb<<<64, 256, 0, s0>>>(a, b, n, -1.0f, 0.5f);
    cudaFreeAsync(a, s0);
    cudaEvent_t done;
    cudaEventCreate(&done);
    cudaEventRecord(done, s0);
    cudaStreamWaitEvent(s1, done, 0);
    cudaMemcpyAsync(h, b, n * sizeof(float), cudaMemcpyDeviceToHost, s1);
    cudaFreeAsync(b, s1);
    cudaStreamSynchronize(s1);
    cudaEventDestroy(done);
    double s = check(h, n, -1.0f, 10.0f * r, 0.5f, &bad);
    total += s;
    printf("async round %d: n=%d sum=%.1f\n", r, n, s);
  }
  cudaStreamDestroy(st[0]);
  cudaStreamDestroy(st[1]);
  delete[] h;
  printf("total=%.1f\n", total);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
