/* module.c — device modules: registration by the rewritten host code, IR (front end, cached by
 * digest and instantiation set), emission and loading on the backend (once per device), kernel
 * lookup by host key, and module variables.
 *
 * A module's kernels are known from its IR.  A host key the IR lacks that is a template-id
 * ("reduce<float,256>": an instantiation only known at run time, deduced from argument types)
 * is compiled on demand, in one of two ways:
 *  - split (the module has no __device__ variables): a small extra variant holding just that
 *    instantiation (plus the non-template kernels the front end always emits).  Its __constant__
 *    variables are copies: initialized from the base variant and kept equal by mirroring every
 *    host write into a module variable (kernels cannot write constants).  Cost per instantiation
 *    stays constant, which matters for programs that dispatch dozens of them.
 *  - rebuild (kernels may write __device__ variables, so there must be one copy): the IR rebuilt
 *    with the extra instantiation, loaded, made current, its variables initialized from the
 *    previous variant. */
#include <string.h>

#include "runtime/rt_internal.h"

typedef struct cw_rt_variant {
  cw_host_module *module;
  cw_ir_module *ir;                       /* one reference to the IR cache entry */
  cw_artifact *art[CW_RT_MAX_DEVICES];
  cw_module *mod[CW_RT_MAX_DEVICES];
  cudaError_t load_error[CW_RT_MAX_DEVICES]; /* a failed load, reported again without retrying */
  GArray *symbols[CW_RT_MAX_DEVICES];     /* uint64_t base addresses added to the device table */
} cw_rt_variant;

struct cw_host_module {
  cw_host_module_desc desc;               /* the program's (static) descriptor, or our copy */
  char *digest;                           /* desc->digest or computed */
  bool owned;                             /* desc strings are ours (cw_rt_module_new) */
  GPtrArray *insts;                       /* char*: instantiations, descriptor's then learned */
  cw_rt_variant *current;
  GPtrArray *variants;                    /* every variant made (older ones stay loaded) */
  GPtrArray *extras;                      /* split mode: cw_rt_variant* of run-time instantiations */
  GHashTable *extra_keys;                 /* host key → cw_rt_variant* in extras */
  GHashTable *missing;                    /* host keys known not to exist */
  cudaError_t error;                      /* a compile failure, reported at each use */
  bool error_logged;
  cw_host_module *linked;                 /* relocatable (-rdc): the module it was linked into */
};

static cw_rt_module_compiler compiler;
static cw_rt_module_free_fn compiler_free;

/* IR shared by every variant built from the same text and instantiation set. */
typedef struct ir_entry {
  char *key;                              /* "digest|inst\ninst" (sorted) */
  cw_ir_module *ir;
  int refs;                               /* variants using it */
} ir_entry;
static GHashTable *ir_cache;              /* key → ir_entry* */
static GHashTable *ir_entries;            /* cw_ir_module* → ir_entry* */

static void ir_unref(cw_ir_module *ir) {
  ir_entry *e = ir_entries ? g_hash_table_lookup(ir_entries, ir) : NULL;
  if (!e || --e->refs > 0) return;
  g_hash_table_remove(ir_entries, ir);
  g_hash_table_remove(ir_cache, e->key);
  if (compiler_free) compiler_free(e->ir);
  g_free(e->key);
  g_free(e);
}

CW_RT_API void cw_rt_set_module_compiler(cw_rt_module_compiler fn, cw_rt_module_free_fn free_fn) {
  compiler = fn;
  compiler_free = free_fn;
}

static cw_rt_backend *B(void) { return &cw_rt_get()->backend; }

/* ---- registration ---- */

static cw_host_module *module_alloc(void) {
  cw_host_module *m = g_new0(cw_host_module, 1);
  m->insts = g_ptr_array_new_with_free_func(g_free);
  m->variants = g_ptr_array_new();
  m->missing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  m->extras = g_ptr_array_new();
  m->extra_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  return m;
}

static void module_init_from(cw_host_module *m) {
  const cw_host_module_desc *d = &m->desc;
  if (d->instantiations)
    for (const char *const *p = d->instantiations; *p; p++) g_ptr_array_add(m->insts, g_strdup(*p));
  if (d->digest && *d->digest) {
    m->digest = g_strdup(d->digest);
  } else if (d->device_text) {
    m->digest = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)d->device_text,
                                            d->device_text_len ? d->device_text_len : strlen(d->device_text));
  } else {
    m->digest = g_strdup("");
  }
}

