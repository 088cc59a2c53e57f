// Integer intrinsics with exact results: __popc, __popcll, __clz, __clzll, __ffs, __ffsll, __brev,
// __brevll, __byte_perm, __mul24, __umul24, __mulhi, __umulhi, __umul64hi, checked against plain
// host implementations.
#include <cstdio>
#include <cuda_runtime.h>

#define NR 14

__global__ void intrinsics(const unsigned *a, const unsigned *b, unsigned long long *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  unsigned x = a[i], y = b[i];
  unsigned long long xy = ((unsigned long long)x << 32) | y;
  unsigned long long *o = out + i * NR;
  o[0] = __popc(x);
  o[1] = __popcll(xy);
  o[2] = __clz((int)x);
  o[3] = __clzll((long long)(xy >> (y % 64)));
  o[4] = __ffs((int)y);
  o[5] = __ffsll((long long)(xy << (x % 64)));
  o[6] = __brev(x);
  o[7] = __brevll(xy);
  o[8] = __byte_perm(x, y, y & 0x7777u);
  o[9] = (unsigned)__mul24((int)(x & 0x7fffff) - 0x400000, (int)(y & 0x3fff));
  o[10] = __umul24(x & 0xffffffu, y & 0xffffffu);
  o[11] = (unsigned)__mulhi((int)x, (int)y);
  o[12] = __umulhi(x, y);
  o[13] = __umul64hi(xy, xy ^ 0x9e3779b97f4a7c15ULL);
}

static int clz64(unsigned long long v) { int c = 0; for (int k = 63; k >= 0 && !((v >> k) & 1); k--) c++; return c; }
static int ffs64(unsigned long long v) { for (int k = 0; k < 64; k++) if ((v >> k) & 1) return k + 1; return 0; }
static unsigned long long brev64(unsigned long long v, int bits) {
  unsigned long long r = 0;
  for (int k = 0; k < bits; k++) if ((v >> k) & 1) r |= 1ULL << (bits - 1 - k);
  return r;
}
static int popc64(unsigned long long v) { int c = 0; while (v) { c += v & 1; v >>= 1; } return c; }
static unsigned byte_perm(unsigned x, unsigned y, unsigned s) {
  unsigned long long bytes = ((unsigned long long)y << 32) | x;
  unsigned r = 0;
  for (int k = 0; k < 4; k++) r |= (unsigned)((bytes >> (8 * ((s >> (4 * k)) & 7))) & 0xff) << (8 * k);
  return r;
}
static unsigned long long umul64hi(unsigned long long a, unsigned long long b) {
  unsigned long long al = a & 0xffffffffULL, ah = a >> 32, bl = b & 0xffffffffULL, bh = b >> 32;
  unsigned long long ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  unsigned long long mid = (ll >> 32) + (lh & 0xffffffffULL) + (hl & 0xffffffffULL);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

int main() {
  const int n = 256;
  unsigned a[n], b[n];
  unsigned s = 2463534242u;
  for (int i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5; a[i] = s;
    s ^= s << 13; s ^= s >> 17; s ^= s << 5; b[i] = s;
  }
  a[0] = 0; b[0] = 0;          // zero inputs: clz 32, ffs 0
  a[1] = 0x33221100u; b[1] = 0x77665544u;
  unsigned *da, *db; unsigned long long *dout, *out = new unsigned long long[n * NR];
  cudaMalloc(&da, sizeof a); cudaMalloc(&db, sizeof b); cudaMalloc(&dout, n * NR * sizeof(unsigned long long));
  cudaMemcpy(da, a, sizeof a, cudaMemcpyHostToDevice);
  cudaMemcpy(db, b, sizeof b, cudaMemcpyHostToDevice);
  intrinsics<<<2, 128>>>(da, db, dout, n);
  cudaMemcpy(out, dout, n * NR * sizeof(unsigned long long), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) {
    unsigned x = a[i], y = b[i];
    unsigned long long xy = ((unsigned long long)x << 32) | y;
    unsigned long long w[NR];
    w[0] = popc64(x);
    w[1] = popc64(xy);
    w[2] = clz64(x) - 32;
    w[3] = clz64(xy >> (y % 64));
    w[4] = ffs64(y);
    w[5] = ffs64(xy << (x % 64));
    w[6] = brev64(x, 32);
    w[7] = brev64(xy, 64);
    w[8] = byte_perm(x, y, y & 0x7777u);
    w[9] = (unsigned)((long long)((int)(x & 0x7fffff) - 0x400000) * (long long)(int)(y & 0x3fff));
    w[10] = (unsigned)((unsigned long long)(x & 0xffffffu) * (y & 0xffffffu));
    w[11] = (unsigned)(int)(((long long)(int)x * (long long)(int)y) >> 32);
    w[12] = (unsigned)(((unsigned long long)x * y) >> 32);
    w[13] = umul64hi(xy, xy ^ 0x9e3779b97f4a7c15ULL);
    for (int k = 0; k < NR; k++)
      if (out[i * NR + k] != w[k]) {
        if (bad < 10) printf("element %d result %d: got %llx want %llx\n", i, k, out[i * NR + k], w[k]);
        bad++;
      }
  }
  printf("zero: popc=%llu clz=%llu ffs=%llu brev=%llx\n", out[0], out[2], out[4], out[6]);
  printf("bytes: byte_perm=%08llx popcll=%llu brevll=%016llx\n", out[NR + 8], out[NR + 1], out[NR + 7]);
  printf("x[2]: popc=%llu clz=%llu ffs=%llu mulhi=%08llx umulhi=%08llx\n", out[2 * NR], out[2 * NR + 2],
         out[2 * NR + 4], out[2 * NR + 11], out[2 * NR + 12]);
  cudaFree(da); cudaFree(db); cudaFree(dout);
  delete[] out;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
