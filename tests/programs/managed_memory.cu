// Managed memory: one cudaMallocManaged allocation written by the host, updated by kernels, read by
// the host after cudaDeviceSynchronize, over several rounds; plus a managed struct.
#include <cstdio>
#include <cuda_runtime.h>

struct Stats { int calls; long long total; };

__global__ void step(int *v, int n, Stats *st) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    v[i] = v[i] * 2 + 1;
    atomicAdd((unsigned long long *)&st->total, (unsigned long long)(long long)v[i]);
  }
  if (i == 0) st->calls += 1;
}

int main() {
  const int n = 10000;
  int *v;
  Stats *st;
  cudaMallocManaged(&v, n * sizeof(int));
  cudaMallocManaged(&st, sizeof(Stats));
  for (int i = 0; i < n; i++) v[i] = i % 100;
  st->calls = 0;
  st->total = 0;
  int bad = 0;
  for (int round = 0; round < 3; round++) {
    step<<<(n + 255) / 256, 256>>>(v, n, st);
    cudaDeviceSynchronize();
    long long sum = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    printf("round %d: v[0]=%d v[99]=%d sum=%lld calls=%d\n", round, v[0], v[99], sum, st->calls);
    v[0] = -1;  // host writes between kernels are seen by the next kernel
  }
  long long want_total = 0;
  for (int i = 0; i < n; i++) {
    int x = i % 100;
    for (int r = 0; r < 3; r++) {
      if (i == 0 && r > 0) x = -1;
      x = x * 2 + 1;
      want_total += x;
    }
    bad += (i != 0 && v[i] != x);
  }
  bad += v[0] != -1 || st->calls != 3 || st->total != want_total;
  printf("total=%lld expected=%lld\n", st->total, want_total);
  cudaFree(v);
  cudaFree(st);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
