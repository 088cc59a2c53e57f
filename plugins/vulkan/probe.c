/* probe.c — Vulkan physical devices with a compute queue, and their capabilities. */
#include "vulkan-plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

static const char *vendor_name(uint32_t id) {
  switch (id) {
  case 0x10de: return "NVIDIA";
  case 0x1002: return "AMD";
  case 0x8086: return "Intel";
  case 0x13b5: return "ARM";
  case 0x5143: return "Qualcomm";
  case 0x10005: return "Mesa";
  case 0x1ae0: return "Google";
  }
  return "unknown";
}

static const char *device_type_name(VkPhysicalDeviceType t) {
  switch (t) {
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated-gpu";
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete-gpu";
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual-gpu";
  case VK_PHYSICAL_DEVICE_TYPE_CPU: return "cpu";
  default: return "other";
  }
}

/* True when the physical device offers the extension `name`. */
bool vk_has_extension(cw_backend *be, VkPhysicalDevice pd, const char *name) {
  uint32_t n = 0;
  be->vk.EnumerateDeviceExtensionProperties(pd, NULL, &n, NULL);
  VkExtensionProperties *ext = g_new0(VkExtensionProperties, n ? n : 1);
  be->vk.EnumerateDeviceExtensionProperties(pd, NULL, &n, ext);
  bool found = false;
  for (uint32_t i = 0; i < n && !found; i++) found = strcmp(ext[i].extensionName, name) == 0;
  g_free(ext);
  return found;
}

/* Index of a queue family with compute, or -1. */
/* Mesa 22's lavapipe (llvmpipe) gives each shader invocation one budget of 65535 loop iterations
 * across all its loops; past it every loop runs once and exits, so long-running kernels would give
 * wrong results without any error (tests/programs/long_loops.cu).  Mesa 25 has no such limit; 23
 * and 24 are not verified either way.  Such a device is not offered: `auto` goes on to the next
 * backend.  *why says so. */
static bool loop_limited(cw_backend *be, VkPhysicalDevice pd, char *why, size_t len) {
  VkPhysicalDeviceDriverProperties drv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
  VkPhysicalDeviceProperties2 p = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &drv};
  be->vk.GetPhysicalDeviceProperties2(pd, &p);
  int major = 0;
  if (p.properties.apiVersion < VK_API_VERSION_1_2 || drv.driverID != VK_DRIVER_ID_MESA_LLVMPIPE ||
      sscanf(drv.driverInfo, "Mesa %d", &major) != 1 || major >= 23)
    return false;
  g_snprintf(why, len,
             "%s: %s ends a shader invocation's loops after 65535 iterations in all (long-running "
             "kernels would give wrong results); Mesa 25 has no such limit (Debian 12: "
             "bookworm-backports)",
             p.properties.deviceName, drv.driverInfo);
  return true;
}

static int compute_family(cw_backend *be, VkPhysicalDevice pd) {
  uint32_t n = 0;
  be->vk.GetPhysicalDeviceQueueFamilyProperties(pd, &n, NULL);
  VkQueueFamilyProperties *q = g_new0(VkQueueFamilyProperties, n ? n : 1);
  be->vk.GetPhysicalDeviceQueueFamilyProperties(pd, &n, q);
  int found = -1;
  for (uint32_t i = 0; i < n && found < 0; i++)
    if (q[i].queueFlags & VK_QUEUE_COMPUTE_BIT) found = (int)i;
  g_free(q);
  return found;
}

