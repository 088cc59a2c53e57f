/* launch.c — a kernel launch: the pipeline for its shape, arguments in push constants (or in the
 * stream's staging ring, addressed by a pushed pointer), and dispatches of at most the device's
 * workgroup count per dimension, each told its block offset, so CUDA's grid sizes all work. */
#include <string.h>

#include "module_internal.h"
#include "glsl.h"

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
  const uint32_t *maxg = d->max_group_count;
  for (uint32_t z = 0; z < grid[2]; z += maxg[2])
    for (uint32_t y = 0; y < grid[1]; y += maxg[1])
      for (uint32_t x = 0; x < grid[0]; x += maxg[0]) {
        uint32_t base[3] = {x, y, z};
        be->vk.CmdPushConstants(cb, k->layout, VK_SHADER_STAGE_COMPUTE_BIT, 12, 12, base);
        be->vk.CmdDispatch(cb, grid[0] - x < maxg[0] ? grid[0] - x : maxg[0],
                           grid[1] - y < maxg[1] ? grid[1] - y : maxg[1],
                           grid[2] - z < maxg[2] ? grid[2] - z : maxg[2]);
      }
  vk_retire r = {.printf_module = k->uses_printf ? m : NULL};
  if (k->uses_printf) g_atomic_int_inc(&m->printf_in_flight);
  st = vk_stream_submit(s, cb, k->uses_printf ? &r : NULL, VK_NULL_HANDLE, 0);
  if (st != CW_OK && k->uses_printf) g_atomic_int_add(&m->printf_in_flight, -1);
  return st != CW_OK ? st : s->sticky;
}
