/* module.c — loading an artifact: the OpenCL C source is built by the driver, through a disk
 * cache of program binaries (cw_cache_dir()/opencl/<sha256 of plugin version, device, driver
 * and source>.bin, when the driver hands binaries out); a binary the driver refuses is simply
 * rebuilt from source.  Build errors are reported with the generated lines they point at and
 * the user's function they came from (the `// FILE:LINE` comments of emit_module.c).
 * Module variables live in one block (layout.c): an SVM block on an SVM device, else a buffer
 * registered in the address table, so that module_global can return an address the runtime
 * copies into. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "opencl-plugin.h"

struct cw_module {
  cw_backend *be;
  int dev;
  const cw_ir_module *ir;
  cl_program prog;
  cl_kernel *kernels;        /* per ir->kernels entry */
  uint32_t n_kernels;
  uint32_t *hidden;          /* per kernel: OCL_HID_* (layout.c) */
  uint64_t *win, *tex;       /* per kernel: address and texture parameters (window.c) */
  int win_slots;             /* the window's size (ocl_window_slots) */
  uint64_t *svm_gen;         /* per kernel: the SVM generation its exec info names (launch.c);
                              * 0 = never set (generations start at 1) */
  cl_mem globals;            /* buffer model; NULL when the module has no variables */
  void *globals_svm;         /* SVM model; NULL when the module has no variables */
  uint64_t globals_addr;
  uint32_t *goff;
  size_t gsize;
  GPtrArray *asserts;        /* ocl_assert_site*, for messages of failed asserts */
  GMutex launch_lock;        /* held from the first clSetKernelArg to the enqueue (launch.c) */
};

/* internal accessors for launch.c */
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
void ocl_module_kernel_info(cw_module *m, uint32_t k, uint32_t *hidden, uint64_t *win, uint64_t *tex,
                            int *slots) {
  *slots = m->win_slots;
  *hidden = m->hidden[k];
  *win = m->win[k];
  *tex = m->tex[k];
}
GPtrArray *ocl_module_asserts(cw_module *m) { return m->asserts; }
GMutex *ocl_module_launch_lock(cw_module *m) { return &m->launch_lock; }
cl_kernel ocl_module_kernel(cw_module *m, uint32_t k) { return k < m->n_kernels ? m->kernels[k] : NULL; }
cl_mem ocl_module_globals(cw_module *m) { return m->globals; }
void *ocl_module_globals_svm(cw_module *m) { return m->globals_svm; }
uint64_t *ocl_module_svm_generation(cw_module *m, uint32_t k) { return &m->svm_gen[k]; }
int ocl_module_dev(cw_module *m) { return m->dev; }
const cw_ir_module *ocl_module_ir(cw_module *m) { return m->ir; }

static const char build_options[] = "-cl-std=CL1.2";

static char *cache_path(cl_dev *d, const char *source) {
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  char *key = g_strdup_printf("cw-opencl %s|%s|%s|", OPENCL_PLUGIN_VERSION, d->driver_key, build_options);
  g_checksum_update(sum, (const guchar *)key, -1);
  g_checksum_update(sum, (const guchar *)source, -1);
  char *file = g_strdup_printf("%s.bin", g_checksum_get_string(sum));
  char *path = g_build_filename(cw_cache_dir(), "opencl", file, NULL);
  g_checksum_free(sum);
  g_free(key);
  g_free(file);
  return path;
}

static char *build_log(cl_program prog, cl_device_id dev) {
  size_t n = 0;
  clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, 0, NULL, &n);
  char *log = g_malloc0(n + 1);
  if (n) clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, n, log, NULL);
  return log;
}

/* The build log, each error followed by the generated line and the user's function. */
static char *explain_log(const char *log, const char *source) {
  gchar **lines = g_strsplit(source, "\n", -1);
  guint n_lines = g_strv_length(lines);
  GString *o = g_string_new(NULL);
  gchar **ll = g_strsplit(log, "\n", -1);
  int shown = 0;
  for (gchar **l = ll; *l; l++) {
    if (!**l) continue;
    g_string_append_printf(o, "%s\n", *l);
    const char *errp = strstr(*l, ": error:");
    if (!errp || shown >= 8) continue;
    /* "<source>:LINE:COL: error: ..." */
    const char *c = errp;
    while (c > *l && c[-1] != ':') c--;               /* start of COL */
    const char *colon = c > *l ? c - 1 : NULL;
    const char *ln = colon;
    while (ln && ln > *l && g_ascii_isdigit(ln[-1])) ln--;
    long line = ln && ln < colon ? strtol(ln, NULL, 10) : 0;
    if (line <= 0 || (guint)line > n_lines) continue;
    shown++;
    g_string_append_printf(o, "  generated line %ld: %s\n", line, g_strstrip(g_strdup(lines[line - 1])));
    for (long i = line - 1; i >= 0; i--)
      if (g_str_has_prefix(g_strchug(lines[i]), "// ") && strchr(lines[i], ':')) {
        g_string_append_printf(o, "  in %s\n", lines[i] + 3);
        break;
      }
  }
  g_strfreev(ll);
  g_strfreev(lines);
  return g_string_free(o, FALSE);
}

