// Texture objects beyond texture_object.cu: a CUDA array of uchar4 read as normalized floats with
// linear filtering and wrap addressing; tex1D linear filtering at positions whose weights are
// rounded to 1/256 (as the hardware does); border addressing with a border color; signed 16-bit
// normalized reads; integer element reads of a CUDA array; tex1Dfetch of float4 linear memory,
// zero outside it; cudaMemcpyToArray; cudaGetTextureObjectResourceDesc.
#include <cmath>
#include <cstdio>
#include <cuda_runtime.h>

#define W 8
#define H 4

__global__ void sample(cudaTextureObject_t rgba, cudaTextureObject_t line, cudaTextureObject_t border,
                       cudaTextureObject_t snorm, cudaTextureObject_t raw, cudaTextureObject_t vec,
                       float4 *o_rgba, float *o_line, float *o_border, float *o_snorm, uchar4 *o_raw,
                       float4 *o_vec) {
  int t = threadIdx.x;
  if (t < 16) {  // wrap: normalized coordinates from -0.6 to 1.65
    float u = -0.6f + 0.15f * t, v = 0.1f + 0.05f * t;
    o_rgba[t] = tex2D<float4>(rgba, u, v);
  }
  if (t < 24) o_line[t] = tex1D<float>(line, -0.8f + 0.37f * t);  // unnormalized, clamp
  if (t < 12) {
    float r;
    tex2D(&r, border, -1.5f + 1.0f * t, 1.5f);  // the pointer form, border addressing
    o_border[t] = r;
  }
  if (t < 6) o_snorm[t] = tex1Dfetch<float>(snorm, t);
  if (t < 8) o_raw[t] = tex2D<uchar4>(raw, (float)t + 0.5f, 2.5f);
  if (t < 6) o_vec[t] = tex1Dfetch<float4>(vec, t - 1);
}

