// Structs with constructors, methods, operators, references and namespaces.
namespace geo {
struct Vec3 {
  float x, y, z;
  __device__ Vec3() : x(0), y(0), z(0) {}
  __device__ Vec3(float a, float b, float c) : x(a), y(b), z(c) {}
  __device__ float dot(const Vec3 &o) const { return x * o.x + y * o.y + z * o.z; }
  __device__ Vec3 operator+(const Vec3 &o) const { return Vec3(x + o.x, y + o.y, z + o.z); }
  __device__ Vec3 &operator+=(const Vec3 &o) { x += o.x; y += o.y; z += o.z; return *this; }
  __device__ float &operator[](int i) { return i == 0 ? x : i == 1 ? y : z; }
};
__device__ inline void scale(Vec3 &v, float s) { v.x *= s; v.y *= s; v.z *= s; }
}  // namespace geo

struct Particle { geo::Vec3 pos; int id = -1; };

__global__ void step(geo::Vec3 *p, int n) {
  using namespace geo;
  int i = threadIdx.x;
  if (i >= n) return;
  Vec3 a = p[i];
  Vec3 b(1.0f, 2.0f, 3.0f);
  a += b;
  scale(a, 0.5f);
  a[1] = a.dot(b + a);
  Particle q;
  q.pos = a;
  p[i] = q.pos;
}
