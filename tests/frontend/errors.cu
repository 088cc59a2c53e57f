// Type errors and calls of host code from device code, several per run.
int host_helper(int x) { return x + 1; }
struct NoMember { int a; };
__device__ int dev(int x);
__global__ void k(const float *in, int *out) {
  in[0] = 1.0f;
  out[0] = host_helper(2);
  NoMember m;
  out[1] = m.b;
  out[2] = dev(3);
  int arr[2];
  arr = 0;
  out[3] = *out[0];
}
