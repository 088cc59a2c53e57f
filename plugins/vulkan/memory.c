/* memory.c — device memory: each allocation is a VkBuffer (storage, transfer, device address)
 * bound to its own VkDeviceMemory allocated with VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT; the
 * program sees the buffer's device address, so pointers in kernels are real pointers.  A tree of
 * address ranges maps any address inside an allocation back to (buffer, offset) for copies.
 * Host copies go through the stream's staging ring (chunked), or, on devices whose memory the
 * host maps (CPU and integrated devices), straight into the mapping once the stream is idle.
 * Copies from or to pinned host memory (pinned.c) are one device copy with that buffer.
 * Freed large buffers go to a pool for the next allocation of their size (pool.c). */
#include <string.h>

#include "vulkan-plugin.h"

#define STAGING_CHUNK (4u << 20)

cw_status vk_buffer_create(cw_backend *be, vk_device *d, size_t bytes, bool host_visible, vk_alloc **out) {
  *out = NULL;
  /* padding keeps one-past-the-end of a buffer from being the start of another */
  VkDeviceSize size = (bytes + 255) / 256 * 256 + 256;
  VkBufferCreateInfo bi = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                           .size = size,
                           .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                    VK_BUFFER_USAGE_TRANSFER_DST_BIT | VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT,
                           .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
  vk_alloc *a = g_new0(vk_alloc, 1);
  if (be->vk.CreateBuffer(d->dev, &bi, NULL, &a->buffer) != VK_SUCCESS) {
    g_free(a);
    return CW_ERR_OUT_OF_MEMORY;
  }
  VkMemoryRequirements req;
  be->vk.GetBufferMemoryRequirements(d->dev, a->buffer, &req);
  VkMemoryPropertyFlags coherent = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  uint32_t type = UINT32_MAX;
  if (host_visible) type = vk_memory_type(be, d, req.memoryTypeBits, coherent);
  else if (d->host_visible_device_memory)
    type = vk_memory_type(be, d, req.memoryTypeBits, coherent | VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (type == UINT32_MAX)
    type = vk_memory_type(be, d, req.memoryTypeBits, host_visible ? coherent : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (type == UINT32_MAX) type = vk_memory_type(be, d, req.memoryTypeBits, 0);
  VkMemoryAllocateFlagsInfo fi = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
                                  .flags = VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT};
  VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .pNext = &fi,
                             .allocationSize = req.size, .memoryTypeIndex = type};
  if (type == UINT32_MAX || be->vk.AllocateMemory(d->dev, &ai, NULL, &a->memory) != VK_SUCCESS) {
    be->vk.DestroyBuffer(d->dev, a->buffer, NULL);
    g_free(a);
    return CW_ERR_OUT_OF_MEMORY;
  }
  be->vk.BindBufferMemory(d->dev, a->buffer, a->memory, 0);
  VkPhysicalDeviceMemoryProperties mem;
  be->vk.GetPhysicalDeviceMemoryProperties(d->physical, &mem);
  if ((mem.memoryTypes[type].propertyFlags & coherent) == coherent &&
      be->vk.MapMemory(d->dev, a->memory, 0, VK_WHOLE_SIZE, 0, &a->mapped) != VK_SUCCESS)
    a->mapped = NULL;
  VkBufferDeviceAddressInfo dai = {.sType = VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO, .buffer = a->buffer};
  a->addr = be->vk.GetBufferDeviceAddress(d->dev, &dai);
  a->size = a->capacity = bytes;
  *out = a;
  return CW_OK;
}

void vk_buffer_destroy(cw_backend *be, vk_device *d, vk_alloc *a) {
  if (!a) return;
  if (a->mapped) be->vk.UnmapMemory(d->dev, a->memory);
  be->vk.DestroyBuffer(d->dev, a->buffer, NULL);
  be->vk.FreeMemory(d->dev, a->memory, NULL);
  g_free(a);
}

/* g_tree_search: 0 when addr is inside the allocation whose key (its first field) is given */
static gint containing(gconstpointer key, gconstpointer user) {
  const vk_alloc *a = key;
  uint64_t addr = *(const uint64_t *)user;
  if (addr < a->addr) return -1;
  if (addr > a->addr + a->size) return 1;
  return 0;
}

vk_alloc *vk_lookup(vk_device *d, uint64_t addr, size_t *offset) {
  if (!d->opened) return NULL;
  g_mutex_lock(&d->table_lock);
  vk_alloc *a = g_tree_search(d->allocs, containing, &addr);
  g_mutex_unlock(&d->table_lock);
  if (a && offset) *offset = addr - a->addr;
  return a;
}

