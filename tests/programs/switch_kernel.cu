// Control flow in a kernel: a switch with fall-through, a default, break inside a loop inside a case,
// continue, do-while, the conditional operator and an enum used as case labels.
#include <cstdio>
#include <cuda_runtime.h>

enum Op { OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_SQUARE_PLUS = 3, OP_COLLATZ = 4 };

__device__ int apply(int op, int a, int b) {
  int r = 0;
  switch (op) {
  case OP_ADD: r = a + b; break;
  case OP_SUB: r = a - b; break;
  case OP_SQUARE_PLUS: r = a * a;  // falls through into the multiply
  case OP_MUL: r += a * b; break;
  case OP_COLLATZ: {
    int steps = 0, x = a > 0 ? a : -a + 1;
    for (;;) {
      if (x == 1) break;
      x = x % 2 ? 3 * x + 1 : x / 2;
      steps++;
    }
    r = steps;
    break;
  }
  default: r = -1;
  }
  return r;
}

__global__ void run(const int *ops, const int *a, const int *b, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  int r = apply(ops[i], a[i], b[i]);
  int k = 0, odd = 0;
  do {
    if (k % 3 == 0) { k++; continue; }
    odd += (r >> k) & 1;
    k++;
  } while (k < 8);
  out[i] = r * 16 + odd;
}

int main() {
  const int n = 3000;
  int *ops = new int[n], *a = new int[n], *b = new int[n], *out = new int[n];
  for (int i = 0; i < n; i++) { ops[i] = i % 6; a[i] = i % 50 - 10; b[i] = (i * 7) % 13 - 6; }
  int *dops, *da, *db, *dout;
  cudaMalloc(&dops, n * sizeof(int)); cudaMalloc(&da, n * sizeof(int)); cudaMalloc(&db, n * sizeof(int));
  cudaMalloc(&dout, n * sizeof(int));
  cudaMemcpy(dops, ops, n * sizeof(int), cudaMemcpyHostToDevice);
  cudaMemcpy(da, a, n * sizeof(int), cudaMemcpyHostToDevice);
  cudaMemcpy(db, b, n * sizeof(int), cudaMemcpyHostToDevice);
  run<<<(n + 255) / 256, 256>>>(dops, da, db, dout, n);
  cudaMemcpy(out, dout, n * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  long long sum = 0;
  for (int i = 0; i < n; i++) {
    int r;
    switch (ops[i]) {
    case 0: r = a[i] + b[i]; break;
    case 1: r = a[i] - b[i]; break;
    case 2: r = a[i] * b[i]; break;
    case 3: r = a[i] * a[i] + a[i] * b[i]; break;
    case 4: {
      int x = a[i] > 0 ? a[i] : -a[i] + 1, steps = 0;
      while (x != 1) { x = x % 2 ? 3 * x + 1 : x / 2; steps++; }
      r = steps;
      break;
    }
    default: r = -1;
    }
    int odd = 0;
    for (int k = 0; k < 8; k++) if (k % 3) odd += (r >> k) & 1;
    bad += out[i] != r * 16 + odd;
    sum += out[i];
  }
  printf("out[0..5]: %d %d %d %d %d %d\n", out[0], out[1], out[2], out[3], out[4], out[5]);
  printf("out[2999]=%d sum=%lld\n", out[n - 1], sum);
  cudaFree(dops); cudaFree(da); cudaFree(db); cudaFree(dout);
  delete[] ops; delete[] a; delete[] b; delete[] out;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
