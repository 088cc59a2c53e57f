/* module.c — loading an artifact: a shader module and pipeline layout per kernel, pipelines per
 * launch shape (block size and dynamic shared memory are specialization constants), the globals
 * buffer (initialized from the IR) and the printf buffer. */
#include <stdio.h>
#include <string.h>

#include "module_internal.h"
#include "glsl.h"

#define PRINTF_BYTES (1u << 20)

static void kernel_destroy(vk_module *m, vk_kernel *k) {
  cw_backend *be = m->be;
  if (k->pipelines) {
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, k->pipelines);
    while (g_hash_table_iter_next(&it, &key, &value)) be->vk.DestroyPipeline(m->d->dev, (VkPipeline)value, NULL);
    g_hash_table_destroy(k->pipelines);
  }
  if (k->layout) be->vk.DestroyPipelineLayout(m->d->dev, k->layout, NULL);
  if (k->shader) be->vk.DestroyShaderModule(m->d->dev, k->shader, NULL);
  g_free(k->arg_offsets);
}

static cw_status kernel_load(vk_module *m, vk_kernel *k, const glsl_kernel *gk, char *err, size_t err_len) {
  cw_backend *be = m->be;
  k->func = gk->func;
  k->push_size = gk->push_size;
  k->args_size = gk->args_size;
  k->n_params = gk->n_params;
  k->arg_offsets = g_memdup2(gk->arg_offsets, sizeof(uint32_t) * (gk->n_params ? gk->n_params : 1));
  k->args_in_buffer = gk->args_in_buffer;
  k->uses_printf = gk->uses_printf;
  k->uses_warp = gk->warp_buffer;
  k->dyn_elem_size = gk->dyn_elem_size;
  k->static_shared = gk->static_shared;
  k->frame_size = gk->frame_size;
  k->pipelines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (!gk->spirv) {
    g_snprintf(err, err_len, "kernel %s: the artifact has no SPIR-V", gk->func->name);
    return CW_ERR_INVALID_VALUE;
  }
  VkShaderModuleCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                 .codeSize = gk->spirv_size, .pCode = gk->spirv};
  if (be->vk.CreateShaderModule(m->d->dev, &si, NULL, &k->shader) != VK_SUCCESS) {
    g_snprintf(err, err_len, "kernel %s: vkCreateShaderModule failed", gk->func->name);
    return CW_ERR_COMPILE;
  }
  uint32_t push = (k->push_size + 3) / 4 * 4;
  if (push > m->d->max_push_constants) {
    g_snprintf(err, err_len, "kernel %s: %u bytes of push constants, the device allows %u", gk->func->name,
               push, m->d->max_push_constants);
    return CW_ERR_UNSUPPORTED;
  }
  VkPushConstantRange range = {.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT, .offset = 0, .size = push};
  VkPipelineLayoutCreateInfo li = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                   .pushConstantRangeCount = 1, .pPushConstantRanges = &range};
  if (be->vk.CreatePipelineLayout(m->d->dev, &li, NULL, &k->layout) != VK_SUCCESS) {
    g_snprintf(err, err_len, "kernel %s: vkCreatePipelineLayout failed", gk->func->name);
    return CW_ERR_DRIVER;
  }
  return CW_OK;
}

cw_status vk_kernel_pipeline(vk_module *m, vk_kernel *k, const uint32_t block[3], uint32_t dyn_count,
                             VkPipeline *out, char *err, size_t err_len) {
  char key[64];
  snprintf(key, sizeof key, "%u,%u,%u,%u", block[0], block[1], block[2], dyn_count);
  g_mutex_lock(&m->lock);
  VkPipeline pl = g_hash_table_lookup(k->pipelines, key);
  if (pl) {
    g_mutex_unlock(&m->lock);
    *out = pl;
    return CW_OK;
  }
  uint64_t printf_addr = m->printf_buf ? m->printf_buf->addr : 0;
  uint32_t values[GLSL_SPEC_COUNT] = {
    [GLSL_SPEC_BLOCK_X] = block[0], [GLSL_SPEC_BLOCK_Y] = block[1], [GLSL_SPEC_BLOCK_Z] = block[2],
    [GLSL_SPEC_DYN_COUNT] = dyn_count ? dyn_count : 1,
    [GLSL_SPEC_GLOBALS_LO] = (uint32_t)m->globals_addr, [GLSL_SPEC_GLOBALS_HI] = (uint32_t)(m->globals_addr >> 32),
    [GLSL_SPEC_PRINTF_LO] = (uint32_t)printf_addr, [GLSL_SPEC_PRINTF_HI] = (uint32_t)(printf_addr >> 32),
    [GLSL_SPEC_WARPS] = (block[0] * block[1] * block[2] + 31) / 32,
  };
  VkSpecializationMapEntry entries[GLSL_SPEC_COUNT];
  for (uint32_t i = 0; i < GLSL_SPEC_COUNT; i++)
    entries[i] = (VkSpecializationMapEntry){.constantID = i, .offset = i * 4, .size = 4};
  VkSpecializationInfo spec = {.mapEntryCount = GLSL_SPEC_COUNT, .pMapEntries = entries,
                               .dataSize = sizeof values, .pData = values};
  VkComputePipelineCreateInfo ci = {
      .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
      .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                .module = k->shader, .pName = "main", .pSpecializationInfo = &spec},
      .layout = k->layout};
  VkResult rc = m->be->vk.CreateComputePipelines(m->d->dev, m->d->pipeline_cache, 1, &ci, NULL, &pl);
  if (rc != VK_SUCCESS) {
    g_mutex_unlock(&m->lock);
    g_snprintf(err, err_len, "kernel %s: vkCreateComputePipelines failed (VkResult %d)", k->func->name, (int)rc);
    return CW_ERR_COMPILE;
  }
  g_hash_table_insert(k->pipelines, g_strdup(key), pl);
  g_mutex_unlock(&m->lock);
  *out = pl;
  return CW_OK;
}

