/* launch.c — kernel launches: the per-thread configuration pushed by `<<<>>>`, validation
 * against the device's limits (with CUDA's error codes), __cwLaunch from the stubs, and
 * cudaLaunchKernel. */
#include <string.h>

#include "runtime/rt_internal.h"

#define CW_CONFIG_STACK 8

static __thread cw_rt_launch_config config_stack[CW_CONFIG_STACK];
static __thread int config_depth;

void cw_rt_config_push(const cw_rt_launch_config *cfg) {
  /* A full stack means stubs were never called: the oldest configurations are dropped. */
  if (config_depth == CW_CONFIG_STACK) {
    memmove(config_stack, config_stack + 1, sizeof config_stack[0] * (CW_CONFIG_STACK - 1));
    config_depth--;
  }
  config_stack[config_depth++] = *cfg;
}

bool cw_rt_config_pop(cw_rt_launch_config *out) {
  if (config_depth == 0) return false;
  *out = config_stack[--config_depth];
  return true;
}

cudaError_t cw_rt_validate_config(const cw_rt_launch_config *cfg, const cw_device_caps *caps) {
  const cw_dim3 *g = &cfg->grid, *b = &cfg->block;
  if (!g->x || !g->y || !g->z || !b->x || !b->y || !b->z) return cudaErrorInvalidConfiguration;
  if (b->x > caps->max_block_dim[0] || b->y > caps->max_block_dim[1] || b->z > caps->max_block_dim[2])
    return cudaErrorInvalidConfiguration;
  if ((uint64_t)b->x * b->y * b->z > caps->max_threads_per_block) return cudaErrorInvalidConfiguration;
  if (g->x > caps->max_grid_dim[0] || g->y > caps->max_grid_dim[1] || g->z > caps->max_grid_dim[2])
    return cudaErrorInvalidConfiguration;
  uint64_t optin = caps->shared_mem_per_block_optin > caps->shared_mem_per_block
                       ? caps->shared_mem_per_block_optin : caps->shared_mem_per_block;
  if (cfg->shared_bytes > optin) return cudaErrorInvalidValue;
  return cudaSuccess;
}

CW_RT_API int __cwPushCallConfiguration(cw_dim3 grid, cw_dim3 block, size_t shared_bytes,
                                        cw_stream_t stream) {
  cw_rt_launch_config cfg = {grid, block, shared_bytes, (cudaStream_t)stream};
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e == cudaSuccess) e = cw_rt_validate_config(&cfg, cw_rt_caps(dev));
  if (e == cudaSuccess) {
    cw_rt_stream *s = NULL;
    cw_rt_lock();
    e = cw_rt_stream_resolve(cfg.stream, dev, &s);
    cw_rt_unlock();
  }
  if (e != cudaSuccess) {
    cw_rt_error(e);
    return 1;
  }
  cw_rt_config_push(&cfg);
  return 0;
}

static cw_rt_backend *B(void) { return &cw_rt_get()->backend; }

