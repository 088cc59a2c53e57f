/* state.c — the runtime's process-wide state, its lock, per-thread current device, and the lazy
 * backend selection on first use. */
#include <string.h>

#include "runtime/rt_internal.h"

static cw_rt state;
static GOnce state_once = G_ONCE_INIT;
static cw_rt_backend_selector selector;
static __thread int current_device = -1;   /* -1: the selected default device */

static gpointer state_init(gpointer unused) {
  (void)unused;
  g_rec_mutex_init(&state.lock);
  state.modules = g_ptr_array_new();
  state.funcs = g_hash_table_new(g_direct_hash, g_direct_equal);
  state.vars = g_hash_table_new(g_direct_hash, g_direct_equal);
  state.streams = g_hash_table_new(g_direct_hash, g_direct_equal);
  state.events = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int i = 0; i < CW_RT_MAX_DEVICES; i++) {
    /* CUDA's defaults: 1 KiB stack, 1 MiB printf FIFO, 8 MiB device malloc heap. */
    state.dev[i].limits[cudaLimitStackSize] = 1024;
    state.dev[i].limits[cudaLimitPrintfFifoSize] = 1 << 20;
    state.dev[i].limits[cudaLimitMallocHeapSize] = 8 << 20;
    state.dev[i].limits[cudaLimitDevRuntimeSyncDepth] = 2;
    state.dev[i].limits[cudaLimitDevRuntimePendingLaunchCount] = 2048;
    state.dev[i].limits[cudaLimitMaxL2FetchGranularity] = 64;
    state.dev[i].limits[cudaLimitPersistingL2CacheSize] = 0;
  }
  return &state;
}

cw_rt *cw_rt_get(void) { return g_once(&state_once, state_init, NULL); }
void cw_rt_lock(void) { g_rec_mutex_lock(&cw_rt_get()->lock); }
void cw_rt_unlock(void) { g_rec_mutex_unlock(&cw_rt_get()->lock); }

CW_RT_API void cw_rt_set_backend_selector(cw_rt_backend_selector fn) { selector = fn; }

/* The first vtable entry the runtime needs that the backend leaves NULL, or NULL when complete.
 * (Optional: module_global, supports, emit_format, artifact_free, mem_info, host_pointer.) */
static const char *missing_op(const cw_rt_backend *b) {
#define CW_NEED(table, field) if (!b->table.field) return #table "." #field;
  CW_NEED(ops, module_load) CW_NEED(ops, module_unload) CW_NEED(ops, launch)
  CW_NEED(ops, stream_create) CW_NEED(ops, stream_destroy) CW_NEED(ops, stream_synchronize)
  CW_NEED(ops, stream_query) CW_NEED(ops, stream_wait_event) CW_NEED(ops, event_create)
  CW_NEED(ops, event_destroy) CW_NEED(ops, event_record) CW_NEED(ops, event_synchronize)
  CW_NEED(ops, event_query) CW_NEED(ops, event_elapsed_ms) CW_NEED(ops, device_synchronize)
  CW_NEED(mem, alloc) CW_NEED(mem, free) CW_NEED(mem, alloc_host) CW_NEED(mem, free_host)
  CW_NEED(mem, copy_h2d) CW_NEED(mem, copy_d2h) CW_NEED(mem, copy_d2d) CW_NEED(mem, memset)
  CW_NEED(tr, emit)
#undef CW_NEED
  return NULL;
}

/* Runs the selector with the IR of the modules registered so far. */
static void select_backend(cw_rt *rt) {
  char reason[1024] = "";
  if (!selector) {
    rt->init_error = cudaErrorNoDevice;
    rt->init_reason = g_strdup("no backend selection in this build (libcw without core/plugin)");
    return;
  }
  GPtrArray *irs = cw_rt_module_base_irs();
  cw_rt_backend b;
  memset(&b, 0, sizeof b);
  int device = 0;
  cudaError_t e = selector((const cw_ir_module *const *)irs->pdata, (int)irs->len, &b, &device, reason,
                           sizeof reason);
  g_ptr_array_unref(irs);
  if (e == cudaSuccess && (b.device_count <= 0 || !b.be)) {
    e = cudaErrorNoDevice;
    g_strlcpy(reason, "the selected backend has no device", sizeof reason);
  }
  const char *missing = e == cudaSuccess ? missing_op(&b) : NULL;
  if (missing) {
    e = cudaErrorInitializationError;
    g_snprintf(reason, sizeof reason, "backend %s does not implement %s", b.name, missing);
  }
  if (e != cudaSuccess) {
    g_free(b.name);
    rt->init_error = e;
    rt->init_reason = g_strdup(reason[0] ? reason : cudaGetErrorString(e));
    cw_log(CW_LOG_ERROR, "runtime", "%s", rt->init_reason);
    return;
  }
  if (b.device_count > CW_RT_MAX_DEVICES) b.device_count = CW_RT_MAX_DEVICES;
  rt->backend = b;
  rt->default_device = device >= 0 && device < b.device_count ? device : 0;
  rt->init_error = cudaSuccess;
}

cudaError_t cw_rt_ready(void) {
  cw_rt *rt = cw_rt_get();
  if (!g_atomic_int_get(&rt->initialized)) {
    cw_rt_lock();
    if (!g_atomic_int_get(&rt->initialized)) {
      select_backend(rt);
      g_atomic_int_set(&rt->initialized, 1);   /* published after the backend is filled in */
    }
    cw_rt_unlock();
  }
  if (rt->init_error != cudaSuccess) return rt->init_error;
  return cw_rt_sticky();
}

cudaError_t cw_rt_ready_device(int *dev) {
  cudaError_t e = cw_rt_ready();
  if (e != cudaSuccess) return e;
  int d = cw_rt_current_device();
  if (d < 0 || d >= cw_rt_get()->backend.device_count) return cudaErrorInvalidDevice;
  if (dev) *dev = d;
  return cudaSuccess;
}

const cw_device_caps *cw_rt_caps(int dev) { return &cw_rt_get()->backend.caps[dev]; }
int cw_rt_current_device(void) {
  return current_device >= 0 ? current_device : cw_rt_get()->default_device;
}
void cw_rt_set_current_device(int dev) { current_device = dev; }
