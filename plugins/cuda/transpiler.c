/* transpiler.c — kernel IR → CUDA C++ (core's printer) → NVRTC → cubin (or PTX), cached on disk.
 *
 * The cache key covers everything that changes the binary: the generated source, the target
 * architecture and output kind, the NVRTC version and the driver version (a newer driver may
 * reject nothing, but an older one cannot load what a newer NVRTC made, so keep them apart).
 * Files: cw_cache_dir()/cuda/<sha256>.cubin or .ptx, written atomically. */
#include "cuda-plugin.h"

#include <errno.h>
#include <string.h>

#define DEFAULT_ARCH 90  /* the target when there is no device: Hopper (sm_90) */

static const char *const emit_formats[] = {"ptx", "cuda", NULL};

static GMutex config_lock;
static char *configured_nvrtc;   /* config `nvrtc`, remembered from probe for be == NULL */
static int configured_arch;      /* config `arch` (e.g. 80 for "sm_80"), 0 = default */

void cuda_transpiler_set_nvrtc_path(const char *configured) {
  g_mutex_lock(&config_lock);
  g_free(configured_nvrtc);
  configured_nvrtc = g_strdup(configured);
  g_mutex_unlock(&config_lock);
}

void cuda_transpiler_set_default_arch(int arch) {
  g_mutex_lock(&config_lock);
  configured_arch = arch;
  g_mutex_unlock(&config_lock);
}

static const cuda_nvrtc *nvrtc_for(cw_backend *be, char *err, size_t err_len) {
  if (be && be->nvrtc) return be->nvrtc;
  g_mutex_lock(&config_lock);
  char *path = g_strdup(configured_nvrtc);
  g_mutex_unlock(&config_lock);
  const cuda_nvrtc *n = cuda_nvrtc_get(path, err, err_len);
  g_free(path);
  return n;
}

/* Compute capability as major*10+minor: the device's, else the configured or default target. */
static int target_cc(const cw_device_caps *caps) {
  if (caps && caps->cc_major) return (int)(caps->cc_major * 10 + caps->cc_minor);
  g_mutex_lock(&config_lock);
  int arch = configured_arch;
  g_mutex_unlock(&config_lock);
  return arch ? arch : DEFAULT_ARCH;
}

static bool supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                     char *reason, size_t reason_len) {
  (void)ir;  /* CUDA C++ expresses all of the IR */
  const cuda_nvrtc *n = nvrtc_for(be, reason, reason_len);
  if (!n) return false;
  int cc = target_cc(caps);
  if (!cuda_nvrtc_pick_arch(n, cc)) {
    g_snprintf(reason, reason_len, "NVRTC %d.%d cannot compile for sm_%d (its oldest target is sm_%d)",
               n->major, n->minor, cc, n->n_archs ? n->archs[0] : 0);
    return false;
  }
  return true;
}

static bool image_is_valid(const char *data, size_t size, bool cubin) {
  if (cubin) return size > 4 && memcmp(data, "\x7f" "ELF", 4) == 0;
  return size > 8 && strstr(data, ".version") != NULL;
}

/* Compiles `source` for `cc`, through the disk cache.  The arch actually used: a cubin for the
 * device's own architecture family when NVRTC knows it, else PTX for the newest one below,
 * which the driver compiles on load. */
