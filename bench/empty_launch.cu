// bench/empty_launch.cu: launch overhead.  L launches (default 10000) of an empty kernel with one
// synchronization at the end, then L/10 launches each followed by cudaDeviceSynchronize.
//
// usage: empty_launch [launches]      output: "RESULT launch <us> us/launch" and
//                                             "RESULT launch_sync <us> us/launch"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

__global__ void empty() {}

int main(int argc, char **argv) {
  int launches = argc > 1 ? atoi(argv[1]) : 10000;
  if (launches < 10) { fprintf(stderr, "usage: empty_launch [launches >= 10]\n"); return 2; }
  empty<<<1, 32>>>();  // warm-up: module load
  if (cudaDeviceSynchronize() != cudaSuccess) { fprintf(stderr, "warm-up launch failed\n"); return 1; }
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  for (int i = 0; i < launches; i++) empty<<<1, 32>>>();
  cudaError_t e = cudaDeviceSynchronize();
  auto t1 = clock::now();
  int synced = launches / 10;
  for (int i = 0; i < synced; i++) {
    empty<<<1, 32>>>();
    if (cudaDeviceSynchronize() != cudaSuccess) e = cudaErrorUnknown;
  }
  auto t2 = clock::now();
  double us = std::chrono::duration<double, std::micro>(t1 - t0).count() / launches;
  double us_sync = std::chrono::duration<double, std::micro>(t2 - t1).count() / synced;
  printf("empty_launch: %d launches\n", launches);
  printf("RESULT launch %.3f us/launch\n", us);
  printf("RESULT launch_sync %.3f us/launch\n", us_sync);
  printf("check %s\n", e == cudaSuccess ? "ok" : "FAILED");
  return e == cudaSuccess ? 0 : 1;
}
