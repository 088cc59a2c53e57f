/* pool.c — freed device buffers kept for reuse.  A program that allocates and frees large
 * buffers in a loop (per-iteration cudaMalloc, cudaMallocAsync/cudaFreeAsync) would otherwise
 * have the driver map fresh memory each time; where device memory is host memory (lavapipe,
 * integrated GPUs) every page is then faulted in and zeroed again, which costs more than the
 * copies and kernels on it.
 *
 * Only buffers of VK_POOL_MIN bytes and up are kept, their capacity rounded up to VK_POOL_GRAIN
 * so that near sizes match, at most pool_limit() bytes in all per device (a quarter of its memory:
 * lavapipe reports 2 GiB, and three 128 MiB buffers per iteration are common).  vulkan_free waits for
 * the device before a buffer comes here, so a kept buffer is never in use. */
#include "vulkan-plugin.h"

#define VK_POOL_MIN ((size_t)1 << 20)
#define VK_POOL_GRAIN ((size_t)1 << 20)

static uint64_t pool_limit(const vk_device *d) {
  uint64_t cap = d->caps.global_mem_bytes / 4;
  return cap < ((uint64_t)2 << 30) ? cap : ((uint64_t)2 << 30);
}

size_t vk_pool_capacity(size_t bytes) {
  if (bytes < VK_POOL_MIN) return bytes ? bytes : 1;
  return (bytes + VK_POOL_GRAIN - 1) / VK_POOL_GRAIN * VK_POOL_GRAIN;
}

vk_alloc *vk_pool_take(vk_device *d, size_t cap) {
  if (cap < VK_POOL_MIN) return NULL;
  g_mutex_lock(&d->table_lock);
  vk_alloc *a = NULL;
  GSList *l = d->spare ? g_hash_table_lookup(d->spare, GSIZE_TO_POINTER(cap)) : NULL;
  if (l) {
    a = l->data;
    GSList *rest = g_slist_delete_link(l, l);
    if (rest) g_hash_table_insert(d->spare, GSIZE_TO_POINTER(cap), rest);
    else g_hash_table_remove(d->spare, GSIZE_TO_POINTER(cap));
    d->spare_bytes -= cap;
  }
  g_mutex_unlock(&d->table_lock);
  return a;
}

bool vk_pool_keep(vk_device *d, vk_alloc *a) {
  size_t cap = a->capacity;
  if (a->managed || cap < VK_POOL_MIN) return false;
  g_mutex_lock(&d->table_lock);
  bool keep = d->spare_bytes + cap <= pool_limit(d);
  if (keep) {
    if (!d->spare) d->spare = g_hash_table_new(NULL, NULL);
    GSList *l = g_hash_table_lookup(d->spare, GSIZE_TO_POINTER(cap));
    g_hash_table_insert(d->spare, GSIZE_TO_POINTER(cap), g_slist_prepend(l, a));
    d->spare_bytes += cap;
  }
  g_mutex_unlock(&d->table_lock);
  return keep;
}

bool vk_pool_drain(cw_backend *be, vk_device *d) {
  g_mutex_lock(&d->table_lock);
  GHashTable *spare = d->spare;
  d->spare = NULL;
  d->spare_bytes = 0;
  g_mutex_unlock(&d->table_lock);
  if (!spare) return false;
  bool any = false;
  GHashTableIter it;
  gpointer v;
  g_hash_table_iter_init(&it, spare);
  while (g_hash_table_iter_next(&it, NULL, &v)) {
    for (GSList *l = v; l; l = l->next) vk_buffer_destroy(be, d, l->data);
    g_slist_free(v);
    any = true;
  }
  g_hash_table_destroy(spare);
  return any;
}