cw_status vulkan_alloc(cw_backend *be, int dev, size_t bytes, uint32_t flags, uint64_t *addr) {
  *addr = 0;
  bool managed = (flags & (CW_MEM_MANAGED | CW_MEM_HOST_MAPPED)) != 0;
  vk_device *d;
  cw_status st = vk_device_open(be, dev, &d);
  if (st != CW_OK) return st;
  if (managed && !(d->caps.flags & CW_CAP_MANAGED)) return CW_ERR_UNSUPPORTED;
  vk_alloc *a = NULL;
  if (managed) {
    st = vk_buffer_create(be, d, bytes ? bytes : 1, true, &a);
  } else {
    size_t cap = vk_pool_capacity(bytes);
    a = vk_pool_take(d, cap);
    st = a ? CW_OK : vk_buffer_create(be, d, cap, false, &a);
    /* memory held for reuse may be what is missing */
    if (st == CW_ERR_OUT_OF_MEMORY && vk_pool_drain(be, d)) st = vk_buffer_create(be, d, cap, false, &a);
    if (st == CW_OK) a->size = bytes ? bytes : 1;
  }
  if (st != CW_OK) return st;
  if (managed && (uint64_t)(uintptr_t)a->mapped != a->addr) {
    vk_buffer_destroy(be, d, a);
    return CW_ERR_UNSUPPORTED;  /* host and device see it at different addresses */
  }
  a->managed = managed;
  g_mutex_lock(&d->table_lock);
  g_tree_insert(d->allocs, &a->addr, a);
  d->allocated_bytes += a->size;
  g_mutex_unlock(&d->table_lock);
  *addr = a->addr;
  return CW_OK;
}

cw_status vulkan_free(cw_backend *be, int dev, uint64_t addr) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  vk_device *d = &be->devices[dev];
  if (!d->opened) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&d->table_lock);
  vk_alloc *a = g_tree_lookup(d->allocs, &addr);
  if (a) {
    g_tree_remove(d->allocs, &addr);
    d->allocated_bytes -= a->size;
  }
  g_mutex_unlock(&d->table_lock);
  if (!a) return CW_ERR_INVALID_VALUE;
  /* CUDA's cudaFree waits for the device: work may still use the buffer */
  vulkan_device_synchronize(be, dev);
  if (!vk_pool_keep(d, a)) vk_buffer_destroy(be, d, a);
  return CW_OK;
}

static cw_status find(cw_stream *s, uint64_t addr, size_t bytes, vk_alloc **a, size_t *off) {
  *a = vk_lookup(s->d, addr, off);
  if (!*a || *off + bytes > (*a)->size) return CW_ERR_INVALID_VALUE;
  return CW_OK;
}

static cw_status copy_cmd(cw_stream *s, VkBuffer src, size_t src_off, VkBuffer dst, size_t dst_off, size_t n,
                          const vk_retire *retire) {
  VkCommandBuffer cb;
  cw_status st = vk_stream_begin(s, &cb);
  if (st != CW_OK) return st;
  VkBufferCopy region = {.srcOffset = src_off, .dstOffset = dst_off, .size = n};
  s->be->vk.CmdCopyBuffer(cb, src, dst, 1, &region);
  return vk_stream_submit(s, cb, retire, NULL, 0);
}

/* Host-visible memory can be copied by the host itself once the stream is idle (also for an
 * asynchronous copy: it may complete before the call returns); a synchronous one waits. */
static bool host_copy_ok(cw_stream *s, const vk_alloc *a, bool async) {
  if (!a->mapped) return false;
  vk_stream_retire(s, !async);
  return vk_stream_idle(s);
}

static cw_status finish(cw_stream *s, bool async) {
  if (async) return s->sticky;
  cw_status st = vk_stream_retire(s, true);
  return st != CW_OK ? st : s->sticky;
}

cw_status vulkan_copy_h2d(cw_stream *s, uint64_t dst, const void *src, size_t bytes, bool async) {
  vk_alloc *a;
  size_t off;
  if (find(s, dst, bytes, &a, &off) != CW_OK) return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  if (host_copy_ok(s, a, async)) {
    memcpy((char *)a->mapped + off, src, bytes);
    return s->sticky;
  }
  size_t poff;
  vk_alloc *pin = vk_pinned_lookup(s->be, s->d, src, bytes, &poff);
  if (pin) {
    cw_status st = copy_cmd(s, pin->buffer, poff, a->buffer, off, bytes, NULL);
    return st != CW_OK ? st : finish(s, async);
  }
  for (size_t done = 0; done < bytes;) {
    size_t n = bytes - done < STAGING_CHUNK ? bytes - done : STAGING_CHUNK;
    size_t soff;
    void *host;
    cw_status st = vk_stream_staging(s, n, 16, &soff, &host);
    if (st != CW_OK) return st;
    memcpy(host, (const char *)src + done, n);
    st = copy_cmd(s, s->staging->buffer, soff, a->buffer, off + done, n, NULL);
    if (st != CW_OK) return st;
    done += n;
  }
  return finish(s, async);
}

