/* mock.c — see mock.h. */
#include <stdlib.h>
#include <string.h>

#include "mock.h"

mock_launch mock_last_launch;
cw_status mock_next_launch_fault = CW_OK;
cw_status mock_next_launch_return = CW_OK;
const char *mock_decline_kernel;
int mock_compile_count;
int mock_async_copies;
int mock_h2d_copies, mock_d2h_copies;
bool mock_split_memory;

/* ---- memory: real host memory, addresses are pointers; or, with mock_split_memory, storage the
 * host cannot see at the address (buffer-only plugins' model: a cw_addr_table) ---- */

static GHashTable *allocations;   /* addr → size */
static cw_addr_table *split_addrs;   /* address → g_malloc0'd storage */

/* Where the device's bytes at `addr` live. */
static void *dev_mem(uint64_t addr) {
  void *buf = NULL;
  size_t off = 0;
  if (split_addrs && cw_addr_table_lookup(split_addrs, addr, &buf, &off, NULL)) return (char *)buf + off;
  return (void *)(uintptr_t)addr;
}

static cw_status m_alloc(cw_backend *be, int dev, size_t bytes, uint32_t flags, uint64_t *addr) {
  (void)be; (void)dev; (void)flags;
  if (bytes > ((size_t)1 << 40)) return CW_ERR_OUT_OF_MEMORY;
  if (mock_split_memory) {
    if (!split_addrs) split_addrs = cw_addr_table_new();
    *addr = cw_addr_table_insert(split_addrs, g_malloc0(bytes ? bytes : 1), bytes);
    return CW_OK;
  }
  void *p = NULL;
  if (posix_memalign(&p, 256, bytes ? bytes : 1)) return CW_ERR_OUT_OF_MEMORY;
  memset(p, 0, bytes);
  g_hash_table_insert(allocations, p, GSIZE_TO_POINTER(bytes));
  *addr = (uint64_t)(uintptr_t)p;
  return CW_OK;
}

int mock_live_allocations(void) { return (int)g_hash_table_size(allocations); }

static cw_status m_free(cw_backend *be, int dev, uint64_t addr) {
  (void)be; (void)dev;
  void *p = (void *)(uintptr_t)addr;
  void *storage = split_addrs ? cw_addr_table_remove(split_addrs, addr) : NULL;
  if (storage) {
    g_free(storage);
    return CW_OK;
  }
  if (!g_hash_table_remove(allocations, p)) return CW_ERR_INVALID_VALUE;
  free(p);
  return CW_OK;
}

static cw_status m_alloc_host(cw_backend *be, size_t bytes, void **ptr) {
  bool split = mock_split_memory;
  mock_split_memory = false;   /* pinned memory is host memory either way */
  uint64_t a = 0;
  cw_status st = m_alloc(be, 0, bytes, 0, &a);
  mock_split_memory = split;
  *ptr = (void *)(uintptr_t)a;
  return st;
}

static cw_status m_free_host(cw_backend *be, void *ptr) { return m_free(be, 0, (uint64_t)(uintptr_t)ptr); }

static void *m_host_pointer(cw_backend *be, uint64_t addr) {
  (void)be;
  return g_hash_table_contains(allocations, (void *)(uintptr_t)addr) ? (void *)(uintptr_t)addr : NULL;
}

static cw_status m_copy(bool async, void *dst, const void *src, size_t n) {
  if (async) mock_async_copies++;
  memmove(dst, src, n);
  return CW_OK;
}

/* ---- streams and events ---- */

struct cw_stream { cw_status fault; };
struct cw_event { gint64 t; };
struct cw_backend { GPtrArray *streams; };
static cw_backend the_backend;

static cw_status c_h2d(cw_stream *s, uint64_t dst, const void *src, size_t n, bool async) {
  if (s->fault) return s->fault;
  mock_h2d_copies++;
  return m_copy(async, dev_mem(dst), src, n);
}
static cw_status c_d2h(cw_stream *s, void *dst, uint64_t src, size_t n, bool async) {
  if (s->fault) return s->fault;
  mock_d2h_copies++;
  return m_copy(async, dst, dev_mem(src), n);
}
static cw_status c_d2d(cw_stream *s, uint64_t dst, uint64_t src, size_t n, bool async) {
  if (s->fault) return s->fault;
  return m_copy(async, dev_mem(dst), dev_mem(src), n);
}
static cw_status c_memset(cw_stream *s, uint64_t dst, int v, size_t n, bool async) {
  (void)async;
  if (s->fault) return s->fault;
  memset(dev_mem(dst), v, n);
  return CW_OK;
}
static cw_status m_info(cw_backend *be, int dev, size_t *f, size_t *t) {
  (void)be; (void)dev;
  *t = (size_t)8 << 30;
  *f = (size_t)6 << 30;
  return CW_OK;
}

