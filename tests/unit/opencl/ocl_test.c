/* ocl_test.c — see ocl_test.h. */
#include "ocl_test.h"

cw_backend *ocl_be;

int ocl_test_probe(void) {
  char reason[512] = "";
  /* OCL_TEST_CONFIG: a cw.yaml whose opencl section the probe gets (the buffer model's rows) */
  const char *path = getenv("OCL_TEST_CONFIG");
  cw_config *cfg = NULL;
  if (path && *path) {
    GError *gerr = NULL;
    cfg = cw_config_load_file(path, &gerr);
    if (!cfg) {
      fprintf(stderr, "OCL_TEST_CONFIG=%s: %s\n", path, gerr ? gerr->message : "?");
      g_clear_error(&gerr);
      return 1;
    }
  }
  cw_status st = opencl_probe(cfg ? cw_config_section_get(cfg, "opencl") : NULL, &ocl_be, reason, sizeof reason);
  if (cfg) cw_config_free(cfg);  /* the probe keeps nothing of it */
  if (st == CW_OK && opencl_device_count(ocl_be) > 0) return 0;
  const char *req = getenv("CW_TEST_REQUIRE");
  if (req && strstr(req, "opencl")) {
    fprintf(stderr, "CW_TEST_REQUIRE names opencl, but the probe found no device: %s\n", reason);
    return 1;
  }
  fprintf(stderr, "no OpenCL device (%s): skipping\n", reason);
  return 77;
}

bool ocl_test_svm(void) { return ocl_be->devices[0].svm_mode; }

cw_device_caps ocl_caps(void) {
  cw_device_caps caps;
  caps.struct_size = sizeof caps;
  assert_int_equal(opencl_device_caps(ocl_be, 0, &caps), CW_OK);
  return caps;
}

bool ocl_supported(cw_ir_module *ir, char *why, size_t len) {
  cw_device_caps caps = ocl_caps();
  why[0] = 0;
  return opencl_transpiler_ops.supports(ocl_be, ir, &caps, why, len);
}

loaded ocl_load(cw_ir_module *ir) {
  loaded l = {ir, NULL, NULL, NULL};
  cw_ir_module_finish(ir);
  cw_device_caps caps = ocl_caps();
  char err[16384] = "";
  if (!opencl_transpiler_ops.supports(ocl_be, ir, &caps, err, sizeof err)) fail_msg("supports: %s", err);
  if (opencl_transpiler_ops.emit(ocl_be, ir, &caps, &l.art, err, sizeof err) != CW_OK) fail_msg("emit: %s", err);
  if (opencl_module_load(ocl_be, 0, ir, l.art, &l.mod, err, sizeof err) != CW_OK)
    fail_msg("load: %s\n--- source ---\n%s", err, l.art->source);
  assert_int_equal(opencl_stream_create(ocl_be, 0, 0, 0, &l.stream), CW_OK);
  return l;
}

void ocl_unload(loaded *l) {
  opencl_stream_destroy(l->stream);
  opencl_module_unload(l->mod);
  opencl_transpiler_ops.artifact_free(l->art);
  cw_ir_module_free(l->ir);
}

void ocl_launch(loaded *l, uint32_t k, uint32_t gx, uint32_t bx, uint32_t by, uint32_t dyn, void **args) {
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {gx, 1, 1}, .block = {bx, by, 1},
                      .dynamic_shared_bytes = dyn};
  char err[1024] = "";
  cw_status st = opencl_launch(l->stream, l->mod, k, &d, (void *const *)args, err, sizeof err);
  if (st != CW_OK) fail_msg("launch: %s (%s)", err, cw_status_name(st));
}

uint64_t ocl_dalloc(size_t bytes) {
  uint64_t a = 0;
  assert_int_equal(opencl_memory_ops.alloc(ocl_be, 0, bytes, 0, &a), CW_OK);
  assert_true(a != 0);
  return a;
}

void ocl_dfree(uint64_t a) { assert_int_equal(opencl_memory_ops.free(ocl_be, 0, a), CW_OK); }

void ocl_h2d(loaded *l, uint64_t dst, const void *src, size_t n) {
  assert_int_equal(opencl_memory_ops.copy_h2d(l ? l->stream : NULL, dst, src, n, false), CW_OK);
}

void ocl_d2h(loaded *l, void *dst, uint64_t src, size_t n) {
  assert_int_equal(opencl_memory_ops.copy_d2h(l ? l->stream : NULL, dst, src, n, false), CW_OK);
}
