// Narrow integer types in device memory: char, unsigned char, short, unsigned short, bool, int8_t and
// uint16_t loads and stores (neighbouring elements written by different threads), integer promotion,
// and unsigned wrap-around.
#include <cstdint>
#include <cstdio>
#include <cuda_runtime.h>

__global__ void narrow(const unsigned char *u8, const short *s16, signed char *i8out, unsigned char *u8out,
                       uint16_t *u16out, bool *flags, int *promoted, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  unsigned char a = u8[i];
  short s = s16[i];
  u8out[i] = (unsigned char)(a + 200);        // wraps modulo 256
  i8out[i] = (int8_t)(a - 128);               // -128..127
  u16out[i] = (uint16_t)(s * 3);              // wraps modulo 65536
  flags[i] = (a & 1) != 0 && s < 0;
  promoted[i] = a * s + (char)(a ^ 0x55);     // int arithmetic after promotion
}

int main() {
  const int n = 1003;  // odd: the last bytes share words with nothing
  unsigned char u8[n], u8out[n];
  short s16[n];
  signed char i8out[n];
  uint16_t u16out[n];
  bool flags[n];
  int promoted[n];
  for (int i = 0; i < n; i++) { u8[i] = (unsigned char)(i * 37); s16[i] = (short)(i * 97 - 30000); }
  unsigned char *du8, *du8out; short *ds16; signed char *di8; uint16_t *du16; bool *dflags; int *dprom;
  cudaMalloc(&du8, sizeof u8); cudaMalloc(&ds16, sizeof s16); cudaMalloc(&di8, sizeof i8out);
  cudaMalloc(&du8out, sizeof u8out); cudaMalloc(&du16, sizeof u16out); cudaMalloc(&dflags, sizeof flags);
  cudaMalloc(&dprom, sizeof promoted);
  cudaMemcpy(du8, u8, sizeof u8, cudaMemcpyHostToDevice);
  cudaMemcpy(ds16, s16, sizeof s16, cudaMemcpyHostToDevice);
  narrow<<<(n + 63) / 64, 64>>>(du8, ds16, di8, du8out, du16, dflags, dprom, n);
  cudaMemcpy(i8out, di8, sizeof i8out, cudaMemcpyDeviceToHost);
  cudaMemcpy(u8out, du8out, sizeof u8out, cudaMemcpyDeviceToHost);
  cudaMemcpy(u16out, du16, sizeof u16out, cudaMemcpyDeviceToHost);
  cudaMemcpy(flags, dflags, sizeof flags, cudaMemcpyDeviceToHost);
  cudaMemcpy(promoted, dprom, sizeof promoted, cudaMemcpyDeviceToHost);
  int bad = 0, nflags = 0;
  long long psum = 0;
  for (int i = 0; i < n; i++) {
    unsigned char a = u8[i];
    short s = s16[i];
    bad += u8out[i] != (unsigned char)(a + 200);
    bad += i8out[i] != (int8_t)(a - 128);
    bad += u16out[i] != (uint16_t)(s * 3);
    bad += flags[i] != ((a & 1) != 0 && s < 0);
    bad += promoted[i] != a * s + (char)(a ^ 0x55);
    nflags += flags[i];
    psum += promoted[i];
  }
  printf("u8out[1]=%d i8out[1]=%d u16out[1]=%d u8out[1002]=%d i8out[1002]=%d\n", u8out[1], i8out[1], u16out[1],
         u8out[n - 1], i8out[n - 1]);
  printf("flags=%d promoted sum=%lld\n", nflags, psum);
  cudaFree(du8); cudaFree(ds16); cudaFree(di8); cudaFree(du8out); cudaFree(du16); cudaFree(dflags); cudaFree(dprom);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
