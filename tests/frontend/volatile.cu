// volatile: kept on variables and on pointees (the IR marks both; printers emit them).
__device__ volatile unsigned int done_count;
__device__ float partial[64];

__device__ void warp_reduce(volatile float *s, int tid) {
  s[tid] += s[tid + 32];
  s[tid] += s[tid + 16];
}

__global__ void last_block(float *out, const float *in, int n) {
  __shared__ volatile float sdata[64];
  __shared__ bool am_last;
  int tid = threadIdx.x;
  sdata[tid] = tid < n ? in[tid] : 0.0f;
  __syncthreads();
  if (tid < 32) warp_reduce(sdata, tid);
  if (tid == 0) {
    partial[blockIdx.x] = sdata[0];
    __threadfence();
    unsigned int ticket = atomicInc((unsigned int *)&done_count, gridDim.x);
    am_last = ticket == gridDim.x - 1;
  }
  __syncthreads();
  volatile int spin = 0;
  int *volatile vp = (int *)0;
  if (am_last && tid == 0) {
    *out = ((volatile float *)partial)[0] + spin + (vp ? 1 : 0);
    done_count = 0;
  }
}