cudaError_t cw_rt_launch(cw_host_module *m, const char *key, const cw_rt_func *attrs,
                         const cw_rt_launch_config *cfg, void **args, int n_args) {
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) return e;
  const cw_device_caps *caps = cw_rt_caps(dev);
  e = cw_rt_validate_config(cfg, caps);
  if (e != cudaSuccess) return e;
  cw_rt_kernel k;
  e = cw_rt_module_kernel(m, key, dev, &k);
  if (e != cudaSuccess) return e;
  const cw_ir_func *f = k.func;
  if (n_args >= 0 && (uint32_t)n_args != f->n_params) {
    cw_rt_set_detail("kernel %s takes %u arguments, the launch passed %d", key, f->n_params, n_args);
    return cudaErrorInvalidValue;
  }
  if (f->n_params && !args) return cudaErrorInvalidValue;
  uint64_t threads = (uint64_t)cfg->block.x * cfg->block.y * cfg->block.z;
  if (f->launch_bounds && threads > f->launch_bounds) {
    cw_rt_set_detail("kernel %s: %llu threads per block exceed its __launch_bounds__(%u)", key,
                     (unsigned long long)threads, f->launch_bounds);
    return cudaErrorLaunchOutOfResources;
  }
  /* Shared memory: static + dynamic within the per-block default, or within what the program
   * opted in to with cudaFuncAttributeMaxDynamicSharedMemorySize. */
  uint64_t stat = f->static_shared_bytes, dyn = cfg->shared_bytes;
  uint64_t optin = caps->shared_mem_per_block_optin > caps->shared_mem_per_block
                       ? caps->shared_mem_per_block_optin : caps->shared_mem_per_block;
  if (stat > optin) return cudaErrorLaunchOutOfResources;
  uint64_t dyn_limit = attrs && attrs->max_dynamic_shared >= 0
                           ? (uint64_t)attrs->max_dynamic_shared
                           : (caps->shared_mem_per_block > stat ? caps->shared_mem_per_block - stat : 0);
  if (dyn > dyn_limit || stat + dyn > optin) {
    cw_rt_set_detail("kernel %s: %llu bytes of dynamic shared memory, the limit is %llu", key,
                     (unsigned long long)dyn, (unsigned long long)dyn_limit);
    return cudaErrorInvalidValue;
  }
  cw_launch_dims dims = {.struct_size = sizeof dims,
                         .grid = {cfg->grid.x, cfg->grid.y, cfg->grid.z},
                         .block = {cfg->block.x, cfg->block.y, cfg->block.z},
                         .dynamic_shared_bytes = (uint32_t)dyn};
  cw_rt_lock();
  cw_rt_stream *s = NULL;
  e = cw_rt_stream_resolve(cfg->stream, dev, &s);
  if (e == cudaSuccess) e = cw_rt_stream_before_work(s);
  if (e == cudaSuccess) e = cw_rt_managed_before_launch(dev, s);
  if (e == cudaSuccess) {
    char msg[512] = "";
    cw_status st = B()->ops.launch(s->s, k.mod, k.index, &dims, (void *const *)args, msg, sizeof msg);
    if (st != CW_OK) {
      cw_rt_set_detail("kernel %s: %s", key, msg[0] ? msg : cw_status_name(st));
      cw_log(CW_LOG_WARN, "runtime", "launching %s on %s failed: %s", key, B()->name,
             msg[0] ? msg : cw_status_name(st));
      /* Refused before running (resources): not sticky.  Faults reported now are. */
      e = st == CW_ERR_LAUNCH ? cudaErrorLaunchOutOfResources : cw_rt_status_error(st);
    }
  }
  cw_rt_unlock();
  return e;
}

CW_RT_API void __cwLaunch(cw_host_module *m, const char *host_key, const void *stub, void **args,
                          int n_args) {
  cw_rt_launch_config cfg;
  if (!cw_rt_config_pop(&cfg)) {
    cw_rt_error(cudaErrorMissingConfiguration);
    return;
  }
  if (!m || !host_key) {
    cw_rt_error(cudaErrorInvalidDeviceFunction);
    return;
  }
  cw_rt_func *f = stub ? cw_rt_func_lookup(stub) : NULL;
  /* A stub first seen here (a template instantiation) is remembered, so that its attributes can
   * be queried and set by its address from now on. */
  if (stub && !f) {
    __cwRegisterFunction(m, stub, host_key);
    f = cw_rt_func_lookup(stub);
  }
  cudaError_t e = cw_rt_launch(m, host_key, f && strcmp(f->host_key, host_key) == 0 ? f : NULL, &cfg,
                               args, n_args);
  if (e != cudaSuccess) cw_rt_error(e);
}

CW_RT_API cudaError_t cudaLaunchKernel(const void *func, dim3 gridDim, dim3 blockDim, void **args,
                                       size_t sharedMem, cudaStream_t stream) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return cw_rt_error(e);
  cw_rt_func *f = func ? cw_rt_func_lookup(func) : NULL;
  if (!f) return cw_rt_error(cudaErrorInvalidDeviceFunction);
  cw_rt_launch_config cfg = {{gridDim.x, gridDim.y, gridDim.z}, {blockDim.x, blockDim.y, blockDim.z},
                             sharedMem, stream};
  e = cw_rt_launch(f->module, f->host_key, f, &cfg, args, -1);
  return e == cudaSuccess ? e : cw_rt_error(e);
}