static cw_status s_create(cw_backend *be, int dev, uint32_t flags, int prio, cw_stream **out) {
  (void)dev; (void)flags; (void)prio;
  *out = g_new0(cw_stream, 1);
  g_ptr_array_add(be->streams, *out);
  return CW_OK;
}
static void s_destroy(cw_stream *s) {
  g_ptr_array_remove(the_backend.streams, s);
  g_free(s);
}
static cw_status s_sync(cw_stream *s) { return s->fault; }
static cw_status s_query(cw_stream *s) { return s->fault; }
static cw_status s_wait(cw_stream *s, cw_event *e) { (void)s; (void)e; return CW_OK; }
static cw_status e_create(cw_backend *be, int dev, uint32_t flags, cw_event **out) {
  (void)be; (void)dev; (void)flags;
  *out = g_new0(cw_event, 1);
  return CW_OK;
}
static void e_destroy(cw_event *e) { g_free(e); }
static cw_status e_record(cw_event *e, cw_stream *s) {
  (void)s;
  e->t = g_get_monotonic_time();
  return CW_OK;
}
static cw_status e_sync(cw_event *e) { (void)e; return CW_OK; }
static cw_status e_query(cw_event *e) { (void)e; return CW_OK; }
static cw_status e_elapsed(cw_event *a, cw_event *b, float *ms) {
  *ms = (float)(b->t - a->t) / 1000.0f;
  return CW_OK;
}
static cw_status d_sync(cw_backend *be, int dev) {
  (void)dev;
  for (guint i = 0; i < be->streams->len; i++) {
    cw_stream *s = be->streams->pdata[i];
    if (s->fault) return s->fault;
  }
  return CW_OK;
}

/* ---- modules ---- */

struct cw_module {
  const cw_ir_module *ir;
  GHashTable *globals;   /* name → g_malloc0'd storage */
  GHashTable *sizes;
};

static cw_module *last_module;

void *mock_module_global(const char *ir_name) {
  return last_module ? g_hash_table_lookup(last_module->globals, ir_name) : NULL;
}

static cw_status mod_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                          cw_module **out, char *err, size_t err_len) {
  (void)be; (void)dev;
  if (!art || strcmp(art->source, "mock") != 0) {
    g_strlcpy(err, "not a mock artifact", err_len);
    return CW_ERR_INVALID_VALUE;
  }
  cw_module *m = g_new0(cw_module, 1);
  m->ir = ir;
  m->globals = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->sizes = g_hash_table_new(g_str_hash, g_str_equal);
  for (uint32_t i = 0; i < ir->n_globals; i++) {
    const cw_ir_var *v = ir->globals[i];
    g_hash_table_insert(m->globals, (gpointer)v->name, g_malloc0(v->type->size));
    g_hash_table_insert(m->sizes, (gpointer)v->name, GUINT_TO_POINTER(v->type->size));
  }
  *out = m;
  last_module = m;
  return CW_OK;
}
static void mod_unload(cw_module *m) {
  if (last_module == m) last_module = NULL;
  g_hash_table_destroy(m->globals);
  g_hash_table_destroy(m->sizes);
  g_free(m);
}
static cw_status mod_global(cw_module *m, const char *name, uint64_t *addr, size_t *size) {
  void *p = g_hash_table_lookup(m->globals, name);
  if (!p) return CW_ERR_INVALID_VALUE;
  *addr = (uint64_t)(uintptr_t)p;
  *size = GPOINTER_TO_UINT(g_hash_table_lookup(m->sizes, name));
  return CW_OK;
}

static cw_status launch(cw_stream *s, cw_module *mod, uint32_t k, const cw_launch_dims *dims,
                        void *const *args, char *err, size_t err_len) {
  if (mock_next_launch_return != CW_OK) {
    cw_status st = mock_next_launch_return;
    mock_next_launch_return = CW_OK;
    g_strlcpy(err, "mock refused the launch", err_len);
    return st;
  }
  mock_last_launch.kernel_index = k;
  mock_last_launch.dims = *dims;
  mock_last_launch.arg0 = mod->ir->kernels[k]->n_params ? *(const uint64_t *)args[0] : 0;
  mock_last_launch.n++;
  if (g_str_has_prefix(mod->ir->kernels[k]->name, "store"))
    *(int *)dev_mem(*(const uint64_t *)args[0]) = *(const int *)args[1];
  if (mock_next_launch_fault != CW_OK) {
    s->fault = mock_next_launch_fault;   /* found by the next synchronization, and stays */
    mock_next_launch_fault = CW_OK;
  }
  return CW_OK;
}

/* ---- transpiler ---- */