static cw_status compile_cached(cw_backend *be, const cuda_nvrtc *n, const cw_ir_module *ir,
                                const char *source, const char *name, int cc, bool want_cubin,
                                cuda_compiled *out, char *err, size_t err_len) {
  int arch = cuda_nvrtc_pick_arch(n, cc);
  if (!arch) {
    g_snprintf(err, err_len, "NVRTC %d.%d cannot compile for sm_%d", n->major, n->minor, cc);
    return CW_ERR_UNSUPPORTED;
  }
  bool cubin = want_cubin && n->nvrtcGetCUBIN && arch / 10 == cc / 10;
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  char *key = g_strdup_printf("cw-cuda %s|%s_%d|nvrtc %d.%d|driver %d|", CUDA_PLUGIN_VERSION,
                              cubin ? "sm" : "compute", arch, n->major, n->minor,
                              be ? be->driver.version : 0);
  g_checksum_update(sum, (const guchar *)key, -1);
  g_checksum_update(sum, (const guchar *)source, -1);
  char *dir = g_build_filename(cw_cache_dir(), "cuda", NULL);
  char *file = g_strdup_printf("%s.%s", g_checksum_get_string(sum), cubin ? "cubin" : "ptx");
  char *path = g_build_filename(dir, file, NULL);
  g_checksum_free(sum);
  g_free(key);
  g_free(file);

  cw_status st = CW_OK;
  char *data = NULL;
  gsize size = 0;
  if (g_file_get_contents(path, &data, &size, NULL) && image_is_valid(data, size, cubin)) {
    out->image = data;
    out->size = cubin ? size : size + 1;  /* PTX: with its NUL (g_file_get_contents adds one) */
    out->is_cubin = cubin;
    cw_log(CW_LOG_DEBUG, "cuda", "%s: cached %s", name, path);
  } else {
    g_free(data);
    char *log = NULL;
    st = cuda_nvrtc_compile(n, source, name, arch, cubin, ir, out, &log);
    if (st != CW_OK) {
      /* The caller reports err; a log longer than err's room is printed whole here. */
      if (g_strlcpy(err, log ? log : "NVRTC failed", err_len) >= err_len)
        cw_log(CW_LOG_ERROR, "cuda", "%s", log);
    } else {
      g_mkdir_with_parents(dir, 0700);
      size_t write_size = out->is_cubin ? out->size : strlen(out->image);
      if (!cw_cache_write_atomic(path, out->image, write_size))
        cw_log(CW_LOG_WARN, "cuda", "cannot cache %s: %s", path, g_strerror(errno));
      else
        cw_log(CW_LOG_DEBUG, "cuda", "%s: compiled for %s_%d into %s", name,
               out->is_cubin ? "sm" : "compute", arch, path);
    }
    g_free(log);
  }
  g_free(path);
  g_free(dir);
  return st;
}

/* The name NVRTC shows in diagnostics: the user's file, marked as generated from it. */
static char *program_name(const cw_ir_module *ir) {
  char *base = g_path_get_basename(ir->source_name ? ir->source_name : "module.cu");
  char *name = g_strdup_printf("%s.cw-cuda.cu", base);
  g_free(base);
  return name;
}

static cw_status emit(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                      cw_artifact **out, char *err, size_t err_len) {
  *out = NULL;
  const cuda_nvrtc *n = nvrtc_for(be, err, err_len);
  if (!n) return CW_ERR_UNSUPPORTED;
  char *source = cw_ir_module_to_cuda_ex(ir, true); /* NVRTC errors on the user's lines */
  char *name = program_name(ir);
  cuda_compiled image;
  cw_status st = compile_cached(be, n, ir, source, name, target_cc(caps), true, &image, err,
                                err_len);
  g_free(name);
  if (st != CW_OK) {
    g_free(source);
    return st;
  }
  cw_artifact *art = g_new0(cw_artifact, 1);
  art->struct_size = sizeof *art;
  art->language = "cuda";
  art->source = source;
  art->source_len = strlen(source);
  art->binary = image.image;
  art->binary_size = image.size;
  *out = art;
  return CW_OK;
}

static cw_status emit_format(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                             const char *format, char **text, char *err, size_t err_len) {
  *text = NULL;
  if (g_strcmp0(format, "cuda") == 0) {
    *text = cw_ir_module_to_cuda(ir);
    return CW_OK;
  }
  if (g_strcmp0(format, "ptx") != 0) {
    g_snprintf(err, err_len, "cuda: unknown format '%s' (known: ptx, cuda)", format ? format : "");
    return CW_ERR_INVALID_VALUE;
  }
  const cuda_nvrtc *n = nvrtc_for(be, err, err_len);
  if (!n) return CW_ERR_UNSUPPORTED;
  char *source = cw_ir_module_to_cuda_ex(ir, true); /* NVRTC errors on the user's lines */
  char *name = program_name(ir);
  cuda_compiled image;
  cw_status st = compile_cached(be, n, ir, source, name, target_cc(caps), false, &image, err,
                                err_len);
  g_free(name);
  g_free(source);
  if (st == CW_OK) *text = image.image;
  return st;
}

static void artifact_free(cw_artifact *art) {
  if (!art) return;
  g_free(art->source);
  g_free(art->binary);
  g_free(art);
}

const cw_transpiler_ops cuda_transpiler_ops = {
  .struct_size = sizeof(cw_transpiler_ops),
  .language = "cuda",
  .emit_formats = emit_formats,
  .supports = supports,
  .emit = emit,
  .emit_format = emit_format,
  .artifact_free = artifact_free,
};
