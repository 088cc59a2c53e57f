/* embed.c — cw.h, the embedding API, on the runtime's own internals. */
#include <string.h>

#include <cw/cw.h>

#include "runtime/rt_internal.h"

struct cw_program {
  cw_host_module *module;
};

static __thread char *last_message;
static __thread int last_code;

/* Records the outcome of a call for cw_last_error_string. */
static int result(cudaError_t e) {
  last_code = e;
  g_free(last_message);
  last_message = NULL;
  if (e != cudaSuccess) {
    const char *detail = cw_rt_detail();
    last_message = detail ? g_strdup_printf("%s: %s", cudaGetErrorString(e), detail)
                          : g_strdup(cudaGetErrorString(e));
  }
  cw_rt_clear_detail();
  return (int)e;
}

CW_RT_API const char *cw_last_error_string(void) {
  return last_code == cudaSuccess || !last_message ? "no error" : last_message;
}

CW_RT_API int cw_init(const char *config_path) {
  cw_rt_clear_detail();
  char *error = NULL;
  if (config_path && !cw_rt_configure(config_path, &error)) {
    cw_rt_set_detail("%s", error);
    g_free(error);
    return result(cudaErrorInitializationError);
  }
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess && cw_rt_get()->init_reason) cw_rt_set_detail("%s", cw_rt_get()->init_reason);
  return result(e);
}

CW_RT_API const char *cw_backend_name(void) {
  (void)cw_rt_ready();   /* a sticky error does not unselect the backend */
  return cw_rt_get()->init_error == cudaSuccess ? cw_rt_get()->backend.name : NULL;
}

CW_RT_API cw_program *cw_program_from_source(const char *source, const char *name,
                                             const cw_program_options *opts) {
  cw_rt_clear_detail();
  if (!source) {
    result(cudaErrorInvalidValue);
    return NULL;
  }
  int dev;
  cudaError_t e = cw_rt_ready_device(&dev);
  if (e != cudaSuccess) {
    if (cw_rt_get()->init_reason) cw_rt_set_detail("%s", cw_rt_get()->init_reason);
    result(e);
    return NULL;
  }
  cw_host_module_desc desc = {.abi_version = CW_HOST_ABI_VERSION,
                              .source_name = name ? name : "<source>",
                              .device_text = source,
                              .device_text_len = strlen(source),
                              .instantiations = opts ? opts->instantiations : NULL};
  cw_program *p = g_new0(cw_program, 1);
  p->module = cw_rt_module_new(&desc);
  /* Compile and load now, so that source errors are reported here rather than at launch. */
  e = cw_rt_module_load(p->module, dev);
  if (e != cudaSuccess) {
    cw_rt_module_release(p->module);
    g_free(p);
    result(e);
    return NULL;
  }
  result(cudaSuccess);
  return p;
}

CW_RT_API void cw_program_free(cw_program *program) {
  if (!program) return;
  cw_rt_lock();
  /* Kernels may still be running from it. */
  int dev;
  if (cw_rt_ready_device(&dev) == cudaSuccess) (void)cw_rt_device_sync(dev);
  cw_rt_module_release(program->module);
  cw_rt_unlock();
  g_free(program);
}

CW_RT_API int cw_malloc(void **device_ptr, size_t bytes) {
  cw_rt_clear_detail();
  return result(cudaMalloc(device_ptr, bytes));
}
CW_RT_API int cw_free(void *device_ptr) {
  cw_rt_clear_detail();
  return result(cudaFree(device_ptr));
}

CW_RT_API int cw_memcpy_h2d(void *device_dst, const void *host_src, size_t bytes) {
  cw_rt_clear_detail();
  return result(cudaMemcpy(device_dst, host_src, bytes, cudaMemcpyHostToDevice));
}

CW_RT_API int cw_memcpy_d2h(void *host_dst, const void *device_src, size_t bytes) {
  cw_rt_clear_detail();
  return result(cudaMemcpy(host_dst, device_src, bytes, cudaMemcpyDeviceToHost));
}

CW_RT_API int cw_launch(cw_program *program, const char *kernel, const unsigned grid[3],
                        const unsigned block[3], size_t shared_bytes, void **args, int n_args) {
  cw_rt_clear_detail();
  if (!program || !kernel || !grid || !block || n_args < 0) return result(cudaErrorInvalidValue);
  cw_rt_launch_config cfg = {{grid[0], grid[1], grid[2]}, {block[0], block[1], block[2]}, shared_bytes, NULL};
  return result(cw_rt_launch(program->module, kernel, NULL, &cfg, args, n_args));
}

CW_RT_API int cw_synchronize(void) {
  cw_rt_clear_detail();
  return result(cudaDeviceSynchronize());
}