CW_RT_API cw_host_module *__cwRegisterModule(const cw_host_module_desc *desc) {
  cw_host_module *m = module_alloc();
  if (!desc || desc->abi_version != CW_HOST_ABI_VERSION || !desc->device_text) {
    /* Never abort from a static constructor: the error is reported at the first use. */
    m->error = cudaErrorInvalidKernelImage;
    cw_log(CW_LOG_ERROR, "runtime", "%s: device module built for host ABI %u, this libcw speaks %u",
           desc && desc->source_name ? desc->source_name : "(unknown)", desc ? desc->abi_version : 0,
           CW_HOST_ABI_VERSION);
    if (desc) m->desc = *desc;
    m->desc.instantiations = NULL;
    m->digest = g_strdup("");
  } else {
    m->desc = *desc;
    module_init_from(m);
  }
  cw_rt_lock();
  g_ptr_array_add(cw_rt_get()->modules, m);
  cw_rt_unlock();
  return m;
}

cw_host_module *cw_rt_module_new(const cw_host_module_desc *desc) {
  cw_host_module *m = module_alloc();
  m->owned = true;
  m->desc = *desc;
  m->desc.source_name = g_strdup(desc->source_name ? desc->source_name : "<source>");
  m->desc.device_text = g_strdup(desc->device_text);
  m->desc.device_text_len = strlen(m->desc.device_text);
  m->desc.digest = NULL;
  m->desc.instantiations = NULL;
  module_init_from(m);
  if (desc->instantiations)
    for (const char *const *p = desc->instantiations; *p; p++) g_ptr_array_add(m->insts, g_strdup(*p));
  cw_rt_lock();
  g_ptr_array_add(cw_rt_get()->modules, m);
  cw_rt_unlock();
  return m;
}

CW_RT_API void __cwRegisterFunction(cw_host_module *m, const void *stub, const char *host_key) {
  if (!m || !stub || !host_key) return;
  cw_rt_func *f = g_new0(cw_rt_func, 1);
  f->stub = stub;
  f->module = m;
  f->host_key = g_strdup(host_key);
  f->max_dynamic_shared = -1;
  f->carveout = -1;
  cw_rt_lock();
  cw_rt_func *old = g_hash_table_lookup(cw_rt_get()->funcs, stub);
  if (old) {
    g_free(old->host_key);
    g_free(old);
  }
  g_hash_table_insert(cw_rt_get()->funcs, (gpointer)stub, f);
  cw_rt_unlock();
}

static const cw_ir_var *find_global(const cw_ir_module *ir, const char *source_name);

/* Enters v under `key` (the runtime lock held), replacing an earlier registration of it. */
static void var_insert(void *key, cw_rt_var *v) {
  cw_rt_var *old = g_hash_table_lookup(cw_rt_get()->vars, key);
  if (old && old != v) {
    g_free(old->name);
    g_free(old->managed_detail);
    g_free(old);
  }
  v->shadow = key;
  g_hash_table_insert(cw_rt_get()->vars, key, v);
}

CW_RT_API void __cwRegisterVar(cw_host_module *m, void *shadow, const char *name, size_t size,
                               int is_constant) {
  if (!m || !shadow || !name) return;
  cw_rt_var *v = g_new0(cw_rt_var, 1);
  v->module = m;
  v->name = g_strdup(name);
  v->size = size;
  v->is_constant = is_constant != 0;
  cw_rt_lock();
  var_insert(shadow, v);
  cw_rt_unlock();
}

/* __managed__ variables: the storage is allocated now, at static initialization, because host code
 * binds a reference to its address once (the host rewrite, core/frontend/host/host_decl.c); this
 * selects the backend early.  The device of the moment owns it.  When it cannot be had, host code
 * gets its own copy (the initial value), and loading the module declines with the reason.  The
 * variable is entered (under `init`) before the backend is selected, so that a backend declining
 * the program can be told why (backend_select.c). */
CW_RT_API void *__cwRegisterManagedVar(cw_host_module *m, void *init, const char *name, size_t size) {
  if (!m || !init || !name) return init;
  cw_rt_var *v = g_new0(cw_rt_var, 1);
  v->module = m;
  v->name = g_strdup(name);
  v->size = size;
  v->managed = true;
  cw_rt_lock();
  var_insert(init, v);
  cw_rt_unlock();
  int dev = 0;
  cw_rt_clear_detail();
  cudaError_t e = cw_rt_ready_device(&dev);
  uint64_t addr = 0;
  if (e == cudaSuccess) e = cw_rt_managed_alloc(dev, size ? size : 1, cudaMemAttachGlobal | CW_ALLOC_VARIABLE, &addr);
  if (e != cudaSuccess) {
    const char *detail = cw_rt_detail();
    v->managed_error = e;
    v->managed_detail = g_strdup_printf("%s: no managed memory for __managed__ variable '%s' (%zu bytes): %s%s%s",
                                        m->desc.source_name, name, size, cudaGetErrorString(e),
                                        detail && *detail ? ": " : "", detail && *detail ? detail : "");
    cw_log(CW_LOG_WARN, "runtime", "%s; host code uses a copy that kernels do not see", v->managed_detail);
    return init;
  }
  memcpy((void *)(uintptr_t)addr, init, size);   /* host memory (direct) or its host copy (emulated) */
  cw_rt_lock();
  g_hash_table_steal(cw_rt_get()->vars, init);
  v->managed_addr = addr;
  var_insert((void *)(uintptr_t)addr, v);
  cw_rt_unlock();
  return (void *)(uintptr_t)addr;
}