static void fill_caps(cw_backend *be, VkPhysicalDevice pd, vk_device *d) {
  cw_device_caps *c = &d->caps;
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;

  VkPhysicalDeviceDriverProperties driver = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
  VkPhysicalDeviceSubgroupProperties subgroup = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES, .pNext = &driver};
  VkPhysicalDeviceProperties2 props = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
                                       .pNext = &subgroup};
  be->vk.GetPhysicalDeviceProperties2(pd, &props);
  const VkPhysicalDeviceProperties *p = &props.properties;
  const VkPhysicalDeviceLimits *l = &p->limits;
  bool v12 = p->apiVersion >= VK_API_VERSION_1_2;

  bool atomic_float = vk_has_extension(be, pd, VK_EXT_SHADER_ATOMIC_FLOAT_EXTENSION_NAME);
  VkPhysicalDeviceShaderAtomicFloatFeaturesEXT af = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT};
  VkPhysicalDeviceVulkan11Features f11 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
                                          .pNext = atomic_float ? &af : NULL};
  VkPhysicalDeviceVulkan12Features f12 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
                                          .pNext = &f11};
  VkPhysicalDeviceFeatures2 feats = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
                                     .pNext = v12 ? (void *)&f12 : (atomic_float ? (void *)&af : NULL)};
  be->vk.GetPhysicalDeviceFeatures2(pd, &feats);

  g_strlcpy(c->name, p->deviceName, sizeof c->name);
  g_strlcpy(c->vendor, vendor_name(p->vendorID), sizeof c->vendor);
  if (v12 && driver.driverName[0])
    g_snprintf(c->driver, sizeof c->driver, "%s %s (Vulkan %u.%u)", driver.driverName,
               driver.driverInfo, VK_API_VERSION_MAJOR(p->apiVersion),
               VK_API_VERSION_MINOR(p->apiVersion));
  else
    g_snprintf(c->driver, sizeof c->driver, "driver 0x%x (Vulkan %u.%u)", p->driverVersion,
               VK_API_VERSION_MAJOR(p->apiVersion), VK_API_VERSION_MINOR(p->apiVersion));
  g_snprintf(c->arch, sizeof c->arch, "vulkan-%s", device_type_name(p->deviceType));

  VkPhysicalDeviceMemoryProperties mem;
  be->vk.GetPhysicalDeviceMemoryProperties(pd, &mem);
  for (uint32_t i = 0; i < mem.memoryHeapCount; i++)
    if ((mem.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) &&
        mem.memoryHeaps[i].size > c->global_mem_bytes)
      c->global_mem_bytes = mem.memoryHeaps[i].size;

  c->compute_units = 1; /* Vulkan does not report it (only vendor extensions do) */
  /* no more than CUDA allows, so programs see CUDA's limits (and its errors past them) */
  static const uint32_t cuda_block[3] = {1024, 1024, 64};
  c->max_threads_per_block = MIN(l->maxComputeWorkGroupInvocations, 1024u);
  for (int i = 0; i < 3; i++) {
    c->max_block_dim[i] = MIN(l->maxComputeWorkGroupSize[i], cuda_block[i]);
    c->max_grid_dim[i] = i == 0 ? 0x7fffffffu : 65535u;  /* launches are split into dispatches */
  }
  c->shared_mem_per_block = c->shared_mem_per_block_optin = l->maxComputeSharedMemorySize;
  c->const_mem_bytes = l->maxUniformBufferRange < 65536 ? l->maxUniformBufferRange : 65536;
  c->subgroup_size = subgroup.subgroupSize;
  c->cc_major = 9, c->cc_minor = 0;

  c->flags = CW_CAP_ATOMIC_INT32;
  if (p->deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU) c->flags |= CW_CAP_HOST_CPU;  /* lavapipe, SwiftShader */
  if (feats.features.shaderFloat64) c->flags |= CW_CAP_FP64;
  if (feats.features.shaderInt64) c->flags |= CW_CAP_INT64;
  if (v12 && f12.shaderFloat16) c->flags |= CW_CAP_FP16;
  if (v12 && f12.shaderInt8 && f12.storageBuffer8BitAccess && feats.features.shaderInt16)
    c->flags |= CW_CAP_INT8_16;
  if (v12 && f12.shaderBufferInt64Atomics) c->flags |= CW_CAP_ATOMIC_INT64;
  if (atomic_float && af.shaderBufferFloat32AtomicAdd) c->flags |= CW_CAP_ATOMIC_FLOAT32;
  if (atomic_float && af.shaderBufferFloat64AtomicAdd) c->flags |= CW_CAP_ATOMIC_FLOAT64;
  VkSubgroupFeatureFlags needed = VK_SUBGROUP_FEATURE_BASIC_BIT | VK_SUBGROUP_FEATURE_BALLOT_BIT |
                                  VK_SUBGROUP_FEATURE_SHUFFLE_BIT | VK_SUBGROUP_FEATURE_VOTE_BIT |
                                  VK_SUBGROUP_FEATURE_ARITHMETIC_BIT;
  if ((subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
      (subgroup.supportedOperations & needed) == needed)
    c->flags |= CW_CAP_SUBGROUPS;
  if (v12 && f12.bufferDeviceAddress && f12.timelineSemaphore && f12.scalarBlockLayout)
    c->flags |= CW_CAP_REAL_POINTERS | CW_CAP_PRINTF;

  d->shared_float_atomic_add = atomic_float && af.shaderSharedFloat32AtomicAdd;
  d->buffer_float_atomic_minmax = false;
  d->shared_int64_atomics = v12 && f12.shaderSharedInt64Atomics;
  d->int8_storage = v12 && f12.shaderInt8 && f12.storageBuffer8BitAccess && feats.features.shaderInt16 &&
                    f11.storageBuffer16BitAccess;
  d->fp16_storage = v12 && f12.shaderFloat16 && f11.storageBuffer16BitAccess;
  d->max_push_constants = l->maxPushConstantsSize;
  d->timestamp_period = l->timestampPeriod;
  for (int i = 0; i < 3; i++) d->max_group_count[i] = l->maxComputeWorkGroupCount[i];
  if (v12 && f12.shaderInt8 && f12.storageBuffer8BitAccess && feats.features.shaderInt16 &&
      !f11.storageBuffer16BitAccess)
    c->flags &= ~(uint32_t)CW_CAP_INT8_16;
  d->host_visible_device_memory = false;
  for (uint32_t i = 0; i < mem.memoryTypeCount; i++) {
    VkMemoryPropertyFlags f = mem.memoryTypes[i].propertyFlags;
    VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                 VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    /* CPU and integrated devices: device memory the host maps directly (copies without staging) */
    if ((f & want) == want && (p->deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU ||
                               p->deviceType == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU))
      d->host_visible_device_memory = true;
  }
  /* lavapipe's device addresses are host pointers: managed memory is the mapping itself (each
   * allocation checks mapped == address, and fails otherwise) */
  if (v12 && driver.driverID == VK_DRIVER_ID_MESA_LLVMPIPE && d->host_visible_device_memory)
    c->flags |= CW_CAP_MANAGED;
}

