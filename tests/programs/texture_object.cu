// Texture objects over a pitched 2D float image: point sampling with clamp addressing (unnormalized
// coordinates, also outside the image), linear filtering with normalized coordinates at quarter-texel
// offsets (weights exact in the hardware's 8-bit fraction), point sampling with mirror addressing,
// and tex1Dfetch from a linear int buffer.  Texel values are small integers: every result is exact.
#include <cmath>
#include <cstdio>
#include <cuda_runtime.h>

#define W 16
#define H 8

__global__ void sample(cudaTextureObject_t point_clamp, cudaTextureObject_t linear_norm,
                       cudaTextureObject_t point_mirror, cudaTextureObject_t ints, float *clamped,
                       float *filtered, float *mirrored, int *fetched) {
  int t = threadIdx.x;
  // 24 x 12 positions around the image, at texel centers + 0.25.
  for (int k = t; k < 24 * 12; k += blockDim.x) {
    float x = (float)(k % 24 - 4) + 0.75f, y = (float)(k / 24 - 2) + 0.75f;
    clamped[k] = tex2D<float>(point_clamp, x, y);
  }
  // Quarter-texel steps between the first and the last texel centers.
  for (int k = t; k < 61 * 29; k += blockDim.x) {
    float px = 0.5f + 0.25f * (float)(k % 61), py = 0.5f + 0.25f * (float)(k / 61);
    filtered[k] = tex2D<float>(linear_norm, px / W, py / H);
  }
  // Texel centers over three periods in x: [-W, 2W).
  for (int k = t; k < 3 * W; k += blockDim.x) {
    float u = ((float)(k - W) + 0.5f) / W;
    mirrored[k] = tex2D<float>(point_mirror, u, 2.5f / H);
  }
  if (t < 64) fetched[t] = tex1Dfetch<int>(ints, t);
}

static float texel(int x, int y) { return (float)((x * 3 + y * 5) % 11); }

int main() {
  float img[H][W];
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) img[y][x] = texel(x, y);
  float *dimg;
  size_t pitch;
  cudaMallocPitch((void **)&dimg, &pitch, W * sizeof(float), H);
  cudaMemcpy2D(dimg, pitch, img, W * sizeof(float), W * sizeof(float), H, cudaMemcpyHostToDevice);

  cudaResourceDesc res = {};
  res.resType = cudaResourceTypePitch2D;
  res.res.pitch2D.devPtr = dimg;
  res.res.pitch2D.desc = cudaCreateChannelDesc<float>();
  res.res.pitch2D.width = W;
  res.res.pitch2D.height = H;
  res.res.pitch2D.pitchInBytes = pitch;
  cudaTextureDesc td = {};
  td.readMode = cudaReadModeElementType;
  td.addressMode[0] = td.addressMode[1] = cudaAddressModeClamp;
  td.filterMode = cudaFilterModePoint;
  td.normalizedCoords = 0;
  cudaTextureObject_t point_clamp = 0, linear_norm = 0, point_mirror = 0, ints = 0;
  cudaCreateTextureObject(&point_clamp, &res, &td, nullptr);
  td.filterMode = cudaFilterModeLinear;
  td.normalizedCoords = 1;
  cudaCreateTextureObject(&linear_norm, &res, &td, nullptr);
  td.filterMode = cudaFilterModePoint;
  td.addressMode[0] = td.addressMode[1] = cudaAddressModeMirror;
  cudaCreateTextureObject(&point_mirror, &res, &td, nullptr);

  int hints[64];
  for (int i = 0; i < 64; i++) hints[i] = i * i - 100;
  int *dints;
  cudaMalloc(&dints, sizeof hints);
  cudaMemcpy(dints, hints, sizeof hints, cudaMemcpyHostToDevice);
  cudaResourceDesc lin = {};
  lin.resType = cudaResourceTypeLinear;
  lin.res.linear.devPtr = dints;
  lin.res.linear.desc = cudaCreateChannelDesc<int>();
  lin.res.linear.sizeInBytes = sizeof hints;
  cudaTextureDesc itd = {};
  itd.readMode = cudaReadModeElementType;
  cudaError_t e = cudaCreateTextureObject(&ints, &lin, &itd, nullptr);
  printf("texture objects: %s\n", cudaGetErrorName(e));

  float clamped[24 * 12], filtered[61 * 29], mirrored[3 * W];
  int fetched[64];
  float *dc, *df, *dm; int *dfe;
  cudaMalloc(&dc, sizeof clamped); cudaMalloc(&df, sizeof filtered); cudaMalloc(&dm, sizeof mirrored);
  cudaMalloc(&dfe, sizeof fetched);
  sample<<<1, 256>>>(point_clamp, linear_norm, point_mirror, ints, dc, df, dm, dfe);
  cudaMemcpy(clamped, dc, sizeof clamped, cudaMemcpyDeviceToHost);
  cudaMemcpy(filtered, df, sizeof filtered, cudaMemcpyDeviceToHost);
  cudaMemcpy(mirrored, dm, sizeof mirrored, cudaMemcpyDeviceToHost);
  cudaMemcpy(fetched, dfe, sizeof fetched, cudaMemcpyDeviceToHost);

  int bad = 0;
  for (int k = 0; k < 24 * 12; k++) {
    int x = k % 24 - 4, y = k / 24 - 2;  // sample at (x + 0.75, y + 0.75): texel (x, y), clamped
    x = x < 0 ? 0 : x >= W ? W - 1 : x;
    y = y < 0 ? 0 : y >= H ? H - 1 : y;
    bad += clamped[k] != texel(x, y);
  }
  for (int k = 0; k < 61 * 29; k++) {
    float bx = 0.25f * (float)(k % 61), by = 0.25f * (float)(k / 61);  // position - 0.5
    int i = (int)floorf(bx), j = (int)floorf(by);
    float a = bx - i, b = by - j;
    int i1 = i + 1 < W ? i + 1 : W - 1, j1 = j + 1 < H ? j + 1 : H - 1;
    float want = (1 - a) * (1 - b) * texel(i, j) + a * (1 - b) * texel(i1, j) + (1 - a) * b * texel(i, j1) +
                 a * b * texel(i1, j1);
    bad += fabsf(filtered[k] - want) > 1e-5f;
  }
  for (int k = 0; k < 3 * W; k++) {
    int x = k - W;
    int m = x < 0 ? -1 - x : x >= W ? 2 * W - 1 - x : x;
    bad += mirrored[k] != texel(m, 2);
  }
  for (int i = 0; i < 64; i++) bad += fetched[i] != hints[i];
  printf("clamped: %.0f %.0f %.0f\n", clamped[0], clamped[24 * 5 + 10], clamped[24 * 12 - 1]);
  printf("filtered: %.4f %.4f %.4f\n", filtered[1], filtered[61 * 3 + 2], filtered[61 * 29 - 2]);
  printf("mirrored:");
  for (int k = 0; k < 3 * W; k += 5) printf(" %.0f", mirrored[k]);
  printf("\nfetched: %d %d\n", fetched[0], fetched[63]);
  cudaDestroyTextureObject(point_clamp); cudaDestroyTextureObject(linear_norm);
  cudaDestroyTextureObject(point_mirror); cudaDestroyTextureObject(ints);
  cudaFree(dimg); cudaFree(dints); cudaFree(dc); cudaFree(df); cudaFree(dm); cudaFree(dfe);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
