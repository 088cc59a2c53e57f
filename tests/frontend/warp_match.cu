// __match_any_sync / __match_all_sync become a synthesized loop of shuffles; warp reductions.
__device__ int leader_add(int *ptr) {
  unsigned mask = __match_any_sync(__activemask(), (unsigned long long)ptr);
  int leader = __ffs(mask) - 1;
  int lane = threadIdx.x % 32;
  int res = 0;
  if (lane == leader) res = atomicAdd(ptr, __popc(mask));
  return __shfl_sync(mask, res, leader) + __popc(mask & ((1 << lane) - 1));
}
__global__ void k(int *d, float *f) {
  int pred;
  unsigned all = __match_all_sync(0xffffffff, f[threadIdx.x], &pred);
  leader_add(d + threadIdx.x % 4);
  d[8] = __reduce_add_sync(0xffffffff, (unsigned)d[9]) + all + pred;
  __syncwarp();
}
