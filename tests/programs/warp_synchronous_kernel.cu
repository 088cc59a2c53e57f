// Warp-synchronous shared-memory code written in the kernel itself, without __syncwarp, under
// divergent branches: a device that does not run a warp's lanes in step must put a lane-step
// boundary (a barrier) between the reads and the writes, and reach it with every thread.
//   tail:   the volatile tail of a block reduction under `if (t < 32)`
//   shift:  a systolic shift whose write is under `if (t < 31)` (the last lane accumulates instead)
//   drain:  a shift under `if (t > n)`: the lanes retire one by one, the read and the write both
//           inside the divergent branch
#include <cstdio>
#include <cuda_runtime.h>

__global__ void tail(const int *in, int *out) {
  __shared__ int s[64];
  int t = threadIdx.x;
  s[t] = in[blockIdx.x * 64 + t];
  __syncthreads();
  if (t < 32) {
    volatile int *v = s;
    v[t] += v[t + 32];
    v[t] += v[t + 16];
    v[t] += v[t + 8];
    v[t] += v[t + 4];
    v[t] += v[t + 2];
    v[t] += v[t + 1];
  }
  if (t == 0) out[blockIdx.x] = s[0];
}

__global__ void shift(const int *in, int steps, int *out, int *acc_out) {
  __shared__ int s[32];
  int t = threadIdx.x;
  s[t] = 0;
  int acc = 0;
  __syncthreads();
  for (int n = 0; n < steps; n++) {
    int x;
    if (t == 0) x = in[n];
    else x = s[t - 1];
    int y = (x * 3 + t + 1) % 10007;
    if (t < 31) s[t] = y;
    else acc = (acc + y) % 10007;
    __syncthreads();
  }
  out[t] = s[t];
  if (t == 31) *acc_out = acc;
}

__global__ void drain(const int *in, int *out) {
  __shared__ int s[32];
  int t = threadIdx.x;
  s[t] = in[t];
  __syncthreads();
  for (int n = 0; n < 32; n++) {
    if (t > n) {
      int x = s[t - 1];
      s[t] = (x * 5 + s[t]) % 10007;
    }
    __syncthreads();
  }
  out[t] = s[t];
}

int main() {
  const int blocks = 4, n = blocks * 64, steps = 50;
  int h_in[n], sums[blocks], shifted[32], acc = 0, drained[32];
  for (int i = 0; i < n; i++) h_in[i] = (i * 53) % 41 - 20;
  int *d_in, *d_sums, *d_shifted, *d_acc, *d_drained;
  cudaMalloc(&d_in, sizeof h_in);
  cudaMalloc(&d_sums, sizeof sums);
  cudaMalloc(&d_shifted, sizeof shifted);
  cudaMalloc(&d_acc, sizeof acc);
  cudaMalloc(&d_drained, sizeof drained);
  cudaMemcpy(d_in, h_in, sizeof h_in, cudaMemcpyHostToDevice);
  tail<<<blocks, 64>>>(d_in, d_sums);
  shift<<<1, 32>>>(d_in, steps, d_shifted, d_acc);
  drain<<<1, 32>>>(d_in, d_drained);
  cudaMemcpy(sums, d_sums, sizeof sums, cudaMemcpyDeviceToHost);
  cudaMemcpy(shifted, d_shifted, sizeof shifted, cudaMemcpyDeviceToHost);
  cudaMemcpy(&acc, d_acc, sizeof acc, cudaMemcpyDeviceToHost);
  cudaMemcpy(drained, d_drained, sizeof drained, cudaMemcpyDeviceToHost);

  // references: every lane of a step reads before any lane of that step writes
  bool ok = true;
  for (int b = 0; b < blocks; b++) {
    int want = 0;
    for (int i = 0; i < 64; i++) want += h_in[b * 64 + i];
    if (sums[b] != want) ok = false;
  }
  int ref[32] = {0}, next[32], ref_acc = 0;
  for (int s = 0; s < steps; s++) {
    for (int t = 0; t < 32; t++) next[t] = ((t == 0 ? h_in[s] : ref[t - 1]) * 3 + t + 1) % 10007;
    ref_acc = (ref_acc + next[31]) % 10007;
    for (int t = 0; t < 31; t++) ref[t] = next[t];
  }
  if (acc != ref_acc) ok = false;
  for (int t = 0; t < 32; t++)
    if (shifted[t] != ref[t]) ok = false;
  int dref[32];
  for (int t = 0; t < 32; t++) dref[t] = h_in[t];
  for (int s = 0; s < 32; s++) {
    for (int t = 31; t > s; t--) dref[t] = (dref[t - 1] * 5 + dref[t]) % 10007;  // reads the old left value
  }
  for (int t = 0; t < 32; t++)
    if (drained[t] != dref[t]) ok = false;
  printf("tail sums: %d %d %d %d\n", sums[0], sums[1], sums[2], sums[3]);
  printf("shift: %d %d %d %d acc %d\n", shifted[0], shifted[1], shifted[17], shifted[30], acc);
  printf("drain: %d %d %d %d\n", drained[0], drained[1], drained[16], drained[31]);
  printf("%s\n", ok ? "PASS" : "FAIL");
  cudaFree(d_in); cudaFree(d_sums); cudaFree(d_shifted); cudaFree(d_acc); cudaFree(d_drained);
  return ok ? 0 : 1;
}