int main() {
  // uchar4 array W x H
  uchar4 px[H][W];
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      px[y][x] = make_uchar4((unsigned char)(x * 37 + y * 11), (unsigned char)(255 - x * 29), (unsigned char)(y * 80),
                             (unsigned char)((x * y * 13) & 255));
  cudaChannelFormatDesc cd = cudaCreateChannelDesc<uchar4>();
  cudaArray_t arr;
  cudaMallocArray(&arr, &cd, W, H);
  cudaMemcpy2DToArray(arr, 0, 0, px, W * sizeof(uchar4), W * sizeof(uchar4), H, cudaMemcpyHostToDevice);
  cudaResourceDesc res = {};
  res.resType = cudaResourceTypeArray;
  res.res.array.array = arr;
  cudaTextureDesc td = {};
  td.addressMode[0] = td.addressMode[1] = cudaAddressModeWrap;
  td.filterMode = cudaFilterModeLinear;
  td.readMode = cudaReadModeNormalizedFloat;
  td.normalizedCoords = 1;
  cudaTextureObject_t rgba, raw;
  cudaCreateTextureObject(&rgba, &res, &td, nullptr);
  td.filterMode = cudaFilterModePoint;
  td.readMode = cudaReadModeElementType;
  td.normalizedCoords = 0;
  cudaCreateTextureObject(&raw, &res, &td, nullptr);

  // 1D float array, filled with cudaMemcpyToArray
  float lv[6] = {0.0f, 1.0f, 4.0f, 9.0f, 16.0f, 25.0f};
  cudaChannelFormatDesc fd = cudaCreateChannelDesc<float>();
  cudaArray_t larr;
  cudaMallocArray(&larr, &fd, 6);
  cudaMemcpyToArray(larr, 0, 0, lv, sizeof lv, cudaMemcpyHostToDevice);
  cudaResourceDesc lres = {};
  lres.resType = cudaResourceTypeArray;
  lres.res.array.array = larr;
  cudaTextureDesc ltd = {};
  ltd.addressMode[0] = cudaAddressModeClamp;
  ltd.filterMode = cudaFilterModeLinear;
  ltd.readMode = cudaReadModeElementType;
  cudaTextureObject_t line;
  cudaCreateTextureObject(&line, &lres, &ltd, nullptr);

  // pitched float image with border addressing
  float img[3][10];
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 10; x++) img[y][x] = (float)(x + 10 * y);
  float *dimg;
  size_t pitch;
  cudaMallocPitch((void **)&dimg, &pitch, 10 * sizeof(float), 3);
  cudaMemcpy2D(dimg, pitch, img, 10 * sizeof(float), 10 * sizeof(float), 3, cudaMemcpyHostToDevice);
  cudaResourceDesc pres = {};
  pres.resType = cudaResourceTypePitch2D;
  pres.res.pitch2D.devPtr = dimg;
  pres.res.pitch2D.desc = cudaCreateChannelDesc<float>();
  pres.res.pitch2D.width = 10;
  pres.res.pitch2D.height = 3;
  pres.res.pitch2D.pitchInBytes = pitch;
  cudaTextureDesc btd = {};
  btd.addressMode[0] = btd.addressMode[1] = cudaAddressModeBorder;
  btd.borderColor[0] = -7.0f;
  btd.filterMode = cudaFilterModePoint;
  cudaTextureObject_t border;
  cudaCreateTextureObject(&border, &pres, &btd, nullptr);

  // signed 16-bit linear memory read as normalized floats
  short sv[6] = {-32768, -32767, -16384, 0, 16384, 32767};
  short *dsv;
  cudaMalloc(&dsv, sizeof sv);
  cudaMemcpy(dsv, sv, sizeof sv, cudaMemcpyHostToDevice);
  cudaResourceDesc sres = {};
  sres.resType = cudaResourceTypeLinear;
  sres.res.linear.devPtr = dsv;
  sres.res.linear.desc = cudaCreateChannelDesc<short>();
  sres.res.linear.sizeInBytes = sizeof sv;
  cudaTextureDesc std_ = {};
  std_.readMode = cudaReadModeNormalizedFloat;
  cudaTextureObject_t snorm;
  cudaCreateTextureObject(&snorm, &sres, &std_, nullptr);

  // float4 linear memory
  float4 fv[4];
  for (int i = 0; i < 4; i++) fv[i] = make_float4(i, i + 0.5f, -i, 100.0f * i);
  float4 *dfv;
  cudaMalloc(&dfv, sizeof fv);
  cudaMemcpy(dfv, fv, sizeof fv, cudaMemcpyHostToDevice);
  cudaResourceDesc vres = {};
  vres.resType = cudaResourceTypeLinear;
  vres.res.linear.devPtr = dfv;
  vres.res.linear.desc = cudaCreateChannelDesc<float4>();
  vres.res.linear.sizeInBytes = sizeof fv;
  cudaTextureDesc vtd = {};
  cudaTextureObject_t vec;
  cudaCreateTextureObject(&vec, &vres, &vtd, nullptr);

  cudaResourceDesc back;
  cudaGetTextureObjectResourceDesc(&back, border);
  printf("resource: type %d width %zu height %zu pitch ok %d\n", (int)back.resType, back.res.pitch2D.width,
         back.res.pitch2D.height, back.res.pitch2D.pitchInBytes == pitch);

  float4 *o_rgba, *o_vec;
  float *o_line, *o_border, *o_snorm;
  uchar4 *o_raw;
  cudaMalloc(&o_rgba, 16 * sizeof(float4));
  cudaMalloc(&o_line, 24 * sizeof(float));
  cudaMalloc(&o_border, 12 * sizeof(float));
  cudaMalloc(&o_snorm, 6 * sizeof(float));
  cudaMalloc(&o_raw, 8 * sizeof(uchar4));
  cudaMalloc(&o_vec, 6 * sizeof(float4));
  sample<<<1, 32>>>(rgba, line, border, snorm, raw, vec, o_rgba, o_line, o_border, o_snorm, o_raw, o_vec);
  cudaError_t ke = cudaDeviceSynchronize();
  printf("kernel: %s\n", cudaGetErrorName(ke));

  float4 h_rgba[16], h_vec[6];
  float h_line[24], h_border[12], h_snorm[6];
  uchar4 h_raw[8];
  cudaMemcpy(h_rgba, o_rgba, sizeof h_rgba, cudaMemcpyDeviceToHost);
  cudaMemcpy(h_line, o_line, sizeof h_line, cudaMemcpyDeviceToHost);
  cudaMemcpy(h_border, o_border, sizeof h_border, cudaMemcpyDeviceToHost);
  cudaMemcpy(h_snorm, o_snorm, sizeof h_snorm, cudaMemcpyDeviceToHost);
  cudaMemcpy(h_raw, o_raw, sizeof h_raw, cudaMemcpyDeviceToHost);
  cudaMemcpy(h_vec, o_vec, sizeof h_vec, cudaMemcpyDeviceToHost);
  // 2D filtering of 8-bit texels: GPUs filter those at lower precision than fp32 (within 1e-3 of
  // the exact blend on an H200), so this part is compared with a tolerance.
  int off = 0;
  for (int t = 0; t < 16; t++) {
    float x = (-0.6f + 0.15f * t) * W - 0.5f, y = (0.1f + 0.05f * t) * H - 0.5f;
    int i = (int)floorf(x), j = (int)floorf(y);
    float a = rintf((x - floorf(x)) * 256) / 256, b = rintf((y - floorf(y)) * 256) / 256;
    int i0 = (i % W + W) % W, i1 = ((i + 1) % W + W) % W, j0 = (j % H + H) % H, j1 = ((j + 1) % H + H) % H;
    const float *got = &h_rgba[t].x;
    for (int c = 0; c < 4; c++) {
      float t00 = (&px[j0][i0].x)[c] / 255.0f, t10 = (&px[j0][i1].x)[c] / 255.0f;
      float t01 = (&px[j1][i0].x)[c] / 255.0f, t11 = (&px[j1][i1].x)[c] / 255.0f;
      float want = (1 - b) * ((1 - a) * t00 + a * t10) + b * ((1 - a) * t01 + a * t11);
      off += fabsf(got[c] - want) > 2e-3f;
    }
  }
  printf("rgba: %d of 64 values off by more than 0.002; first %.2f %.2f %.2f\n", off, h_rgba[0].x, h_rgba[0].y,
         h_rgba[0].z);
  printf("line:");
  for (int i = 0; i < 24; i++) printf(" %.6f", h_line[i]);
  printf("\nborder:");
  for (int i = 0; i < 12; i++) printf(" %g", h_border[i]);
  printf("\nsnorm:");
  for (int i = 0; i < 6; i++) printf(" %.6f", h_snorm[i]);
  printf("\nraw:");
  for (int i = 0; i < 8; i++) printf(" (%d %d %d %d)", h_raw[i].x, h_raw[i].y, h_raw[i].z, h_raw[i].w);
  printf("\nvec:");
  for (int i = 0; i < 6; i++) printf(" (%g %g %g %g)", h_vec[i].x, h_vec[i].y, h_vec[i].z, h_vec[i].w);
  printf("\n");
  cudaDestroyTextureObject(rgba); cudaDestroyTextureObject(raw); cudaDestroyTextureObject(line);
  cudaDestroyTextureObject(border); cudaDestroyTextureObject(snorm); cudaDestroyTextureObject(vec);
  cudaFreeArray(arr); cudaFreeArray(larr);
  cudaFree(dimg); cudaFree(dsv); cudaFree(dfv);
  cudaFree(o_rgba); cudaFree(o_line); cudaFree(o_border); cudaFree(o_snorm); cudaFree(o_raw); cudaFree(o_vec);
  return ke == cudaSuccess && off == 0 ? 0 : 1;
}