static bool supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps, char *reason,
                     size_t len) {
  (void)be; (void)caps;
  for (uint32_t i = 0; mock_decline_kernel && i < ir->n_kernels; i++)
    if (strcmp(ir->kernels[i]->name, mock_decline_kernel) == 0) {
      g_snprintf(reason, len, "kernel %s (%s:%d:%d): uses something the mock lacks", ir->kernels[i]->name,
                 ir->kernels[i]->loc.file, ir->kernels[i]->loc.line, ir->kernels[i]->loc.col);
      return false;
    }
  return true;
}
static cw_status emit(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps, cw_artifact **out,
                      char *err, size_t len) {
  (void)be; (void)ir; (void)caps; (void)err; (void)len;
  cw_artifact *a = g_new0(cw_artifact, 1);
  a->struct_size = sizeof *a;
  a->language = "c";
  a->source = g_strdup("mock");
  a->source_len = 4;
  *out = a;
  return CW_OK;
}
static void artifact_free(cw_artifact *a) {
  g_free(a->source);
  g_free(a);
}

static void fill_caps(cw_device_caps *c, int dev) {
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  g_snprintf(c->name, sizeof c->name, "Mock Device %d", dev);
  c->global_mem_bytes = (uint64_t)8 << 30;
  c->compute_units = 4;
  c->clock_mhz = 1500;
  c->max_threads_per_block = 1024;
  c->max_block_dim[0] = 1024; c->max_block_dim[1] = 1024; c->max_block_dim[2] = 64;
  c->max_grid_dim[0] = 0x7fffffff; c->max_grid_dim[1] = 65535; c->max_grid_dim[2] = 65535;
  c->shared_mem_per_block = 48 * 1024;
  c->shared_mem_per_block_optin = 96 * 1024;
  c->const_mem_bytes = 64 * 1024;
  c->subgroup_size = 32;
  c->cc_major = 8;
  c->cc_minor = 0;
  c->flags = CW_CAP_FP64 | CW_CAP_INT64 | CW_CAP_MANAGED | CW_CAP_REAL_POINTERS;
}

static cudaError_t mock_select(const cw_ir_module *const *irs, int n, cw_rt_backend *out, int *device,
                               char *reason, size_t reason_len) {
  for (int i = 0; i < n; i++)
    if (!supports(NULL, irs[i], NULL, reason, reason_len)) return cudaErrorNoKernelImageForDevice;
  out->name = g_strdup("mock");
  out->ops = (cw_backend_ops){.struct_size = sizeof(cw_backend_ops),
                              .module_load = mod_load, .module_unload = mod_unload,
                              .module_global = mod_global, .launch = launch,
                              .stream_create = s_create, .stream_destroy = s_destroy,
                              .stream_synchronize = s_sync, .stream_query = s_query,
                              .stream_wait_event = s_wait, .event_create = e_create,
                              .event_destroy = e_destroy, .event_record = e_record,
                              .event_synchronize = e_sync, .event_query = e_query,
                              .event_elapsed_ms = e_elapsed, .device_synchronize = d_sync};
  out->mem = (cw_memory_ops){.struct_size = sizeof(cw_memory_ops), .alloc = m_alloc, .free = m_free,
                             .alloc_host = m_alloc_host, .free_host = m_free_host,
                             .copy_h2d = c_h2d, .copy_d2h = c_d2h, .copy_d2d = c_d2d,
                             .memset = c_memset, .mem_info = m_info, .host_pointer = m_host_pointer};
  out->tr = (cw_transpiler_ops){.struct_size = sizeof(cw_transpiler_ops), .language = "c",
                                .supports = supports, .emit = emit, .artifact_free = artifact_free};
  out->be = &the_backend;
  out->device_count = 2;
  fill_caps(&out->caps[0], 0);
  fill_caps(&out->caps[1], 1);
  *device = 0;
  return cudaSuccess;
}

/* ---- the mock front end ---- */

static cw_ir_type t_i32 = {.kind = CW_IR_I32, .size = 4, .align = 4};
static cw_ir_type t_ptr = {.kind = CW_IR_PTR, .size = 8, .align = 8, .elem = &t_i32, .as = CW_AS_GLOBAL};

typedef struct mock_ir {
  GPtrArray *owned;   /* everything to g_free */
} mock_ir;

static void *own(cw_ir_module *m, void *p) {
  g_ptr_array_add(((mock_ir *)m->priv)->owned, p);
  return p;
}

