// std::swap, char arrays from string literals, __builtin_assume.
#include <utility>
__global__ void k(int *o, float *f) {
  char s[] = "hi!";
  unsigned char u[8] = "ab";
  int a = o[0], b = o[1];
  std::swap(a, b);
  float x = f[0], y = f[1];
  swap(x, y);
  __builtin_assume(a > 0);
  o[0] = a + s[2] + u[1] + sizeof(s);
  f[0] = x - y;
}
