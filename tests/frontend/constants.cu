// Constant folding, enums, constexpr, sizeof, __constant__ and __device__ variables.
#define N 8
constexpr int kTile = N * 4;
static const float kScale = 0.5f;
enum Mode { ADD = 1, MUL = 4 };
enum class Op : unsigned char { Min, Max };
typedef unsigned int uint32;
using real = double;

__constant__ float coeffs[4] = {1.0f, 2.0f, 3.0f, 4.0f};
__device__ int counter;

__global__ void k(real *out, uint32 n) {
  int buf[kTile / 8];
  buf[0] = sizeof(double2) + alignof(float4) + (ADD | MUL);
  Op op = Op::Max;
  if (op == Op::Max && n > kTile)
    out[0] = coeffs[n % 4] * kScale + buf[0];
  switch (n) {
  case ADD: out[1] = 1; break;
  case MUL: out[2] = 2;
  default: atomicAdd(&counter, 1);
  }
  int i = 0;
  do { i++; if (i == 3) continue; } while (i < 5);
  goto done;
done:
  out[3] = (float)n / 3 + (n > 2 ? 1u : -1);
}
