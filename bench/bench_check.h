// bench/bench_check.h: CHECK(call) for the benchmark programs (also built by nvcc): on an error,
// print where and what, and return 1 from main.
#ifndef BENCH_CHECK_H
#define BENCH_CHECK_H

#include <cstdio>
#include <cuda_runtime.h>

#define CHECK(call)                                                                        \
  do {                                                                                     \
    cudaError_t e_ = (call);                                                               \
    if (e_ != cudaSuccess) {                                                               \
      fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(e_)); \
      return 1;                                                                            \
    }                                                                                      \
  } while (0)

#endif
