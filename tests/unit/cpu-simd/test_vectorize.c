/* test_vectorize.c — the plain thread loop of saxpy is vectorized by the C compiler: the emitted
 * C is compiled with the plugin's flags plus -fopt-info-vec, which must report the loop over
 * threadIdx.x as vectorized. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kb.h"
#include "engine.h"

static void test_saxpy_thread_loop_vectorized(void **state) {
  (void)state;
  harness h;
  h_open(&h);
  cw_ir_module *m = kb_saxpy_module();
  cw_ir_module_finish(m);
  cw_device_caps caps = {.struct_size = sizeof caps};
  assert_int_equal(cpu_backend_ops.device_caps(h.be, 0, &caps), CW_OK);
  char *text = NULL, err[256];
  assert_int_equal(cpu_transpiler_ops.emit_format(h.be, m, &caps, "c", &text, err, sizeof err), CW_OK);
  /* the line of the innermost thread loop */
  const char *loop = strstr(text, "for (int32_t cw_txi = 0;");
  assert_non_null(loop);
  int line = 1;
  for (const char *c = text; c < loop; c++) line += *c == '\n';
  char path[] = "/tmp/cw-cpu-simd-vec-XXXXXX.c";
  int fd = mkstemps(path, 2);
  assert_true(fd >= 0);
  assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
  close(fd);
  GPtrArray *argv = g_ptr_array_new();
  g_ptr_array_add(argv, "cc");
  for (const char *const *f = cpu_default_cflags(); *f; f++)
    if (strcmp(*f, "-shared") != 0 && strcmp(*f, "-w") != 0) g_ptr_array_add(argv, (char *)*f);
  g_ptr_array_add(argv, "-fopt-info-vec-optimized");
  g_ptr_array_add(argv, "-c");
  g_ptr_array_add(argv, path);
  g_ptr_array_add(argv, "-o");
  g_ptr_array_add(argv, "/dev/null");
  g_ptr_array_add(argv, NULL);
  char *out = NULL, *errs = NULL;
  int status = 0;
  assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errs,
                           &status, NULL));
  unlink(path);
  char *want = g_strdup_printf(":%d:", line);
  bool found = false;
  char **lines = g_strsplit(errs ? errs : "", "\n", -1);
  for (char **l = lines; *l; l++)
    if (strstr(*l, want) && strstr(*l, "loop vectorized")) found = true;
  if (!found) fail_msg("thread loop at line %d not vectorized; compiler said:\n%s", line, errs);
  g_strfreev(lines);
  g_free(want);
  g_free(out);
  g_free(errs);
  g_ptr_array_free(argv, TRUE);
  g_free(text);
  h_close(&h);
  cw_ir_module_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_saxpy_thread_loop_vectorized),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
