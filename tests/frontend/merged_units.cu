// Several translation units compiled as one (-rdc): a header included twice, extern "C" prototypes
// spelled differently from the definition, static const tables in device functions.
struct Coef { double a, b; };
extern "C" __host__ __device__ double series(double x, const double c[], int n);
__device__ double eval(double x) {
  static const double c[] = {1.0, 0.5, 0.25};
  static const int n = sizeof(c) / sizeof(c[0]);
  Coef k = {2.0, 3.0};
  return series(x, c, n) * k.a + k.b;
}
__global__ void kern(double *out) { out[threadIdx.x] = eval(out[threadIdx.x]); }
// ---- second unit
struct Coef { double a, b; };
extern "C" __host__ __device__ double series(double x, double c[], int n) {
  double s = 0;
  for (int i = n - 1; i >= 0; i--) s = s * x + c[i];
  return s;
}
