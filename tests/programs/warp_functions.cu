// Warp operations inside __device__ functions: a warp-aggregated atomic increment built on
// __match_any_sync + __ffs + __shfl_sync (the leader of each group of lanes with the same target
// adds the group's size once), and a shuffle-down warp sum returned by value.
#include <cstdio>
#include <cuda_runtime.h>

#define FULL 0xffffffffu

__device__ int warp_sum(int v) {
  for (int off = 16; off > 0; off /= 2) v += __shfl_down_sync(FULL, v, off);
  return v;
}

// Increments *ptr by one for every calling lane; returns the value this lane's increment saw.
__device__ int aggregated_inc(int *ptr) {
  unsigned mask = __match_any_sync(FULL, (unsigned long long)ptr);
  int leader = __ffs(mask) - 1;
  int lane = threadIdx.x % 32;
  int res = 0;
  if (lane == leader) res = atomicAdd(ptr, __popc(mask));
  res = __shfl_sync(mask, res, leader);
  return res + __popc(mask & ((1u << lane) - 1));
}

__global__ void count(int *counters, int nc, int *seen, int *wsum, const int *in) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int c = (threadIdx.x * 7) % nc;
  seen[i] = aggregated_inc(&counters[c]);
  int s = warp_sum(in[i]);
  if (threadIdx.x % 32 == 0) wsum[i / 32] = s;
}

int main() {
  const int blocks = 4, threads = 128, n = blocks * threads, nc = 5, warps = n / 32;
  int h_in[n];
  for (int i = 0; i < n; i++) h_in[i] = (i * 13) % 11 - 5;
  int *d_cnt, *d_seen, *d_wsum, *d_in;
  cudaMalloc(&d_cnt, nc * sizeof(int));
  cudaMalloc(&d_seen, n * sizeof(int));
  cudaMalloc(&d_wsum, warps * sizeof(int));
  cudaMalloc(&d_in, n * sizeof(int));
  cudaMemset(d_cnt, 0, nc * sizeof(int));
  cudaMemcpy(d_in, h_in, sizeof h_in, cudaMemcpyHostToDevice);
  count<<<blocks, threads>>>(d_cnt, nc, d_seen, d_wsum, d_in);
  int cnt[nc], seen[n], wsum[warps];
  cudaMemcpy(cnt, d_cnt, sizeof cnt, cudaMemcpyDeviceToHost);
  cudaMemcpy(seen, d_seen, sizeof seen, cudaMemcpyDeviceToHost);
  cudaMemcpy(wsum, d_wsum, sizeof wsum, cudaMemcpyDeviceToHost);

  // Each counter's increments must have seen 0, 1, ..., count-1 exactly once (in any order).
  bool ok = true;
  int want[nc] = {0};
  for (int i = 0; i < n; i++) want[((i % threads) * 7) % nc]++;
  for (int c = 0; c < nc; c++) {
    if (cnt[c] != want[c]) ok = false;
    bool got[n] = {false};
    for (int i = 0; i < n; i++) {
      if (((i % threads) * 7) % nc != c) continue;
      if (seen[i] < 0 || seen[i] >= want[c] || got[seen[i]]) ok = false;
      else got[seen[i]] = true;
    }
  }
  for (int w = 0; w < warps; w++) {
    int s = 0;
    for (int l = 0; l < 32; l++) s += h_in[w * 32 + l];
    if (wsum[w] != s) ok = false;
  }
  printf("counters: %d %d %d %d %d\n", cnt[0], cnt[1], cnt[2], cnt[3], cnt[4]);
  printf("warp sums:");
  for (int w = 0; w < warps; w++) printf(" %d", wsum[w]);
  printf("\n%s\n", ok ? "PASS" : "FAIL");
  cudaFree(d_cnt); cudaFree(d_seen); cudaFree(d_wsum); cudaFree(d_in);
  return ok ? 0 : 1;
}