static cl_program from_cache(cl_dev *d, const char *path) {
  gchar *data = NULL;
  gsize size = 0;
  if (!g_file_get_contents(path, &data, &size, NULL) || size == 0) return NULL;
  const unsigned char *bin = (const unsigned char *)data;
  cl_int st = CL_SUCCESS, rc = CL_SUCCESS;
  cl_program prog = clCreateProgramWithBinary(d->ctx, 1, &d->id, &size, &bin, &st, &rc);
  if (rc == CL_SUCCESS && st == CL_SUCCESS && prog &&
      clBuildProgram(prog, 1, &d->id, build_options, NULL, NULL) == CL_SUCCESS) {
    g_free(data);
    cw_log(CW_LOG_DEBUG, "opencl", "program binary from %s", path);
    return prog;
  }
  if (prog) clReleaseProgram(prog);
  g_free(data);
  cw_log(CW_LOG_INFO, "opencl", "cached binary %s refused by the driver: rebuilding", path);
  return NULL;
}

static void to_cache(cl_dev *d, cl_program prog, const char *path) {
  size_t size = 0;
  if (clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL) != CL_SUCCESS || !size)
    return;
  unsigned char *bin = g_malloc(size);
  if (clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL) == CL_SUCCESS) {
    char *dir = g_path_get_dirname(path);
    g_mkdir_with_parents(dir, 0700);
    g_free(dir);
    if (!cw_cache_write_atomic(path, bin, size))
      cw_log(CW_LOG_WARN, "opencl", "cannot cache %s: %s", path, g_strerror(errno));
  }
  (void)d;
  g_free(bin);
}

