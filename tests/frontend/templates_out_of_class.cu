// Members of class templates defined outside the class, with their own parameter names.
template <typename T> struct Box {
  T v;
  __device__ T get() const;
  __device__ void set(T x);
};
template <typename T> __device__ T Box<T>::get() const { return v; }
template <typename T> __device__ void Box<T>::set(T x) { v = x; }
__global__ void k(float *o) { Box<float> b; b.set(2); o[0] = b.get(); }
template <typename T, int N> struct Arr {
  T a[N];
  __device__ Arr(T init);
  __device__ T sum() const;
};
template <typename U, int M> __device__ Arr<U, M>::Arr(U init) { for (int i = 0; i < M; i++) a[i] = init; }
template <typename U, int M> __device__ U Arr<U, M>::sum() const { U s = 0; for (int i = 0; i < M; i++) s += a[i]; return s; }
__global__ void k2(double *o) { Arr<double, 3> x(1.5); o[0] = x.sum(); }
