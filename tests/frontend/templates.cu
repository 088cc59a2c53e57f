// instantiate: apply<float,Square> apply<int,Square>
// Function and class templates: deduction, explicit and default arguments, non-type
// parameters, if constexpr, std::is_same, numeric_limits.
#include <limits>
#include <type_traits>
template <typename T, int N = 4>
struct Vec {
  T v[N];
  __device__ T sum() const { T s = 0; for (int i = 0; i < N; i++) s += v[i]; return s; }
};

struct Square { template <typename T> __device__ T operator()(T x) const { return x * x; } };

template <typename T>
__device__ T twice(T x) { return x + x; }

template <typename T, typename F>
__global__ void apply(T *data, int n) {
  F f;
  int i = threadIdx.x;
  Vec<T> acc;
  for (int k = 0; k < 4; k++) acc.v[k] = data[k];
  if constexpr (std::is_same<T, float>::value)
    data[i] = f(data[i]) + twice(acc.sum()) + std::numeric_limits<float>::max();
  else
    data[i] = f(data[i]) + twice<T>(3) - std::numeric_limits<T>::lowest();
}
