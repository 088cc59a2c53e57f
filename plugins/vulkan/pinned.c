/* pinned.c — cudaMallocHost memory.
 *
 * Page-locked host memory is where a CUDA program puts what it copies asynchronously.  Here it is
 * a host-visible buffer of device 0, so a copy between it and device memory is one
 * vkCmdCopyBuffer in the stream: no staging ring, no host memcpy, and the host is free while the
 * device copies, as with CUDA's pinned copies.  When no such buffer can be made (no device, or
 * the driver refuses the size), the memory is plain host memory and copies stage as before. */
#include <string.h>

#include "vulkan-plugin.h"

static gint by_address(gconstpointer a, gconstpointer b, gpointer user) {
  (void)user;
  uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct pinned {
  uintptr_t host;           /* the key: a->mapped */
  vk_alloc *a;
} pinned;

static void pinned_free(gpointer p) { g_free(p); }

cw_status vulkan_alloc_host(cw_backend *be, size_t bytes, void **ptr) {
  *ptr = NULL;
  vk_device *d;
  vk_alloc *a = NULL;
  if (be && be->count > 0 && vk_device_open(be, 0, &d) == CW_OK &&
      vk_buffer_create(be, d, bytes ? bytes : 1, true, &a) == CW_OK && !a->mapped) {
    vk_buffer_destroy(be, d, a);
    a = NULL;
  }
  if (!a) {
    *ptr = g_try_malloc(bytes ? bytes : 1);
    return *ptr ? CW_OK : CW_ERR_OUT_OF_MEMORY;
  }
  pinned *p = g_new0(pinned, 1);
  p->host = (uintptr_t)a->mapped;
  p->a = a;
  g_mutex_lock(&be->pinned_lock);
  if (!be->pinned) be->pinned = g_tree_new_full(by_address, NULL, NULL, pinned_free);
  g_tree_insert(be->pinned, &p->host, p);
  g_mutex_unlock(&be->pinned_lock);
  *ptr = a->mapped;
  return CW_OK;
}

cw_status vulkan_free_host(cw_backend *be, void *ptr) {
  if (!ptr) return CW_OK;
  uintptr_t key = (uintptr_t)ptr;
  vk_alloc *a = NULL;
  g_mutex_lock(&be->pinned_lock);
  pinned *p = be->pinned ? g_tree_lookup(be->pinned, &key) : NULL;
  if (p) {
    a = p->a;
    g_tree_remove(be->pinned, &key);
  }
  g_mutex_unlock(&be->pinned_lock);
  if (!a) {
    g_free(ptr);
    return CW_OK;
  }
  /* the runtime synchronized the device first (cudaFreeHost waits for copies still reading it) */
  vk_buffer_destroy(be, &be->devices[0], a);
  return CW_OK;
}

/* g_tree_search: 0 when the host address is inside the pinned buffer */
static gint containing(gconstpointer key, gconstpointer user) {
  const pinned *p = key;
  uintptr_t addr = *(const uintptr_t *)user;
  if (addr < p->host) return -1;
  if (addr >= p->host + p->a->size) return 1;
  return 0;
}

vk_alloc *vk_pinned_lookup(cw_backend *be, vk_device *d, const void *ptr, size_t bytes, size_t *offset) {
  if (!be->pinned || d != &be->devices[0]) return NULL;
  uintptr_t addr = (uintptr_t)ptr;
  g_mutex_lock(&be->pinned_lock);
  pinned *p = g_tree_search(be->pinned, containing, &addr);
  vk_alloc *a = p && addr - p->host + bytes <= p->a->size ? p->a : NULL;
  g_mutex_unlock(&be->pinned_lock);
  if (a) *offset = addr - (uintptr_t)a->mapped;
  return a;
}

static gboolean destroy_one(gpointer key, gpointer value, gpointer user) {
  (void)key;
  cw_backend *be = user;
  pinned *p = value;
  vk_buffer_destroy(be, &be->devices[0], p->a);
  return FALSE;
}

void vk_pinned_free_all(cw_backend *be) {
  if (!be->pinned) return;
  g_tree_foreach(be->pinned, destroy_one, be);
  g_tree_destroy(be->pinned);
  be->pinned = NULL;
}
