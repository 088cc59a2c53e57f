/* Golden tests of the front end: each tests/frontend/NAME.cu is compiled (device view) and the
 * result, the IR dump (cw_ir_module_dump) or else the diagnostics, is compared with NAME.expected.
 * A first line `// instantiate: a<int> b<float,4>` adds template-ids to instantiate.
 *   fe-golden DIR            run all, exit 1 on any difference (a unified diff is printed)
 *   CW_UPDATE_GOLDEN=1 fe-golden DIR    rewrite the .expected files */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "frontend/frontend.h"
#include "ir_verify.h"

static int ir_problems;

static char *compile_to_text(const char *name) {
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_load_file(ctx, name);
  GPtrArray *insts = g_ptr_array_new_with_free_func(g_free);
  if (f && g_str_has_prefix(f->contents, "// instantiate:")) {
    char *nl = strchr(f->contents, '\n');
    char *line = g_strndup(f->contents + 15, (gsize)(nl - f->contents - 15));
    char **parts = g_strsplit_set(line, " ", -1);
    for (char **q = parts; *q; q++)
      if (**q)
        g_ptr_array_add(insts, g_strdup(*q));
    g_strfreev(parts);
    g_free(line);
  }
  cw_frontend_options o = {.pp = {.device_view = true},
                           .instantiations = (const char *const *)insts->pdata,
                           .n_instantiations = (int)insts->len};
  cw_ir_module *m = f ? cw_frontend_compile(ctx, f, &o) : NULL;
  char *out;
  if (m) {
    /* the IR itself must be consistent (conversions explicit): problems show in the output */
    GString *vlog = g_string_new(NULL);
    if (fe_ir_verify(m, vlog) && ++ir_problems)
      fprintf(stderr, "%s: IR check failed:\n%s", name, vlog->str);
    g_string_free(vlog, TRUE);
    char *dump = cw_ir_module_dump(m);
    char *diags = cw_diag_to_string(ctx);
    out = g_strconcat(diags, dump, NULL);
    g_free(dump);
    g_free(diags);
    cw_ir_module_free(m);
  } else {
    out = cw_diag_to_string(ctx);
  }
  g_ptr_array_free(insts, TRUE);
  cw_frontend_ctx_free(ctx);
  return out;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: fe-golden DIR\n");
    return 2;
  }
  if (chdir(argv[1]) != 0) {
    perror(argv[1]);
    return 2;
  }
  bool update = g_getenv("CW_UPDATE_GOLDEN") && !strcmp(g_getenv("CW_UPDATE_GOLDEN"), "1");
  GDir *d = g_dir_open(".", 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *e;
  while (d && (e = g_dir_read_name(d)))
    if (g_str_has_suffix(e, ".cu"))
      g_ptr_array_add(names, g_strdup(e));
  if (d)
    g_dir_close(d);
  g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
  int failed = 0, n = 0;
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    char *got = compile_to_text(name);
    char *exp_name = g_strdup_printf("%.*s.expected", (int)strlen(name) - 3, name);
    char *want = NULL;
    n++;
    if (update) {
      g_file_set_contents(exp_name, got, -1, NULL);
      printf("updated %s\n", exp_name);
    } else if (!g_file_get_contents(exp_name, &want, NULL, NULL)) {
      printf("FAIL %s: no %s (run with CW_UPDATE_GOLDEN=1)\n", name, exp_name);
      failed++;
    } else if (strcmp(want, got) != 0) {
      printf("FAIL %s: output differs from %s\n", name, exp_name);
      char *tmp = g_strdup_printf("/tmp/fe-golden-%d.txt", (int)getpid());
      g_file_set_contents(tmp, got, -1, NULL);
      char *cmd = g_strdup_printf("diff -u '%s' '%s' | head -40", exp_name, tmp);
      if (system(cmd) < 0)
        printf("(diff failed)\n");
      unlink(tmp);
      g_free(cmd);
      g_free(tmp);
      failed++;
    } else {
      printf("ok   %s\n", name);
    }
    g_free(want);
    g_free(exp_name);
    g_free(got);
  }
  g_ptr_array_free(names, TRUE);
  printf("%d golden tests, %d failed, %d with IR check problems\n", n, failed, ir_problems);
  return failed || ir_problems ? 1 : 0;
}
