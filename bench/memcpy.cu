// bench/memcpy.cu: asynchronous copies between pinned host memory (cudaMallocHost) and device
// memory, 2^k bytes each way (default 2^26), timed with CUDA events over R round trips (default
// 10) after a warm-up.  Bandwidth counts the bytes moved in both directions.
//
// usage: memcpy [log2_bytes] [reps]      output: "RESULT memcpy <GB/s> GB/s" (parsed by run-*.sh)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_runtime.h>

#include "bench_check.h"

int main(int argc, char **argv) {
  int log2b = argc > 1 ? atoi(argv[1]) : 26;
  int reps = argc > 2 ? atoi(argv[2]) : 10;
  if (log2b < 10 || log2b > 32 || reps < 1) { fprintf(stderr, "usage: memcpy [log2_bytes 10..32] [reps]\n"); return 2; }
  size_t bytes = (size_t)1 << log2b;
  unsigned char *h_src, *h_dst, *d;
  CHECK(cudaMallocHost(&h_src, bytes));
  CHECK(cudaMallocHost(&h_dst, bytes));
  CHECK(cudaMalloc(&d, bytes));
  for (size_t i = 0; i < bytes; i++) h_src[i] = (unsigned char)(i * 7 + 3);
  cudaStream_t s;
  CHECK(cudaStreamCreate(&s));
  CHECK(cudaMemcpyAsync(d, h_src, bytes, cudaMemcpyHostToDevice, s));  // warm-up
  CHECK(cudaMemcpyAsync(h_dst, d, bytes, cudaMemcpyDeviceToHost, s));
  CHECK(cudaStreamSynchronize(s));
  cudaEvent_t t0, t1;
  CHECK(cudaEventCreate(&t0));
  CHECK(cudaEventCreate(&t1));
  memset(h_dst, 0, bytes);
  CHECK(cudaEventRecord(t0, s));
  for (int r = 0; r < reps; r++) {
    CHECK(cudaMemcpyAsync(d, h_src, bytes, cudaMemcpyHostToDevice, s));
    CHECK(cudaMemcpyAsync(h_dst, d, bytes, cudaMemcpyDeviceToHost, s));
  }
  CHECK(cudaEventRecord(t1, s));
  CHECK(cudaEventSynchronize(t1));
  float ms = 0;
  CHECK(cudaEventElapsedTime(&ms, t0, t1));
  int bad = 0;
  for (size_t i = 0; i < bytes; i += 4093) bad += h_dst[i] != (unsigned char)(i * 7 + 3);
  double gbs = 2.0 * (double)bytes * reps / (ms * 1e-3) / 1e9;
  printf("memcpy: 2^%d bytes each way, %d round trips, %.4f ms per round trip\n", log2b, reps, ms / reps);
  printf("RESULT memcpy %.3f GB/s\n", gbs);
  printf("check %s\n", bad ? "FAILED" : "ok");
  cudaFreeHost(h_src); cudaFreeHost(h_dst); cudaFree(d);
  return bad ? 1 : 0;
}