cw_status vulkan_copy_d2h(cw_stream *s, void *dst, uint64_t src, size_t bytes, bool async) {
  vk_alloc *a;
  size_t off;
  if (find(s, src, bytes, &a, &off) != CW_OK) return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  if (host_copy_ok(s, a, async)) {
    memcpy(dst, (const char *)a->mapped + off, bytes);
    return s->sticky;
  }
  size_t poff;
  vk_alloc *pin = vk_pinned_lookup(s->be, s->d, dst, bytes, &poff);
  if (pin) {
    cw_status st = copy_cmd(s, a->buffer, off, pin->buffer, poff, bytes, NULL);
    return st != CW_OK ? st : finish(s, async);
  }
  for (size_t done = 0; done < bytes;) {
    size_t n = bytes - done < STAGING_CHUNK ? bytes - done : STAGING_CHUNK;
    size_t soff;
    void *host;
    cw_status st = vk_stream_staging(s, n, 16, &soff, &host);
    if (st != CW_OK) return st;
    vk_retire r = {.host_dst = (char *)dst + done, .staging_src = host, .bytes = n};
    st = copy_cmd(s, a->buffer, off + done, s->staging->buffer, soff, n, &r);
    if (st != CW_OK) return st;
    done += n;
  }
  return finish(s, async);
}

cw_status vulkan_copy_d2d(cw_stream *s, uint64_t dst, uint64_t src, size_t bytes, bool async) {
  vk_alloc *a, *b;
  size_t aoff, boff;
  if (find(s, dst, bytes, &a, &aoff) != CW_OK || find(s, src, bytes, &b, &boff) != CW_OK)
    return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  cw_status st = copy_cmd(s, b->buffer, boff, a->buffer, aoff, bytes, NULL);
  if (st != CW_OK) return st;
  return finish(s, async);
}

cw_status vulkan_memset(cw_stream *s, uint64_t dst, int value, size_t bytes, bool async) {
  vk_alloc *a;
  size_t off;
  if (find(s, dst, bytes, &a, &off) != CW_OK) return CW_ERR_INVALID_VALUE;
  if (!bytes) return CW_OK;
  if (host_copy_ok(s, a, async)) {
    memset((char *)a->mapped + off, value, bytes);
    return s->sticky;
  }
  /* vkCmdFillBuffer wants 4-byte offsets and sizes: the unaligned ends go as small copies */
  size_t head = (4 - off % 4) % 4;
  if (head > bytes) head = bytes;
  size_t mid = (bytes - head) / 4 * 4, tail = bytes - head - mid;
  unsigned char bytes4[4];
  memset(bytes4, value, 4);
  cw_status st = CW_OK;
  if (head) st = vulkan_copy_h2d(s, dst, bytes4, head, true);
  if (st == CW_OK && mid) {
    VkCommandBuffer cb;
    st = vk_stream_begin(s, &cb);
    if (st != CW_OK) return st;
    uint32_t word;
    memcpy(&word, bytes4, 4);
    s->be->vk.CmdFillBuffer(cb, a->buffer, off + head, mid, word);
    st = vk_stream_submit(s, cb, NULL, NULL, 0);
  }
  if (st == CW_OK && tail) st = vulkan_copy_h2d(s, dst + head + mid, bytes4, tail, true);
  if (st != CW_OK) return st;
  return finish(s, async);
}

cw_status vulkan_mem_info(cw_backend *be, int dev, size_t *free_bytes, size_t *total_bytes) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  vk_device *d = &be->devices[dev];
  *total_bytes = d->caps.global_mem_bytes;
  *free_bytes = d->allocated_bytes < *total_bytes ? *total_bytes - d->allocated_bytes : 0;
  return CW_OK;
}

void *vulkan_host_pointer(cw_backend *be, uint64_t addr) {
  for (int i = 0; be && i < be->count; i++) {
    size_t off;
    vk_alloc *a = vk_lookup(&be->devices[i], addr, &off);
    if (a && a->managed) return (char *)a->mapped + off;
  }
  return NULL;  /* device memory: the host reaches it only through copies */
}
