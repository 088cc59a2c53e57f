// Device queries: cudaGetDeviceCount, cudaGetDevice, cudaGetDeviceProperties, cudaDeviceGetAttribute.
// Only properties that every CUDA-like device shares are printed; the rest are range-checked.
#include <cstdio>
#include <cuda_runtime.h>

int main() {
  int count = 0, dev = -1;
  cudaGetDeviceCount(&count);
  cudaGetDevice(&dev);
  printf("device count >= 1: %s\n", count >= 1 ? "ok" : "no");
  printf("current device %d\n", dev);
  cudaDeviceProp p;
  cudaError_t e = cudaGetDeviceProperties(&p, 0);
  printf("cudaGetDeviceProperties: %s\n", cudaGetErrorName(e));
  printf("warpSize %d\n", p.warpSize);
  printf("maxThreadsPerBlock >= 256: %s\n", p.maxThreadsPerBlock >= 256 ? "ok" : "no");
  printf("maxThreadsDim: %s\n", p.maxThreadsDim[0] >= 256 && p.maxThreadsDim[2] >= 1 ? "ok" : "no");
  printf("maxGridSize x >= 65536: %s\n", p.maxGridSize[0] >= 65536 ? "ok" : "no");
  printf("sharedMemPerBlock >= 16 KiB: %s\n", p.sharedMemPerBlock >= 16384 ? "ok" : "no");
  printf("totalGlobalMem > 0: %s\n", p.totalGlobalMem > 0 ? "ok" : "no");
  printf("multiProcessorCount >= 1: %s\n", p.multiProcessorCount >= 1 ? "ok" : "no");
  printf("name non-empty: %s\n", p.name[0] ? "ok" : "no");
  int ws = 0, mtpb = 0;
  cudaDeviceGetAttribute(&ws, cudaDevAttrWarpSize, 0);
  cudaDeviceGetAttribute(&mtpb, cudaDevAttrMaxThreadsPerBlock, 0);
  printf("attribute warpSize %d, maxThreadsPerBlock matches: %s\n", ws, mtpb == p.maxThreadsPerBlock ? "ok" : "no");
  int bad = count < 1 || dev != 0 || e != cudaSuccess || p.warpSize != 32 || ws != 32 || mtpb != p.maxThreadsPerBlock;
  cudaDeviceProp q;
  bad += cudaGetDeviceProperties(&q, count + 5) == cudaSuccess;  // no such device
  cudaGetLastError();
  if (bad) { printf("FAIL\n"); return 1; }
  printf("PASS\n");
  return 0;
}
