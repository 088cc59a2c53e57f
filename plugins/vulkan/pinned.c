/* pinned.c — cudaMallocHost memory.
 *
 * Page-locked host memory is where a CUDA program puts what it copies asynchronously.  Here it is
 * a host-visible buffer of device 0, so a copy between it and device memory is one
 * vkCmdCopyBuffer in the stream: no staging ring, no host memcpy, and the host is free while the
 * device copies, as with CUDA's pinned copies.  When no such buffer can be made (no device, or
 * the driver refuses the size), the memory is plain host memory and copies stage as before. */
#include <stddef.h>

#include "vulkan-plugin.h"

/* The tree's keys are &a->mapped: each buffer is found by its host address. */
static gint by_address(gconstpointer a, gconstpointer b, gpointer user) {
  (void)user;
  uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
  return x < y ? -1 : x > y;
}

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
  g_mutex_lock(&be->pinned_lock);
  if (!be->pinned) be->pinned = g_tree_new_full(by_address, NULL, NULL, NULL);
  g_tree_insert(be->pinned, &a->mapped, a);
  g_mutex_unlock(&be->pinned_lock);
  *ptr = a->mapped;
  return CW_OK;
}

cw_status vulkan_free_host(cw_backend *be, void *ptr) {
  if (!ptr) return CW_OK;
  g_mutex_lock(&be->pinned_lock);
  vk_alloc *a = be->pinned ? g_tree_lookup(be->pinned, &ptr) : NULL;
  if (a) g_tree_remove(be->pinned, &ptr);
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
  const vk_alloc *a = (const vk_alloc *)((const char *)key - offsetof(vk_alloc, mapped));
  uintptr_t addr = *(const uintptr_t *)user, host = (uintptr_t)a->mapped;
  if (addr < host) return -1;
  if (addr >= host + a->size) return 1;
  return 0;
}

vk_alloc *vk_pinned_lookup(cw_backend *be, vk_device *d, const void *ptr, size_t bytes, size_t *offset) {
  if (d != &be->devices[0]) return NULL;
  uintptr_t addr = (uintptr_t)ptr;
  g_mutex_lock(&be->pinned_lock);
  vk_alloc *a = be->pinned ? g_tree_search(be->pinned, containing, &addr) : NULL;
  if (a && addr - (uintptr_t)a->mapped + bytes > a->size) a = NULL;  /* runs past its end */
  g_mutex_unlock(&be->pinned_lock);
  if (a) *offset = addr - (uintptr_t)a->mapped;
  return a;
}

static gboolean destroy_one(gpointer key, gpointer value, gpointer user) {
  (void)key;
  cw_backend *be = user;
  vk_buffer_destroy(be, &be->devices[0], value);
  return FALSE;
}

void vk_pinned_free_all(cw_backend *be) {
  if (!be->pinned) return;
  g_tree_foreach(be->pinned, destroy_one, be);
  g_tree_destroy(be->pinned);
  be->pinned = NULL;
}
