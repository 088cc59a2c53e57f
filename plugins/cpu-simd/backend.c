/* backend.c — the cpu-simd backend vtable: probe (probe.c) plus the execution engine made on top
 * of it, and the shutdown that tears both down. */
#include <string.h>

#include "engine.h"

static cw_backend *default_backend; /* the context NULL streams refer to */
static GMutex default_lock;

cpu_engine *cpu_engine_of(cw_backend *be) { return be ? be->engine : NULL; }

cw_backend *cpu_backend_default(void) {
  g_mutex_lock(&default_lock);
  cw_backend *be = default_backend;
  g_mutex_unlock(&default_lock);
  return be;
}

void cpu_set_sticky(cw_backend *be, cw_status st) {
  cpu_engine *en = cpu_engine_of(be);
  int expected = CW_OK;
  if (en && st != CW_OK) atomic_compare_exchange_strong(&en->sticky, &expected, (int)st);
}

static void engine_free(cw_backend *be) {
  cpu_engine *en = be->engine;
  if (!en) return;
  /* streams the program never destroyed (the default one among them) end with the context */
  while (en->streams->len > 0) cpu_stream_destroy(en->streams->pdata[en->streams->len - 1]);
  en->default_stream = NULL;
  if (en->pool) cpu_pool_free(en->pool);
  g_ptr_array_free(en->streams, TRUE);
  /* allocations the program never freed die with the context, as on a GPU */
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, en->allocs);
  while (g_hash_table_iter_next(&it, &key, NULL)) free(key);
  g_hash_table_destroy(en->allocs);
  cpu_memory_drop_spare(en);
  g_strfreev(en->cc_argv);
  g_strfreev(en->cflags);
  g_free(en->cc_identity);
  g_mutex_clear(&en->lock);
  g_mutex_clear(&en->alloc_lock);
  g_free(en);
  be->engine = NULL;
}

static cw_status probe(const cw_config_section *config, cw_backend **out, char *reason,
                       size_t reason_len) {
  cw_status st = cpu_simd_probe(config, out, reason, reason_len);
  if (st != CW_OK) return st;
  cw_backend *be = *out;
  cpu_engine *en = g_new0(cpu_engine, 1);
  be->engine = en;
  g_mutex_init(&en->lock);
  g_mutex_init(&en->alloc_lock);
  atomic_init(&en->sticky, CW_OK);
  en->streams = g_ptr_array_new();
  en->allocs = g_hash_table_new(NULL, NULL);
  if (!g_shell_parse_argv(be->cc, NULL, &en->cc_argv, NULL)) {
    g_snprintf(reason, reason_len, "cpu-simd.cc = '%s' is not a command", be->cc);
    engine_free(be);
    cpu_simd_shutdown(be);
    *out = NULL;
    return CW_ERR_INVALID_VALUE;
  }
  GPtrArray *flags = g_ptr_array_new();
  for (const char *const *f = cpu_default_cflags(); *f; f++) g_ptr_array_add(flags, g_strdup(*f));
  const char *const *extra = cw_config_get_string_list(config, "cflags");
  for (; extra && *extra; extra++) g_ptr_array_add(flags, g_strdup(*extra));
  g_ptr_array_add(flags, NULL);
  en->cflags = (char **)g_ptr_array_free(flags, FALSE);
  en->pool = cpu_pool_new(be->threads);
  st = cpu_stream_create(be, 0, 0, 0, &en->default_stream);
  if (st != CW_OK) {
    g_snprintf(reason, reason_len, "cannot start the default stream");
    engine_free(be);
    cpu_simd_shutdown(be);
    *out = NULL;
    return st;
  }
  g_mutex_lock(&default_lock);
  default_backend = be;
  g_mutex_unlock(&default_lock);
  return CW_OK;
}

static void shutdown(cw_backend *be) {
  if (!be) return;
  cpu_device_synchronize(be, 0);
  g_mutex_lock(&default_lock);
  if (default_backend == be) default_backend = NULL;
  g_mutex_unlock(&default_lock);
  engine_free(be);
  cpu_simd_shutdown(be);
}

const cw_backend_ops cpu_backend_ops = {
  .struct_size = sizeof(cw_backend_ops),
  .probe = probe,
  .shutdown = shutdown,
  .device_count = cpu_simd_device_count,
  .device_caps = cpu_simd_device_caps,
  .module_load = cpu_module_load,
  .module_unload = cpu_module_unload,
  .module_global = cpu_module_global,
  .launch = cpu_launch_kernel,
  .stream_create = cpu_stream_create,
  .stream_destroy = cpu_stream_destroy,
  .stream_synchronize = cpu_stream_synchronize,
  .stream_query = cpu_stream_query,
  .stream_wait_event = cpu_stream_wait_event,
  .event_create = cpu_event_create,
  .event_destroy = cpu_event_destroy,
  .event_record = cpu_event_record,
  .event_synchronize = cpu_event_synchronize,
  .event_query = cpu_event_query,
  .event_elapsed_ms = cpu_event_elapsed_ms,
  .device_synchronize = cpu_device_synchronize,
};
