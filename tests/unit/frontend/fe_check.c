/* fe-check: runs the front end on CUDA files and reports, per file, OK or the diagnostics.
 *   fe-check [-v] [--dump] [-H] [-I dir] [-i template-id] file.cu...
 * --dump: print the IR; --cuda: print the CUDA C++ the IR printer makes of it.
 * -H: also instantiate the template-ids the host code launches (found by the host rewrite).
 * Used to measure the front end against real programs; exit status 1 if any file failed. */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "frontend/frontend.h"
#include "frontend/host/host_rewrite.h"
#include "ir_verify.h"

int main(int argc, char **argv) {
  bool dump = false, verbose = false, host_insts = false, cuda = false;
  GPtrArray *incs = g_ptr_array_new(), *insts = g_ptr_array_new();
  int failed = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--dump")) { dump = true; continue; }
    if (!strcmp(argv[i], "--cuda")) { cuda = true; continue; }
    if (!strcmp(argv[i], "-v")) { verbose = true; continue; }
    if (!strcmp(argv[i], "-H")) { host_insts = true; continue; }
    if (!strcmp(argv[i], "-I") && i + 1 < argc) { g_ptr_array_add(incs, argv[++i]); continue; }
    if (!strcmp(argv[i], "-i") && i + 1 < argc) { g_ptr_array_add(insts, argv[++i]); continue; }
    cw_frontend_ctx *ctx = cw_frontend_ctx_new();
    cw_src_file *f = cw_load_file(ctx, argv[i]);
    GPtrArray *all = g_ptr_array_new();
    for (guint k = 0; k < insts->len; k++)
      g_ptr_array_add(all, g_ptr_array_index(insts, k));
    cw_host_rewrite *hr = NULL;
    if (host_insts && f) {
      hr = cw_host_rewrite_new(ctx);
      cw_host_rewrite_learn_macros(hr, f);
      g_free(cw_host_rewrite_file(hr, f, argv[i]));
      int n = 0;
      const char *const *hi = cw_host_rewrite_instantiations(hr, &n);
      for (int k = 0; k < n; k++)
        g_ptr_array_add(all, (gpointer)hi[k]);
    }
    cw_frontend_options o = {.pp = {.device_view = true, .include_dirs = (const char *const *)incs->pdata,
                                    .n_include_dirs = (int)incs->len},
                             .instantiations = (const char *const *)all->pdata,
                             .n_instantiations = (int)all->len};
    gint64 t0 = g_get_monotonic_time();
    cw_ir_module *m = f ? cw_frontend_compile(ctx, f, &o) : NULL;
    gint64 t1 = g_get_monotonic_time();
    if (m) {
      printf("OK    %s (%u kernels, %u functions, %.1f ms)\n", argv[i], m->n_kernels, m->n_funcs, (t1 - t0) / 1000.0);
      GString *vlog = g_string_new(NULL);
      int problems = fe_ir_verify(m, vlog);
      if (problems) {
        printf("      IR check: %d problem(s)\n%s", problems, vlog->str);
        failed++;
      }
      g_string_free(vlog, TRUE);
      if (verbose && cw_diag_count(ctx)) {
        char *d = cw_diag_to_string(ctx);
        fputs(d, stdout);
        g_free(d);
      }
      if (dump) {
        char *d = cw_ir_module_dump(m);
        fputs(d, stdout);
        g_free(d);
      }
      if (cuda) {
        char *d = cw_ir_module_to_cuda(m);
        fputs(d, stdout);
        g_free(d);
      }
      cw_ir_module_free(m);
    } else {
      failed++;
      printf("FAIL  %s (%d errors)\n", argv[i], cw_diag_error_count(ctx));
      char *d = cw_diag_to_string(ctx);
      if (verbose)
        fputs(d, stdout);
      else {
        /* the first diagnostic only */
        char *nl = strstr(d, "\n");
        int lines = 0;
        for (char *c = d; c && *c && lines < 3; lines++) {
          nl = strchr(c, '\n');
          printf("      %.*s\n", nl ? (int)(nl - c) : (int)strlen(c), c);
          c = nl ? nl + 1 : NULL;
        }
      }
      g_free(d);
    }
    if (hr)
      cw_host_rewrite_free(hr);
    g_ptr_array_free(all, TRUE);
    cw_frontend_ctx_free(ctx);
  }
  g_ptr_array_free(incs, TRUE);
  g_ptr_array_free(insts, TRUE);
  return failed ? 1 : 0;
}
