/* The host rewrite's entry points: one file at a time, then the module registration. */
#include <string.h>

#include "frontend/host/host_internal.h"

static void free_kernel(gpointer p) {
  host_kernel *k = p;
  g_free(k->qual_name);
  g_free(k);
}

cw_host_rewrite *cw_host_rewrite_new(cw_frontend_ctx *ctx) {
  cw_host_rewrite *hr = g_new0(cw_host_rewrite, 1);
  hr->ctx = ctx;
  hr->qual_aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  hr->kernels = g_ptr_array_new_with_free_func(free_kernel);
  hr->instantiations = g_ptr_array_new_with_free_func(g_free);
  hr->vars = g_ptr_array_new_with_free_func(g_free);
  hr->types = g_ptr_array_new_with_free_func(g_free);
  return hr;
}

void cw_host_rewrite_free(cw_host_rewrite *hr) {
  if (!hr)
    return;
  g_hash_table_destroy(hr->qual_aliases);
  g_ptr_array_free(hr->kernels, TRUE);
  g_ptr_array_free(hr->instantiations, TRUE);
  g_ptr_array_free(hr->vars, TRUE);
  g_ptr_array_free(hr->types, TRUE);
  g_free(hr);
}

static void append_quoted_name(GString *out, const char *name) {
  g_string_append_c(out, '"');
  for (const char *c = name; *c; c++) {
    if (*c == '"' || *c == '\\')
      g_string_append_c(out, '\\');
    g_string_append_c(out, *c);
  }
  g_string_append_c(out, '"');
}

/* CUDA's `__noinline__` cannot be a macro for the host compiler: libstdc++ (GCC 13+) spells
 * `__attribute__((__noinline__))`, which such a macro would break.  So the rewrite spells the
 * attribute out where the user wrote it (in code that stays), and the shim defines no macro. */
static void replace_noinline(host_file *hf) {
  for (int i = 0; i < hf->n; i++)
    if (cw_tok_is(hf->t[i], "__noinline__") && !hf->in_directive[i] && !host_edit_covers(hf, i))
      host_edit_replace(hf, i, i + 1, g_strdup("__attribute__((noinline))"));
}

void cw_host_rewrite_learn_macros(cw_host_rewrite *hr, cw_src_file *file) {
  host_file hf;
  host_file_init(&hf, hr, file);
  host_file_fini(&hf);
}

char *cw_host_rewrite_file(cw_host_rewrite *hr, cw_src_file *file, const char *line_name) {
  host_file hf;
  host_file_init(&hf, hr, file);
  hr->file_counter++;
  host_scan_decls(&hf);
  host_scan_launches(&hf);
  replace_noinline(&hf);
  char *body = host_edit_apply(&hf);
  host_file_fini(&hf);

  GString *out = g_string_new(NULL);
  g_string_append(out,
                  "#include <cuda_runtime.h>\n"
                  "#include <cw_host_abi.h>\n"
                  "#include <string>\n"
                  "#if defined(__has_include)\n"
                  "#if __has_include(<cw_type_name.h>)\n"
                  "#include <cw_type_name.h>\n"
                  "#endif\n"
                  "#endif\n"
                  "#ifndef __CW_MODULE_DECLARED\n"
                  "#define __CW_MODULE_DECLARED\n"
                  "static cw_host_module *__cw_module;\n"
                  "#endif\n"
                  "#line 1 ");
  append_quoted_name(out, line_name);
  g_string_append_c(out, '\n');
  g_string_append(out, body);
  g_free(body);
  return g_string_free(out, FALSE);
}

char *cw_host_c_string_literal(const char *text, size_t len) {
  GString *out = g_string_sized_new(len + len / 8 + 16);
  g_string_append_c(out, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    switch (c) {
    case '\n':
      g_string_append(out, "\\n\"");
      if (i + 1 < len)
        g_string_append(out, "\n\"");
      else
        return g_string_free(out, FALSE);
      break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '"': g_string_append(out, "\\\""); break;
    case '?': g_string_append(out, "\\?"); break;   /* no trigraphs under -std=c++14 */
    case '\t': g_string_append(out, "\\t"); break;
    default:
      if (c < 0x20 || c >= 0x7f)
        g_string_append_printf(out, "\\%03o", c);
      else
        g_string_append_c(out, (char)c);
    }
  }
  g_string_append_c(out, '"');
  return g_string_free(out, FALSE);
}

void cw_host_rewrite_set_module_flags(cw_host_rewrite *hr, uint32_t flags) { hr->module_flags = flags; }

char *cw_host_rewrite_epilogue(cw_host_rewrite *hr, const char *source_name, const char *device_text) {
  GString *out = g_string_new("\n#line 1 \"<cw: device module>\"\n");
  char *lit = cw_host_c_string_literal(device_text, strlen(device_text));
  g_string_append_printf(out, "static const char __cw_device_text[] =\n%s;\n", lit);
  g_free(lit);
  g_string_append(out, "static const char *const __cw_instantiations[] = {");
  for (guint k = 0; k < hr->instantiations->len; k++) {
    const char *id = g_ptr_array_index(hr->instantiations, k);
    char *q = cw_host_c_string_literal(id, strlen(id));
    g_string_append_printf(out, "%s, ", q);
    g_free(q);
  }
  g_string_append(out, "nullptr};\n");
  char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, device_text, -1);
  char *src = cw_host_c_string_literal(source_name, strlen(source_name));
  g_string_append_printf(out,
                         "static const cw_host_module_desc __cw_module_desc = {CW_HOST_ABI_VERSION, %s, "
                         "__cw_device_text, sizeof(__cw_device_text) - 1, __cw_instantiations, \"%s\", %uu};\n",
                         src, digest, hr->module_flags);
  /* Priority 101: before the program's own static initializers, which may launch kernels; the
   * stubs' and variables' registrations are dynamic initializers and so run after it. */
  g_string_append(out,
                   "__attribute__((constructor(101))) static void __cw_register_module(void) {\n"
                   "  __cw_module = __cwRegisterModule(&__cw_module_desc);\n"
                   "}\n");
  g_free(src);
  g_free(digest);
  return g_string_free(out, FALSE);
}

const char *const *cw_host_rewrite_instantiations(const cw_host_rewrite *hr, int *count) {
  if (count)
    *count = (int)hr->instantiations->len;
  return (const char *const *)hr->instantiations->pdata;
}

int cw_host_rewrite_kernel_count(const cw_host_rewrite *hr) {
  return (int)hr->kernels->len;
}

const char *cw_host_rewrite_kernel_name(const cw_host_rewrite *hr, int i) {
  return ((host_kernel *)g_ptr_array_index(hr->kernels, i))->qual_name;
}
