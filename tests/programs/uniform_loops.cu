// Barriers inside loops and ifs whose control is the same for every thread of a block (the CPU
// backend runs such control once per block): a tree reduction, a loop starting at a per-block value,
// nested loops, do-while, an if on blockIdx, and for contrast a loop whose control the backend
// cannot prove uniform (a loaded bound, a break).
#include <cstdio>
#include <cuda_runtime.h>

#define B 128

__global__ void uniform_kernel(const int *in, int *out, int rounds) {
  __shared__ int s[B];
  int t = threadIdx.x;
  s[t] = in[blockIdx.x * B + t];
  __syncthreads();
  // starts at a value that differs per block
  for (int r = blockIdx.x % 3; r < rounds; r++) {
    int left = s[(t + B - 1) % B];
    __syncthreads();
    s[t] += left + r;
    __syncthreads();
  }
  // nested, the inner bound depends on the outer variable
  for (int a = 0; a < 3; a++)
    for (int b = a; b < 4; b++) {
      if (t == 0) s[0] += a * 10 + b;
      __syncthreads();
    }
  int k = 2;
  do {
    if (t < k) s[t] += 1000;
    __syncthreads();
    k += 3;
  } while (k < 12);
  if (blockIdx.x % 2 == 1) {
    s[t] = -s[t];
    __syncthreads();
  }
  // tree reduction
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (t < stride) s[t] += s[t + stride];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = s[0];
}

// control that is the same for every thread but not provably so (a loaded bound, a break on a
// shared value read after a barrier): the per-thread path
__global__ void data_loop_kernel(const int *in, int *out) {
  __shared__ int acc;
  int t = threadIdx.x;
  if (t == 0) acc = 0;
  __syncthreads();
  int n = in[5] + 20;
  for (int i = 0; i < n; i++) {
    if (t == 0) acc += i;
    __syncthreads();
    if (acc > 20) break;
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = acc;
}

static void host_uniform(const int *in, int *out, int blocks, int rounds) {
  for (int bk = 0; bk < blocks; bk++) {
    int s[B];
    for (int t = 0; t < B; t++) s[t] = in[bk * B + t];
    for (int r = bk % 3; r < rounds; r++) {
      int left[B];
      for (int t = 0; t < B; t++) left[t] = s[(t + B - 1) % B];
      for (int t = 0; t < B; t++) s[t] += left[t] + r;
    }
    for (int a = 0; a < 3; a++)
      for (int b = a; b < 4; b++) s[0] += a * 10 + b;
    int k = 2;
    do {
      for (int t = 0; t < B; t++)
        if (t < k) s[t] += 1000;
      k += 3;
    } while (k < 12);
    if (bk % 2 == 1)
      for (int t = 0; t < B; t++) s[t] = -s[t];
    int sum = 0;
    for (int t = 0; t < B; t++) sum += s[t];
    out[bk] = sum;
  }
}

int main() {
  const int blocks = 6, rounds = 4;
  int h_in[blocks * B], h_out[blocks], ref[blocks];
  for (int i = 0; i < blocks * B; i++) h_in[i] = (i * 7) % 13 - 6;
  int *d_in, *d_out;
  cudaMalloc(&d_in, sizeof h_in);
  cudaMalloc(&d_out, sizeof h_out);
  cudaMemcpy(d_in, h_in, sizeof h_in, cudaMemcpyHostToDevice);
  uniform_kernel<<<blocks, B>>>(d_in, d_out, rounds);
  cudaMemcpy(h_out, d_out, sizeof h_out, cudaMemcpyDeviceToHost);
  host_uniform(h_in, ref, blocks, rounds);
  int bad = 0;
  for (int b = 0; b < blocks; b++) {
    printf("block %d: %d\n", b, h_out[b]);
    bad += h_out[b] != ref[b];
  }
  data_loop_kernel<<<2, 64>>>(d_in, d_out);
  cudaMemcpy(h_out, d_out, 2 * sizeof(int), cudaMemcpyDeviceToHost);
  // n = in[5] + 20 = 23; acc = 0+1+...+6 = 21 > 20 ends the loop
  printf("data loop: %d %d\n", h_out[0], h_out[1]);
  bad += h_out[0] != 21 || h_out[1] != 21;
  cudaFree(d_in);
  cudaFree(d_out);
  if (bad) { printf("FAIL %d\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
