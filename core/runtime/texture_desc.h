/* texture_desc.h — the descriptor a texture object's handle points to, in device memory.
 * Device code reads it through the prelude of core/frontend/sema_texture.c, whose
 * struct __cw_tex_desc must have this very layout (checked by tests/unit/runtime/test_texture.c). */
#ifndef CW_RUNTIME_TEXTURE_DESC_H
#define CW_RUNTIME_TEXTURE_DESC_H

#include <stdint.h>

struct cudaResourceDesc;
struct cudaTextureDesc;

typedef struct cw_tex_desc {
  uint64_t data;             /* device address of texel (0, 0, 0) */
  uint64_t pitch;            /* bytes from one row to the next */
  uint64_t slice;            /* bytes from one 2D slice to the next */
  int32_t width, height, depth;  /* in texels; 1 for unused dimensions */
  int32_t kind;              /* cudaChannelFormatKind: 0 signed, 1 unsigned, 2 float */
  int32_t bits;              /* bits per channel: 8, 16, 32 */
  int32_t channels;          /* 1 to 4 */
  int32_t addr[3];           /* cudaTextureAddressMode per dimension (wrap/mirror only normalized) */
  int32_t filter;            /* cudaTextureFilterMode */
  int32_t normalized_read;   /* cudaReadModeNormalizedFloat on an 8/16-bit integer format */
  int32_t normalized_coords;
  float border[4];
  int32_t is_linear;         /* linear memory: tex1Dfetch outside [0, width) reads 0 */
  int32_t reserved;
} cw_tex_desc;

_Static_assert(sizeof(cw_tex_desc) == 96, "cw_tex_desc is shared with device code");

/* Fills `d` for a resource and a texture description; returns cudaSuccess or the error that
 * cudaCreateTextureObject reports (texture.c; pure, for unit tests). */
int cw_tex_desc_fill(cw_tex_desc *d, const struct cudaResourceDesc *res, const struct cudaTextureDesc *td);

#endif
