/* vk_harness.c — see vk_harness.h. */
#include <stdlib.h>
#include <string.h>

#include "vk_harness.h"
#include "frontend/frontend.h"

const cw_plugin_descriptor *cw_plugin_describe(void);
const cw_plugin_descriptor *cw_plugin_describe_for_tests(void) { return cw_plugin_describe(); }

static bool required(void) {
  const char *r = getenv("CW_TEST_REQUIRE");
  if (!r) return false;
  char **parts = g_strsplit_set(r, ", ", -1);
  bool found = false;
  for (char **p = parts; *p; p++) found = found || strcmp(*p, "vulkan") == 0;
  g_strfreev(parts);
  return found;
}

void vh_open(vh *h) {
  memset(h, 0, sizeof *h);
  h->d = cw_plugin_describe();
  cw_status st = h->d->backend->probe(NULL, &h->be, h->reason, sizeof h->reason);
  if (st != CW_OK) {
    if (required()) fail_msg("CW_TEST_REQUIRE names vulkan, but: %s", h->reason);
    print_message("no Vulkan device (%s): skipped\n", h->reason);
    skip();
  }
  h->caps.struct_size = sizeof h->caps;
  assert_int_equal(h->d->backend->device_caps(h->be, 0, &h->caps), CW_OK);
  assert_int_equal(h->d->backend->stream_create(h->be, 0, 0, 0, &h->s), CW_OK);
}

void vh_close(vh *h) {
  if (h->mod) h->d->backend->module_unload(h->mod);
  if (h->art) h->d->transpiler->artifact_free(h->art);
  if (h->s) h->d->backend->stream_destroy(h->s);
  if (h->ir) cw_ir_module_free(h->ir);
  if (h->be) h->d->backend->shutdown(h->be);
  memset(h, 0, sizeof *h);
}

cw_ir_module *vh_frontend(const char *src) {
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(ctx, "t.cu", src);
  cw_frontend_options o = {.pp = {.device_view = true}};
  cw_ir_module *m = f ? cw_frontend_compile(ctx, f, &o) : NULL;
  if (!m) {
    char *d = cw_diag_to_string(ctx);
    cw_frontend_ctx_free(ctx);
    fail_msg("front end: %s", d);
  }
  cw_frontend_ctx_free(ctx);
  return m;
}

bool vh_load_ir(vh *h, cw_ir_module *m) {
  h->ir = m;
  h->reason[0] = 0;
  if (!h->d->transpiler->supports(h->be, m, &h->caps, h->reason, sizeof h->reason)) return false;
  cw_status st = h->d->transpiler->emit(h->be, m, &h->caps, &h->art, h->reason, sizeof h->reason);
  if (st != CW_OK) fail_msg("emit: %s", h->reason);
  st = h->d->backend->module_load(h->be, 0, m, h->art, &h->mod, h->reason, sizeof h->reason);
  if (st != CW_OK) fail_msg("module_load: %s", h->reason);
  return true;
}

void vh_load(vh *h, const char *src) {
  if (!vh_load_ir(h, vh_frontend(src))) fail_msg("declined: %s", h->reason);
}

uint64_t vh_alloc(vh *h, size_t bytes) {
  uint64_t a = 0;
  assert_int_equal(h->d->memory->alloc(h->be, 0, bytes, 0, &a), CW_OK);
  assert_true(a != 0);
  return a;
}

void vh_put(vh *h, uint64_t dst, const void *src, size_t bytes) {
  assert_int_equal(h->d->memory->copy_h2d(h->s, dst, src, bytes, false), CW_OK);
}

void vh_get(vh *h, void *dst, uint64_t src, size_t bytes) {
  assert_int_equal(h->d->memory->copy_d2h(h->s, dst, src, bytes, false), CW_OK);
}

void vh_free(vh *h, uint64_t addr) { assert_int_equal(h->d->memory->free(h->be, 0, addr), CW_OK); }

static uint32_t kernel_index(vh *h, const char *name) {
  for (uint32_t i = 0; i < h->ir->n_kernels; i++)
    if (strcmp(h->ir->kernels[i]->name, name) == 0 || strcmp(h->ir->kernels[i]->source_name, name) == 0) return i;
  fail_msg("no kernel %s", name);
  return 0;
}

cw_status vh_run3(vh *h, const char *name, const uint32_t grid[3], const uint32_t block[3], uint32_t dyn,
                  void **args) {
  cw_launch_dims d = {.struct_size = sizeof d, .dynamic_shared_bytes = dyn};
  memcpy(d.grid, grid, sizeof d.grid);
  memcpy(d.block, block, sizeof d.block);
  char err[512] = "";
  cw_status st = h->d->backend->launch(h->s, h->mod, kernel_index(h, name), &d, (void *const *)args, err, sizeof err);
  if (st != CW_OK) {
    print_message("launch: %s\n", err);
    return st;
  }
  return h->d->backend->stream_synchronize(h->s);
}

cw_status vh_run(vh *h, const char *name, uint32_t grid, uint32_t block, uint32_t dyn, void **args) {
  uint32_t g[3] = {grid, 1, 1}, b[3] = {block, 1, 1};
  return vh_run3(h, name, g, b, dyn, args);
}
