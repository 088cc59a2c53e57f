/* Texture objects on the host side: the descriptor cudaCreateTextureObject writes (texture.c's
 * cw_tex_desc_fill) for each resource type and the errors it reports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "runtime/rt_internal.h"
#include "runtime/texture_desc.h"

static struct cudaResourceDesc pitch2d(void *p, struct cudaChannelFormatDesc f, size_t w, size_t h, size_t pitch) {
  struct cudaResourceDesc r;
  memset(&r, 0, sizeof r);
  r.resType = cudaResourceTypePitch2D;
  r.res.pitch2D.devPtr = p;
  r.res.pitch2D.desc = f;
  r.res.pitch2D.width = w;
  r.res.pitch2D.height = h;
  r.res.pitch2D.pitchInBytes = pitch;
  return r;
}

static void pitch2d_descriptor(void **state) {
  (void)state;
  struct cudaResourceDesc r = pitch2d((void *)0x1000, cudaCreateChannelDesc(8, 8, 8, 8, cudaChannelFormatKindUnsigned),
                                      10, 4, 64);
  struct cudaTextureDesc t;
  memset(&t, 0, sizeof t);
  t.addressMode[0] = cudaAddressModeWrap;     /* unnormalized: becomes clamp */
  t.addressMode[1] = cudaAddressModeBorder;
  t.filterMode = cudaFilterModeLinear;
  t.readMode = cudaReadModeNormalizedFloat;
  t.borderColor[2] = 0.5f;
  cw_tex_desc d;
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaSuccess);
  assert_int_equal(d.data, 0x1000);
  assert_int_equal(d.width, 10);
  assert_int_equal(d.height, 4);
  assert_int_equal(d.depth, 1);
  assert_int_equal(d.pitch, 64);
  assert_int_equal(d.slice, 256);
  assert_int_equal(d.kind, cudaChannelFormatKindUnsigned);
  assert_int_equal(d.bits, 8);
  assert_int_equal(d.channels, 4);
  assert_int_equal(d.addr[0], cudaAddressModeClamp);
  assert_int_equal(d.addr[1], cudaAddressModeBorder);
  assert_int_equal(d.filter, cudaFilterModeLinear);
  assert_int_equal(d.normalized_read, 1);
  assert_int_equal(d.normalized_coords, 0);
  assert_true(d.border[2] == 0.5f);
  assert_int_equal(d.is_linear, 0);
  /* normalized coordinates keep wrap */
  t.normalizedCoords = 1;
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaSuccess);
  assert_int_equal(d.addr[0], cudaAddressModeWrap);
  /* a pitch smaller than a row */
  r.res.pitch2D.pitchInBytes = 39;
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaErrorInvalidValue);
}

static void linear_descriptor(void **state) {
  (void)state;
  struct cudaResourceDesc r;
  memset(&r, 0, sizeof r);
  r.resType = cudaResourceTypeLinear;
  r.res.linear.devPtr = (void *)0x2000;
  r.res.linear.desc = cudaCreateChannelDesc(32, 0, 0, 0, cudaChannelFormatKindFloat);
  r.res.linear.sizeInBytes = 400;
  struct cudaTextureDesc t;
  memset(&t, 0, sizeof t);
  t.readMode = cudaReadModeNormalizedFloat;   /* meaningless for float: ignored */
  cw_tex_desc d;
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaSuccess);
  assert_int_equal(d.width, 100);
  assert_int_equal(d.is_linear, 1);
  assert_int_equal(d.normalized_read, 0);
  /* 32-bit integers cannot be read normalized either */
  r.res.linear.desc = cudaCreateChannelDesc(32, 0, 0, 0, cudaChannelFormatKindSigned);
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaSuccess);
  assert_int_equal(d.normalized_read, 0);
  r.res.linear.devPtr = NULL;
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaErrorInvalidValue);
}

static void bad_formats(void **state) {
  (void)state;
  struct cudaTextureDesc t;
  memset(&t, 0, sizeof t);
  cw_tex_desc d;
  static const int f[][5] = {
      {0, 0, 0, 0, cudaChannelFormatKindFloat},   /* no channel */
      {8, 0, 0, 0, cudaChannelFormatKindFloat},   /* 8-bit float */
      {16, 8, 0, 0, cudaChannelFormatKindSigned}, /* mixed widths */
      {8, 0, 8, 0, cudaChannelFormatKindSigned},  /* a hole */
      {24, 0, 0, 0, cudaChannelFormatKindUnsigned},
      {32, 0, 0, 0, cudaChannelFormatKindNone},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    struct cudaResourceDesc r = pitch2d((void *)0x1000,
                                        cudaCreateChannelDesc(f[i][0], f[i][1], f[i][2], f[i][3],
                                                              (enum cudaChannelFormatKind)f[i][4]),
                                        4, 4, 512);
    assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaErrorInvalidChannelDescriptor);
  }
  struct cudaResourceDesc r = pitch2d((void *)0x1000, cudaCreateChannelDesc(32, 0, 0, 0, cudaChannelFormatKindFloat),
                                      4, 4, 512);
  t.addressMode[0] = (enum cudaTextureAddressMode)7;
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaErrorInvalidValue);
  memset(&t, 0, sizeof t);
  r.resType = cudaResourceTypeMipmappedArray;
  assert_int_equal(cw_tex_desc_fill(&d, &r, &t), cudaErrorNotSupported);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pitch2d_descriptor),
      cmocka_unit_test(linear_descriptor),
      cmocka_unit_test(bad_formats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
