/* nvrtc.c — finding NVRTC (dlopen), choosing the target architecture, compiling CUDA C++ to a
 * cubin or PTX, and making NVRTC's diagnostics readable next to the generated source. */
#include "cuda-plugin.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

static const char *const nvrtc_names[] = {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so", NULL};

static GMutex nvrtc_lock;
static cuda_nvrtc *nvrtc_loaded;    /* the process's NVRTC once found */
static char *nvrtc_failure;         /* why it was not found (search is done once) */

static int compare_versions_desc(gconstpointer a, gconstpointer b) {
  return -strverscmp(*(const char *const *)a, *(const char *const *)b);
}

/* Directories to look in, in order (g_free'd strings). */
static GPtrArray *search_dirs(const char *configured) {
  GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
  if (configured && g_file_test(configured, G_FILE_TEST_IS_DIR))
    g_ptr_array_add(dirs, g_strdup(configured));
  const char *envs[] = {"CUDA_HOME", "CUDA_PATH"};
  for (size_t i = 0; i < G_N_ELEMENTS(envs); i++) {
    const char *v = g_getenv(envs[i]);
    if (v && *v) g_ptr_array_add(dirs, g_build_filename(v, "lib64", NULL));
  }
  g_ptr_array_add(dirs, g_strdup("/usr/local/cuda/lib64"));
  GPtrArray *versioned = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open("/usr/local", 0, NULL);
  const char *entry;
  while (d && (entry = g_dir_read_name(d)))
    if (g_str_has_prefix(entry, "cuda-")) g_ptr_array_add(versioned, g_strdup(entry));
  if (d) g_dir_close(d);
  g_ptr_array_sort(versioned, compare_versions_desc);  /* newest toolkit first */
  for (guint i = 0; i < versioned->len; i++)
    g_ptr_array_add(dirs, g_build_filename("/usr/local", versioned->pdata[i], "lib64", NULL));
  g_ptr_array_free(versioned, TRUE);
  return dirs;
}

static bool resolve_all(cuda_nvrtc *n, GString *why) {
#define SYM(field, name, required)                                                               \
  if (!(*(void **)&n->field = dlsym(n->lib, name)) && (required)) {                              \
    g_string_append_printf(why, "%s lacks %s", n->path, name);                                   \
    return false;                                                                                \
  }
  SYM(nvrtcGetErrorString, "nvrtcGetErrorString", true);
  SYM(nvrtcVersion, "nvrtcVersion", true);
  SYM(nvrtcCreateProgram, "nvrtcCreateProgram", true);
  SYM(nvrtcDestroyProgram, "nvrtcDestroyProgram", true);
  SYM(nvrtcCompileProgram, "nvrtcCompileProgram", true);
  SYM(nvrtcGetProgramLogSize, "nvrtcGetProgramLogSize", true);
  SYM(nvrtcGetProgramLog, "nvrtcGetProgramLog", true);
  SYM(nvrtcGetPTXSize, "nvrtcGetPTXSize", true);
  SYM(nvrtcGetPTX, "nvrtcGetPTX", true);
  SYM(nvrtcGetCUBINSize, "nvrtcGetCUBINSize", false);
  SYM(nvrtcGetCUBIN, "nvrtcGetCUBIN", false);
  SYM(nvrtcGetNumSupportedArchs, "nvrtcGetNumSupportedArchs", false);
  SYM(nvrtcGetSupportedArchs, "nvrtcGetSupportedArchs", false);
#undef SYM
  if (!n->nvrtcGetCUBIN) n->nvrtcGetCUBINSize = NULL;
  return true;
}

/* Fills what the library says about itself: version, architectures, the headers beside it. */
static void describe(cuda_nvrtc *n) {
  n->nvrtcVersion(&n->major, &n->minor);
  int count = 0;
  if (n->nvrtcGetNumSupportedArchs && n->nvrtcGetSupportedArchs &&
      n->nvrtcGetNumSupportedArchs(&count) == 0 && count > 0) {
    n->archs = g_new0(int, count);
    if (n->nvrtcGetSupportedArchs(n->archs) == 0) n->n_archs = count;
  }
  if (!n->n_archs) {  /* before CUDA 11.2: what those toolkits supported */
    static const int old_archs[] = {35, 37, 50, 52, 53, 60, 61, 62, 70, 72, 75, 80};
    n->archs = g_memdup2(old_archs, sizeof old_archs);
    n->n_archs = (int)G_N_ELEMENTS(old_archs);
  }
  Dl_info info;
  if (dladdr(*(void **)&n->nvrtcVersion, &info) && info.dli_fname && info.dli_fname[0] == '/') {
    g_free(n->path);
    n->path = g_strdup(info.dli_fname);
  }
  /* <toolkit>/lib64/libnvrtc.so → <toolkit>/include (for cuda_fp16.h in older NVRTCs) */
  char *libdir = g_path_get_dirname(n->path);
  char *inc = g_build_filename(libdir, "..", "include", NULL);
  char *probe_file = g_build_filename(inc, "cuda_fp16.h", NULL);
  if (g_file_test(probe_file, G_FILE_TEST_EXISTS)) n->include_dir = realpath(inc, NULL);
  g_free(probe_file);
  g_free(inc);
  g_free(libdir);
}

static cuda_nvrtc *try_open(const char *path, GString *tried) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    g_string_append_printf(tried, "%s%s", tried->len ? "; " : "", dlerror());
    return NULL;
  }
  cuda_nvrtc *n = g_new0(cuda_nvrtc, 1);
  n->lib = lib;
  n->path = g_strdup(path);
  GString *why = g_string_new(NULL);
  if (!resolve_all(n, why)) {
    g_string_append_printf(tried, "%s%s", tried->len ? "; " : "", why->str);
    g_string_free(why, TRUE);
    dlclose(lib);
    g_free(n->path);
    g_free(n);
    return NULL;
  }
  g_string_free(why, TRUE);
  describe(n);
  return n;
}

