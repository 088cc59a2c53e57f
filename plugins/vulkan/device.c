/* device.c — the logical device: opened on first use with every feature the emitter may use
 * that the device has (buffer device address, timeline semaphores, scalar layout, 8/16/64-bit
 * types and atomics, float atomics), one compute queue, the memory types, the pipeline cache
 * (its data kept under cw_cache_dir()/vulkan/). */
#include <string.h>

#include "vulkan-plugin.h"

uint32_t vk_memory_type(cw_backend *be, vk_device *d, uint32_t bits, VkMemoryPropertyFlags want) {
  VkPhysicalDeviceMemoryProperties mem;
  be->vk.GetPhysicalDeviceMemoryProperties(d->physical, &mem);
  for (uint32_t i = 0; i < mem.memoryTypeCount; i++)
    if ((bits & (1u << i)) && (mem.memoryTypes[i].propertyFlags & want) == want) return i;
  return UINT32_MAX;
}

static char *pipeline_cache_path(const vk_device *d) {
  char *name = g_strdup_printf("pipelines-%s.bin", d->caps.name);
  for (char *s = name; *s; s++)
    if (!g_ascii_isalnum(*s) && *s != '.' && *s != '-') *s = '_';
  char *path = g_build_filename(cw_cache_dir(), "vulkan", name, NULL);
  g_free(name);
  return path;
}

static gint addr_cmp(gconstpointer a, gconstpointer b, gpointer user) {
  (void)user;
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static cw_status open_locked(cw_backend *be, vk_device *d) {
  /* the features: query again, then enable what exists */
  bool atomic_float = vk_has_extension(be, d->physical, VK_EXT_SHADER_ATOMIC_FLOAT_EXTENSION_NAME);
  VkPhysicalDeviceShaderAtomicFloatFeaturesEXT af = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT};
  VkPhysicalDeviceVulkan11Features f11 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
                                          .pNext = atomic_float ? &af : NULL};
  VkPhysicalDeviceVulkan12Features f12 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
                                          .pNext = &f11};
  VkPhysicalDeviceFeatures2 feats = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &f12};
  be->vk.GetPhysicalDeviceFeatures2(d->physical, &feats);
  /* keep only compute-relevant features of the core struct */
  VkPhysicalDeviceFeatures core = {0};
  core.shaderFloat64 = feats.features.shaderFloat64;
  core.shaderInt64 = feats.features.shaderInt64;
  core.shaderInt16 = feats.features.shaderInt16;
  feats.features = core;
  /* drop graphics-only features that some drivers reject without their extensions */
  f11.multiview = f11.multiviewGeometryShader = f11.multiviewTessellationShader = VK_FALSE;
  f11.protectedMemory = VK_FALSE;
  f11.samplerYcbcrConversion = VK_FALSE;
  f12.bufferDeviceAddressCaptureReplay = f12.bufferDeviceAddressMultiDevice = VK_FALSE;
  f12.samplerMirrorClampToEdge = f12.drawIndirectCount = f12.samplerFilterMinmax = VK_FALSE;
  f12.shaderOutputViewportIndex = f12.shaderOutputLayer = VK_FALSE;
  f12.descriptorIndexing = VK_FALSE;
  f12.shaderInputAttachmentArrayDynamicIndexing = f12.shaderUniformTexelBufferArrayDynamicIndexing = VK_FALSE;
  f12.shaderStorageTexelBufferArrayDynamicIndexing = f12.shaderUniformBufferArrayNonUniformIndexing = VK_FALSE;
  f12.shaderSampledImageArrayNonUniformIndexing = f12.shaderStorageBufferArrayNonUniformIndexing = VK_FALSE;
  f12.shaderStorageImageArrayNonUniformIndexing = f12.shaderInputAttachmentArrayNonUniformIndexing = VK_FALSE;
  f12.shaderUniformTexelBufferArrayNonUniformIndexing = f12.shaderStorageTexelBufferArrayNonUniformIndexing = VK_FALSE;
  f12.descriptorBindingUniformBufferUpdateAfterBind = f12.descriptorBindingSampledImageUpdateAfterBind = VK_FALSE;
  f12.descriptorBindingStorageImageUpdateAfterBind = f12.descriptorBindingStorageBufferUpdateAfterBind = VK_FALSE;
  f12.descriptorBindingUniformTexelBufferUpdateAfterBind = f12.descriptorBindingStorageTexelBufferUpdateAfterBind = VK_FALSE;
  f12.descriptorBindingUpdateUnusedWhilePending = f12.descriptorBindingPartiallyBound = VK_FALSE;
  f12.descriptorBindingVariableDescriptorCount = f12.runtimeDescriptorArray = VK_FALSE;
  f12.imagelessFramebuffer = f12.separateDepthStencilLayouts = f12.samplerFilterMinmax = VK_FALSE;
  if (atomic_float) {
    af.shaderImageFloat32Atomics = af.shaderImageFloat32AtomicAdd = VK_FALSE;
    af.sparseImageFloat32Atomics = af.sparseImageFloat32AtomicAdd = VK_FALSE;
  }
  const char *exts[1];
  uint32_t n_ext = 0;
  if (atomic_float) exts[n_ext++] = VK_EXT_SHADER_ATOMIC_FLOAT_EXTENSION_NAME;

  float prio = 1.0f;
  VkDeviceQueueCreateInfo qi = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                .queueFamilyIndex = d->compute_queue_family,
                                .queueCount = 1,
                                .pQueuePriorities = &prio};
  VkDeviceCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                           .pNext = &feats,
                           .queueCreateInfoCount = 1,
                           .pQueueCreateInfos = &qi,
                           .enabledExtensionCount = n_ext,
                           .ppEnabledExtensionNames = exts};
  VkResult rc = be->vk.CreateDevice(d->physical, &ci, NULL, &d->dev);
  if (rc != VK_SUCCESS) {
    cw_log(CW_LOG_ERROR, "vulkan", "vkCreateDevice failed (VkResult %d)", (int)rc);
    return rc == VK_ERROR_OUT_OF_HOST_MEMORY || rc == VK_ERROR_OUT_OF_DEVICE_MEMORY ? CW_ERR_OUT_OF_MEMORY
                                                                                    : CW_ERR_DRIVER;
  }
  be->vk.GetDeviceQueue(d->dev, d->compute_queue_family, 0, &d->queue);

  uint32_t nq = 0;
  be->vk.GetPhysicalDeviceQueueFamilyProperties(d->physical, &nq, NULL);
  VkQueueFamilyProperties *q = g_new0(VkQueueFamilyProperties, nq ? nq : 1);
  be->vk.GetPhysicalDeviceQueueFamilyProperties(d->physical, &nq, q);
  d->timestamp_valid_bits = d->compute_queue_family < nq ? q[d->compute_queue_family].timestampValidBits : 0;
  g_free(q);

  char *path = pipeline_cache_path(d);
  gchar *data = NULL;
  gsize len = 0;
  g_file_get_contents(path, &data, &len, NULL);
  VkPipelineCacheCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO,
                                   .initialDataSize = len, .pInitialData = data};
  if (be->vk.CreatePipelineCache(d->dev, &pci, NULL, &d->pipeline_cache) != VK_SUCCESS) {
    pci.initialDataSize = 0;
    pci.pInitialData = NULL;
    be->vk.CreatePipelineCache(d->dev, &pci, NULL, &d->pipeline_cache);
  }
  g_free(data);
  g_free(path);
  d->allocs = g_tree_new_full(addr_cmp, NULL, NULL, NULL);
  d->streams = g_ptr_array_new();
  d->be = be;
  vk_flusher_start(d);
  d->opened = true;
  return CW_OK;
}

