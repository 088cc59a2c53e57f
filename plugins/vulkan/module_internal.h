/* module_internal.h — a loaded module: per-kernel shader, layout and pipelines; the module's
 * globals buffer and printf buffer. */
#ifndef CW_VULKAN_MODULE_INTERNAL_H
#define CW_VULKAN_MODULE_INTERNAL_H

#include "vulkan-plugin.h"

typedef struct vk_kernel {
  const cw_ir_func *func;
  VkShaderModule shader;
  VkPipelineLayout layout;
  GHashTable *pipelines;        /* "bx,by,bz,dyn" → VkPipeline */
  uint32_t push_size, args_size, n_params;
  uint32_t *arg_offsets;
  bool args_in_buffer, uses_printf, uses_warp;
  uint32_t dyn_elem_size, static_shared;
  uint32_t frame_size;          /* scratch bytes per thread (glsl_frame.c), 0 when none */
} vk_kernel;

struct cw_module {
  cw_backend *be;
  vk_device *d;
  int dev;
  const cw_ir_module *ir;
  vk_kernel *kernels;
  uint32_t n_kernels;
  uint64_t globals_addr;
  uint32_t *global_offsets;
  vk_alloc *printf_buf;         /* host-visible, see glsl.h for its layout */
  uint32_t printf_consumed;     /* words already printed */
  gint printf_in_flight;        /* launches with printf not yet drained */
  GPtrArray *strings;
  GMutex lock;
};

/* The pipeline of kernel k for a block shape and dynamic shared size (created on first use). */
cw_status vk_kernel_pipeline(vk_module *m, vk_kernel *k, const uint32_t block[3], uint32_t dyn_count,
                             VkPipeline *out, char *err, size_t err_len);

#endif
