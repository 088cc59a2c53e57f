// Warp votes: __ballot_sync, __any_sync, __all_sync, and __popc of a ballot.
#include <cstdio>
#include <cuda_runtime.h>

#define FULL 0xffffffffu

__global__ void votes(const int *in, unsigned *ballot, int *any, int *all, int *count) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int w = i / 32;
  int v = in[i];
  unsigned b = __ballot_sync(FULL, v > 0);
  int a = __any_sync(FULL, v > 100);
  int l = __all_sync(FULL, v >= 0);
  if (threadIdx.x % 32 == 0) {
    ballot[w] = b;
    any[w] = a != 0;
    all[w] = l != 0;
    count[w] = __popc(b);
  }
}

int main() {
  const int n = 192, warps = n / 32;
  int h[n];
  for (int i = 0; i < n; i++) {
    int w = i / 32, l = i % 32;
    switch (w) {
    case 0: h[i] = l % 3 == 0 ? 5 : -1; break;  // some positive, some negative
    case 1: h[i] = 7; break;                     // all positive
    case 2: h[i] = l == 31 ? 101 : 0; break;     // one above 100, all non-negative
    case 3: h[i] = -l; break;                    // lane 0 is zero, the rest negative
    case 4: h[i] = l < 16 ? 1 : 0; break;        // low half positive
    default: h[i] = (l * 11) % 5; break;
    }
  }
  int *d, *da, *dl, *dc; unsigned *db;
  cudaMalloc(&d, sizeof h);
  cudaMalloc(&db, warps * sizeof(unsigned)); cudaMalloc(&da, warps * sizeof(int));
  cudaMalloc(&dl, warps * sizeof(int)); cudaMalloc(&dc, warps * sizeof(int));
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  votes<<<3, 64>>>(d, db, da, dl, dc);
  unsigned gb[warps]; int ga[warps], gl[warps], gc[warps];
  cudaMemcpy(gb, db, sizeof gb, cudaMemcpyDeviceToHost);
  cudaMemcpy(ga, da, sizeof ga, cudaMemcpyDeviceToHost);
  cudaMemcpy(gl, dl, sizeof gl, cudaMemcpyDeviceToHost);
  cudaMemcpy(gc, dc, sizeof gc, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int w = 0; w < warps; w++) {
    unsigned b = 0; int a = 0, l = 1;
    for (int k = 0; k < 32; k++) {
      int v = h[w * 32 + k];
      if (v > 0) b |= 1u << k;
      if (v > 100) a = 1;
      if (v < 0) l = 0;
    }
    int c = 0;
    for (int k = 0; k < 32; k++) c += (b >> k) & 1;
    if (gb[w] != b || ga[w] != a || gl[w] != l || gc[w] != c) bad++;
    printf("warp %d: ballot=%08x any=%d all=%d popc=%d\n", w, gb[w], ga[w], gl[w], gc[w]);
  }
  if (bad) { printf("FAIL %d warps differ\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
