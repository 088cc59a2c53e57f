// Lambdas in device code: closures with by-reference and by-value captures, passed to templates.
template <typename F>
__device__ float apply_twice(F f, float x) { return f(f(x)); }
__global__ void k(float *p, int n) {
  __shared__ float s[32];
  const int K = 3;
  float scale = 2.0f;
  auto get = [&](int i) { return p[i] * scale + K + s[i]; };
  auto add = [=](float a, float b) -> float { return a + b + scale; };
  int count = 0;
  auto inc = [&count]() { count++; };
  inc();
  p[0] = get(1) + add(1.0f, 2.0f) + apply_twice([](float v) { return v * v; }, 3.0f) + count;
}