static cuda_nvrtc *search(const char *configured, GString *tried) {
  cuda_nvrtc *n = NULL;
  if (configured && !g_file_test(configured, G_FILE_TEST_IS_DIR)) {
    n = try_open(configured, tried);
    if (n) return n;
  }
  GPtrArray *dirs = search_dirs(configured);
  for (guint i = 0; i < dirs->len && !n; i++) {
    bool any = false;
    for (const char *const *name = nvrtc_names; *name && !n; name++) {
      char *p = g_build_filename(dirs->pdata[i], *name, NULL);
      if (g_file_test(p, G_FILE_TEST_EXISTS)) {
        any = true;
        n = try_open(p, tried);
      }
      g_free(p);
    }
    if (!any) g_string_append_printf(tried, "%s%s: none", tried->len ? "; " : "",
                                     (char *)dirs->pdata[i]);
  }
  g_ptr_array_free(dirs, TRUE);
  for (const char *const *name = nvrtc_names; *name && !n; name++) n = try_open(*name, tried);
  return n;
}

const cuda_nvrtc *cuda_nvrtc_get(const char *configured, char *reason, size_t reason_len) {
  g_mutex_lock(&nvrtc_lock);
  if (!nvrtc_loaded && !nvrtc_failure) {
    GString *tried = g_string_new(NULL);
    nvrtc_loaded = search(configured, tried);
    if (!nvrtc_loaded) nvrtc_failure = g_strdup_printf("NVRTC not found (%s)", tried->str);
    else cw_log(CW_LOG_DEBUG, "cuda", "NVRTC %d.%d from %s", nvrtc_loaded->major,
                nvrtc_loaded->minor, nvrtc_loaded->path);
    g_string_free(tried, TRUE);
  }
  cuda_nvrtc *n = nvrtc_loaded;
  if (!n && reason && reason_len) g_strlcpy(reason, nvrtc_failure, reason_len);
  g_mutex_unlock(&nvrtc_lock);
  return n;
}

