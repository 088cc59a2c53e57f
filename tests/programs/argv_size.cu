// Program arguments: the problem size comes from argv[1] (default 1000 when absent); the test passes
// one through argv_size.args.
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

__global__ void iota_squares(long long *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = (long long)i * i;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  if (n <= 0) { printf("FAIL bad size %s\n", argv[1]); return 1; }
  printf("argc=%d n=%d\n", argc, n);
  for (int k = 2; k < argc; k++) printf("extra argument: %s\n", argv[k]);
  long long *d, *h = new long long[n];
  cudaMalloc(&d, n * sizeof(long long));
  iota_squares<<<(n + 255) / 256, 256>>>(d, n);
  cudaMemcpy(h, d, n * sizeof(long long), cudaMemcpyDeviceToHost);
  long long sum = 0, want = (long long)(n - 1) * n * (2LL * n - 1) / 6;
  for (int i = 0; i < n; i++) sum += h[i];
  printf("sum of squares below %d = %lld\n", n, sum);
  cudaFree(d);
  delete[] h;
  if (sum != want) { printf("FAIL expected %lld\n", want); return 1; }
  printf("PASS\n");
  return 0;
}