cw_status opencl_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                             cw_module **out, char *err, size_t err_len) {
  *out = NULL;
  if (!be || dev < 0 || dev >= be->count || !ir || !art || !art->source) return CW_ERR_INVALID_VALUE;
  cw_status st = ocl_dev_context(be, dev, err, err_len);
  if (st != CW_OK) return st;
  cl_dev *d = &be->devices[dev];
  char *path = cache_path(d, art->source);
  cl_program prog = from_cache(d, path);
  if (!prog) {
    cl_int rc;
    const char *src = art->source;
    prog = clCreateProgramWithSource(d->ctx, 1, &src, NULL, &rc);
    if (rc != CL_SUCCESS || !prog) {
      g_snprintf(err, err_len, "clCreateProgramWithSource: %s", ocl_error_name(rc));
      g_free(path);
      return CW_ERR_DRIVER;
    }
    rc = clBuildProgram(prog, 1, &d->id, build_options, NULL, NULL);
    if (rc != CL_SUCCESS) {
      char *log = build_log(prog, d->id);
      char *why = explain_log(log, art->source);
      g_snprintf(err, err_len, "OpenCL build of %s failed (%s):\n%s", ir->source_name ? ir->source_name : "module",
                 ocl_error_name(rc), why);
      cw_log(CW_LOG_DEBUG, "opencl", "generated source:\n%s", art->source);
      g_free(log);
      g_free(why);
      g_free(path);
      clReleaseProgram(prog);
      return CW_ERR_COMPILE;
    }
    to_cache(d, prog, path);
  }
  g_free(path);

  cw_module *m = g_new0(cw_module, 1);
  g_mutex_init(&m->launch_lock);
  m->be = be;
  m->dev = dev;
  m->ir = ir;
  m->prog = prog;
  m->n_kernels = ir->n_kernels;
  m->kernels = g_new0(cl_kernel, ir->n_kernels ? ir->n_kernels : 1);
  m->hidden = g_new0(uint32_t, ir->n_kernels ? ir->n_kernels : 1);
  m->win = g_new0(uint64_t, ir->n_kernels ? ir->n_kernels : 1);
  m->tex = g_new0(uint64_t, ir->n_kernels ? ir->n_kernels : 1);
  m->svm_gen = g_new0(uint64_t, ir->n_kernels ? ir->n_kernels : 1);
  for (uint32_t k = 0; k < ir->n_kernels; k++) {
    /* once here rather than at every launch: the window's analysis walks the call tree */
    m->hidden[k] = ocl_func_hidden(ir->kernels[k], d->svm_mode);
    if (!(m->hidden[k] & OCL_HID_WINDOW)) continue;
    m->win[k] = ocl_window_params(ir->kernels[k], &m->tex[k]);
    int slots = __builtin_popcountll(m->win[k]) + __builtin_popcountll(m->tex[k]);  /* ocl_window_slots */
    if (slots > m->win_slots) m->win_slots = slots > OCL_WINDOW_MAX ? OCL_WINDOW_MAX : slots;
  }
  for (uint32_t k = 0; k < ir->n_kernels; k++) {
    char *name = ocl_kernel_name(ir->kernels[k]);
    cl_int rc;
    m->kernels[k] = clCreateKernel(prog, name, &rc);
    if (rc != CL_SUCCESS) {
      g_snprintf(err, err_len, "clCreateKernel(%s): %s", name, ocl_error_name(rc));
      g_free(name);
      opencl_module_unload(m);
      return CW_ERR_DRIVER;
    }
    g_free(name);
  }
  m->asserts = ocl_assert_sites(ir);
  m->goff = ocl_globals_layout(ir, &m->gsize);
  bool any = false;
  for (uint32_t i = 0; i < ir->n_globals; i++) any |= m->goff[i] != G_MAXUINT32;
  if (any && d->svm_mode) {
    guint8 *img = ocl_globals_image(ir, m->goff, m->gsize);
    cl_int rc = CL_MEM_OBJECT_ALLOCATION_FAILURE;
    if (ocl_svm_alloc(be, dev, m->gsize, false, &m->globals_addr) == CW_OK) {
      m->globals_svm = (void *)(uintptr_t)m->globals_addr;
      rc = clEnqueueSVMMemcpy(d->dflt->q, CL_TRUE, m->globals_svm, img, m->gsize, 0, NULL, NULL);
    }
    g_free(img);
    if (rc != CL_SUCCESS) {
      g_snprintf(err, err_len, "module variables (%zu bytes of SVM): %s", m->gsize, ocl_error_name(rc));
      opencl_module_unload(m);
      return CW_ERR_OUT_OF_MEMORY;
    }
  } else if (any) {
    guint8 *img = ocl_globals_image(ir, m->goff, m->gsize);
    cl_int rc;
    m->globals = clCreateBuffer(d->ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, m->gsize, img, &rc);
    g_free(img);
    if (rc != CL_SUCCESS) {
      m->globals = NULL;
      opencl_module_unload(m);
      g_snprintf(err, err_len, "module variables buffer (%zu bytes): %s", m->gsize, ocl_error_name(rc));
      return CW_ERR_OUT_OF_MEMORY;
    }
    m->globals_addr = ocl_register_buffer(be, dev, m->globals, m->gsize);
  }
  *out = m;
  return CW_OK;
}

void opencl_module_unload(cw_module *m) {
  if (!m) return;
  for (uint32_t k = 0; k < m->n_kernels; k++)
    if (m->kernels[k]) clReleaseKernel(m->kernels[k]);
  g_free(m->kernels);
  g_free(m->hidden);
  g_free(m->win);
  g_free(m->tex);
  g_free(m->svm_gen);
  if (m->globals) {
    ocl_unregister_buffer(m->be, m->globals_addr);
    clReleaseMemObject(m->globals);
  }
  if (m->globals_svm) {
    opencl_device_synchronize(m->be, m->dev);  /* clSVMFree does not wait for kernels using it */
    ocl_svm_release(m->be, ocl_svm_remove(m->be, m->globals_addr));
  }
  if (m->prog) clReleaseProgram(m->prog);
  g_free(m->goff);
  if (m->asserts) g_ptr_array_unref(m->asserts);
  g_mutex_clear(&m->launch_lock);
  g_free(m);
}

cw_status opencl_module_global(cw_module *m, const char *name, uint64_t *addr, size_t *size) {
  if (!m || !name) return CW_ERR_INVALID_VALUE;
  for (uint32_t i = 0; i < m->ir->n_globals; i++) {
    const cw_ir_var *g = m->ir->globals[i];
    if (m->goff[i] == G_MAXUINT32 || strcmp(g->name, name) != 0) continue;
    *addr = m->globals_addr + m->goff[i];
    *size = g->type ? g->type->size : 0;
    return CW_OK;
  }
  return CW_ERR_INVALID_VALUE;
}
