/* launch.c — a kernel launch: arguments as the emitter laid them out (emit.h: a pointer is its
 * SVM pointer, or in the buffer model its buffer and byte offset; a bool one byte; then the
 * hidden arguments, the address window last), an NDRange of grid*block work-items in work-groups
 * of block, enqueued on the stream's queue.  With SVM the kernel is also told every block of the
 * device (clSetKernelExecInfo), since it may reach any through pointers it loads or makes. */
#include <string.h>

#include "emit.h"
#include "opencl-plugin.h"

cl_kernel ocl_module_kernel(cw_module *m, uint32_t k);
cl_mem ocl_module_globals(cw_module *m);
void *ocl_module_globals_svm(cw_module *m);
uint64_t *ocl_module_svm_generation(cw_module *m, uint32_t k);
int ocl_module_dev(cw_module *m);
const cw_ir_module *ocl_module_ir(cw_module *m);
GPtrArray *ocl_module_asserts(cw_module *m);
GMutex *ocl_module_launch_lock(cw_module *m);
void ocl_module_kernel_info(cw_module *m, uint32_t k, uint32_t *hidden, uint64_t *win, uint64_t *tex,
                            int *slots);

static cw_status arg_fail(char *err, size_t len, const cw_ir_func *f, uint32_t i, cl_int rc) {
  g_snprintf(err, len, "kernel %s: setting argument %u: %s", f->source_name ? f->source_name : f->name,
             i, ocl_error_name(rc));
  return CW_ERR_LAUNCH;
}

/* The address window (window.c): each address parameter's buffer in parameter order, and after
 * a texture object's the buffer of its texel data, whose address is the descriptor's first 8
 * bytes (core/runtime/texture_desc.h).  A value that is no device address leaves its slot empty:
 * as in CUDA, a kernel that never uses it runs fine. */
static cl_int set_window(cw_stream *s, const cw_ir_func *f, cl_kernel kern, cl_uint *ai, void *const *args,
                         uint64_t win, uint64_t tex, int slots) {
  uint64_t addrs[OCL_WINDOW_MAX] = {0};
  int n = 0;
  for (uint32_t i = 0; i < f->n_params && i < 64 && n < slots; i++) {
    if (!((win >> i) & 1)) continue;
    uint64_t a;
    memcpy(&a, args[i], sizeof a);
    addrs[n++] = a;
    if (!((tex >> i) & 1) || n >= slots) continue;
    cl_mem mem = NULL;
    size_t off = 0, room = 0;
    uint64_t data = 0;
    if (a && !ocl_texcache_get(s->be, a, &data) && ocl_lookup(s->be, a, &mem, &off, &room) &&
        room >= sizeof data) {
      cl_int rc = clEnqueueReadBuffer(s->q, mem, CL_TRUE, off, sizeof data, &data, 0, NULL, NULL);
      if (rc != CL_SUCCESS) return rc;
      ocl_texcache_put(s->be, a, data);
    }
    addrs[n++] = data;
  }
  for (int k = 0; k < slots; k++) {
    cl_mem mem = NULL;
    size_t off = 0, room = 0;
    cl_ulong base = 0, size = 0;
    if (k < n && addrs[k] && ocl_lookup(s->be, addrs[k], &mem, &off, &room)) {
      base = addrs[k] - off;
      size = off + room;
    } else if (k < n && addrs[k]) {
      cw_log(CW_LOG_DEBUG, "opencl", "kernel %s: window slot %d: 0x%" G_GINT64_MODIFIER "x is not an "
             "address of this device's memory", f->source_name ? f->source_name : f->name, k, addrs[k]);
    }
    cl_int rc = clSetKernelArg(kern, (*ai)++, sizeof(cl_mem), mem ? &mem : NULL);
    if (rc == CL_SUCCESS) rc = clSetKernelArg(kern, (*ai)++, sizeof base, &base);
    if (rc == CL_SUCCESS) rc = clSetKernelArg(kern, (*ai)++, sizeof size, &size);
    if (rc != CL_SUCCESS) return rc;
  }
  return CL_SUCCESS;
}