int cuda_nvrtc_pick_arch(const cuda_nvrtc *n, int cc) {
  int best = 0;
  for (int i = 0; i < n->n_archs; i++)
    if (n->archs[i] <= cc && n->archs[i] > best) best = n->archs[i];
  return best;
}

/* The text of line `line` (1-based) of `source`, g_malloc'd, or NULL. */
static char *source_line(const char *source, long line) {
  const char *p = source;
  for (long l = 1; l < line && p; l++) {
    p = strchr(p, '\n');
    if (p) p++;
  }
  if (!p || !*p) return NULL;
  const char *end = strchr(p, '\n');
  return end ? g_strndup(p, (gsize)(end - p)) : g_strdup(p);
}

/* The function whose definition encloses line `line` of the generated source: the last line at
 * or before it that opens a definition ("... name(params) {" at column 0). */
static const cw_ir_func *enclosing_func(const char *source, long line, const cw_ir_module *ir) {
  if (!ir) return NULL;
  const cw_ir_func *found = NULL;
  const char *p = source;
  for (long l = 1; p && *p && l <= line; l++) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > 2 && p[0] != ' ' && p[0] != '}' && p[len - 1] == '{') {
      /* a definition opens here: the function is the IR name that precedes one of its '(' */
      found = NULL;
      for (const char *paren = p; !found && (paren = memchr(paren, '(', len - (size_t)(paren - p)));
           paren++) {
        const char *q = paren;
        while (q > p && (g_ascii_isalnum(q[-1]) || q[-1] == '_')) q--;
        for (uint32_t i = 0; i < ir->n_funcs && !found; i++) {
          const char *name = ir->funcs[i]->name;
          if (strlen(name) == (size_t)(paren - q) && strncmp(q, name, (size_t)(paren - q)) == 0)
            found = ir->funcs[i];
        }
      }
    }
    p = end ? end + 1 : NULL;
  }
  return found;
}

/* True when `name` (len bytes) is one of the user's files named in the IR: the generated source
 * carries #line directives, so NVRTC already reports such positions on the user's lines. */
static bool names_user_file(const char *name, size_t len, const cw_ir_module *ir) {
  if (!ir) return false;
  if (ir->source_name && strlen(ir->source_name) == len && strncmp(ir->source_name, name, len) == 0)
    return true;
  for (uint32_t i = 0; i < ir->n_funcs; i++) {
    const char *f = ir->funcs[i]->loc.file;
    if (f && strlen(f) == len && strncmp(f, name, len) == 0) return true;
  }
  return false;
}

char *cuda_annotate_log(const char *log, const char *source, const cw_ir_module *ir) {
  GString *out = g_string_new(NULL);
  char **lines = g_strsplit(log ? log : "", "\n", -1);
  for (char **l = lines; *l; l++) {
    g_string_append(out, *l);
    if (l[1]) g_string_append_c(out, '\n');
    /* "NAME(LINE): error: ..." — NVRTC's form of a diagnostic with a position. */
    const char *open = strchr(*l, '(');
    const char *close = open ? strstr(open, "): ") : NULL;
    if (!open || !close || close == open + 1) continue;
    char *end = NULL;
    long line = strtol(open + 1, &end, 10);
    if (end != close || line <= 0) continue;
    if (names_user_file(*l, (size_t)(open - *l), ir)) continue;
    const cw_ir_func *f = enclosing_func(source, line, ir);
    if (f)
      g_string_append_printf(out, "  in %s %s, from %s:%d\n", f->is_kernel ? "kernel" : "function",
                             f->source_name ? f->source_name : f->name,
                             f->loc.file ? f->loc.file : "?", f->loc.line);
    char *text = source_line(source, line);
    if (!text) continue;
    char *trimmed = g_strstrip(g_strdup(text));
    /* Newer NVRTCs print the line themselves, right below: do not repeat it. */
    bool shown = l[1] && strstr(l[1], trimmed) != NULL && *trimmed;
    if (!shown) g_string_append_printf(out, "  generated line %ld: %s\n", line, trimmed);
    g_free(trimmed);
    g_free(text);
  }
  g_strfreev(lines);
  return g_string_free(out, FALSE);
}