static bool load(cw_backend *be, char *reason, size_t reason_len) {
  be->lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!be->lib) {
    g_snprintf(reason, reason_len, "Vulkan loader not found (%s)", dlerror());
    return false;
  }
  be->vk.GetInstanceProcAddr = (PFN_vkGetInstanceProcAddr)dlsym(be->lib, "vkGetInstanceProcAddr");
  if (!be->vk.GetInstanceProcAddr) {
    g_snprintf(reason, reason_len, "libvulkan.so.1 lacks vkGetInstanceProcAddr");
    return false;
  }
  be->vk.EnumerateInstanceVersion = (PFN_vkEnumerateInstanceVersion)be->vk.GetInstanceProcAddr(
      NULL, "vkEnumerateInstanceVersion");
  be->vk.CreateInstance = (PFN_vkCreateInstance)be->vk.GetInstanceProcAddr(NULL, "vkCreateInstance");
  return be->vk.CreateInstance != NULL;
}

/* Instance and device functions (device ones through the loader's trampolines). */
static bool load_instance_functions(cw_backend *be) {
  bool ok = true;
#define GET(name) ok = ok && (be->vk.name = (PFN_vk##name)be->vk.GetInstanceProcAddr(be->instance, "vk" #name));
  VK_FN_LIST(GET)
#undef GET
  return ok;
}

