/* harness.c — running hand-built modules through the cpu-simd vtables. */
#include <string.h>

#include "kb.h"
#include "engine.h"

void h_open(harness *h) {
  memset(h, 0, sizeof *h);
  char reason[256] = "";
  cw_status st = cpu_backend_ops.probe(NULL, &h->be, reason, sizeof reason);
  if (st != CW_OK) fail_msg("probe: %s", reason);
}

void h_close(harness *h) {
  if (h->mod) cpu_backend_ops.module_unload(h->mod);
  if (h->art) cpu_transpiler_ops.artifact_free(h->art);
  cpu_backend_ops.shutdown(h->be);
  memset(h, 0, sizeof *h);
}

void h_load(harness *h, cw_ir_module *m) {
  char err[4096] = "";
  cw_ir_module_finish(m);
  cw_device_caps caps = {.struct_size = sizeof caps};
  assert_int_equal(cpu_backend_ops.device_caps(h->be, 0, &caps), CW_OK);
  assert_true(cpu_transpiler_ops.supports(h->be, m, &caps, err, sizeof err));
  cw_status st = cpu_transpiler_ops.emit(h->be, m, &caps, &h->art, err, sizeof err);
  if (st != CW_OK) fail_msg("emit: %s", err);
  st = cpu_backend_ops.module_load(h->be, 0, m, h->art, &h->mod, err, sizeof err);
  if (st != CW_OK) fail_msg("module_load: %s", err);
}

uint64_t h_alloc(harness *h, size_t bytes) {
  uint64_t a = 0;
  assert_int_equal(cpu_memory_ops.alloc(h->be, 0, bytes, 0, &a), CW_OK);
  return a;
}
void h_put(harness *h, uint64_t dst, const void *src, size_t bytes) {
  (void)h;
  assert_int_equal(cpu_memory_ops.copy_h2d(NULL, dst, src, bytes, false), CW_OK);
}
void h_get(harness *h, void *dst, uint64_t src, size_t bytes) {
  (void)h;
  assert_int_equal(cpu_memory_ops.copy_d2h(NULL, dst, src, bytes, false), CW_OK);
}
void h_free(harness *h, uint64_t addr) { assert_int_equal(cpu_memory_ops.free(h->be, 0, addr), CW_OK); }

cw_status h_launch(harness *h, uint32_t index, uint32_t gx, uint32_t bx, uint32_t dyn, void **args) {
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {gx, 1, 1}, .block = {bx, 1, 1}, .dynamic_shared_bytes = dyn};
  char err[512] = "";
  cw_status st = cpu_backend_ops.launch(NULL, h->mod, index, &d, (void *const *)args, err, sizeof err);
  if (st != CW_OK) return st;
  return cpu_backend_ops.stream_synchronize(NULL);
}

cw_status h_launch3(harness *h, uint32_t index, const uint32_t grid[3], const uint32_t block[3], uint32_t dyn,
                    void **args) {
  cw_launch_dims d = {.struct_size = sizeof d, .dynamic_shared_bytes = dyn};
  memcpy(d.grid, grid, sizeof d.grid);
  memcpy(d.block, block, sizeof d.block);
  char err[512] = "";
  cw_status st = cpu_backend_ops.launch(NULL, h->mod, index, &d, (void *const *)args, err, sizeof err);
  if (st != CW_OK) return st;
  return cpu_backend_ops.stream_synchronize(NULL);
}

const char *h_path(harness *h, uint32_t index) { return h->mod->info->kernels[index].path; }
