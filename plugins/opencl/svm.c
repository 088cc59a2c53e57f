/* svm.c — the SVM address model's blocks (opencl-plugin.h): clSVMAlloc blocks named by their own
 * addresses, in a table sorted by address so that any address inside a block finds it (host code
 * does pointer arithmetic on device pointers: cudaMemcpy(d + 100, ...)).
 *
 * Coarse-grained blocks are only touched through the queue (clEnqueueSVMMemcpy/MemFill, kernels);
 * fine-grained ones (managed memory, where the device has them) also by the host directly.
 * Kernels reach blocks through pointers the launch cannot see (loaded from memory, made from
 * integers, inside struct arguments), so every launch names all the device's blocks
 * (clSetKernelExecInfo, launch.c); the generation counter says when that list changed. */
#include <string.h>

#include "opencl-plugin.h"

static uint64_t base_of(const ocl_alloc *a) { return (uint64_t)(uintptr_t)a->svm; }

/* Index of the last block whose address is <= addr, or -1.  Under be->lock. */
static gint64 last_at_or_below(cw_backend *be, uint64_t addr) {
  GPtrArray *t = be->svm_blocks;
  gint64 lo = 0, hi = (gint64)t->len - 1, found = -1;
  while (lo <= hi) {
    gint64 mid = lo + (hi - lo) / 2;
    if (base_of(t->pdata[mid]) <= addr) found = mid, lo = mid + 1;
    else hi = mid - 1;
  }
  return found;
}

static void insert(cw_backend *be, ocl_alloc *a) {
  g_mutex_lock(&be->lock);
  if (!be->svm_blocks) be->svm_blocks = g_ptr_array_new();
  g_ptr_array_insert(be->svm_blocks, (gint)(last_at_or_below(be, base_of(a)) + 1), a);
  be->svm_generation++;
  be->allocated += a->size;
  g_mutex_unlock(&be->lock);
}

#define CUDA_ALIGN 256u  /* cudaMalloc's alignment, which programs test */

static void *align_up(void *p) { return (void *)(((uintptr_t)p + CUDA_ALIGN - 1) & ~(uintptr_t)(CUDA_ALIGN - 1)); }

/* A block with `cap` bytes from a CUDA_ALIGN boundary.  clSVMAlloc's alignment may not exceed
 * the device's largest type (PoCL: 128 bytes), so a block that comes out less aligned is made
 * again with room to align inside. */
static void *new_block(cl_context ctx, cl_svm_mem_flags flags, size_t cap) {
  void *p = clSVMAlloc(ctx, flags, cap, 0);
  if (!p || align_up(p) == p) return p;
  clSVMFree(ctx, p);
  return clSVMAlloc(ctx, flags, cap + CUDA_ALIGN, 0);
}

cw_status ocl_svm_alloc(cw_backend *be, int dev, size_t bytes, bool fine, uint64_t *addr) {
  *addr = 0;
  cl_dev *d = &be->devices[dev];
  size_t cap = fine ? (bytes ? bytes : 1) : ocl_pool_capacity(bytes);
  void *p = fine ? NULL : ocl_pool_take_svm(be, dev, cap);
  cl_svm_mem_flags flags = CL_MEM_READ_WRITE | (fine ? CL_MEM_SVM_FINE_GRAIN_BUFFER : 0);
  if (!p) p = new_block(d->ctx, flags, cap);
  if (!p && ocl_pool_drain(be)) p = new_block(d->ctx, flags, cap);  /* memory held for reuse */
  if (!p) return CW_ERR_OUT_OF_MEMORY;
  ocl_alloc *a = g_new0(ocl_alloc, 1);
  a->block = p, a->svm = align_up(p), a->dev = dev, a->size = bytes, a->cap = cap;
  if (fine) {
    a->host = p;              /* host and device share it: cudaMallocManaged's zeroed memory */
    memset(a->svm, 0, cap);
  }
  insert(be, a);
  *addr = base_of(a);
  return CW_OK;
}

void ocl_svm_release(cw_backend *be, ocl_alloc *a) {
  if (!a) return;
  if (a->host || !ocl_pool_put_svm(be, a->dev, a->block, a->cap)) clSVMFree(be->devices[a->dev].ctx, a->block);
  g_free(a);
}

ocl_alloc *ocl_svm_find(cw_backend *be, uint64_t addr, size_t *offset) {
  ocl_alloc *found = NULL;
  if (!be) return NULL;
  g_mutex_lock(&be->lock);
  gint64 i = be->svm_blocks ? last_at_or_below(be, addr) : -1;
  if (i >= 0) {
    ocl_alloc *a = be->svm_blocks->pdata[i];
    /* one past the end belongs to the block, as for buffers (a zero-length copy there) */
    if (addr - base_of(a) <= (a->size ? a->size : 1)) found = a, *offset = (size_t)(addr - base_of(a));
  }
  g_mutex_unlock(&be->lock);
  return found;
}

ocl_alloc *ocl_svm_remove(cw_backend *be, uint64_t addr) {
  ocl_alloc *found = NULL;
  if (!be) return NULL;
  g_mutex_lock(&be->lock);
  gint64 i = be->svm_blocks ? last_at_or_below(be, addr) : -1;
  if (i >= 0 && base_of(be->svm_blocks->pdata[i]) == addr) {
    found = g_ptr_array_steal_index(be->svm_blocks, (guint)i);
    be->svm_generation++;
    be->allocated -= MIN(be->allocated, found->size);
  }
  g_mutex_unlock(&be->lock);
  return found;
}

void **ocl_svm_blocks_of(cw_backend *be, int dev, size_t *n, uint64_t *generation) {
  g_mutex_lock(&be->lock);
  guint len = be->svm_blocks ? be->svm_blocks->len : 0;
  void **out = g_new0(void *, len ? len : 1);
  size_t k = 0;
  for (guint i = 0; i < len; i++) {
    const ocl_alloc *a = be->svm_blocks->pdata[i];
    if (a->dev == dev) out[k++] = a->svm;
  }
  *generation = be->svm_generation;
  g_mutex_unlock(&be->lock);
  *n = k;
  return out;
}

uint64_t ocl_svm_generation(cw_backend *be) {
  g_mutex_lock(&be->lock);
  uint64_t g = be->svm_generation;
  g_mutex_unlock(&be->lock);
  return g;
}

void ocl_svm_free_all(cw_backend *be) {
  if (!be->svm_blocks) return;
  for (guint i = 0; i < be->svm_blocks->len; i++) {
    ocl_alloc *a = be->svm_blocks->pdata[i];
    clSVMFree(be->devices[a->dev].ctx, a->block);
    g_free(a);
  }
  g_ptr_array_free(be->svm_blocks, TRUE);
  be->svm_blocks = NULL;
}