cw_status vk_device_open(cw_backend *be, int dev, vk_device **out) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  vk_device *d = &be->devices[dev];
  cw_status st = CW_OK;
  g_mutex_lock(&d->lock);
  if (!d->opened) {
    st = open_locked(be, d);
  }
  g_mutex_unlock(&d->lock);
  *out = st == CW_OK ? d : NULL;
  return st;
}

static gboolean free_alloc(gpointer key, gpointer value, gpointer user) {
  (void)key;
  void **ctx = user;
  vk_buffer_destroy(ctx[0], ctx[1], value);
  return FALSE;
}

void vk_device_close(cw_backend *be, vk_device *d) {
  if (!d->opened) return;
  vk_flusher_stop(d);
  /* streams the program left alive may hold work (a last launch's printf output, say) */
  for (guint i = 0; i < d->streams->len; i++) vk_stream_retire(g_ptr_array_index(d->streams, i), true);
  be->vk.DeviceWaitIdle(d->dev);
  if (d == &be->devices[0]) vk_pinned_free_all(be);  /* pinned memory lives in device 0 */
  if (d->pipeline_cache) {
    size_t size = 0;
    if (be->vk.GetPipelineCacheData(d->dev, d->pipeline_cache, &size, NULL) == VK_SUCCESS && size) {
      void *data = g_malloc(size);
      if (be->vk.GetPipelineCacheData(d->dev, d->pipeline_cache, &size, data) == VK_SUCCESS) {
        char *path = pipeline_cache_path(d);
        char *dir = g_path_get_dirname(path);
        g_mkdir_with_parents(dir, 0755);
        cw_cache_write_atomic(path, data, size);
        g_free(dir);
        g_free(path);
      }
      g_free(data);
    }
    be->vk.DestroyPipelineCache(d->dev, d->pipeline_cache, NULL);
  }
  vk_pool_drain(be, d);
  void *ctx[2] = {be, d};
  g_tree_foreach(d->allocs, free_alloc, ctx);
  g_tree_destroy(d->allocs);
  g_ptr_array_free(d->streams, TRUE);
  be->vk.DestroyDevice(d->dev, NULL);
  d->opened = false;
}
