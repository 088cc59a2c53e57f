// Loops that run long in one thread: more than 65535 iterations in all, in one loop, in loops one
// after another and in nested loops.  (The lavapipe of Mesa 22.3 ends every loop of a shader
// invocation once 65535 iterations have run in it; this program catches such a device.)
#include <cstdio>
#include <cuda_runtime.h>

__global__ void count(int n, int m, unsigned *out) {
  unsigned t = threadIdx.x, a = 0, b = 0, c = 0, d = 0;
  for (int i = 0; i < n; i++) a += (i & 3) + t;         // one long loop
  for (int i = 0; i < n; i++) b ^= (unsigned)i * 2654435761u; // another after it
  for (int j = 0; j < m; j++)                             // nested: m * m iterations
    for (int k = 0; k < m; k++) c += (unsigned)(j ^ k);
  int i = 0;
  while (i < n) { d += 7; i++; }                          // a while loop
  out[4 * t + 0] = a; out[4 * t + 1] = b; out[4 * t + 2] = c; out[4 * t + 3] = d;
}

int main() {
  const int n = 70000, m = 300, threads = 8;
  unsigned h[4 * threads], *d_out;
  cudaMalloc(&d_out, sizeof h);
  count<<<1, threads>>>(n, m, d_out);
  cudaMemcpy(h, d_out, sizeof h, cudaMemcpyDeviceToHost);
  bool ok = true;
  for (unsigned t = 0; t < threads; t++) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    for (int i = 0; i < n; i++) a += (i & 3) + t;
    for (int i = 0; i < n; i++) b ^= (unsigned)i * 2654435761u;
    for (int j = 0; j < m; j++)
      for (int k = 0; k < m; k++) c += (unsigned)(j ^ k);
    for (int i = 0; i < n; i++) d += 7;
    if (h[4 * t] != a || h[4 * t + 1] != b || h[4 * t + 2] != c || h[4 * t + 3] != d) ok = false;
  }
  printf("thread 0: %u %u %u %u\n", h[0], h[1], h[2], h[3]);
  printf("thread 7: %u %u %u %u\n", h[28], h[29], h[30], h[31]);
  printf("%s\n", ok ? "PASS" : "FAIL");
  cudaFree(d_out);
  return ok ? 0 : 1;
}
