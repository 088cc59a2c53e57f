// Texture objects as kernel arguments, the ways programs pass them: three in one kernel, one
// handed to a __device__ helper that copies it into a local, a linear texture over memory that
// starts inside an allocation (tex1Dfetch, zero past its end), a texture next to a plain pointer
// in a second kernel, and the image rewritten between two launches (a texture object reads the
// memory as it is at the launch).  Texel values are small integers: every result is exact.
#include <cstdio>
#include <cuda_runtime.h>

#define W 8
#define H 4

__device__ float sample_pair(cudaTextureObject_t img, float x, float y) {
  cudaTextureObject_t t = img;
  return tex2D<float>(t, x, y) + tex2D<float>(img, x + 1.0f, y);  // clamped at the right edge
}

__global__ void combine(cudaTextureObject_t a, cudaTextureObject_t b, cudaTextureObject_t lin, float *out) {
  int x = threadIdx.x, y = blockIdx.x;
  float fx = x + 0.5f, fy = y + 0.5f;
  out[y * W + x] = sample_pair(a, fx, fy) + 100.0f * tex2D<float>(b, fx, fy) +
                   10000.0f * tex1Dfetch<float>(lin, y * W + x);
}

__global__ void scale(const float *k, cudaTextureObject_t lin, float *out, int n) {
  int i = threadIdx.x;
  if (i < n) out[i] = tex1Dfetch<float>(lin, i) * k[i % 2];
}

static cudaTextureObject_t image(float *dev, size_t pitch) {
  cudaResourceDesc res = {};
  res.resType = cudaResourceTypePitch2D;
  res.res.pitch2D.devPtr = dev;
  res.res.pitch2D.desc = cudaCreateChannelDesc<float>();
  res.res.pitch2D.width = W;
  res.res.pitch2D.height = H;
  res.res.pitch2D.pitchInBytes = pitch;
  cudaTextureDesc td = {};
  td.addressMode[0] = td.addressMode[1] = cudaAddressModeClamp;
  td.filterMode = cudaFilterModePoint;
  td.readMode = cudaReadModeElementType;
  cudaTextureObject_t t = 0;
  cudaCreateTextureObject(&t, &res, &td, nullptr);
  return t;
}

static float ha[H][W], hb[H][W], hl[48];

static int check_combine(const float *out, int round) {
  int bad = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int x1 = x + 1 < W ? x + 1 : W - 1;
      float want = ha[y][x] + ha[y][x1] + 100.0f * hb[y][x] + 10000.0f * hl[8 + y * W + x];
      bad += out[y * W + x] != want;
    }
  printf("combine %d: %.0f %.0f %.0f, %d wrong\n", round, out[0], out[W + 3], out[W * H - 1], bad);
  return bad;
}

int main() {
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      ha[y][x] = (float)(x + W * y);
      hb[y][x] = (float)((x * y) % 5);
    }
  for (int i = 0; i < 48; i++) hl[i] = (float)(i % 7);
  float *da, *db, *dl;
  size_t pa, pb;
  cudaMallocPitch((void **)&da, &pa, W * sizeof(float), H);
  cudaMallocPitch((void **)&db, &pb, W * sizeof(float), H);
  cudaMemcpy2D(da, pa, ha, W * sizeof(float), W * sizeof(float), H, cudaMemcpyHostToDevice);
  cudaMemcpy2D(db, pb, hb, W * sizeof(float), W * sizeof(float), H, cudaMemcpyHostToDevice);
  cudaMalloc(&dl, sizeof hl);
  cudaMemcpy(dl, hl, sizeof hl, cudaMemcpyHostToDevice);

  cudaTextureObject_t ta = image(da, pa), tb = image(db, pb), tl = 0;
  cudaResourceDesc lin = {};  // 32 floats from element 8 on
  lin.resType = cudaResourceTypeLinear;
  lin.res.linear.devPtr = dl + 8;
  lin.res.linear.desc = cudaCreateChannelDesc<float>();
  lin.res.linear.sizeInBytes = 32 * sizeof(float);
  cudaTextureDesc ltd = {};
  ltd.readMode = cudaReadModeElementType;
  cudaCreateTextureObject(&tl, &lin, &ltd, nullptr);

  float out[W * H], *dout, *dk, hk[2] = {2.0f, -1.0f};
  cudaMalloc(&dout, 40 * sizeof(float));
  cudaMalloc(&dk, sizeof hk);
  cudaMemcpy(dk, hk, sizeof hk, cudaMemcpyHostToDevice);
  int bad = 0;
  combine<<<H, W>>>(ta, tb, tl, dout);
  cudaMemcpy(out, dout, sizeof out, cudaMemcpyDeviceToHost);
  bad += check_combine(out, 1);

  // the same objects see the rewritten image
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) ha[y][x] = (float)(3 * (W * H - x - W * y));
  cudaMemcpy2D(da, pa, ha, W * sizeof(float), W * sizeof(float), H, cudaMemcpyHostToDevice);
  combine<<<H, W>>>(ta, tb, tl, dout);
  cudaMemcpy(out, dout, sizeof out, cudaMemcpyDeviceToHost);
  bad += check_combine(out, 2);

  // past the linear texture's 32 texels, tex1Dfetch reads 0
  float sc[W * H];
  cudaMemset(dout, 0xff, 40 * sizeof(float));
  scale<<<1, 36>>>(dk, tl, dout, 36);
  cudaMemcpy(sc, dout, sizeof sc, cudaMemcpyDeviceToHost);
  int sbad = 0;
  for (int i = 0; i < 32; i++) sbad += sc[i] != hl[8 + i] * hk[i % 2];
  float tail[4];
  cudaMemcpy(tail, dout + 32, sizeof tail, cudaMemcpyDeviceToHost);
  for (int i = 0; i < 4; i++) sbad += tail[i] != 0.0f;
  printf("scale: %.0f %.0f %.0f, tail %.0f %.0f, %d wrong\n", sc[0], sc[1], sc[31], tail[0], tail[3], sbad);
  bad += sbad;
  printf("errors: %s\n", cudaGetErrorName(cudaGetLastError()));

  cudaDestroyTextureObject(ta);
  cudaDestroyTextureObject(tb);
  cudaDestroyTextureObject(tl);
  cudaFree(da); cudaFree(db); cudaFree(dl); cudaFree(dout); cudaFree(dk);
  printf(bad ? "FAIL\n" : "PASS\n");
  return bad ? 1 : 0;
}
