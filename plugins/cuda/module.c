/* module.c — loading compiled modules (cuModuleLoadData takes the cubin or the PTX), finding
 * kernels by their IR names (extern "C", so unmangled) and module variables, and launching. */
#include "cuda-plugin.h"

#include <string.h>

/* Dynamic shared memory a kernel may use without opting in: CUDA's historical 48 KiB. */
#define DEFAULT_DYNAMIC_SHARED_LIMIT (48u * 1024u)

static cw_status fail(cw_backend *be, CUresult rc, char *err, size_t err_len, const char *what) {
  char text[256];
  cuda_error_text(&be->driver, rc, text, sizeof text);
  if (err && err_len) g_snprintf(err, err_len, "%s: %s", what, text);
  return cuda_status(rc);
}

cw_status cuda_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                           cw_module **out, char *err, size_t err_len) {
  *out = NULL;
  if (!art || !art->binary || !ir) {
    g_strlcpy(err, "cuda: no compiled image to load", err_len);
    return CW_ERR_INVALID_VALUE;
  }
  cw_status st = cuda_enter(be, dev);
  if (st != CW_OK) {
    g_snprintf(err, err_len, "cuda: cannot use device %d (%s)", dev, cw_status_name(st));
    return st;
  }
  cuda_driver *d = &be->driver;
  CUmodule mod = NULL;
  CUresult rc = d->cuModuleLoadData(&mod, art->binary);
  if (rc != CUDA_SUCCESS) {
    st = fail(be, rc, err, err_len, "cuModuleLoadData");
    /* A binary the driver cannot take: most often an NVRTC newer than the driver. */
    if (st == CW_ERR_COMPILE && be->nvrtc && be->nvrtc->major * 1000 > d->version) {
      size_t used = strlen(err);
      g_snprintf(err + used, err_len - used,
                 " (NVRTC %d.%d is newer than the driver's CUDA %d.%d: set cuda.nvrtc to an "
                 "NVRTC no newer than the driver)", be->nvrtc->major, be->nvrtc->minor,
                 d->version / 1000, (d->version % 1000) / 10);
    }
    return st;
  }
  cw_module *m = g_new0(cw_module, 1);
  m->be = be;
  m->dev = dev;
  m->mod = mod;
  m->n_kernels = ir->n_kernels;
  m->funcs = g_new0(CUfunction, ir->n_kernels ? ir->n_kernels : 1);
  m->dyn_shared_limit = g_new0(int, ir->n_kernels ? ir->n_kernels : 1);
  for (uint32_t i = 0; i < ir->n_kernels; i++) {
    const char *name = ir->kernels[i]->name;
    rc = d->cuModuleGetFunction(&m->funcs[i], mod, name);
    if (rc != CUDA_SUCCESS) {
      char what[300];
      g_snprintf(what, sizeof what, "kernel %s not in the compiled module", name);
      st = fail(be, rc, err, err_len, what);
      cuda_module_unload(m);
      return st;
    }
  }
  *out = m;
  return CW_OK;
}

void cuda_module_unload(cw_module *mod) {
  if (!mod) return;
  if (mod->mod && cuda_enter(mod->be, mod->dev) == CW_OK) mod->be->driver.cuModuleUnload(mod->mod);
  g_free(mod->funcs);
  g_free(mod->dyn_shared_limit);
  g_free(mod);
}

cw_status cuda_module_global(cw_module *mod, const char *name, uint64_t *addr, size_t *size) {
  if (!mod || !name) return CW_ERR_INVALID_VALUE;
  cw_status st = cuda_enter(mod->be, mod->dev);
  if (st != CW_OK) return st;
  CUdeviceptr p = 0;
  size_t bytes = 0;
  CUresult rc = mod->be->driver.cuModuleGetGlobal(&p, &bytes, mod->mod, name);
  if (rc != CUDA_SUCCESS) return cuda_status(rc);
  if (addr) *addr = p;
  if (size) *size = bytes;
  return CW_OK;
}

/* Raises the kernel's dynamic shared memory limit when a launch needs more than the default. */
static cw_status allow_dynamic_shared(cw_module *mod, uint32_t k, uint32_t bytes, char *err,
                                      size_t err_len) {
  cuda_driver *d = &mod->be->driver;
  if (bytes <= (uint32_t)mod->dyn_shared_limit[k]) return CW_OK;
  int static_bytes = 0;
  d->cuFuncGetAttribute(&static_bytes, CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, mod->funcs[k]);
  if ((uint64_t)bytes + (uint64_t)static_bytes <= DEFAULT_DYNAMIC_SHARED_LIMIT) return CW_OK;
  CUresult rc = d->cuFuncSetAttribute(mod->funcs[k], CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                      (int)bytes);
  if (rc != CUDA_SUCCESS) {
    char what[128];
    g_snprintf(what, sizeof what, "%u bytes of dynamic shared memory (with %d static)", bytes,
               static_bytes);
    cw_status st = fail(mod->be, rc, err, err_len, what);
    return st == CW_ERR_INVALID_VALUE ? CW_ERR_LAUNCH : st;
  }
  mod->dyn_shared_limit[k] = (int)bytes;
  return CW_OK;
}

cw_status cuda_launch(cw_stream *stream, cw_module *mod, uint32_t kernel_index,
                      const cw_launch_dims *dims, void *const *args, char *err, size_t err_len) {
  if (!stream || !mod || !dims || kernel_index >= mod->n_kernels) {
    g_strlcpy(err, "cuda: bad launch arguments", err_len);
    return CW_ERR_INVALID_VALUE;
  }
  if (stream->be != mod->be || stream->dev != mod->dev) {
    g_strlcpy(err, "cuda: stream and module belong to different devices", err_len);
    return CW_ERR_INVALID_VALUE;
  }
  cw_status st = cuda_enter(mod->be, mod->dev);
  if (st != CW_OK) return st;
  st = allow_dynamic_shared(mod, kernel_index, dims->dynamic_shared_bytes, err, err_len);
  if (st != CW_OK) return st;
  CUresult rc = mod->be->driver.cuLaunchKernel(
      mod->funcs[kernel_index], dims->grid[0], dims->grid[1], dims->grid[2], dims->block[0],
      dims->block[1], dims->block[2], dims->dynamic_shared_bytes, stream->s, (void **)args, NULL);
  if (rc != CUDA_SUCCESS) return fail(mod->be, rc, err, err_len, "cuLaunchKernel");
  return CW_OK;
}