static char *program_log(const cuda_nvrtc *n, nvrtcProgram prog) {
  size_t size = 0;
  if (n->nvrtcGetProgramLogSize(prog, &size) != 0 || size == 0) return g_strdup("");
  char *log = g_malloc0(size + 1);
  if (n->nvrtcGetProgramLog(prog, log) != 0) log[0] = 0;
  return log;
}

cw_status cuda_nvrtc_compile(const cuda_nvrtc *n, const char *source, const char *name, int arch,
                             bool cubin, const cw_ir_module *ir, cuda_compiled *out, char **log) {
  memset(out, 0, sizeof *out);
  *log = NULL;
  bool want_cubin = cubin && n->nvrtcGetCUBIN;
  char *arch_opt = g_strdup_printf("--gpu-architecture=%s_%d", want_cubin ? "sm" : "compute", arch);
  char *inc_opt = n->include_dir ? g_strdup_printf("-I%s", n->include_dir) : NULL;
  const char *options[] = {arch_opt, "-default-device", "--std=c++17", "-lineinfo", inc_opt};
  int n_options = inc_opt ? 5 : 4;

  nvrtcProgram prog = NULL;
  nvrtcResult r = n->nvrtcCreateProgram(&prog, source, name, 0, NULL, NULL);
  if (r != 0) {
    *log = g_strdup_printf("nvrtcCreateProgram: %s", n->nvrtcGetErrorString(r));
    g_free(arch_opt);
    g_free(inc_opt);
    return CW_ERR_COMPILE;
  }
  r = n->nvrtcCompileProgram(prog, n_options, options);
  cw_status st = CW_OK;
  if (r != 0) {
    char *raw = program_log(n, prog);
    char *annotated = cuda_annotate_log(raw, source, ir);
    *log = g_strdup_printf("NVRTC %d.%d (%s) rejected the generated CUDA C++ for %s: %s\n%s",
                           n->major, n->minor, arch_opt, name, n->nvrtcGetErrorString(r),
                           annotated);
    g_free(annotated);
    g_free(raw);
    st = CW_ERR_COMPILE;
  } else if (want_cubin) {
    size_t size = 0;
    if (n->nvrtcGetCUBINSize(prog, &size) == 0 && size > 0) {
      out->image = g_malloc(size);
      out->size = size;
      out->is_cubin = true;
      if (n->nvrtcGetCUBIN(prog, out->image) != 0) st = CW_ERR_COMPILE;
    } else {
      st = CW_ERR_COMPILE;
    }
    if (st != CW_OK) *log = g_strdup_printf("NVRTC produced no cubin for %s", arch_opt);
  } else {
    size_t size = 0;
    if (n->nvrtcGetPTXSize(prog, &size) == 0 && size > 0) {
      out->image = g_malloc0(size + 1);
      out->size = size;  /* includes the NUL */
      if (n->nvrtcGetPTX(prog, out->image) != 0) st = CW_ERR_COMPILE;
    } else {
      st = CW_ERR_COMPILE;
    }
    if (st != CW_OK) *log = g_strdup_printf("NVRTC produced no PTX for %s", arch_opt);
  }
  if (st != CW_OK) {
    g_free(out->image);
    memset(out, 0, sizeof *out);
  }
  n->nvrtcDestroyProgram(&prog);
  g_free(arch_opt);
  g_free(inc_opt);
  return st;
}
