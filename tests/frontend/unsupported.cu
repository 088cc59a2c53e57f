// Features reported as unsupported, each at its own location; host code is never checked.
struct Shape { virtual __device__ float area() const { return 0; } };
__global__ void child(int *p) { p[0] = 1; }
__global__ void bad(int *p, cudaSurfaceObject_t tex) {
  auto f = [&](auto i) { return p[i]; };
  int *q = new int[4];
  child<<<1, 1>>>(p);
  p[1] = surf2Dread<int>(tex, 0);
  p[2] = undeclared_thing + 1;
  float x = "text";
}
void host_fn(std::map<int, int> &m) { m[1] = 2; }
__device__ float use_shape(const Shape &s) { return s.area(); }
__global__ void calls_virtual(float *out) {
  Shape s;
  out[0] = use_shape(s);
}