static cw_status set_args_and_enqueue(cw_stream *s, cw_module *mod, uint32_t k, const cw_ir_func *f, cl_kernel kern,
                                      const cw_launch_dims *dims, void *const *args, uint32_t hidden,
                                      uint64_t win, uint64_t tex, int slots, uint64_t lmem, GPtrArray *temps,
                                      char *err, size_t err_len) {
  const char *kname = f->source_name ? f->source_name : f->name;
  bool svm = s->be->devices[s->dev].svm_mode;
  uint64_t in_buffer = ocl_buffer_params(f, svm);
  cl_uint ai = 0;
  cl_int rc;
  for (uint32_t i = 0; i < f->n_params; i++) {
    const cw_ir_type *t = f->params[i]->type;
    GPtrArray *paths = NULL;
    bool buffered = i < 64 && ((in_buffer >> i) & 1);
    if (t && t->kind == CW_IR_PTR && svm) {
      uint64_t addr;
      memcpy(&addr, args[i], sizeof addr);
      size_t off = 0;
      /* as in CUDA, the kernel gets the bits even when they point at no allocation (a pointer
       * it never uses): that is only logged */
      if (addr && !ocl_svm_find(s->be, addr, &off))
        cw_log(CW_LOG_DEBUG, "opencl", "kernel %s: argument %u = 0x%" G_GINT64_MODIFIER "x is not an "
               "address of this device's memory", kname, i + 1, addr);
      if ((rc = clSetKernelArgSVMPointer(kern, ai++, (const void *)(uintptr_t)addr)) != CL_SUCCESS)
        return arg_fail(err, err_len, f, ai - 1, rc);
    } else if (t && t->kind == CW_IR_PTR) {
      uint64_t addr;
      memcpy(&addr, args[i], sizeof addr);
      cl_mem mem = NULL;
      size_t off = 0, room = 0;
      if (addr && !ocl_lookup(s->be, addr, &mem, &off, &room)) {
        g_snprintf(err, err_len, "kernel %s: argument %u (%s) = 0x%" G_GINT64_MODIFIER "x is not an "
                   "address of this device's memory", kname, i + 1, f->params[i]->source_name
                   ? f->params[i]->source_name : f->params[i]->name, addr);
        return CW_ERR_INVALID_VALUE;
      }
      cl_ulong o = off;
      if ((rc = clSetKernelArg(kern, ai++, sizeof(cl_mem), mem ? &mem : NULL)) != CL_SUCCESS)
        return arg_fail(err, err_len, f, ai - 1, rc);
      if ((rc = clSetKernelArg(kern, ai++, sizeof o, &o)) != CL_SUCCESS)
        return arg_fail(err, err_len, f, ai - 1, rc);
    } else if (t && t->kind == CW_IR_STRUCT && (paths = ocl_ptr_paths(t, svm, &(const char *){NULL})) &&
               (buffered || ocl_struct_as_bytes(t, paths))) {
      /* the struct's bytes (or a buffer holding them), then each pointer inside as
       * (buffer, offset) */
      if (buffered) {
        cl_mem bytes = clCreateBuffer(s->be->devices[s->dev].ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                      t->size, args[i], &rc);
        if (rc == CL_SUCCESS) {
          g_ptr_array_add(temps, bytes);  /* released after the enqueue: the driver keeps it */
          rc = clSetKernelArg(kern, ai++, sizeof bytes, &bytes);
        }
      } else {
        rc = clSetKernelArg(kern, ai++, t->size, args[i]);
      }
      for (guint j = 0; rc == CL_SUCCESS && j < paths->len; j++) {
        const ocl_ptr_path *pp = paths->pdata[j];
        uint64_t addr;
        memcpy(&addr, (const char *)args[i] + pp->offset, sizeof addr);
        cl_mem mem = NULL;
        size_t off = 0, room = 0;
        if (addr && !ocl_lookup(s->be, addr, &mem, &off, &room)) {
          /* unused slots of a pointer table hold whatever the host left there, as in CUDA,
           * where they are never dereferenced: the kernel sees the same bits (null + addr) */
          cw_log(CW_LOG_DEBUG, "opencl", "kernel %s: argument %u, field %s = 0x%" G_GINT64_MODIFIER
                 "x is not an address of this device's memory", kname, i + 1, pp->access + 1, addr);
          mem = NULL;
          off = addr;
        }
        cl_ulong o = off;
        rc = clSetKernelArg(kern, ai++, sizeof(cl_mem), mem ? &mem : NULL);
        if (rc == CL_SUCCESS) rc = clSetKernelArg(kern, ai++, sizeof o, &o);
      }
      g_ptr_array_free(paths, TRUE);
      paths = NULL;
      if (rc != CL_SUCCESS) return arg_fail(err, err_len, f, ai - 1, rc);
    } else if (t && t->kind == CW_IR_BOOL) {
      cl_uchar b = *(const bool *)args[i] ? 1 : 0;
      if ((rc = clSetKernelArg(kern, ai++, 1, &b)) != CL_SUCCESS) return arg_fail(err, err_len, f, ai - 1, rc);
    } else {
      if (paths) g_ptr_array_free(paths, TRUE);
      if ((rc = clSetKernelArg(kern, ai++, t ? t->size : 0, args[i])) != CL_SUCCESS)
        return arg_fail(err, err_len, f, ai - 1, rc);
    }
  }
  if (hidden & OCL_HID_GLOBALS) {
    cl_mem g = ocl_module_globals(mod);
    rc = svm ? clSetKernelArgSVMPointer(kern, ai++, ocl_module_globals_svm(mod))
             : clSetKernelArg(kern, ai++, sizeof g, &g);
    if (rc != CL_SUCCESS) return arg_fail(err, err_len, f, ai - 1, rc);
  }
  /* every block the kernel may reach, named again whenever blocks came or went */
  uint64_t *seen = svm ? ocl_module_svm_generation(mod, k) : NULL;
  if (seen && *seen != ocl_svm_generation(s->be)) {
    size_t n = 0;
    uint64_t gen = 0;
    void **blocks = ocl_svm_blocks_of(s->be, s->dev, &n, &gen);
    rc = clSetKernelExecInfo(kern, CL_KERNEL_EXEC_INFO_SVM_PTRS, n * sizeof(void *), blocks);
    g_free(blocks);
    if (rc != CL_SUCCESS) {
      g_snprintf(err, err_len, "kernel %s: clSetKernelExecInfo(SVM pointers): %s", kname, ocl_error_name(rc));
      return CW_ERR_LAUNCH;
    }
    *seen = gen;
  }
  if (lmem) {
    if ((rc = clSetKernelArg(kern, ai++, (size_t)lmem, NULL)) != CL_SUCCESS) return arg_fail(err, err_len, f, ai - 1, rc);
  }
  cl_mem errbuf = NULL;
  if (hidden & OCL_HID_ERR) {
    cl_int zero[OCL_ERRBUF_INTS] = {0};
    errbuf = clCreateBuffer(s->be->devices[s->dev].ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                            sizeof zero, zero, &rc);
    if (rc != CL_SUCCESS) return CW_ERR_OUT_OF_MEMORY;
    if ((rc = clSetKernelArg(kern, ai++, sizeof errbuf, &errbuf)) != CL_SUCCESS) {
      clReleaseMemObject(errbuf);
      return arg_fail(err, err_len, f, ai - 1, rc);
    }
  }
  if (hidden & OCL_HID_WINDOW) {
    if ((rc = set_window(s, f, kern, &ai, args, win, tex, slots)) != CL_SUCCESS) {
      if (errbuf) clReleaseMemObject(errbuf);
      return arg_fail(err, err_len, f, ai - 1, rc);
    }
  }
  size_t global[3], local[3];
  for (int i = 0; i < 3; i++) {
    local[i] = dims->block[i];
    global[i] = (size_t)dims->grid[i] * dims->block[i];
  }
  rc = clEnqueueNDRangeKernel(s->q, kern, 3, NULL, global, local, 0, NULL, NULL);
  if (rc != CL_SUCCESS) {
    if (errbuf) clReleaseMemObject(errbuf);
    g_snprintf(err, err_len, "kernel %s: clEnqueueNDRangeKernel: %s", kname, ocl_error_name(rc));
    return rc == CL_OUT_OF_RESOURCES || rc == CL_MEM_OBJECT_ALLOCATION_FAILURE ? CW_ERR_OUT_OF_MEMORY
                                                                                 : CW_ERR_LAUNCH;
  }
  if (errbuf) ocl_stream_add_pending(s, errbuf, kname, ocl_module_asserts(mod));
  clFlush(s->q);
  return CW_OK;
}