static cw_status globals_init(vk_module *m, const glsl_module *gm) {
  cw_status st = vulkan_alloc(m->be, m->dev, gm->globals_size, 0, &m->globals_addr);
  if (st != CW_OK) return st;
  uint8_t *bytes = g_malloc0(gm->globals_size);
  for (uint32_t i = 0; i < m->ir->n_globals; i++) {
    const cw_ir_var *v = m->ir->globals[i];
    if (v->kind == CW_VAR_CONSTANT || v->kind == CW_VAR_DEVICE)
      glsl_global_init_bytes(v, bytes + gm->global_offsets[i]);
  }
  cw_stream *s;
  st = vulkan_stream_create(m->be, m->dev, 0, 0, &s);
  if (st == CW_OK) {
    st = vulkan_copy_h2d(s, m->globals_addr, bytes, gm->globals_size, false);
    vulkan_stream_destroy(s);
  }
  g_free(bytes);
  return st;
}

cw_status vulkan_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                             cw_module **out, char *err, size_t err_len) {
  *out = NULL;
  if (!art || !art->plugin_data || !art->language || strcmp(art->language, "glsl") != 0) {
    g_snprintf(err, err_len, "vulkan: not an artifact of the vulkan transpiler");
    return CW_ERR_INVALID_VALUE;
  }
  const glsl_module *gm = art->plugin_data;
  vk_device *d;
  cw_status st = vk_device_open(be, dev, &d);
  if (st != CW_OK) {
    g_snprintf(err, err_len, "vulkan: cannot open device %d", dev);
    return st;
  }
  vk_module *m = g_new0(vk_module, 1);
  m->be = be;
  m->d = d;
  m->dev = dev;
  m->ir = ir;
  g_mutex_init(&m->lock);
  m->global_offsets = g_memdup2(gm->global_offsets, sizeof(uint32_t) * (ir->n_globals ? ir->n_globals : 1));
  m->strings = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < gm->strings->len; i++) g_ptr_array_add(m->strings, g_strdup(g_ptr_array_index(gm->strings, i)));
  m->n_kernels = gm->kernels->len;
  m->kernels = g_new0(vk_kernel, m->n_kernels ? m->n_kernels : 1);
  st = globals_init(m, gm);
  if (st != CW_OK) g_snprintf(err, err_len, "vulkan: cannot allocate the module's variables");
  if (st == CW_OK && gm->uses_printf) {
    st = vk_buffer_create(be, d, PRINTF_BYTES, true, &m->printf_buf);
    if (st == CW_OK && !m->printf_buf->mapped) st = CW_ERR_DRIVER;
    if (st == CW_OK) {
      uint32_t *hdr = m->printf_buf->mapped;
      memset(hdr, 0, GLSL_PRINTF_HEADER_WORDS * 4);
      hdr[1] = PRINTF_BYTES / 4 - GLSL_PRINTF_HEADER_WORDS;
    } else {
      g_snprintf(err, err_len, "vulkan: cannot allocate the printf buffer");
    }
  }
  for (uint32_t i = 0; i < m->n_kernels && st == CW_OK; i++)
    st = kernel_load(m, &m->kernels[i], g_ptr_array_index(gm->kernels, i), err, err_len);
  if (st != CW_OK) {
    vulkan_module_unload(m);
    return st;
  }
  *out = m;
  return CW_OK;
}

void vulkan_module_unload(cw_module *m) {
  if (!m) return;
  vulkan_device_synchronize(m->be, m->dev);
  for (uint32_t i = 0; i < m->n_kernels; i++) kernel_destroy(m, &m->kernels[i]);
  g_free(m->kernels);
  if (m->globals_addr) vulkan_free(m->be, m->dev, m->globals_addr);
  vk_buffer_destroy(m->be, m->d, m->printf_buf);
  g_ptr_array_free(m->strings, TRUE);
  g_free(m->global_offsets);
  g_mutex_clear(&m->lock);
  g_free(m);
}

cw_status vulkan_module_global(cw_module *m, const char *name, uint64_t *addr, size_t *size) {
  for (uint32_t i = 0; i < m->ir->n_globals; i++) {
    const cw_ir_var *v = m->ir->globals[i];
    if ((v->kind != CW_VAR_CONSTANT && v->kind != CW_VAR_DEVICE) || strcmp(v->name, name) != 0) continue;
    *addr = m->globals_addr + m->global_offsets[i];
    *size = v->type->size;
    return CW_OK;
  }
  return CW_ERR_INVALID_VALUE;
}
