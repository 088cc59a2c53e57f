/* texture.c — texture objects and CUDA arrays.
 *
 * A CUDA array is a plain device allocation with a row pitch of exactly width * element size
 * (so cudaMemcpyToArray's row-major offsets are byte offsets).  A texture object is the device
 * address of a cw_tex_desc (texture_desc.h) written into device memory at creation: device code
 * samples in software from it (core/frontend/sema_texture.c).  The host keeps each object's
 * descriptions for cudaGetTextureObject*Desc. */
#include <string.h>

#include "runtime/rt_internal.h"
#include "runtime/texture_desc.h"

struct cudaArray {
  void *data;
  size_t width, height, depth;   /* in elements; 0 for unused dimensions, as given */
  size_t pitch;                  /* bytes per row */
  struct cudaChannelFormatDesc desc;
  unsigned int flags;
};

typedef struct tex_object {
  struct cudaResourceDesc res;
  struct cudaTextureDesc td;
  struct cudaResourceViewDesc view;
} tex_object;

static GMutex objects_lock;
static GHashTable *objects;   /* handle (device address) → tex_object* */

CW_RT_API struct cudaChannelFormatDesc cudaCreateChannelDesc(int x, int y, int z, int w,
                                                             enum cudaChannelFormatKind f) {
  struct cudaChannelFormatDesc d = {x, y, z, w, f};
  return d;
}

/* Channels and bits of a format; false if it has none we can sample. */
static bool format_of(const struct cudaChannelFormatDesc *f, int *channels, int *bits) {
  int b[4] = {f->x, f->y, f->z, f->w}, n = 0;
  while (n < 4 && b[n] > 0) n++;
  for (int i = n; i < 4; i++)
    if (b[i] != 0) return false;
  for (int i = 1; i < n; i++)
    if (b[i] != b[0]) return false;
  if (n == 0 || (b[0] != 8 && b[0] != 16 && b[0] != 32)) return false;
  if (f->f == cudaChannelFormatKindFloat && b[0] == 8) return false;
  if (f->f != cudaChannelFormatKindSigned && f->f != cudaChannelFormatKindUnsigned &&
      f->f != cudaChannelFormatKindFloat)
    return false;
  *channels = n;
  *bits = b[0];
  return true;
}

static size_t element_size(const struct cudaChannelFormatDesc *f) {
  int n, bits;
  return format_of(f, &n, &bits) ? (size_t)(n * bits / 8) : 0;
}

