// instantiate: reduce<256> reduce<128>
template <int BS>
__global__ void reduce(const float *in, float *out, int n) {
  __shared__ float s[BS];
  unsigned tid = threadIdx.x;
  s[tid] = tid < n ? in[tid] : 0.0f;
  __syncthreads();
#pragma unroll
  for (int k = BS / 2; k > 0; k >>= 1) {
    if (tid < k) s[tid] += s[tid + k];
    __syncthreads();
  }
  if (tid == 0) atomicAdd(out, s[0]);
}

__global__ void tile(float *out) {
  __shared__ float t[16][17];
  extern __shared__ char smem[];
  float *dyn = reinterpret_cast<float *>(smem);
  t[threadIdx.y][threadIdx.x] = dyn[threadIdx.x];
  __syncthreads();
  out[threadIdx.x] = t[threadIdx.x][threadIdx.y];
}
