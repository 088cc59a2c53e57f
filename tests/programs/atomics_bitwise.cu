// atomicAnd, atomicOr and atomicXor on 32-bit and 64-bit unsigned words.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void bits(unsigned *w, unsigned long long *q, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  atomicOr(&w[0], 1u << (i % 32));                         // every bit gets set
  if (i < 32 && i % 2 == 0) atomicAnd(&w[1], ~(1u << i));  // clear the even bits
  atomicXor(&w[2], 1u << (i % 32));                        // bits toggled an odd number of times
  atomicOr(&w[3], (unsigned)i & 0x155u);
  atomicOr(&q[0], 1ULL << (i % 64));
  atomicAnd(&q[1], ~(1ULL << ((i * 3) % 64)));
  atomicXor(&q[2], (unsigned long long)i << 20);
}

int main() {
  const int n = 100;
  unsigned w[4] = {0u, 0xFFFFFFFFu, 0u, 0u};
  unsigned long long q[3] = {0ULL, ~0ULL, 0x123456789ULL};
  unsigned *dw; unsigned long long *dq;
  cudaMalloc(&dw, sizeof w);
  cudaMalloc(&dq, sizeof q);
  cudaMemcpy(dw, w, sizeof w, cudaMemcpyHostToDevice);
  cudaMemcpy(dq, q, sizeof q, cudaMemcpyHostToDevice);
  bits<<<4, 25>>>(dw, dq, n);
  unsigned gw[4]; unsigned long long gq[3];
  cudaMemcpy(gw, dw, sizeof gw, cudaMemcpyDeviceToHost);
  cudaMemcpy(gq, dq, sizeof gq, cudaMemcpyDeviceToHost);
  for (int i = 0; i < n; i++) {
    w[0] |= 1u << (i % 32);
    if (i < 32 && i % 2 == 0) w[1] &= ~(1u << i);
    w[2] ^= 1u << (i % 32);
    w[3] |= (unsigned)i & 0x155u;
    q[0] |= 1ULL << (i % 64);
    q[1] &= ~(1ULL << ((i * 3) % 64));
    q[2] ^= (unsigned long long)i << 20;
  }
  printf("or=%08x and=%08x xor=%08x or2=%08x\n", gw[0], gw[1], gw[2], gw[3]);
  printf("or64=%016llx and64=%016llx xor64=%016llx\n", gq[0], gq[1], gq[2]);
  int bad = 0;
  for (int k = 0; k < 4; k++) bad += gw[k] != w[k];
  for (int k = 0; k < 3; k++) bad += gq[k] != q[k];
  cudaFree(dw); cudaFree(dq);
  if (bad) { printf("FAIL %d words differ\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
