/* module.c — loading compiled modules, their variables, and launches: arguments are captured at
 * the call, the grid runs later in stream order on the worker pool. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

cw_status cpu_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                          cw_module **out, char *err, size_t err_len) {
  *out = NULL;
  if (!be || dev != 0 || !ir || !art || !art->source) {
    g_snprintf(err, err_len, "cpu-simd: module_load needs the backend, device 0, the IR and a C artifact");
    return CW_ERR_INVALID_VALUE;
  }
  void *dl = NULL;
  cw_status st = cpu_compile(be, art->source, &dl, err, err_len);
  if (st != CW_OK) return st;
  const cw_minfo *info = dlsym(dl, "cw_module_info");
  if (!info || info->abi != CW_CPU_RT_ABI || info->n_kernels != ir->n_kernels) {
    g_snprintf(err, err_len, "cpu-simd: the compiled module does not match (ABI %u, %u kernels; expected %d, %u)",
               info ? info->abi : 0, info ? info->n_kernels : 0, CW_CPU_RT_ABI, ir->n_kernels);
    cpu_unload(dl);
    return CW_ERR_INTERNAL;
  }
  for (uint32_t i = 0; i < info->n_kernels; i++)
    cw_log(CW_LOG_INFO, "cpu-simd", "kernel %s: %s", info->kernels[i].name, info->kernels[i].path);
  cw_module *m = g_new0(cw_module, 1);
  /* fibers run whole threads on their own stacks: leave room for every local of the module
   * (a call chain cannot hold more than that, recursion aside) on top of a fixed base */
  size_t locals = 0;
  for (uint32_t f = 0; f < ir->n_funcs; f++)
    for (uint32_t i = 0; i < ir->funcs[f]->n_locals; i++) locals += ir->funcs[f]->locals[i]->type->size;
  m->fiber_stack = (256u << 10) + ((2 * locals + 4095) & ~(size_t)4095);
  m->be = be;
  m->ir = ir;
  m->dl = dl;
  m->info = info;
  *out = m;
  return CW_OK;
}

void cpu_module_unload(cw_module *mod) {
  if (!mod) return;
  /* work queued with this module must finish before its code goes away */
  cpu_device_synchronize(mod->be, 0);
  cpu_unload(mod->dl);
  g_free(mod);
}

cw_status cpu_module_global(cw_module *mod, const char *name, uint64_t *addr, size_t *size) {
  if (!mod || !name) return CW_ERR_INVALID_VALUE;
  for (uint32_t i = 0; i < mod->ir->n_globals; i++) {
    const cw_ir_var *v = mod->ir->globals[i];
    if (v->kind != CW_VAR_CONSTANT && v->kind != CW_VAR_DEVICE) continue;
    if (strcmp(v->name, name) != 0) continue;
    char *sym = g_strdup_printf("cwg_%s", v->name);
    void *p = dlsym(mod->dl, sym);
    g_free(sym);
    if (!p) return CW_ERR_INTERNAL;
    if (addr) *addr = (uint64_t)(uintptr_t)p;
    if (size) *size = v->type->size;
    return CW_OK;
  }
  return CW_ERR_INVALID_VALUE;
}

void cpu_launch_free(cpu_launch *l) {
  if (!l) return;
  g_free(l->args);
  g_free(l->argbuf);
  g_free(l);
}

static void run_launch(void *data) {
  cpu_launch *l = data;
  cw_backend *be = l->mod->be;
  cpu_engine *en = cpu_engine_of(be);
  if (atomic_load(&en->sticky) != CW_OK) return; /* the context is already broken */
  cw_status st = cpu_pool_run(en->pool, l);
  if (st != CW_OK) cpu_set_sticky(be, st);
}

static void free_launch(void *data) { cpu_launch_free(data); }

