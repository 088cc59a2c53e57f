#ifndef N
#define N 64
#endif
#include <cstdio>
#include <cstring>
#include <utility>
#include KERNELS
#define KS(X) X(t_arith) X(t_struct) X(t_control) X(t_lambda) X(t_math) X(t_warp) X(t_shared) X(t_misc)
int main() {
  float *fo; int *io; unsigned long long *uo;
  cudaMallocManaged(&fo, 4 * N * sizeof(float));
  cudaMallocManaged(&io, 4 * N * sizeof(int));
  cudaMallocManaged(&uo, 4 * N * sizeof(unsigned long long));
#define RUN(k) \
  memset(fo, 0, 4 * N * sizeof(float)); memset(io, 0, 4 * N * sizeof(int)); memset(uo, 0, 4 * N * 8); \
  k<<<1, N, N * sizeof(int)>>>(fo, io, uo); \
  if (cudaDeviceSynchronize() != cudaSuccess) fprintf(stdout, #k " failed\n"); \
  for (int i = 0; i < 4 * N; i++) fprintf(stdout, #k " %d %a %d %llu\n", i, fo[i], io[i], uo[i]);
  KS(RUN)
  return 0;
}