static void add_kernel(cw_ir_module *m, GPtrArray *kernels, const char *name, const char *key, int n_params,
                       uint32_t shared, uint32_t bounds, int line) {
  cw_ir_func *f = own(m, g_new0(cw_ir_func, 1));
  f->name = own(m, g_strdup(name));
  f->source_name = own(m, g_strdup(key));
  f->host_key = f->source_name;
  f->loc = (cw_ir_loc){m->source_name, line, 1};
  f->is_kernel = true;
  f->n_params = (uint32_t)n_params;
  f->params = own(m, g_new0(cw_ir_var *, n_params ? n_params : 1));
  for (int i = 0; i < n_params; i++) {
    cw_ir_var *v = own(m, g_new0(cw_ir_var, 1));
    v->kind = CW_VAR_PARAM;
    v->name = own(m, g_strdup_printf("p%d", i));
    v->type = i == 0 ? &t_ptr : &t_i32;
    v->index = (uint32_t)i;
    f->params[i] = v;
  }
  f->static_shared_bytes = shared;
  f->launch_bounds = bounds;
  g_ptr_array_add(kernels, f);
}

static cw_ir_module *mock_compile(const cw_host_module_desc *desc, const char *const *insts, int n,
                                  char **error) {
  mock_compile_count++;
  if (strstr(desc->device_text, "syntax error")) {
    *error = g_strdup_printf("%s:1:1: error: syntax error", desc->source_name);
    return NULL;
  }
  cw_ir_module *m = g_new0(cw_ir_module, 1);
  mock_ir *priv = g_new0(mock_ir, 1);
  priv->owned = g_ptr_array_new_with_free_func(g_free);
  m->priv = priv;
  m->version = CW_IR_VERSION;
  m->source_name = own(m, g_strdup(desc->source_name));
  GPtrArray *kernels = g_ptr_array_new(), *globals = g_ptr_array_new();
  char **lines = g_strsplit(desc->device_text, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    char **w = g_strsplit(g_strstrip(lines[i]), " ", -1);
    if (w[0] && strcmp(w[0], "kernel") == 0 && w[1] && w[2]) {
      add_kernel(m, kernels, w[1], w[1], atoi(w[2]), w[3] ? (uint32_t)atoi(w[3]) : 0,
                 w[3] && w[4] ? (uint32_t)atoi(w[4]) : 0, i + 1);
    } else if (w[0] && strcmp(w[0], "template") == 0 && w[1]) {
      for (int j = 0; j < n; j++) {
        size_t len = strlen(w[1]);
        if (strncmp(insts[j], w[1], len) == 0 && insts[j][len] == '<') {
          char *cname = g_strcanon(g_strdup(insts[j]), "abcdefghijklmnopqrstuvwxyz0123456789_", '_');
          add_kernel(m, kernels, cname, insts[j], 2, 0, 0, i + 1);
          g_free(cname);
        }
      }
    } else if (w[0] && strcmp(w[0], "global") == 0 && w[1] && w[2] && w[3]) {
      cw_ir_var *v = own(m, g_new0(cw_ir_var, 1));
      v->kind = strcmp(w[3], "constant") == 0 ? CW_VAR_CONSTANT : CW_VAR_DEVICE;
      v->name = own(m, g_strdup_printf("g_%s", w[1]));
      v->source_name = own(m, g_strdup(w[1]));
      cw_ir_type *t = own(m, g_new0(cw_ir_type, 1));
      bool pointer = strcmp(w[3], "pointer") == 0;
      t->kind = pointer ? CW_IR_PTR : CW_IR_ARRAY;
      t->elem = &t_i32;
      t->size = (uint32_t)atoi(w[2]);
      t->count = pointer ? 0 : t->size / 4;
      t->align = pointer ? 8 : 4;
      v->type = t;
      v->index = globals->len;
      g_ptr_array_add(globals, v);
    }
    g_strfreev(w);
  }
  g_strfreev(lines);
  m->n_kernels = kernels->len;
  m->kernels = own(m, g_ptr_array_free(kernels, FALSE));
  m->n_funcs = m->n_kernels;
  m->funcs = m->kernels;
  m->n_globals = globals->len;
  m->globals = own(m, g_ptr_array_free(globals, FALSE));
  return m;
}

static void mock_ir_free(cw_ir_module *m) {
  g_ptr_array_free(((mock_ir *)m->priv)->owned, TRUE);
  g_free(m->priv);
  g_free(m);
}

void mock_install(void) {
  allocations = g_hash_table_new(g_direct_hash, g_direct_equal);
  the_backend.streams = g_ptr_array_new();
  cw_rt_set_backend_selector(mock_select);
  cw_rt_set_module_compiler(mock_compile, mock_ir_free);
}

void mock_desc(cw_host_module_desc *d, const char *name, const char *text, const char *const *insts) {
  memset(d, 0, sizeof *d);
  d->abi_version = CW_HOST_ABI_VERSION;
  d->source_name = name;
  d->device_text = text;
  d->device_text_len = strlen(text);
  d->instantiations = insts;
}
