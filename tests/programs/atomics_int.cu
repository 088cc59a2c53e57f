// Integer atomics: atomicAdd on int, unsigned and unsigned long long, atomicSub, atomicExch, and
// atomicMin/atomicMax on signed, unsigned and 64-bit values, all from many threads at once.
#include <cstdio>
#include <cuda_runtime.h>

struct Results {
  int add_i, sub_i, min_i, max_i, exch;
  unsigned add_u, min_u, max_u;
  unsigned long long add_ull, min_ull, max_ull;
  long long min_ll, max_ll;
  long long exch_olds;  // sum of the values atomicExch returned
};

__global__ void hammer(Results *r, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  atomicAdd(&r->add_i, (i % 5) - 2);
  atomicSub(&r->sub_i, i % 3);
  atomicMin(&r->min_i, 500 - i);
  atomicMax(&r->max_i, (i * 37) % 1001 - 500);
  atomicAdd(&r->add_u, 3u);
  atomicMin(&r->min_u, 4000000000u - (unsigned)i);
  atomicMax(&r->max_u, (unsigned)i * 1000003u % 4294967291u);
  atomicAdd(&r->add_ull, (1ULL << 33) + (unsigned long long)i);
  atomicMin(&r->min_ull, 0xF000000000000000ULL + (unsigned long long)(n - i));
  atomicMax(&r->max_ull, (unsigned long long)i << 40);
  atomicMin(&r->min_ll, -(1LL << 40) - i);
  atomicMax(&r->max_ll, (long long)i * -1000000007LL + (1LL << 45));
  int old = atomicExch(&r->exch, i + 1);
  atomicAdd((unsigned long long *)&r->exch_olds, (unsigned long long)old);
}

int main() {
  const int n = 10000;
  Results init = {}, got;
  init.add_i = 0; init.sub_i = 100000; init.min_i = 1 << 30; init.max_i = -(1 << 30); init.exch = 0;
  init.add_u = 7; init.min_u = 0xFFFFFFFFu; init.max_u = 0;
  init.add_ull = 0; init.min_ull = ~0ULL; init.max_ull = 0;
  init.min_ll = 0; init.max_ll = -(1LL << 62);
  init.exch_olds = 0;
  Results *d;
  cudaMalloc(&d, sizeof(Results));
  cudaMemcpy(d, &init, sizeof(Results), cudaMemcpyHostToDevice);
  hammer<<<(n + 127) / 128, 128>>>(d, n);
  cudaMemcpy(&got, d, sizeof(Results), cudaMemcpyDeviceToHost);

  Results w = init;
  long long ids = 0;
  for (int i = 0; i < n; i++) {
    w.add_i += (i % 5) - 2;
    w.sub_i -= i % 3;
    if (500 - i < w.min_i) w.min_i = 500 - i;
    if ((i * 37) % 1001 - 500 > w.max_i) w.max_i = (i * 37) % 1001 - 500;
    w.add_u += 3u;
    if (4000000000u - (unsigned)i < w.min_u) w.min_u = 4000000000u - (unsigned)i;
    if ((unsigned)i * 1000003u % 4294967291u > w.max_u) w.max_u = (unsigned)i * 1000003u % 4294967291u;
    w.add_ull += (1ULL << 33) + (unsigned long long)i;
    if (0xF000000000000000ULL + (unsigned long long)(n - i) < w.min_ull)
      w.min_ull = 0xF000000000000000ULL + (unsigned long long)(n - i);
    if (((unsigned long long)i << 40) > w.max_ull) w.max_ull = (unsigned long long)i << 40;
    if (-(1LL << 40) - i < w.min_ll) w.min_ll = -(1LL << 40) - i;
    if ((long long)i * -1000000007LL + (1LL << 45) > w.max_ll) w.max_ll = (long long)i * -1000000007LL + (1LL << 45);
    ids += i + 1;
  }
  int bad = 0;
  bad += got.add_i != w.add_i; bad += got.sub_i != w.sub_i;
  bad += got.min_i != w.min_i; bad += got.max_i != w.max_i;
  bad += got.add_u != w.add_u; bad += got.min_u != w.min_u; bad += got.max_u != w.max_u;
  bad += got.add_ull != w.add_ull; bad += got.min_ull != w.min_ull; bad += got.max_ull != w.max_ull;
  bad += got.min_ll != w.min_ll; bad += got.max_ll != w.max_ll;
  // Exchanges form one chain: the final value plus every returned old value is 0 + all the ids.
  bad += got.exch < 1 || got.exch > n || got.exch_olds + got.exch != ids;
  printf("add_i=%d sub_i=%d min_i=%d max_i=%d\n", got.add_i, got.sub_i, got.min_i, got.max_i);
  printf("add_u=%u min_u=%u max_u=%u\n", got.add_u, got.min_u, got.max_u);
  printf("add_ull=%llu min_ull=%llx max_ull=%llx\n", got.add_ull, got.min_ull, got.max_ull);
  printf("min_ll=%lld max_ll=%lld\n", got.min_ll, got.max_ll);
  printf("exch chain %s\n", got.exch_olds + got.exch == ids ? "ok" : "broken");
  cudaFree(d);
  if (bad) { printf("FAIL %d wrong\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