bool cw_rt_has_managed_var(const cw_ir_module *ir) {
  bool found = false;
  cw_rt_lock();
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, cw_rt_get()->vars);
  while (!found && g_hash_table_iter_next(&it, &key, &value)) {
    const cw_rt_var *var = value;
    const cw_ir_var *g = var->managed ? find_global(ir, var->name) : NULL;
    found = g && g->type->kind == CW_IR_PTR;
  }
  cw_rt_unlock();
  return found;
}

cw_rt_func *cw_rt_func_lookup(const void *stub) {
  cw_rt_lock();
  cw_rt_func *f = g_hash_table_lookup(cw_rt_get()->funcs, stub);
  cw_rt_unlock();
  return f;
}

cw_rt_var *cw_rt_var_lookup(const void *shadow) {
  cw_rt_lock();
  cw_rt_var *v = g_hash_table_lookup(cw_rt_get()->vars, shadow);
  cw_rt_unlock();
  return v;
}

/* ---- IR ---- */

static gint cmp_str(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The IR of m's text with instantiation set `insts`, from the cache or the compiler; the caller
 * owns one reference (ir_unref). */
static cudaError_t compile_ir(cw_host_module *m, const GPtrArray *insts, cw_ir_module **out) {
  if (m->error != cudaSuccess) return m->error;
  if (!compiler) {
    cw_rt_set_detail("%s: no front end in this build (libcw without core/frontend)", m->desc.source_name);
    return cudaErrorInvalidPtx;
  }
  GPtrArray *sorted = g_ptr_array_new();
  for (guint i = 0; i < insts->len; i++) g_ptr_array_add(sorted, insts->pdata[i]);
  g_ptr_array_sort(sorted, cmp_str);
  GString *key = g_string_new(m->digest);
  g_string_append_c(key, '|');
  for (guint i = 0; i < sorted->len; i++) {
    if (i) g_string_append_c(key, '\n');
    g_string_append(key, sorted->pdata[i]);
  }
  if (!ir_cache) {
    ir_cache = g_hash_table_new(g_str_hash, g_str_equal);
    ir_entries = g_hash_table_new(g_direct_hash, g_direct_equal);
  }
  ir_entry *entry = g_hash_table_lookup(ir_cache, key->str);
  cw_ir_module *ir = entry ? entry->ir : NULL;
  cudaError_t e = cudaSuccess;
  if (entry) {
    entry->refs++;
  } else {
    char *error = NULL;
    g_ptr_array_add(sorted, NULL);
    ir = compiler(&m->desc, (const char *const *)sorted->pdata, (int)sorted->len - 1, &error);
    if (ir) {
      entry = g_new0(ir_entry, 1);
      entry->key = g_strdup(key->str);
      entry->ir = ir;
      entry->refs = 1;
      g_hash_table_insert(ir_cache, entry->key, entry);
      g_hash_table_insert(ir_entries, ir, entry);
    } else {
      cw_rt_set_detail("%s", error ? error : "the front end rejected the device code");
      cw_log(CW_LOG_ERROR, "runtime", "cannot compile the device code of %s:\n%s", m->desc.source_name,
             error ? error : "(no diagnostics)");
      g_free(error);
      e = cudaErrorInvalidPtx;
    }
  }
  g_ptr_array_free(sorted, TRUE);
  g_string_free(key, TRUE);
  *out = ir;
  return e;
}

static cudaError_t module_ir(cw_host_module *m, cw_ir_module **out) { return compile_ir(m, m->insts, out); }

static cw_rt_variant *variant_new(cw_host_module *m, cw_ir_module *ir) {
  cw_rt_variant *v = g_new0(cw_rt_variant, 1);
  v->module = m;
  v->ir = ir;
  g_ptr_array_add(m->variants, v);
  return v;
}

static cudaError_t current_variant(cw_host_module *m, cw_rt_variant **out) {
  if (!m->current) {
    cw_ir_module *ir = NULL;
    cudaError_t e = module_ir(m, &ir);
    if (e != cudaSuccess) {
      /* A broken module stays broken: report it at each use without recompiling. */
      m->error = e;
      return e;
    }
    m->current = variant_new(m, ir);
  }
  *out = m->current;
  return cudaSuccess;
}

/* ---- relocatable device code (-rdc) ---- */

static bool rdc_linked;

/* Links every relocatable module registered so far into one new module: device texts
 * concatenated in registration order, instantiations unioned.  Done once, at the first use of
 * any module (all static constructors have run by then); a relocatable module registered later
 * (a dlopen'ed library) stays a module of its own.  Lock held. */
static void rdc_link(void) {
  if (rdc_linked) return;
  rdc_linked = true;
  GPtrArray *mods = cw_rt_get()->modules, *parts = g_ptr_array_new();
  for (guint i = 0; i < mods->len; i++) {
    cw_host_module *m = mods->pdata[i];
    if ((m->desc.flags & CW_HOST_MODULE_RDC) && m->error == cudaSuccess) g_ptr_array_add(parts, m);
  }
  if (parts->len >= 2) {
    GString *text = g_string_new(NULL), *names = g_string_new(NULL);
    GPtrArray *insts = g_ptr_array_new();
    for (guint i = 0; i < parts->len; i++) {
      cw_host_module *m = parts->pdata[i];
      /* the front end keeps each file's static functions to itself from this mark on */
      g_string_append(text, "#pragma cw translation_unit\n");
      g_string_append(text, m->desc.device_text);
      if (text->len && text->str[text->len - 1] != '\n') g_string_append_c(text, '\n');
      g_string_append_printf(names, "%s%s", i ? " + " : "", m->desc.source_name ? m->desc.source_name : "?");
      for (guint k = 0; k < m->insts->len; k++) {
        bool seen = false;
        for (guint j = 0; j < insts->len && !seen; j++) seen = !strcmp(insts->pdata[j], m->insts->pdata[k]);
        if (!seen) g_ptr_array_add(insts, m->insts->pdata[k]);
      }
    }
    g_ptr_array_add(insts, NULL);
    cw_host_module_desc d = {.abi_version = CW_HOST_ABI_VERSION, .source_name = names->str,
                             .device_text = text->str, .device_text_len = text->len,
                             .instantiations = (const char *const *)insts->pdata};
    cw_host_module *linked = cw_rt_module_new(&d);
    for (guint i = 0; i < parts->len; i++) ((cw_host_module *)parts->pdata[i])->linked = linked;
    cw_log(CW_LOG_INFO, "runtime", "linked %u relocatable device modules: %s", parts->len, names->str);
    g_ptr_array_free(insts, TRUE);
    g_string_free(text, TRUE);
    g_string_free(names, TRUE);
  }
  g_ptr_array_free(parts, TRUE);
}

/* The module that holds m's device code: m itself, or the linked module of -rdc. */
static cw_host_module *resolve(cw_host_module *m) {
  if (!m || !(m->desc.flags & CW_HOST_MODULE_RDC)) return m;
  cw_rt_lock();
  rdc_link();
  cw_rt_unlock();
  return m->linked ? m->linked : m;
}

GPtrArray *cw_rt_module_base_irs(void) {
  GPtrArray *irs = g_ptr_array_new();
  cw_rt_lock();
  rdc_link();
  GPtrArray *mods = cw_rt_get()->modules;
  for (guint i = 0; i < mods->len; i++) {
    cw_rt_variant *v = NULL;
    if (((cw_host_module *)mods->pdata[i])->linked) continue;   /* its code is in the linked module */
    if (current_variant(mods->pdata[i], &v) == cudaSuccess) g_ptr_array_add(irs, v->ir);
  }
  cw_rt_unlock();
  return irs;
}

/* ---- loading ---- */

static void register_symbols(cw_rt_variant *v, int dev) {
  if (!v->symbols[dev]) v->symbols[dev] = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  if (!B()->ops.module_global) return;
  for (uint32_t i = 0; i < v->ir->n_globals; i++) {
    const cw_ir_var *g = v->ir->globals[i];
    if (g->kind != CW_VAR_CONSTANT && g->kind != CW_VAR_DEVICE) continue;
    uint64_t addr = 0;
    size_t size = 0;
    if (B()->ops.module_global(v->mod[dev], g->name, &addr, &size) != CW_OK) continue;
    cw_rt_alloc a = {.base = addr, .size = size, .kind = CW_ALLOC_SYMBOL, .device = dev, .owner = v,
                     .owner_index = i};
    if (cw_rt_alloc_table_add(cw_rt_device_table(), &a)) g_array_append_val(v->symbols[dev], addr);
  }
}

static void unregister_symbols(cw_rt_variant *v, int dev) {
  if (!v->symbols[dev]) return;
  for (guint i = 0; i < v->symbols[dev]->len; i++)
    cw_rt_alloc_table_remove(cw_rt_device_table(), g_array_index(v->symbols[dev], uint64_t, i), NULL);
  g_array_set_size(v->symbols[dev], 0);
}

static cudaError_t variant_load_once(cw_host_module *m, cw_rt_variant *v, int dev);

/* Points the module's variable of each __managed__ variable of m at its managed storage.  The front
 * end lowers `__managed__ T x` to a device variable `T *x` used as a reference, so any backend
 * whose kernels can use a cudaMallocManaged pointer can use it. */
static cudaError_t bind_managed(cw_host_module *m, cw_rt_variant *v, int dev) {
  GHashTableIter it;
  gpointer key, value;
  cudaError_t e = cudaSuccess;
  cw_rt_stream *s = NULL;
  g_hash_table_iter_init(&it, cw_rt_get()->vars);
  while (e == cudaSuccess && g_hash_table_iter_next(&it, &key, &value)) {
    cw_rt_var *var = value;
    if (!var->managed || resolve(var->module) != m) continue;
    const cw_ir_var *g = find_global(v->ir, var->name);
    const cw_rt_alloc *home = var->managed_addr ? cw_rt_alloc_table_find(cw_rt_device_table(), var->managed_addr) : NULL;
    uint64_t at = 0;
    size_t size = 0;
    if (!var->managed_addr) {
      cw_rt_set_detail("%s", var->managed_detail);
      e = var->managed_error;
    } else if (home && (home->flags & CW_ALLOC_EMULATED) && home->device != dev) {
      /* Emulated managed memory is one device's allocation with a host copy. */
      cw_rt_set_detail("backend %s: __managed__ variable '%s' of %s lives on device %d, whose managed memory is "
                       "emulated by copies; kernels of device %d cannot use it",
                       B()->name, var->name, m->desc.source_name, home->device, dev);
      e = cudaErrorNotSupported;
    } else if (!g || g->kind != CW_VAR_DEVICE || g->type->kind != CW_IR_PTR || !B()->ops.module_global ||
               B()->ops.module_global(v->mod[dev], g->name, &at, &size) != CW_OK || size != sizeof(uint64_t)) {
      cw_rt_set_detail("%s: the device module does not hold __managed__ variable '%s' as the address of its "
                       "managed storage (a front end that does not lower __managed__)",
                       m->desc.source_name, var->name);
      e = cudaErrorInvalidSymbol;
    } else {
      if (!s) e = cw_rt_stream_resolve(NULL, dev, &s);
      if (e == cudaSuccess)
        e = cw_rt_status_error(B()->mem.copy_h2d(s->s, at, &var->managed_addr, sizeof var->managed_addr, false));
    }
  }
  if (e != cudaSuccess)
    cw_log(CW_LOG_ERROR, "runtime", "backend %s: loading %s failed: %s", B()->name, m->desc.source_name,
           cw_rt_detail() ? cw_rt_detail() : cudaGetErrorString(e));
  return e;
}

/* Loads v on dev once; a failure (unsupported kernel, emit or load error) is remembered so that a
 * launch loop reports it without recompiling or logging it again. */
static cudaError_t variant_load(cw_host_module *m, cw_rt_variant *v, int dev) {
  if (v->mod[dev]) return cudaSuccess;
  if (v->load_error[dev] != cudaSuccess) return v->load_error[dev];
  cudaError_t e = variant_load_once(m, v, dev);
  v->load_error[dev] = e;
  return e;
}

static cudaError_t variant_load_once(cw_host_module *m, cw_rt_variant *v, int dev) {
  const cw_device_caps *caps = cw_rt_caps(dev);
  char msg[1024] = "";
  if (B()->tr.supports && !B()->tr.supports(B()->be, v->ir, caps, msg, sizeof msg)) {
    cw_rt_set_detail("backend %s cannot run %s: %s", B()->name, m->desc.source_name, msg);
    cw_log(CW_LOG_ERROR, "runtime", "backend %s cannot run %s: %s", B()->name, m->desc.source_name, msg);
    return cudaErrorNoKernelImageForDevice;
  }
  if (!v->art[dev]) {
    cw_status st = B()->tr.emit(B()->be, v->ir, caps, &v->art[dev], msg, sizeof msg);
    if (st != CW_OK) {
      cw_rt_set_detail("backend %s: emitting %s failed: %s", B()->name, m->desc.source_name, msg);
      cw_log(CW_LOG_ERROR, "runtime", "backend %s: emitting %s failed: %s", B()->name, m->desc.source_name, msg);
      return st == CW_ERR_UNSUPPORTED ? cudaErrorNoKernelImageForDevice : cudaErrorInvalidPtx;
    }
  }
  msg[0] = 0;
  cw_status st = B()->ops.module_load(B()->be, dev, v->ir, v->art[dev], &v->mod[dev], msg, sizeof msg);
  if (st != CW_OK) {
    v->mod[dev] = NULL;
    cw_rt_set_detail("backend %s: loading %s failed: %s", B()->name, m->desc.source_name, msg);
    cw_log(CW_LOG_ERROR, "runtime", "backend %s: loading %s failed: %s", B()->name, m->desc.source_name, msg);
    return st == CW_ERR_OUT_OF_MEMORY ? cudaErrorMemoryAllocation : cudaErrorInvalidPtx;
  }
  register_symbols(v, dev);
  cudaError_t e = bind_managed(m, v, dev);
  if (e != cudaSuccess) {
    unregister_symbols(v, dev);
    B()->ops.module_unload(v->mod[dev]);
    v->mod[dev] = NULL;
  }
  return e;
}

static const cw_ir_var *find_global(const cw_ir_module *ir, const char *source_name) {
  for (uint32_t i = 0; i < ir->n_globals; i++) {
    const cw_ir_var *g = ir->globals[i];
    if (g->kind != CW_VAR_CONSTANT && g->kind != CW_VAR_DEVICE) continue;
    if ((g->source_name && strcmp(g->source_name, source_name) == 0) || strcmp(g->name, source_name) == 0)
      return g;
  }
  return NULL;
}

/* Copies the module variables of `from` into `to` on device dev (both loaded). */
static cudaError_t migrate_globals(cw_rt_variant *from, cw_rt_variant *to, int dev) {
  if (!B()->ops.module_global) return cudaSuccess;   /* no variables to carry over */
  cudaError_t e = cw_rt_device_sync(dev);
  cw_rt_stream *s = NULL;
  if (e == cudaSuccess) e = cw_rt_stream_resolve(NULL, dev, &s);
  for (uint32_t i = 0; e == cudaSuccess && i < to->ir->n_globals; i++) {
    const cw_ir_var *g = to->ir->globals[i];
    if (g->kind != CW_VAR_CONSTANT && g->kind != CW_VAR_DEVICE) continue;
    const cw_ir_var *old = find_global(from->ir, g->source_name ? g->source_name : g->name);
    uint64_t src = 0, dst = 0;
    size_t src_size = 0, dst_size = 0;
    if (!old || B()->ops.module_global(from->mod[dev], old->name, &src, &src_size) != CW_OK ||
        B()->ops.module_global(to->mod[dev], g->name, &dst, &dst_size) != CW_OK)
      continue;
    e = cw_rt_status_error(B()->mem.copy_d2d(s->s, dst, src, MIN(src_size, dst_size), false));
  }
  return e;
}

static int find_kernel(const cw_ir_module *ir, const char *key) {
  for (uint32_t i = 0; i < ir->n_kernels; i++)
    if (ir->kernels[i]->host_key && strcmp(ir->kernels[i]->host_key, key) == 0) return (int)i;
  return -1;
}

/* Rebuilds m with `key` as an extra instantiation; makes the result current when it has it. */
static cudaError_t add_instantiation(cw_host_module *m, const char *key, int dev) {
  cw_rt_variant *old = m->current;
  g_ptr_array_add(m->insts, g_strdup(key));
  cw_ir_module *ir = NULL;
  cudaError_t e = module_ir(m, &ir);
  if (e == cudaSuccess && find_kernel(ir, key) < 0) {
    ir_unref(ir);
    e = cudaErrorInvalidDeviceFunction;
  }
  if (e != cudaSuccess) {
    g_ptr_array_remove_index(m->insts, m->insts->len - 1);
    return e;
  }
  cw_rt_variant *v = variant_new(m, ir);
  /* Load on every device the old variant was on, carry its variables over, then switch. */
  for (int d = 0; d < B()->device_count && e == cudaSuccess; d++) {
    if (d != dev && !old->mod[d]) continue;
    e = variant_load(m, v, d);
    if (e == cudaSuccess && old->mod[d]) e = migrate_globals(old, v, d);
  }
  if (e != cudaSuccess) return e;
  for (int d = 0; d < B()->device_count; d++) unregister_symbols(old, d);
  m->current = v;
  cw_log(CW_LOG_INFO, "runtime", "%s: instantiated %s at run time", m->desc.source_name, key);
  return cudaSuccess;
}

static bool has_device_vars(const cw_ir_module *ir) {
  for (uint32_t i = 0; i < ir->n_globals; i++)
    if (ir->globals[i]->kind == CW_VAR_DEVICE) return true;
  return false;
}

/* Split mode: a new variant with just `key` (see the top of the file); extra_load loads it. */
static cudaError_t add_extra(cw_host_module *m, const char *key, cw_rt_variant **out) {
  GPtrArray *one = g_ptr_array_new();
  g_ptr_array_add(one, (gpointer)key);
  cw_ir_module *ir = NULL;
  cudaError_t e = compile_ir(m, one, &ir);
  g_ptr_array_free(one, TRUE);
  if (e == cudaSuccess && find_kernel(ir, key) < 0) {
    ir_unref(ir);
    e = cudaErrorInvalidDeviceFunction;
  }
  if (e != cudaSuccess) return e;
  cw_rt_variant *v = variant_new(m, ir);
  g_ptr_array_add(m->extras, v);
  g_hash_table_insert(m->extra_keys, g_strdup(key), v);
  cw_log(CW_LOG_INFO, "runtime", "%s: instantiated %s at run time", m->desc.source_name, key);
  *out = v;
  return cudaSuccess;
}

/* An extra variant loaded on dev with the base variant's constants. */
static cudaError_t extra_load(cw_host_module *m, cw_rt_variant *x, int dev) {
  if (x->mod[dev]) return cudaSuccess;
  cudaError_t e = variant_load(m, x, dev);
  if (e == cudaSuccess) e = migrate_globals(m->current, x, dev);
  return e;
}

void cw_rt_module_symbol_written(uint64_t addr, size_t count, cw_rt_stream *s) {
  const cw_rt_alloc *a = cw_rt_alloc_table_find(cw_rt_device_table(), addr);
  if (!a || a->kind != CW_ALLOC_SYMBOL || !a->owner || !B()->ops.module_global) return;
  cw_rt_variant *from = a->owner;
  cw_host_module *m = from->module;
  if (!m->extras->len) return;
  int dev = a->device;
  const cw_ir_var *g = from->ir->globals[a->owner_index];
  uint64_t off = addr - a->base;
  for (guint i = 0; i <= m->extras->len; i++) {
    cw_rt_variant *to = i < m->extras->len ? m->extras->pdata[i] : m->current;
    if (to == from || !to->mod[dev]) continue;
    const cw_ir_var *tg = find_global(to->ir, g->source_name ? g->source_name : g->name);
    uint64_t dst = 0;
    size_t size = 0;
    if (!tg || B()->ops.module_global(to->mod[dev], tg->name, &dst, &size) != CW_OK || off + count > size)
      continue;
    cw_status st = B()->mem.copy_d2d(s->s, dst + off, addr, count, true);
    if (st != CW_OK) cw_rt_status_error(st);
  }
}

cudaError_t cw_rt_module_kernel(cw_host_module *m, const char *key, int dev, cw_rt_kernel *out) {
  m = resolve(m);
  cw_rt_lock();
  cw_rt_variant *v = NULL;
  cudaError_t e = current_variant(m, &v);
  if (e == cudaSuccess) e = variant_load(m, v, dev);
  int k = e == cudaSuccess ? find_kernel(v->ir, key) : -1;
  if (e == cudaSuccess && k < 0) {
    gpointer known = NULL;
    if (g_hash_table_lookup_extended(m->missing, key, NULL, &known)) {
      e = (cudaError_t)GPOINTER_TO_INT(known);   /* failed before: same answer, no rebuild */
    } else if ((v = g_hash_table_lookup(m->extra_keys, key)) != NULL) {
      e = extra_load(m, v, dev);
      k = e == cudaSuccess ? find_kernel(v->ir, key) : -1;
    } else if (strchr(key, '<')) {
      if (!has_device_vars(m->current->ir)) {
        e = add_extra(m, key, &v);
        if (e == cudaSuccess) e = extra_load(m, v, dev);
      } else {
        e = add_instantiation(m, key, dev);
        v = m->current;
      }
      if (e == cudaSuccess) {
        k = find_kernel(v->ir, key);
      } else if (e == cudaErrorInvalidDeviceFunction || e == cudaErrorInvalidPtx) {
        g_hash_table_insert(m->missing, g_strdup(key), GINT_TO_POINTER(e));
      }
    } else {
      e = cudaErrorInvalidDeviceFunction;
    }
    if (e == cudaErrorInvalidDeviceFunction) {
      cw_rt_set_detail("%s: no kernel '%s' in the device code", m->desc.source_name, key);
      cw_log(CW_LOG_ERROR, "runtime", "%s: no kernel '%s' in the device code", m->desc.source_name, key);
    }
  }
  if (e == cudaSuccess) {
    out->func = v->ir->kernels[k];
    out->index = (uint32_t)k;
    out->mod = v->mod[dev];
  }
  cw_rt_unlock();
  return e;
}

cudaError_t cw_rt_module_load(cw_host_module *m, int dev) {
  m = resolve(m);
  cw_rt_lock();
  cw_rt_variant *v = NULL;
  cudaError_t e = current_variant(m, &v);
  if (e == cudaSuccess) e = variant_load(m, v, dev);
  cw_rt_unlock();
  return e;
}

cudaError_t cw_rt_module_var(const cw_rt_var *var, int dev, uint64_t *addr, size_t *size) {
  if (var->managed) {   /* its storage, not the device module's pointer to it */
    if (!var->managed_addr) {
      cw_rt_set_detail("%s", var->managed_detail);
      return var->managed_error;
    }
    *addr = var->managed_addr;
    *size = var->size;
    return cudaSuccess;
  }
  cw_host_module *m = resolve(var->module);
  cw_rt_lock();
  cw_rt_variant *v = NULL;
  cudaError_t e = current_variant(m, &v);
  if (e == cudaSuccess) e = variant_load(m, v, dev);
  const cw_ir_var *g = e == cudaSuccess ? find_global(v->ir, var->name) : NULL;
  if (e == cudaSuccess && !g) {
    cw_rt_set_detail("%s: no device variable '%s'", m->desc.source_name, var->name);
    e = cudaErrorInvalidSymbol;
  }
  if (e == cudaSuccess &&
      (!B()->ops.module_global || B()->ops.module_global(v->mod[dev], g->name, addr, size) != CW_OK))
    e = cudaErrorInvalidSymbol;
  cw_rt_unlock();
  return e;
}

/* ---- teardown ---- */

static void variant_unload(cw_rt_variant *v, int dev) {
  unregister_symbols(v, dev);
  v->load_error[dev] = cudaSuccess;
  if (v->mod[dev]) B()->ops.module_unload(v->mod[dev]);
  v->mod[dev] = NULL;
  if (v->art[dev] && B()->tr.artifact_free) B()->tr.artifact_free(v->art[dev]);
  v->art[dev] = NULL;
}

void cw_rt_modules_unload_device(int dev) {
  GPtrArray *mods = cw_rt_get()->modules;
  for (guint i = 0; i < mods->len; i++) {
    cw_host_module *m = mods->pdata[i];
    for (guint j = 0; j < m->variants->len; j++) variant_unload(m->variants->pdata[j], dev);
  }
}

static void module_free(cw_host_module *m) {
  for (guint j = 0; j < m->variants->len; j++) {
    cw_rt_variant *v = m->variants->pdata[j];
    for (int d = 0; d < CW_RT_MAX_DEVICES; d++) {
      if (d < B()->device_count) variant_unload(v, d);
      if (v->symbols[d]) g_array_free(v->symbols[d], TRUE);
    }
    ir_unref(v->ir);
    g_free(v);
  }
  g_ptr_array_free(m->variants, TRUE);
  g_ptr_array_free(m->extras, TRUE);
  g_hash_table_destroy(m->extra_keys);
  g_ptr_array_free(m->insts, TRUE);
  g_hash_table_destroy(m->missing);
  g_free(m->digest);
  if (m->owned) {
    g_free((char *)m->desc.source_name);
    g_free((char *)m->desc.device_text);
  }
  g_free(m);
}

/* Forgets one module made by cw_rt_module_new (its functions and variables included). */
void cw_rt_module_release(cw_host_module *m) {
  cw_rt *rt = cw_rt_get();
  cw_rt_lock();
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, rt->funcs);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    cw_rt_func *f = value;
    if (f->module != m) continue;
    g_hash_table_iter_remove(&it);
    g_free(f->host_key);
    g_free(f);
  }
  g_hash_table_iter_init(&it, rt->vars);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    cw_rt_var *v = value;
    if (v->module != m) continue;
    g_hash_table_iter_remove(&it);
    if (v->managed_addr) cw_rt_managed_release_variable(v->managed_addr);
    g_free(v->name);
    g_free(v->managed_detail);
    g_free(v);
  }
  g_ptr_array_remove(rt->modules, m);
  module_free(m);
  cw_rt_unlock();
}

void cw_rt_module_release_all(void) {
  cw_rt *rt = cw_rt_get();
  cw_rt_lock();
  while (rt->modules->len) cw_rt_module_release(rt->modules->pdata[rt->modules->len - 1]);
  rdc_linked = false;
  /* Every variant is gone, so every IR was released with it. */
  if (ir_cache && g_hash_table_size(ir_cache) == 0) {
    g_hash_table_destroy(ir_cache);
    g_hash_table_destroy(ir_entries);
    ir_cache = ir_entries = NULL;
  }
  cw_rt_unlock();
}