cw_status cpu_launch_kernel(cw_stream *s, cw_module *mod, uint32_t kernel_index,
                            const cw_launch_dims *dims, void *const *args, char *err, size_t err_len) {
  if (!mod || !dims || kernel_index >= mod->info->n_kernels) {
    g_snprintf(err, err_len, "cpu-simd: bad launch (module or kernel index)");
    return CW_ERR_INVALID_VALUE;
  }
  cpu_engine *en = cpu_engine_of(mod->be);
  int sticky = atomic_load(&en->sticky);
  if (sticky != CW_OK) {
    g_snprintf(err, err_len, "cpu-simd: an earlier kernel failed (%s)", cw_status_name(sticky));
    return (cw_status)sticky;
  }
  const cw_ir_func *k = mod->ir->kernels[kernel_index];
  uint64_t nt = (uint64_t)dims->block[0] * dims->block[1] * dims->block[2];
  uint64_t nb = (uint64_t)dims->grid[0] * dims->grid[1] * dims->grid[2];
  const cw_device_caps *caps = &mod->be->caps;
  if (nt == 0 || nb == 0 || nt > caps->max_threads_per_block || dims->block[2] > caps->max_block_dim[2] ||
      dims->grid[1] > caps->max_grid_dim[1] || dims->grid[2] > caps->max_grid_dim[2]) {
    g_snprintf(err, err_len, "cpu-simd: kernel %s: invalid configuration grid (%u,%u,%u) block (%u,%u,%u)",
               k->source_name, dims->grid[0], dims->grid[1], dims->grid[2], dims->block[0],
               dims->block[1], dims->block[2]);
    return CW_ERR_LAUNCH;
  }
  if (mod->info->shm_bytes + (uint64_t)dims->dynamic_shared_bytes > caps->shared_mem_per_block_optin) {
    g_snprintf(err, err_len, "cpu-simd: kernel %s: %u bytes of shared memory exceed the limit",
               k->source_name, mod->info->shm_bytes + dims->dynamic_shared_bytes);
    return CW_ERR_LAUNCH;
  }
  cpu_launch *l = g_new0(cpu_launch, 1);
  l->mod = mod;
  l->kernel = &mod->info->kernels[kernel_index];
  memcpy(l->grid, dims->grid, sizeof l->grid);
  memcpy(l->block, dims->block, sizeof l->block);
  l->dyn_shared = dims->dynamic_shared_bytes;
  l->fiber_stack = mod->fiber_stack;
  l->n_blocks = nb;
  atomic_init(&l->next, 0);
  atomic_init(&l->done, 0);
  atomic_init(&l->status, CW_OK);
  atomic_init(&l->abort, false);
  /* capture the argument values now: the caller may reuse its buffers after we return */
  size_t total = 0;
  for (uint32_t i = 0; i < k->n_params; i++) total = (total + 15) / 16 * 16 + k->params[i]->type->size;
  l->argbuf = g_malloc0(total ? total : 1);
  l->args = g_new0(void *, k->n_params ? k->n_params : 1);
  size_t off = 0;
  for (uint32_t i = 0; i < k->n_params; i++) {
    off = (off + 15) / 16 * 16;
    size_t sz = k->params[i]->type->size;
    if (sz && (!args || !args[i])) {
      g_snprintf(err, err_len, "cpu-simd: kernel %s: argument %u is missing", k->source_name, i);
      cpu_launch_free(l);
      return CW_ERR_INVALID_VALUE;
    }
    if (sz) memcpy(l->argbuf + off, args[i], sz);
    l->args[i] = l->argbuf + off;
    off += sz;
  }
  return cpu_stream_submit(s, run_launch, l, free_launch, false);
}

/* Grows a worker buffer to at least `need` bytes (64-byte aligned, contents undefined, as CUDA's
 * shared memory). */
static unsigned char *grow(unsigned char **buf, size_t *cap, size_t need) {
  if (need < 64) need = 64;
  if (*cap < need) {
    free(*buf);
    *buf = NULL;
    if (posix_memalign((void **)buf, 64, need) != 0) {
      *cap = 0;
      return NULL;
    }
    *cap = need;
  }
  return *buf;
}

void cpu_run_block(cpu_launch *l, uint64_t b, cpu_worker *w) {
  cw_blk C;
  memset(&C, 0, sizeof C);
  C.bid[0] = (uint32_t)(b % l->grid[0]);
  C.bid[1] = (uint32_t)((b / l->grid[0]) % l->grid[1]);
  C.bid[2] = (uint32_t)(b / ((uint64_t)l->grid[0] * l->grid[1]));
  memcpy(C.bdim, l->block, sizeof C.bdim);
  memcpy(C.gdim, l->grid, sizeof C.gdim);
  C.nt = l->block[0] * l->block[1] * l->block[2];
  C.shm = grow(&w->shm, &w->shm_cap, l->mod->info->shm_bytes);
  C.dshm = grow(&w->dshm, &w->dshm_cap, l->dyn_shared);
  C.rt = &cpu_rt;
  C.launch = l;
  if (!C.shm || !C.dshm) {
    cpu_launch_fail(l, CW_ERR_OUT_OF_MEMORY);
    return;
  }
  if (l->kernel->mode == CW_KMODE_FIBERS) cpu_fibers_run_block(w, l, &C);
  else l->kernel->block((const void *const *)l->args, &C);
}
