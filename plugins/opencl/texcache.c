/* texcache.c — texel-data addresses of texture descriptors, for the buffer model's address window
 * (launch.c): a texture object's handle is the device address of its descriptor, whose first 8
 * bytes are the texel data's address (core/runtime/texture_desc.h).  Reading them takes a
 * blocking read, so each launch with a texture parameter would wait for the queue; the runtime
 * writes a descriptor once, at cudaCreateTextureObject, so the value is kept until anything
 * writes to or frees the memory it came from (memory.c calls ocl_texcache_forget). */
#include <string.h>

#include "opencl-plugin.h"

typedef struct tex_entry {
  uint64_t desc;             /* descriptor address */
  uint64_t data;             /* its first 8 bytes */
} tex_entry;

bool ocl_texcache_get(cw_backend *be, uint64_t desc, uint64_t *data) {
  bool hit = false;
  g_mutex_lock(&be->lock);
  for (guint i = 0; be->tex_cache && i < be->tex_cache->len && !hit; i++) {
    const tex_entry *e = &g_array_index(be->tex_cache, tex_entry, i);
    if (e->desc == desc) *data = e->data, hit = true;
  }
  g_mutex_unlock(&be->lock);
  return hit;
}

void ocl_texcache_put(cw_backend *be, uint64_t desc, uint64_t data) {
  tex_entry e = {desc, data};
  g_mutex_lock(&be->lock);
  if (!be->tex_cache) be->tex_cache = g_array_new(FALSE, FALSE, sizeof(tex_entry));
  if (be->tex_cache->len >= 256) g_array_remove_index(be->tex_cache, 0);  /* oldest first */
  g_array_append_val(be->tex_cache, e);
  g_mutex_unlock(&be->lock);
}

void ocl_texcache_forget(cw_backend *be, uint64_t addr, uint64_t bytes) {
  g_mutex_lock(&be->lock);
  for (guint i = 0; be->tex_cache && i < be->tex_cache->len;) {
    const tex_entry *e = &g_array_index(be->tex_cache, tex_entry, i);
    /* the 8 bytes [desc, desc + 8) meet [addr, addr + bytes) */
    if (e->desc < addr + bytes && addr < e->desc + 8) g_array_remove_index_fast(be->tex_cache, i);
    else i++;
  }
  g_mutex_unlock(&be->lock);
}
