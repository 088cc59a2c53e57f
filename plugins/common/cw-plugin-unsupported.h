/* cw-plugin-unsupported.h — vtable entries for plugins whose execution is not written yet.
 *
 * A plugin that so far only probes includes this after defining CW_UNSUPPORTED_PLUGIN_NAME and
 * fills its vtables with CW_UNSUPPORTED_BACKEND_OPS / _MEMORY_OPS / _TRANSPILER_OPS.  Every
 * entry returns CW_ERR_UNSUPPORTED with a message naming the plugin; `supports` declines, so
 * the fallback chain passes such a plugin over with that reason.  Header-only (static), so
 * each plugin stays one self-contained .so. */
#ifndef CW_PLUGIN_UNSUPPORTED_H
#define CW_PLUGIN_UNSUPPORTED_H

#include <glib.h>

#include <cw/cw-plugin.h>

#ifndef CW_UNSUPPORTED_PLUGIN_NAME
#error "define CW_UNSUPPORTED_PLUGIN_NAME before including cw-plugin-unsupported.h"
#endif

#define CW_UNSUPPORTED_MESSAGE CW_UNSUPPORTED_PLUGIN_NAME ": running kernels is not implemented yet"

static void unsupported_message(char *buf, size_t len) {
  if (buf && len) g_strlcpy(buf, CW_UNSUPPORTED_MESSAGE, len);
}

