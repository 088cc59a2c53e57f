// Structs on the device: a struct passed by value as a kernel parameter, an array of structs in
// global memory, a struct with a __device__ member function and an operator+.
#include <cstdio>
#include <cuda_runtime.h>

struct Vec3 {
  float x, y, z;
  __host__ __device__ Vec3 operator+(const Vec3 &o) const { return Vec3{x + o.x, y + o.y, z + o.z}; }
  __host__ __device__ float dot(const Vec3 &o) const { return x * o.x + y * o.y + z * o.z; }
};

struct Particle {
  Vec3 pos;
  Vec3 vel;
  int id;
  float mass;
};

struct Params {  // passed by value
  Vec3 gravity;
  float dt;
  int steps;
  unsigned char flags;
};

__device__ Vec3 scaled(Vec3 v, float s) { return Vec3{v.x * s, v.y * s, v.z * s}; }

__global__ void step(Particle *ps, int n, Params p, float *energy) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  Particle q = ps[i];
  for (int s = 0; s < p.steps; s++) {
    q.vel = q.vel + scaled(p.gravity, p.dt);
    q.pos = q.pos + scaled(q.vel, p.dt);
  }
  if (p.flags & 1) q.id = -q.id;
  ps[i] = q;
  energy[i] = 0.5f * q.mass * q.vel.dot(q.vel);
}

int main() {
  const int n = 333;
  Particle *h = new Particle[n], *r = new Particle[n];
  float *e = new float[n];
  for (int i = 0; i < n; i++) {
    h[i].pos = Vec3{(float)i, 0.0f, (float)(i % 4)};
    h[i].vel = Vec3{1.0f, (float)(i % 8), -2.0f};
    h[i].id = i + 1;
    h[i].mass = (float)(1 + i % 3);
  }
  Params p = {Vec3{0.0f, -0.5f, 0.25f}, 0.5f, 4, 1};
  Particle *d; float *de;
  cudaMalloc(&d, n * sizeof(Particle));
  cudaMalloc(&de, n * sizeof(float));
  cudaMemcpy(d, h, n * sizeof(Particle), cudaMemcpyHostToDevice);
  step<<<(n + 63) / 64, 64>>>(d, n, p, de);
  cudaMemcpy(r, d, n * sizeof(Particle), cudaMemcpyDeviceToHost);
  cudaMemcpy(e, de, n * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) {
    Particle q = h[i];
    for (int s = 0; s < p.steps; s++) {
      q.vel = q.vel + Vec3{p.gravity.x * p.dt, p.gravity.y * p.dt, p.gravity.z * p.dt};
      q.pos = q.pos + Vec3{q.vel.x * p.dt, q.vel.y * p.dt, q.vel.z * p.dt};
    }
    // All values are small multiples of 1/16: exact on both sides.
    bad += r[i].pos.x != q.pos.x || r[i].pos.y != q.pos.y || r[i].pos.z != q.pos.z;
    bad += r[i].vel.y != q.vel.y || r[i].id != -q.id || r[i].mass != q.mass;
    bad += e[i] != 0.5f * q.mass * q.vel.dot(q.vel);
  }
  printf("sizeof(Particle)=%d\n", (int)sizeof(Particle));
  printf("p[5]: pos=(%.4f, %.4f, %.4f) id=%d energy=%.4f\n", r[5].pos.x, r[5].pos.y, r[5].pos.z, r[5].id, e[5]);
  printf("p[332]: vel=(%.4f, %.4f, %.4f) energy=%.4f\n", r[332].vel.x, r[332].vel.y, r[332].vel.z, e[332]);
  cudaFree(d); cudaFree(de);
  delete[] h; delete[] r; delete[] e;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
