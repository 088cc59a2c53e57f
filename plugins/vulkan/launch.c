/* launch.c — a kernel launch: the pipeline for its shape, arguments in push constants (or in the
 * stream's staging ring, addressed by a pushed pointer), and dispatches of at most the device's
 * workgroup count per dimension, each told its block offset, so CUDA's grid sizes all work.
 * Kernels with per-thread frames (glsl_frame.c) get the stream's scratch buffer; their grid is
 * cut into dispatches small enough for scratch_limit(), one after the other, reusing it. */
#include <string.h>

#include "module_internal.h"
#include "glsl.h"

/* bytes of frames one dispatch may use; CW_VULKAN_SCRATCH_LIMIT overrides (bytes) */
#define SCRATCH_LIMIT ((uint64_t)256 << 20)

static uint64_t scratch_limit(void) {
  const char *env = g_getenv("CW_VULKAN_SCRATCH_LIMIT");
  guint64 v = env ? g_ascii_strtoull(env, NULL, 10) : 0;
  return v ? v : SCRATCH_LIMIT;
}

cw_status vulkan_launch(cw_stream *s, cw_module *m, uint32_t kernel_index, const cw_launch_dims *dims,
                        void *const *args, char *err, size_t err_len) {
  cw_backend *be = s->be;
  vk_device *d = s->d;
  if (kernel_index >= m->n_kernels) {
    g_snprintf(err, err_len, "vulkan: no kernel %u", kernel_index);
    return CW_ERR_INVALID_VALUE;
  }
  vk_kernel *k = &m->kernels[kernel_index];
  const uint32_t *block = dims->block, *grid = dims->grid;
  uint64_t threads = (uint64_t)block[0] * block[1] * block[2];
  if (!threads || !grid[0] || !grid[1] || !grid[2] || threads > d->caps.max_threads_per_block ||
      block[0] > d->caps.max_block_dim[0] || block[1] > d->caps.max_block_dim[1] ||
      block[2] > d->caps.max_block_dim[2]) {
    g_snprintf(err, err_len, "kernel %s: invalid launch configuration (block %ux%ux%u, grid %ux%ux%u)",
               k->func->name, block[0], block[1], block[2], grid[0], grid[1], grid[2]);
    return CW_ERR_LAUNCH;
  }
  uint32_t dyn_count = k->dyn_elem_size ? (dims->dynamic_shared_bytes + k->dyn_elem_size - 1) / k->dyn_elem_size : 0;
  uint64_t shared = (uint64_t)k->static_shared + (uint64_t)dyn_count * k->dyn_elem_size +
                    (k->uses_warp ? threads * 8 : 0) + 16;
  if (shared > d->caps.shared_mem_per_block) {
    g_snprintf(err, err_len, "kernel %s: needs %llu bytes of shared memory, the device has %llu", k->func->name,
               (unsigned long long)shared, (unsigned long long)d->caps.shared_mem_per_block);
    return CW_ERR_LAUNCH;
  }
  VkPipeline pl;
  cw_status st = vk_kernel_pipeline(m, k, block, dyn_count, &pl, err, err_len);
  if (st != CW_OK) return st;

  uint8_t push[256] = {0};
  /* Dispatch shape: at most the device's count per dimension and, with frames, `per` blocks.
   * Decided before the arguments are staged: growing the scratch drains the stream, which
   * recycles the staging ring. */
  const uint32_t *maxg = d->max_group_count;
  uint32_t step[3] = {maxg[0], maxg[1], maxg[2]};
  if (k->frame_size) {
    uint64_t per_block = threads * k->frame_size;
    uint64_t limit = scratch_limit();
    uint64_t per = limit / per_block ? limit / per_block : 1;
    uint64_t total = (uint64_t)grid[0] * grid[1] * grid[2];
    if (per > total) per = total;
    step[0] = (uint32_t)MIN((uint64_t)step[0], per);
    step[1] = (uint32_t)MIN((uint64_t)step[1], MAX(per / step[0], 1));
    step[2] = (uint32_t)MIN((uint64_t)step[2], MAX(per / ((uint64_t)step[0] * step[1]), 1));
    uint64_t addr, bytes = (uint64_t)step[0] * step[1] * step[2] * per_block;
    st = vk_stream_scratch(s, (size_t)bytes, &addr);
    if (st != CW_OK) {
      g_snprintf(err, err_len, "kernel %s: cannot allocate %llu bytes of scratch for its local variables",
                 k->func->name, (unsigned long long)bytes);
      return st;
    }
    memcpy(push + GLSL_PUSH_SCRATCH, &addr, 8);
  }
  uint8_t *argbytes = k->args_in_buffer ? NULL : push + GLSL_PUSH_HEADER;
  if (k->args_in_buffer) {
    size_t off;
    void *host;
    st = vk_stream_staging(s, k->args_size ? k->args_size : 16, 16, &off, &host);
    if (st != CW_OK) return st;
    argbytes = host;
    uint64_t addr = s->staging->addr + off;
    memcpy(push + GLSL_PUSH_HEADER, &addr, 8);
  }
  for (uint32_t i = 0; i < k->n_params; i++)
    memcpy(argbytes + k->arg_offsets[i], args[i], k->func->params[i]->type->size);
  memcpy(push, grid, 12);
  uint32_t push_size = (k->push_size + 3) / 4 * 4;


  VkCommandBuffer cb;
  st = vk_stream_begin(s, &cb);
  if (st != CW_OK) return st;
  be->vk.CmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pl);
  be->vk.CmdPushConstants(cb, k->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, push_size, push);
  bool first = true;
  for (uint32_t z = 0; z < grid[2]; z += step[2])
    for (uint32_t y = 0; y < grid[1]; y += step[1])
      for (uint32_t x = 0; x < grid[0]; x += step[0]) {
        if (k->frame_size && !first) {
          /* the next dispatch reuses the frames of this one */
          VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
                                .srcAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
                                .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT};
          be->vk.CmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                                    0, 1, &mb, 0, NULL, 0, NULL);
        }
        first = false;
        uint32_t base[3] = {x, y, z};
        be->vk.CmdPushConstants(cb, k->layout, VK_SHADER_STAGE_COMPUTE_BIT, 12, 12, base);
        be->vk.CmdDispatch(cb, grid[0] - x < step[0] ? grid[0] - x : step[0],
                           grid[1] - y < step[1] ? grid[1] - y : step[1],
                           grid[2] - z < step[2] ? grid[2] - z : step[2]);
      }
  vk_retire r = {.printf_module = k->uses_printf ? m : NULL};
  if (k->uses_printf) g_atomic_int_inc(&m->printf_in_flight);
  st = vk_stream_submit(s, cb, k->uses_printf ? &r : NULL, NULL, 0);
  if (st != CW_OK && k->uses_printf) g_atomic_int_add(&m->printf_in_flight, -1);
  return st != CW_OK ? st : s->sticky;
}
