/* memcpy_plan.c — what kind of memory a pointer is, and which way a copy goes.
 *
 * With unified addressing (which every CUDA program today assumes) the runtime knows each
 * pointer's kind, so the real kinds decide the direction, whatever `kind` says, as long as the
 * explicit kind does not name a device side that is not device memory: CUDA fails those with
 * cudaErrorInvalidValue, and so do we rather than reading a wild address. */
#include "runtime/rt_internal.h"

cw_rt_ptr_info cw_rt_classify(const cw_rt_alloc_table *dev, const cw_rt_alloc_table *host,
                              const void *p) {
  cw_rt_ptr_info info = {CW_PTR_HOST, NULL, 0};
  uint64_t a = (uint64_t)(uintptr_t)p;
  const cw_rt_alloc *d = dev ? cw_rt_alloc_table_find(dev, a) : NULL;
  if (d) {
    info.cls = CW_PTR_DEVICE;
    info.alloc = d;
    info.device_addr = a;
    return info;
  }
  const cw_rt_alloc *h = host ? cw_rt_alloc_table_find(host, a) : NULL;
  if (h) {
    info.cls = CW_PTR_PINNED;
    info.alloc = h;
  }
  return info;
}

static bool device_range_ok(const cw_rt_alloc_table *dev, uint64_t addr, size_t count) {
  return count == 0 || cw_rt_alloc_table_range(dev, addr, count, NULL);
}

cudaError_t cw_rt_plan_copy(const cw_rt_alloc_table *dev, const cw_rt_alloc_table *host, void *dst,
                            const void *src, size_t count, int kind, cw_rt_copy_dir *dir,
                            uint64_t *dst_addr, uint64_t *src_addr) {
  if (kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault) return cudaErrorInvalidMemcpyDirection;
  if (count > 0 && (!dst || !src)) return cudaErrorInvalidValue;
  cw_rt_ptr_info d = cw_rt_classify(dev, host, dst), s = cw_rt_classify(dev, host, src);
  bool d_dev = d.cls == CW_PTR_DEVICE, s_dev = s.cls == CW_PTR_DEVICE;

  /* An explicit device side must be device memory. */
  if ((kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice) && !d_dev)
    return cudaErrorInvalidValue;
  if ((kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice) && !s_dev)
    return cudaErrorInvalidValue;
  if (d_dev && !device_range_ok(dev, d.device_addr, count)) return cudaErrorInvalidValue;
  if (s_dev && !device_range_ok(dev, s.device_addr, count)) return cudaErrorInvalidValue;

  *dir = d_dev ? (s_dev ? CW_COPY_D2D : CW_COPY_H2D) : (s_dev ? CW_COPY_D2H : CW_COPY_H2H);
  *dst_addr = d_dev ? d.device_addr : 0;
  *src_addr = s_dev ? s.device_addr : 0;
  return cudaSuccess;
}
