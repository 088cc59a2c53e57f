/* channel_descriptor.h — cudaCreateChannelDesc<T>(): the channel format of an element type. */
#ifndef CW_SHIM_CHANNEL_DESCRIPTOR_H
#define CW_SHIM_CHANNEL_DESCRIPTOR_H

#include "cuda_runtime_api.h"
#include "vector_types.h"

template <class T>
static inline cudaChannelFormatDesc cudaCreateChannelDesc(void) {
  return cudaCreateChannelDesc(0, 0, 0, 0, cudaChannelFormatKindNone);
}

#define CW_CHANNEL_DESC_(T, bits, n, kind)                                                        \
  template <>                                                                                     \
  inline cudaChannelFormatDesc cudaCreateChannelDesc<T>(void) {                                   \
    return cudaCreateChannelDesc(bits, (n) > 1 ? (bits) : 0, (n) > 2 ? (bits) : 0,                 \
                                 (n) > 3 ? (bits) : 0, kind);                                     \
  }
#define CW_CHANNEL_DESCS_(S, V, bits, kind)                                                       \
  CW_CHANNEL_DESC_(S, bits, 1, kind)                                                              \
  CW_CHANNEL_DESC_(V##1, bits, 1, kind)                                                           \
  CW_CHANNEL_DESC_(V##2, bits, 2, kind)                                                           \
  CW_CHANNEL_DESC_(V##4, bits, 4, kind)

CW_CHANNEL_DESC_(char, 8, 1, cudaChannelFormatKindSigned)
CW_CHANNEL_DESCS_(signed char, char, 8, cudaChannelFormatKindSigned)
CW_CHANNEL_DESCS_(unsigned char, uchar, 8, cudaChannelFormatKindUnsigned)
CW_CHANNEL_DESCS_(short, short, 16, cudaChannelFormatKindSigned)
CW_CHANNEL_DESCS_(unsigned short, ushort, 16, cudaChannelFormatKindUnsigned)
CW_CHANNEL_DESCS_(int, int, 32, cudaChannelFormatKindSigned)
CW_CHANNEL_DESCS_(unsigned int, uint, 32, cudaChannelFormatKindUnsigned)
CW_CHANNEL_DESCS_(float, float, 32, cudaChannelFormatKindFloat)

static inline cudaChannelFormatDesc cudaCreateChannelDescHalf(void) {
  return cudaCreateChannelDesc(16, 0, 0, 0, cudaChannelFormatKindFloat);
}
static inline cudaChannelFormatDesc cudaCreateChannelDescHalf1(void) { return cudaCreateChannelDescHalf(); }
static inline cudaChannelFormatDesc cudaCreateChannelDescHalf2(void) {
  return cudaCreateChannelDesc(16, 16, 0, 0, cudaChannelFormatKindFloat);
}
static inline cudaChannelFormatDesc cudaCreateChannelDescHalf4(void) {
  return cudaCreateChannelDesc(16, 16, 16, 16, cudaChannelFormatKindFloat);
}

#undef CW_CHANNEL_DESCS_
#undef CW_CHANNEL_DESC_

#endif
