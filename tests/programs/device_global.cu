// __device__ global variables: a counter bumped by atomics from every thread, an array written by
// kernels, both read back and reset with cudaMemcpyFromSymbol / cudaMemcpyToSymbol.
#include <cstdio>
#include <cuda_runtime.h>

__device__ unsigned long long counter;
__device__ int table[64];
__device__ int generation = 7;

__global__ void count_multiples(int n, int k) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n && i % k == 0) atomicAdd(&counter, 1ULL);
  if (i < 64) table[i] = i * generation;
}

__global__ void bump_generation() { generation += 1; }

int main() {
  unsigned long long zero = 0, got = 0;
  int tab[64], gen = 0;
  int bad = 0;
  for (int round = 0; round < 2; round++) {
    cudaMemcpyToSymbol(counter, &zero, sizeof zero);
    int n = 100000 + round, k = 3 + round * 4;
    count_multiples<<<(n + 255) / 256, 256>>>(n, k);
    cudaMemcpyFromSymbol(&got, counter, sizeof got);
    cudaMemcpyFromSymbol(tab, table, sizeof tab);
    cudaMemcpyFromSymbol(&gen, generation, sizeof gen);
    unsigned long long want = (unsigned long long)((n - 1) / k + 1);
    bad += got != want;
    for (int i = 0; i < 64; i++) bad += tab[i] != i * gen;
    printf("round %d: counter=%llu expected=%llu table[63]=%d generation=%d\n", round, got, want, tab[63], gen);
    bump_generation<<<1, 1>>>();
  }
  cudaMemcpyFromSymbol(&gen, generation, sizeof gen);
  printf("final generation=%d\n", gen);
  bad += gen != 9;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
