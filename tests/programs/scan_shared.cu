// Prefix sums in shared memory: an exclusive Blelloch scan (up-sweep, down-sweep) of 512 elements per
// block by 256 threads, and an inclusive Hillis-Steele scan with double buffering.
#include <cstdio>
#include <cuda_runtime.h>

#define N 512

__global__ void blelloch(const int *in, int *out) {
  __shared__ int t[N];
  int tid = threadIdx.x;
  const int *src = in + blockIdx.x * N;
  t[2 * tid] = src[2 * tid];
  t[2 * tid + 1] = src[2 * tid + 1];
  int offset = 1;
  for (int d = N >> 1; d > 0; d >>= 1) {  // up-sweep
    __syncthreads();
    if (tid < d) {
      int ai = offset * (2 * tid + 1) - 1, bi = offset * (2 * tid + 2) - 1;
      t[bi] += t[ai];
    }
    offset *= 2;
  }
  if (tid == 0) t[N - 1] = 0;
  for (int d = 1; d < N; d *= 2) {  // down-sweep
    offset >>= 1;
    __syncthreads();
    if (tid < d) {
      int ai = offset * (2 * tid + 1) - 1, bi = offset * (2 * tid + 2) - 1;
      int tmp = t[ai];
      t[ai] = t[bi];
      t[bi] += tmp;
    }
  }
  __syncthreads();
  out[blockIdx.x * N + 2 * tid] = t[2 * tid];
  out[blockIdx.x * N + 2 * tid + 1] = t[2 * tid + 1];
}

__global__ void hillis_steele(const int *in, int *out, int n) {
  __shared__ int buf[2][256];
  int tid = threadIdx.x, cur = 0;
  buf[0][tid] = tid < n ? in[tid] : 0;
  __syncthreads();
  for (int off = 1; off < blockDim.x; off <<= 1) {
    int v = buf[cur][tid];
    if (tid >= off) v += buf[cur][tid - off];
    buf[1 - cur][tid] = v;
    cur = 1 - cur;
    __syncthreads();
  }
  if (tid < n) out[tid] = buf[cur][tid];
}

int main() {
  const int blocks = 8, total = blocks * N;
  int *h = new int[total], *r = new int[total];
  for (int i = 0; i < total; i++) h[i] = (i * 7 + 3) % 11 - 4;
  int *din, *dout;
  cudaMalloc(&din, total * sizeof(int));
  cudaMalloc(&dout, total * sizeof(int));
  cudaMemcpy(din, h, total * sizeof(int), cudaMemcpyHostToDevice);
  blelloch<<<blocks, N / 2>>>(din, dout);
  cudaMemcpy(r, dout, total * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int b = 0; b < blocks; b++) {
    int acc = 0;
    for (int i = 0; i < N; i++) {
      if (r[b * N + i] != acc) bad++;
      acc += h[b * N + i];
    }
  }
  printf("exclusive: r[1]=%d r[100]=%d r[511]=%d r[4095]=%d\n", r[1], r[100], r[511], r[4095]);
  const int m = 200;
  hillis_steele<<<1, 256>>>(din, dout, m);
  cudaMemcpy(r, dout, m * sizeof(int), cudaMemcpyDeviceToHost);
  int acc = 0;
  for (int i = 0; i < m; i++) {
    acc += h[i];
    if (r[i] != acc) bad++;
  }
  printf("inclusive: r[0]=%d r[50]=%d r[199]=%d\n", r[0], r[50], r[199]);
  cudaFree(din); cudaFree(dout);
  delete[] h; delete[] r;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