cw_status opencl_launch(cw_stream *s, cw_module *mod, uint32_t k, const cw_launch_dims *dims,
                        void *const *args, char *err, size_t err_len) {
  s = ocl_stream_resolve(s);
  const cw_ir_module *ir = mod ? ocl_module_ir(mod) : NULL;
  if (!s || !ir || k >= ir->n_kernels || !dims) return CW_ERR_INVALID_VALUE;
  if (s->dev != ocl_module_dev(mod)) {
    g_snprintf(err, err_len, "the module was loaded on device %d, the stream is on device %d",
               ocl_module_dev(mod), s->dev);
    return CW_ERR_INVALID_VALUE;
  }
  const cw_ir_func *f = ir->kernels[k];
  const char *kname = f->source_name ? f->source_name : f->name;
  cl_kernel kern = ocl_module_kernel(mod, k);
  const cw_device_caps *caps = &s->be->devices[s->dev].caps;
  uint64_t threads = (uint64_t)dims->block[0] * dims->block[1] * dims->block[2];
  uint64_t blocks = (uint64_t)dims->grid[0] * dims->grid[1] * dims->grid[2];
  bool dims_ok = true;
  for (int i = 0; i < 3; i++) dims_ok &= dims->block[i] <= caps->max_block_dim[i];
  if (!threads || !blocks || threads > caps->max_threads_per_block || !dims_ok) {
    g_snprintf(err, err_len, "kernel %s: invalid configuration: grid %ux%ux%u, block %ux%ux%u "
               "(the device allows %u threads per block, %u x %u x %u)", kname, dims->grid[0],
               dims->grid[1], dims->grid[2], dims->block[0], dims->block[1], dims->block[2],
               caps->max_threads_per_block, caps->max_block_dim[0], caps->max_block_dim[1],
               caps->max_block_dim[2]);
    return CW_ERR_LAUNCH;
  }
  uint32_t hidden;
  uint64_t win, tex;
  int slots;
  ocl_module_kernel_info(mod, k, &hidden, &win, &tex, &slots);
  uint64_t lmem = ocl_local_arg_bytes(hidden, threads, dims->dynamic_shared_bytes);
  if ((uint64_t)f->static_shared_bytes + lmem > caps->shared_mem_per_block) {
    g_snprintf(err, err_len, "kernel %s: %u bytes of static and %u of dynamic shared memory exceed "
               "the device's %" G_GUINT64_FORMAT, kname, f->static_shared_bytes,
               dims->dynamic_shared_bytes, caps->shared_mem_per_block);
    return CW_ERR_LAUNCH;
  }
  /* clSetKernelArg is not thread-safe on one cl_kernel, and the arguments must stay as set until
   * the enqueue has taken them: host threads launching the same kernel take turns */
  GMutex *lock = ocl_module_launch_lock(mod);
  g_mutex_lock(lock);
  GPtrArray *temps = g_ptr_array_new();
  cw_status st = set_args_and_enqueue(s, mod, k, f, kern, dims, args, hidden, win, tex, slots, lmem, temps,
                                      err, err_len);
  g_mutex_unlock(lock);
  for (guint i = 0; i < temps->len; i++) clReleaseMemObject(temps->pdata[i]);
  g_ptr_array_free(temps, TRUE);
  return st;
}