static cw_status unsupported_module_load(cw_backend *be, int dev, const cw_ir_module *ir,
                                         const cw_artifact *art, cw_module **out, char *err,
                                         size_t err_len) {
  (void)be, (void)dev, (void)ir, (void)art;
  *out = NULL;
  unsupported_message(err, err_len);
  return CW_ERR_UNSUPPORTED;
}
static void unsupported_module_unload(cw_module *mod) { (void)mod; }
static cw_status unsupported_module_global(cw_module *mod, const char *name, uint64_t *addr,
                                           size_t *size) {
  (void)mod, (void)name, (void)addr, (void)size;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_launch(cw_stream *s, cw_module *mod, uint32_t k,
                                    const cw_launch_dims *dims, void *const *args, char *err,
                                    size_t err_len) {
  (void)s, (void)mod, (void)k, (void)dims, (void)args;
  unsupported_message(err, err_len);
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_stream_create(cw_backend *be, int dev, uint32_t flags, int prio,
                                           cw_stream **out) {
  (void)be, (void)dev, (void)flags, (void)prio;
  *out = NULL;
  return CW_ERR_UNSUPPORTED;
}
static void unsupported_stream_destroy(cw_stream *s) { (void)s; }
static cw_status unsupported_stream_op(cw_stream *s) { (void)s; return CW_ERR_UNSUPPORTED; }
static cw_status unsupported_stream_wait_event(cw_stream *s, cw_event *ev) {
  (void)s, (void)ev;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out) {
  (void)be, (void)dev, (void)flags;
  *out = NULL;
  return CW_ERR_UNSUPPORTED;
}
static void unsupported_event_destroy(cw_event *ev) { (void)ev; }
static cw_status unsupported_event_record(cw_event *ev, cw_stream *s) {
  (void)ev, (void)s;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_event_op(cw_event *ev) { (void)ev; return CW_ERR_UNSUPPORTED; }
static cw_status unsupported_event_elapsed(cw_event *a, cw_event *b, float *ms) {
  (void)a, (void)b;
  *ms = 0;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_device_synchronize(cw_backend *be, int dev) {
  (void)be, (void)dev;
  return CW_ERR_UNSUPPORTED;
}

static cw_status unsupported_alloc(cw_backend *be, int dev, size_t bytes, uint32_t flags,
                                   uint64_t *addr) {
  (void)be, (void)dev, (void)bytes, (void)flags;
  *addr = 0;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_free(cw_backend *be, int dev, uint64_t addr) {
  (void)be, (void)dev, (void)addr;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_alloc_host(cw_backend *be, size_t bytes, void **ptr) {
  (void)be, (void)bytes;
  *ptr = NULL;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_free_host(cw_backend *be, void *ptr) {
  (void)be, (void)ptr;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_copy_h2d(cw_stream *s, uint64_t dst, const void *src, size_t n,
                                      bool async) {
  (void)s, (void)dst, (void)src, (void)n, (void)async;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_copy_d2h(cw_stream *s, void *dst, uint64_t src, size_t n, bool async) {
  (void)s, (void)dst, (void)src, (void)n, (void)async;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_copy_d2d(cw_stream *s, uint64_t dst, uint64_t src, size_t n,
                                      bool async) {
  (void)s, (void)dst, (void)src, (void)n, (void)async;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_memset(cw_stream *s, uint64_t dst, int value, size_t n, bool async) {
  (void)s, (void)dst, (void)value, (void)n, (void)async;
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_mem_info(cw_backend *be, int dev, size_t *free_b, size_t *total) {
  (void)be, (void)dev;
  *free_b = *total = 0;
  return CW_ERR_UNSUPPORTED;
}
static void *unsupported_host_pointer(cw_backend *be, uint64_t addr) {
  (void)be, (void)addr;
  return NULL;
}

static bool unsupported_supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                                 char *reason, size_t reason_len) {
  (void)be, (void)ir, (void)caps;
  unsupported_message(reason, reason_len);
  return false;
}
static cw_status unsupported_emit(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                                  cw_artifact **out, char *err, size_t err_len) {
  (void)be, (void)ir, (void)caps;
  *out = NULL;
  unsupported_message(err, err_len);
  return CW_ERR_UNSUPPORTED;
}
static cw_status unsupported_emit_format(cw_backend *be, const cw_ir_module *ir,
                                         const cw_device_caps *caps, const char *format,
                                         char **text, char *err, size_t err_len) {
  (void)be, (void)ir, (void)caps, (void)format;
  *text = NULL;
  unsupported_message(err, err_len);
  return CW_ERR_UNSUPPORTED;
}
static void unsupported_artifact_free(cw_artifact *art) { (void)art; }

#define CW_UNSUPPORTED_BACKEND_OPS(probe_fn, shutdown_fn, count_fn, caps_fn)                     \
  {                                                                                              \
    .struct_size = sizeof(cw_backend_ops), .probe = probe_fn, .shutdown = shutdown_fn,           \
    .device_count = count_fn, .device_caps = caps_fn, .module_load = unsupported_module_load,    \
    .module_unload = unsupported_module_unload, .module_global = unsupported_module_global,      \
    .launch = unsupported_launch, .stream_create = unsupported_stream_create,                    \
    .stream_destroy = unsupported_stream_destroy, .stream_synchronize = unsupported_stream_op,   \
    .stream_query = unsupported_stream_op, .stream_wait_event = unsupported_stream_wait_event,   \
    .event_create = unsupported_event_create, .event_destroy = unsupported_event_destroy,        \
    .event_record = unsupported_event_record, .event_synchronize = unsupported_event_op,         \
    .event_query = unsupported_event_op, .event_elapsed_ms = unsupported_event_elapsed,          \
    .device_synchronize = unsupported_device_synchronize,                                        \
  }

#define CW_UNSUPPORTED_MEMORY_OPS                                                                \
  {                                                                                              \
    .struct_size = sizeof(cw_memory_ops), .alloc = unsupported_alloc, .free = unsupported_free,  \
    .alloc_host = unsupported_alloc_host, .free_host = unsupported_free_host,                    \
    .copy_h2d = unsupported_copy_h2d, .copy_d2h = unsupported_copy_d2h,                          \
    .copy_d2d = unsupported_copy_d2d, .memset = unsupported_memset,                              \
    .mem_info = unsupported_mem_info, .host_pointer = unsupported_host_pointer,                  \
  }

#define CW_UNSUPPORTED_TRANSPILER_OPS(lang)                                                      \
  {                                                                                              \
    .struct_size = sizeof(cw_transpiler_ops), .language = lang, .emit_formats = NULL,            \
    .supports = unsupported_supports, .emit = unsupported_emit,                                  \
    .emit_format = unsupported_emit_format, .artifact_free = unsupported_artifact_free,          \
  }

#endif