int cw_tex_desc_fill(cw_tex_desc *d, const struct cudaResourceDesc *res, const struct cudaTextureDesc *td) {
  memset(d, 0, sizeof *d);
  const struct cudaChannelFormatDesc *fmt = NULL;
  size_t width = 0, height = 1, depth = 1, pitch = 0;
  switch (res->resType) {
  case cudaResourceTypeArray: {
    const struct cudaArray *a = res->res.array.array;
    if (!a) return cudaErrorInvalidResourceHandle;
    fmt = &a->desc;
    d->data = (uint64_t)(uintptr_t)a->data;
    width = a->width;
    height = a->height ? a->height : 1;
    depth = a->depth ? a->depth : 1;
    pitch = a->pitch;
    break;
  }
  case cudaResourceTypeLinear:
    if (!res->res.linear.devPtr) return cudaErrorInvalidValue;
    fmt = &res->res.linear.desc;
    if (!element_size(fmt)) return cudaErrorInvalidChannelDescriptor;
    d->data = (uint64_t)(uintptr_t)res->res.linear.devPtr;
    width = res->res.linear.sizeInBytes / element_size(fmt);
    pitch = res->res.linear.sizeInBytes;
    d->is_linear = 1;
    break;
  case cudaResourceTypePitch2D:
    if (!res->res.pitch2D.devPtr) return cudaErrorInvalidValue;
    fmt = &res->res.pitch2D.desc;
    if (!element_size(fmt)) return cudaErrorInvalidChannelDescriptor;
    d->data = (uint64_t)(uintptr_t)res->res.pitch2D.devPtr;
    width = res->res.pitch2D.width;
    height = res->res.pitch2D.height;
    pitch = res->res.pitch2D.pitchInBytes;
    if (pitch < width * element_size(fmt)) return cudaErrorInvalidValue;
    break;
  default:
    cw_rt_set_detail("mipmapped arrays are not supported as texture resources");
    return cudaErrorNotSupported;
  }
  int channels, bits;
  if (!format_of(fmt, &channels, &bits)) return cudaErrorInvalidChannelDescriptor;
  if (width == 0 || width > INT32_MAX || height > INT32_MAX || depth > INT32_MAX) return cudaErrorInvalidValue;
  d->width = (int32_t)width;
  d->height = (int32_t)height;
  d->depth = (int32_t)depth;
  d->pitch = pitch;
  d->slice = (uint64_t)pitch * height;
  d->kind = fmt->f;
  d->bits = bits;
  d->channels = channels;
  d->normalized_coords = td->normalizedCoords != 0;
  for (int i = 0; i < 3; i++) {
    int m = td->addressMode[i];
    if (m < cudaAddressModeWrap || m > cudaAddressModeBorder) return cudaErrorInvalidValue;
    /* wrap and mirror exist only for normalized coordinates; CUDA clamps otherwise */
    if (!d->normalized_coords && (m == cudaAddressModeWrap || m == cudaAddressModeMirror)) m = cudaAddressModeClamp;
    d->addr[i] = m;
  }
  if (td->filterMode != cudaFilterModePoint && td->filterMode != cudaFilterModeLinear) return cudaErrorInvalidValue;
  if (td->readMode != cudaReadModeElementType && td->readMode != cudaReadModeNormalizedFloat)
    return cudaErrorInvalidValue;
  d->filter = td->filterMode;
  d->normalized_read = td->readMode == cudaReadModeNormalizedFloat && fmt->f != cudaChannelFormatKindFloat && bits < 32;
  for (int i = 0; i < 4; i++) d->border[i] = td->borderColor[i];
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaCreateTextureObject(cudaTextureObject_t *pTexObject, const struct cudaResourceDesc *pResDesc,
                                              const struct cudaTextureDesc *pTexDesc,
                                              const struct cudaResourceViewDesc *pResViewDesc) {
  if (!pTexObject || !pResDesc || !pTexDesc) return cw_rt_error(cudaErrorInvalidValue);
  cw_tex_desc d;
  cudaError_t e = (cudaError_t)cw_tex_desc_fill(&d, pResDesc, pTexDesc);
  if (e != cudaSuccess) return cw_rt_error(e);
  void *dev = NULL;
  e = cudaMalloc(&dev, sizeof d);
  if (e != cudaSuccess) return e;
  e = cudaMemcpy(dev, &d, sizeof d, cudaMemcpyHostToDevice);
  if (e != cudaSuccess) {
    cudaFree(dev);
    return e;
  }
  tex_object *o = g_new0(tex_object, 1);
  o->res = *pResDesc;
  o->td = *pTexDesc;
  if (pResViewDesc) o->view = *pResViewDesc;
  g_mutex_lock(&objects_lock);
  if (!objects) objects = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  g_hash_table_insert(objects, dev, o);
  g_mutex_unlock(&objects_lock);
  *pTexObject = (cudaTextureObject_t)(uintptr_t)dev;
  return cudaSuccess;
}

/* A copy of the object's descriptions; false if it is not a live object. */
static bool find_object(cudaTextureObject_t h, tex_object *out) {
  g_mutex_lock(&objects_lock);
  tex_object *o = objects ? g_hash_table_lookup(objects, (void *)(uintptr_t)h) : NULL;
  if (o) *out = *o;
  g_mutex_unlock(&objects_lock);
  return o != NULL;
}

CW_RT_API cudaError_t cudaDestroyTextureObject(cudaTextureObject_t texObject) {
  if (!texObject) return cudaSuccess;
  g_mutex_lock(&objects_lock);
  bool known = objects && g_hash_table_remove(objects, (void *)(uintptr_t)texObject);
  g_mutex_unlock(&objects_lock);
  if (!known) return cw_rt_error(cudaErrorInvalidValue);
  return cudaFree((void *)(uintptr_t)texObject);   /* waits for kernels that may still sample it */
}

CW_RT_API cudaError_t cudaGetTextureObjectResourceDesc(struct cudaResourceDesc *pResDesc, cudaTextureObject_t texObject) {
  tex_object o;
  if (!pResDesc || !find_object(texObject, &o)) return cw_rt_error(cudaErrorInvalidValue);
  *pResDesc = o.res;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaGetTextureObjectTextureDesc(struct cudaTextureDesc *pTexDesc, cudaTextureObject_t texObject) {
  tex_object o;
  if (!pTexDesc || !find_object(texObject, &o)) return cw_rt_error(cudaErrorInvalidValue);
  *pTexDesc = o.td;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaGetTextureObjectResourceViewDesc(struct cudaResourceViewDesc *pResViewDesc,
                                                           cudaTextureObject_t texObject) {
  tex_object o;
  if (!pResViewDesc || !find_object(texObject, &o)) return cw_rt_error(cudaErrorInvalidValue);
  *pResViewDesc = o.view;
  return cudaSuccess;
}

/* ---- CUDA arrays ---- */

static cudaError_t array_new(cudaArray_t *array, const struct cudaChannelFormatDesc *desc, size_t width,
                             size_t height, size_t depth, unsigned int flags) {
  if (!array || !desc || width == 0) return cw_rt_error(cudaErrorInvalidValue);
  size_t es = element_size(desc);
  if (!es) return cw_rt_error(cudaErrorInvalidChannelDescriptor);
  size_t rows = (height ? height : 1) * (depth ? depth : 1);
  if (width > SIZE_MAX / es || rows > SIZE_MAX / (width * es)) return cw_rt_error(cudaErrorMemoryAllocation);
  struct cudaArray *a = g_new0(struct cudaArray, 1);
  cudaError_t e = cudaMalloc(&a->data, width * es * rows);
  if (e != cudaSuccess) {
    g_free(a);
    return e;
  }
  a->width = width;
  a->height = height;
  a->depth = depth;
  a->pitch = width * es;
  a->desc = *desc;
  a->flags = flags;
  *array = a;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaMallocArray(cudaArray_t *array, const struct cudaChannelFormatDesc *desc, size_t width,
                                      size_t height, unsigned int flags) {
  return array_new(array, desc, width, height, 0, flags);
}

CW_RT_API cudaError_t cudaMalloc3DArray(cudaArray_t *array, const struct cudaChannelFormatDesc *desc,
                                        struct cudaExtent extent, unsigned int flags) {
  if (extent.depth && !extent.height) return cw_rt_error(cudaErrorInvalidValue);
  return array_new(array, desc, extent.width, extent.height, extent.depth, flags);
}

CW_RT_API cudaError_t cudaFreeArray(cudaArray_t array) {
  if (!array) return cudaSuccess;
  cudaError_t e = cudaFree(array->data);
  if (e == cudaSuccess) g_free(array);
  return e;
}

CW_RT_API cudaError_t cudaArrayGetInfo(struct cudaChannelFormatDesc *desc, struct cudaExtent *extent,
                                       unsigned int *flags, cudaArray_t array) {
  if (!array) return cw_rt_error(cudaErrorInvalidResourceHandle);
  if (desc) *desc = array->desc;
  if (extent) *extent = (struct cudaExtent){array->width, array->height, array->depth};
  if (flags) *flags = array->flags;
  return cudaSuccess;
}

CW_RT_API cudaError_t cudaGetChannelDesc(struct cudaChannelFormatDesc *desc, cudaArray_const_t array) {
  if (!desc || !array) return cw_rt_error(cudaErrorInvalidValue);
  *desc = array->desc;
  return cudaSuccess;
}

/* The device address of byte (wOffset, hOffset) of an array if a width x height block fits there. */
static char *array_at(cudaArray_const_t a, size_t wOffset, size_t hOffset, size_t width, size_t height) {
  size_t rows = (a->height ? a->height : 1) * (a->depth ? a->depth : 1);
  if (wOffset > a->pitch || width > a->pitch - wOffset || hOffset > rows || height > rows - hOffset) return NULL;
  return (char *)a->data + hOffset * a->pitch + wOffset;
}

CW_RT_API cudaError_t cudaMemcpy2DToArray(cudaArray_t dst, size_t wOffset, size_t hOffset, const void *src,
                                          size_t spitch, size_t width, size_t height, enum cudaMemcpyKind kind) {
  if (!dst) return cw_rt_error(cudaErrorInvalidResourceHandle);
  char *at = array_at(dst, wOffset, hOffset, width, height);
  if (!at) return cw_rt_error(cudaErrorInvalidValue);
  return cudaMemcpy2D(at, dst->pitch, src, spitch, width, height, kind);
}

CW_RT_API cudaError_t cudaMemcpy2DToArrayAsync(cudaArray_t dst, size_t wOffset, size_t hOffset, const void *src,
                                               size_t spitch, size_t width, size_t height, enum cudaMemcpyKind kind,
                                               cudaStream_t stream) {
  if (!dst) return cw_rt_error(cudaErrorInvalidResourceHandle);
  char *at = array_at(dst, wOffset, hOffset, width, height);
  if (!at) return cw_rt_error(cudaErrorInvalidValue);
  return cudaMemcpy2DAsync(at, dst->pitch, src, spitch, width, height, kind, stream);
}

CW_RT_API cudaError_t cudaMemcpy2DFromArray(void *dst, size_t dpitch, cudaArray_const_t src, size_t wOffset,
                                            size_t hOffset, size_t width, size_t height, enum cudaMemcpyKind kind) {
  if (!src) return cw_rt_error(cudaErrorInvalidResourceHandle);
  char *at = array_at(src, wOffset, hOffset, width, height);
  if (!at) return cw_rt_error(cudaErrorInvalidValue);
  return cudaMemcpy2D(dst, dpitch, at, src->pitch, width, height, kind);
}

/* Linear copies: rows are contiguous (pitch = row bytes), so a count runs on across rows. */
static char *array_linear_at(cudaArray_const_t a, size_t wOffset, size_t hOffset, size_t count) {
  size_t rows = (a->height ? a->height : 1) * (a->depth ? a->depth : 1), total = rows * a->pitch;
  if (wOffset >= a->pitch || hOffset >= rows) return NULL;
  size_t off = hOffset * a->pitch + wOffset;
  return count > total - off ? NULL : (char *)a->data + off;
}

CW_RT_API cudaError_t cudaMemcpyToArray(cudaArray_t dst, size_t wOffset, size_t hOffset, const void *src,
                                        size_t count, enum cudaMemcpyKind kind) {
  if (!dst) return cw_rt_error(cudaErrorInvalidResourceHandle);
  char *at = array_linear_at(dst, wOffset, hOffset, count);
  if (!at) return cw_rt_error(cudaErrorInvalidValue);
  return cudaMemcpy(at, src, count, kind);
}

CW_RT_API cudaError_t cudaMemcpyFromArray(void *dst, cudaArray_const_t src, size_t wOffset, size_t hOffset,
                                          size_t count, enum cudaMemcpyKind kind) {
  if (!src) return cw_rt_error(cudaErrorInvalidResourceHandle);
  char *at = array_linear_at(src, wOffset, hOffset, count);
  if (!at) return cw_rt_error(cudaErrorInvalidValue);
  return cudaMemcpy(dst, at, count, kind);
}
