// instantiate: k<float,float,int,double>
// Variadic templates: packs in parameters, f(args...), sizeof...
template <typename... Ts> __device__ float sum(Ts... xs);
__device__ float add3(float a, int b, double c) { return a + b + c; }
template <typename F, typename... Args>
__device__ float call(F f, Args... args) { return f(args...) + sizeof...(Args); }
struct Add { __device__ float operator()(float a, int b, double c) const { return a + b + c; } };
template <typename T, typename... Rest>
__global__ void k(T *out, Rest... rest) { out[0] = call(Add(), rest...); }