cw_status vulkan_probe(const cw_config_section *config, cw_backend **out, char *reason,
                       size_t reason_len) {
  *out = NULL;
  cw_backend *be = g_new0(cw_backend, 1);
  g_mutex_init(&be->pinned_lock);
  cw_status st = CW_ERR_NO_DEVICE;
  if (!load(be, reason, reason_len)) goto fail;
  uint32_t version = VK_API_VERSION_1_0;
  if (be->vk.EnumerateInstanceVersion) be->vk.EnumerateInstanceVersion(&version);
  if (version < VK_API_VERSION_1_1) {
    g_snprintf(reason, reason_len, "the Vulkan loader supports only Vulkan 1.0 (1.1+ needed)");
    goto fail;
  }
  VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                           .pApplicationName = "cuda-wasm",
                           .pEngineName = "cuda-wasm",
                           .apiVersion = version < VK_API_VERSION_1_3 ? version : VK_API_VERSION_1_3};
  VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, .pApplicationInfo = &app};
  VkResult rc = be->vk.CreateInstance(&ici, NULL, &be->instance);
  if (rc != VK_SUCCESS) {
    g_snprintf(reason, reason_len, "vkCreateInstance failed (VkResult %d)%s", (int)rc,
               rc == VK_ERROR_INCOMPATIBLE_DRIVER
                   ? ": no usable Vulkan driver (ICD); VK_LOADER_DEBUG=error says why"
                   : "");
    be->instance = VK_NULL_HANDLE;
    goto fail;
  }
  if (!load_instance_functions(be)) {
    g_snprintf(reason, reason_len, "the Vulkan loader lacks Vulkan 1.2 functions");
    goto fail;
  }
  uint32_t n = 0;
  be->vk.EnumeratePhysicalDevices(be->instance, &n, NULL);
  VkPhysicalDevice *pds = g_new0(VkPhysicalDevice, n ? n : 1);
  be->vk.EnumeratePhysicalDevices(be->instance, &n, pds);
  int64_t only = cw_config_get_int(config, "device", -1);
  be->devices = g_new0(vk_device, n ? n : 1);
  int skipped = 0;
  char skip_why[512] = "";
  for (uint32_t i = 0; i < n; i++) {
    if (only >= 0 && (int64_t)i != only) continue;
    VkPhysicalDeviceProperties2 p = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    be->vk.GetPhysicalDeviceProperties2(pds[i], &p);
    int family = compute_family(be, pds[i]);
    if (family < 0 || p.properties.apiVersion < VK_API_VERSION_1_1 ||
        loop_limited(be, pds[i], skip_why, sizeof skip_why)) {
      skipped++;
      continue;
    }
    vk_device *d = &be->devices[be->count++];
    d->physical = pds[i];
    d->compute_queue_family = (uint32_t)family;
    g_mutex_init(&d->lock);
    g_mutex_init(&d->table_lock);
    fill_caps(be, pds[i], d);
  }
  g_free(pds);
  if (be->count == 0) {
    if (only >= (int64_t)n)
      g_snprintf(reason, reason_len, "vulkan.device = %" G_GINT64_FORMAT ", but there are %u device(s)",
                 only, n), st = CW_ERR_INVALID_VALUE;
    else if (n == 0)
      g_snprintf(reason, reason_len, "no Vulkan device (no driver/ICD found a device)");
    else if (skip_why[0])
      g_snprintf(reason, reason_len, "%s", skip_why);
    else
      g_snprintf(reason, reason_len, "no Vulkan 1.1 device with a compute queue (%d skipped)", skipped);
    goto fail;
  }
  *out = be;
  return CW_OK;
fail:
  vulkan_shutdown(be);
  return st;
}

void vulkan_shutdown(cw_backend *be) {
  if (!be) return;
  for (int i = 0; i < be->count; i++) {
    vk_device_close(be, &be->devices[i]);
    g_mutex_clear(&be->devices[i].lock);
    g_mutex_clear(&be->devices[i].table_lock);
  }
  if (be->instance && be->vk.DestroyInstance) be->vk.DestroyInstance(be->instance, NULL);
  /* libvulkan stays loaded: ICDs register atexit handlers that must still find their code. */
  g_mutex_clear(&be->pinned_lock);
  g_free(be->devices);
  g_free(be);
}

int vulkan_device_count(cw_backend *be) { return be ? be->count : 0; }

cw_status vulkan_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (!be || dev < 0 || dev >= be->count || !caps) return CW_ERR_INVALID_VALUE;
  uint32_t size = caps->struct_size < sizeof *caps ? caps->struct_size : sizeof *caps;
  memcpy(caps, &be->devices[dev].caps, size);
  caps->struct_size = size;
  return CW_OK;
}
