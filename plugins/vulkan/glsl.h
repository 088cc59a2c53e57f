/* glsl.h — the IR → GLSL 4.60 compute emitter (one shader per kernel) and its layouts.
 *
 * Model:
 *  - a pointer into global memory is a uint64_t device address (buffer device address); loads and
 *    stores go through one `buffer_reference` block type per pointee type (R_<type>), with the
 *    pointee's CUDA alignment; pointer arithmetic is address arithmetic in bytes;
 *  - a pointer into a __shared__ variable is a uint element index into that variable (the only
 *    pointers into shared memory GLSL can express); one pointing into different variables is
 *    declined;
 *  - structs are scalar-layout GLSL structs with explicit padding, so every offset is CUDA's;
 *    unions are structs of 32-bit words read and written through bit casts (glsl_union.c);
 *  - C++ references and `this` (pointer parameters only dereferenced, given &lvalue) are `inout`
 *    parameters; local arrays passed to functions are `inout` arrays or, when every call passes
 *    the same one, module-scope private arrays (glsl_byref.c);
 *  - __constant__/__device__ variables live in one module globals buffer (glsl_globals_layout),
 *    dynamic shared memory is a typed shared array sized by a specialization constant (or, when
 *    reached through pointer casts, untyped words: glsl_untyped.c), block size comes from
 *    local_size_*_id, so one SPIR-V module serves every launch shape;
 *  - warps are subgroups where those are 32 wide, else emulated through shared memory with
 *    barriers, for kernels whose warp operations every thread reaches (glsl_warp.c, glsl_uniform.c);
 *  - double transcendental functions, which GLSL lacks, are ours (glsl_math64.c);
 *  - kernel arguments are push constants after a 32-byte header (grid size, block offset, scratch
 *    address), or a buffer whose address is pushed when they do not fit in 128 bytes (Vulkan's
 *    guaranteed size);
 *  - locals whose address escapes live in a per-thread frame in a scratch buffer the launch
 *    provides: frame_size bytes per thread of each dispatch (glsl_frame.c).
 */
#ifndef CW_VULKAN_GLSL_H
#define CW_VULKAN_GLSL_H

#include <glib.h>

#include <cw/cw-ir.h>
#include <cw/cw-plugin.h>

/* Specialization constant ids. */
enum {
  GLSL_SPEC_BLOCK_X = 0, GLSL_SPEC_BLOCK_Y = 1, GLSL_SPEC_BLOCK_Z = 2,
  GLSL_SPEC_DYN_COUNT = 3,                       /* elements of the dynamic shared array */
  GLSL_SPEC_GLOBALS_LO = 4, GLSL_SPEC_GLOBALS_HI = 5,
  GLSL_SPEC_PRINTF_LO = 6, GLSL_SPEC_PRINTF_HI = 7,
  GLSL_SPEC_WARPS = 8,                           /* warps per block: the work group of a fission kernel */
  GLSL_SPEC_COUNT = 9,
};

#define GLSL_PUSH_HEADER 32u        /* uvec3 grid, uvec3 block base, uint64_t scratch address */
#define GLSL_PUSH_SCRATCH 24u       /* offset of the scratch address in the header */
#define GLSL_PUSH_LIMIT 128u        /* maxPushConstantsSize every Vulkan device has */

/* Printf buffer: a header of 4 words (next free word, capacity in words, assert flag, lost
 * records), then records of [format id, words, 64-bit arguments...]. */
#define GLSL_PRINTF_HEADER_WORDS 4u
#define GLSL_PRINTF_ASSERT_FORMAT 0u  /* string id 0 is the assert message format */
/* A string literal used as a value (a %s argument) is its id with this bit set; printf on the
 * host maps it back to the text. */
#define GLSL_STRING_TAG 0x4000000000000000ull

typedef struct glsl_kernel {
  const cw_ir_func *func;
  char *source;                 /* GLSL */
  uint32_t *spirv;              /* filled by spirv.c */
  size_t spirv_size;            /* bytes */
  uint32_t n_params;
  uint32_t *arg_offsets;        /* per parameter, from the start of the arguments */
  uint32_t args_size;
  bool args_in_buffer;          /* else inline in the push constants at GLSL_PUSH_HEADER */
  uint32_t push_size;           /* bytes of push constants */
  uint32_t dyn_elem_size;       /* element size of the dynamic shared array, 0 when none */
  uint32_t static_shared;       /* bytes of shared memory without the dynamic array */
  bool uses_printf;
  bool warp_buffer;             /* warps emulated in shared memory: 8 bytes per thread */
  uint32_t frame_size;          /* bytes of scratch per thread (spilled locals), 0 when none */
} glsl_kernel;

typedef struct glsl_module {
  GPtrArray *kernels;           /* glsl_kernel *, in ir->kernels order */
  uint32_t globals_size;        /* bytes of the module globals buffer */
  uint32_t *global_offsets;     /* per ir->globals entry (CONSTANT/DEVICE only) */
  GPtrArray *strings;           /* printf strings by id (char *, owned) */
  bool uses_printf;
  cw_ir_module *owned_ir;       /* the module emitted, when it is a copy made for this device
                                   (cw_ir_module_with_lane_syncs); kernels' func point into it */
} glsl_module;

/* Options of the target device the emitter must respect. */
typedef struct glsl_target {
  uint32_t caps_flags;          /* CW_CAP_* */
  uint32_t subgroup_size;
  bool shared_float_atomic_add; /* else float atomics on shared memory are declined */
  bool int8_storage, fp16;
  /* Which kernels run one invocation per warp with loop fission (glsl_fission.c): on CPU devices
   * those with warp operations (WARP); CW_VULKAN_FISSION=0 turns it off, =1 takes every kernel
   * with barriers or warp operations on every device (SYNC: to test it on GPUs). */
  enum { GLSL_FISSION_NEVER, GLSL_FISSION_WARP, GLSL_FISSION_SYNC } fission;
} glsl_target;

void glsl_target_from_caps(glsl_target *t, const cw_device_caps *caps);

/* Emits every kernel; on failure returns NULL with a reason naming kernel and location. */
glsl_module *glsl_emit_module(const cw_ir_module *m, const glsl_target *t, char *err, size_t err_len);
void glsl_module_free(glsl_module *gm);

/* glsl_layout.c */
/* Offsets of module variables in the globals buffer (CUDA alignment), by ir->globals index. */
uint32_t glsl_globals_layout(const cw_ir_module *m, uint32_t *offsets);
/* Offsets of a kernel's parameters (CUDA alignment); returns the total size. */
uint32_t glsl_args_layout(const cw_ir_func *k, uint32_t *offsets);
/* Writes the initial bytes of module variable v (its initializer, else zeros) into dst. */
void glsl_global_init_bytes(const cw_ir_var *v, uint8_t *dst);
/* Every printf/assert string of the module, in a fixed order; id = index. */
GPtrArray *glsl_collect_strings(const cw_ir_module *m, GHashTable *ids_by_expr);

/* spirv.c: GLSL → SPIR-V through libshaderc, cached under cw_cache_dir()/vulkan/. */
cw_status glsl_compile_spirv(const char *name, const char *source, uint32_t **spirv, size_t *size,
                             char *err, size_t err_len);
/* SPIR-V disassembly (spirv-tools when present, else `spirv-dis`), g_malloc'd. */
char *glsl_disassemble(const uint32_t *spirv, size_t size);

#endif
