/* test_programs.c — every behaviour-test program (tests/programs/NAME.cu) that the front end accepts
 * compiles through the cuda plugin: front end → IR → CUDA C++ → NVRTC → a cubin for sm_90 (and
 * PTX with an .entry for each kernel).  No GPU needed: this is what `--backend=cuda` does before
 * loading, so a failure here is a printer or plugin bug that the GPU run would hit.  Programs the
 * front end rejects are listed but are the front end's tests' business.  Skips (77) only without
 * NVRTC.
 *
 *   cuda-test_programs DIR      (DIR: tests/programs) */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cuda-plugin.h"
#include "frontend/diag.h"
#include "frontend/frontend.h"
#include "frontend/host/host_rewrite.h"

/* The front end's module for `path`, made as cwrun makes it: the host rewrite's device text
 * (the preprocessed device view) compiled with the template instantiations the host launches. */
static cw_ir_module *front_end(const char *path, char **why) {
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_load_file(ctx, path);
  cw_ir_module *m = NULL;
  if (!f) *why = cw_diag_to_string(ctx);
  if (f) {
    cw_host_rewrite *hr = cw_host_rewrite_new(ctx);
    cw_host_rewrite_learn_macros(hr, f);
    g_free(cw_host_rewrite_file(hr, f, path));
    char *dir = g_path_get_dirname(path);
    const char *incs[] = {dir};
    cw_pp_options pp = {.device_view = true, .include_dirs = incs, .n_include_dirs = 1};
    char *text = cw_host_device_text(hr, f, &pp);
    int n = 0;
    const char *const *insts = cw_host_rewrite_instantiations(hr, &n);
    cw_frontend_ctx *dctx = cw_frontend_ctx_new();
    cw_src_file *df = text ? cw_add_file_from_string(dctx, path, text) : NULL;
    cw_frontend_options o = {.pp = {.device_view = true}, .instantiations = insts,
                             .n_instantiations = n};
    m = df ? cw_frontend_compile(dctx, df, &o) : NULL;
    if (!m) *why = cw_diag_to_string(text ? dctx : ctx);
    cw_frontend_ctx_free(dctx);
    g_free(text);
    g_free(dir);
    cw_host_rewrite_free(hr);
  }
  cw_frontend_ctx_free(ctx);
  return m;
}

static gint by_name(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s tests/programs\n", argv[0]);
    return 99;
  }
  char reason[2048] = "";
  if (!cuda_nvrtc_get(NULL, reason, sizeof reason)) {
    printf("SKIP: %s\n", reason);
    return 77;
  }
  GDir *d = g_dir_open(argv[1], 0, NULL);
  if (!d) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 99;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *e;
  while ((e = g_dir_read_name(d)))
    if (g_str_has_suffix(e, ".cu")) g_ptr_array_add(names, g_strdup(e));
  g_dir_close(d);
  g_ptr_array_sort(names, by_name);
  int compiled = 0, failed = 0, rejected = 0;
  cw_device_caps caps;
  memset(&caps, 0, sizeof caps);
  caps.struct_size = sizeof caps;
  caps.cc_major = 9;
  for (guint i = 0; i < names->len; i++) {
    char *path = g_build_filename(argv[1], names->pdata[i], NULL);
    char *why = NULL;
    cw_ir_module *m = front_end(path, &why);
    if (!m) {
      char *first = why ? g_strndup(why, strcspn(why, "\n")) : g_strdup("?");
      printf("front end rejects %s: %s\n", path, first);
      g_free(first);
      g_free(why);
      g_free(path);
      rejected++;
      continue;
    }
    /* The cubin, as --backend=cuda loads it (ptxas runs too), and the PTX's entry points. */
    char *ptx = NULL, err[16384] = "";
    cw_artifact *art = NULL;
    cw_status st = cuda_transpiler_ops.emit(NULL, m, &caps, &art, err, sizeof err);
    if (st == CW_OK)
      st = cuda_transpiler_ops.emit_format(NULL, m, &caps, "ptx", &ptx, err, sizeof err);
    bool ok = st == CW_OK;
    if (ok && (art->binary_size < 4 || memcmp(art->binary, "\x7f" "ELF", 4) != 0)) {
      g_strlcpy(err, "the binary is not a cubin", sizeof err);
      ok = false;
    }
    for (uint32_t k = 0; ok && k < m->n_kernels; k++) {
      char *entry = g_strdup_printf(".entry %s(", m->kernels[k]->name);
      if (!strstr(ptx, entry)) {
        g_snprintf(err, sizeof err, "no %s in the PTX", entry);
        ok = false;
      }
      g_free(entry);
    }
    if (art) cuda_transpiler_ops.artifact_free(art);
    if (ok) {
      compiled++;
      printf("ok   %s (%u kernels)\n", path, m->n_kernels);
    } else {
      failed++;
      printf("FAIL %s: %s\n", path, err);
    }
    g_free(ptx);
    cw_ir_module_free(m);
    g_free(path);
  }
  printf("%d compiled, %d failed, %d rejected by the front end\n", compiled, failed, rejected);
  g_ptr_array_free(names, TRUE);
  return failed ? 1 : 0;
}
