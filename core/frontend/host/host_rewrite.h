/* The host rewrite: a .cu file (and the user headers it includes) → host C++ for the system
 * compiler, linked to libcw.  See DESIGN.md section 6 and core/shim/cw_host_abi.h.
 *
 *   cw_host_rewrite *hr = cw_host_rewrite_new(ctx);
 *   char *hdr = cw_host_rewrite_file(hr, header_file, "/abs/x.cuh", false);   // each user header
 *   char *main = cw_host_rewrite_file(hr, main_file, "app.cu", true);
 *   char *device_text = cw_pp_to_text(cw_preprocess(ctx, cw_lex(ctx, main_file), &device_opts));
 *   char *tail = cw_host_rewrite_epilogue(hr, "app.cu", device_text);   // append to main
 *   cw_host_rewrite_free(hr);
 *
 * What a rewritten file looks like (every edit keeps the user's line numbers):
 *   - a prelude: `#include <cuda_runtime.h>`, the module handle `__cw_module` (declared once per
 *     translation unit), `#line 1 "<line_name>"`;
 *   - each `__global__` definition → a launch stub with the same signature whose body calls
 *     __cwLaunch with the kernel's host key (cw-ir.h); templates build the key at run time with
 *     cw::type_name<T>(); non-template stubs register themselves (__cwRegisterFunction) from a
 *     static initializer placed right after the stub (so kernels in #if branches stay consistent);
 *   - `k<<<g, b, shm, s>>>(args)` → `(__cwPushCallConfiguration(dim3(g), dim3(b), shm, s) ?
 *     (void)0 : k(args))`, also inside #define bodies;
 *   - `__device__`-only functions and namespace-scope `__shared__` variables → blanks;
 *   - namespace-scope `__constant__`/`__device__` variables → host shadows registered with
 *     __cwRegisterVar right after their declaration;
 *   - structs/classes/unions/enums at namespace scope → CW_DECLARE_TYPE_NAME after the outermost
 *     enclosing declaration, so cw::type_name<S>() spells "ns::S".
 * The epilogue (main file only) registers the module from a constructor that runs before any
 * C++ static initializer, with the device text and the instantiations seen at launch sites. */
#ifndef CW_HOST_REWRITE_H
#define CW_HOST_REWRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend/pp.h"

typedef struct cw_host_rewrite cw_host_rewrite;

cw_host_rewrite *cw_host_rewrite_new(cw_frontend_ctx *ctx);
void cw_host_rewrite_free(cw_host_rewrite *hr);

/* Learns the qualifier macros of `file` (`#define KERNEL __global__`) without rewriting it: call
 * for every file of the translation unit first, so that a header's rewrite knows the main
 * file's macros and the other way round. */
void cw_host_rewrite_learn_macros(cw_host_rewrite *hr, cw_src_file *file);

/* The rewritten text of `file` (g_free it).  `line_name` is the name the host compiler reports
 * (#line).  Problems (unbalanced brackets, a <<< without >>>) are diagnostics in the context
 * (file:line:col); the text is still returned, with that construct left as it was. */
char *cw_host_rewrite_file(cw_host_rewrite *hr, cw_src_file *file, const char *line_name);

/* Text to append to the main file's rewritten text: the module descriptor and its registration.
 * `device_text` is the preprocessed device view (cw_pp_to_text). g_free the result. */
char *cw_host_rewrite_epilogue(cw_host_rewrite *hr, const char *source_name, const char *device_text);
/* cw_host_module_desc.flags the epilogue writes (CW_HOST_MODULE_RDC for -rdc=true); default 0. */
void cw_host_rewrite_set_module_flags(cw_host_rewrite *hr, uint32_t flags);

/* The device text of the translation unit (preprocessed device view of `main_file`, printed
 * with cw_pp_to_text; `pp` should have device_view set), made in the same preprocessing run
 * that expands the user's macros in the launch-site instantiations (call it after rewriting
 * every file; cw_host_rewrite_instantiations then returns the expanded spellings).  g_free it. */
char *cw_host_device_text(cw_host_rewrite *hr, cw_src_file *main_file, const cw_pp_options *pp);

/* Template-ids seen at launch sites of this translation unit, as written ("reduce<float, 256>"),
 * without those that name template parameters of an enclosing template. */
const char *const *cw_host_rewrite_instantiations(const cw_host_rewrite *hr, int *count);

/* Qualified names of the kernels defined in the files rewritten so far ("ns::k"). */
int cw_host_rewrite_kernel_count(const cw_host_rewrite *hr);
const char *cw_host_rewrite_kernel_name(const cw_host_rewrite *hr, int i);

/* The preprocessed token list `toks` printed back as text, with `# line N "file"` markers where
 * the file changes or lines jump, CW_TK_PRAGMA as `#pragma X` lines, and a space between tokens
 * where the source had one or where the tokens would otherwise lex differently.
 * Re-lexing the result gives the same token sequence.  g_free the result. */
char *cw_pp_to_text(const cw_token *toks);

/* The C string literal for `text` ("..." with escapes, split after each newline). g_free it. */
char *cw_host_c_string_literal(const char *text, size_t len);

#endif
