/* cw-cpu-rt.h — the interface between the cpu-simd plugin and the kernels it compiles.
 *
 * This text is included by the plugin and embedded verbatim at the top of every generated C
 * translation unit, so both sides always agree on these structs.  A compiled module exports one
 * symbol, `cw_module_info`; the plugin checks its `abi` before using anything else. */
#ifndef CW_CPU_RT_H
#define CW_CPU_RT_H

#include <stddef.h>
#include <stdint.h>

#define CW_CPU_RT_ABI 2

typedef struct cw_rt cw_rt;

/* One block being run: filled by the plugin, read by the generated code. */
typedef struct cw_blk {
  uint32_t bid[3], bdim[3], gdim[3];
  uint32_t nt;               /* threads in the block: bdim[0] * bdim[1] * bdim[2] */
  unsigned char *shm;        /* the module's static __shared__ variables (one copy per block) */
  unsigned char *dshm;       /* dynamic shared memory of the launch */
  const cw_rt *rt;
  void *launch;              /* the plugin's launch state */
} cw_blk;

/* One thread, as device functions and fibers see it. */
typedef struct cw_thr {
  cw_blk *C;
  uint32_t tx, ty, tz, lin;  /* threadIdx and the linear index in the block */
  void *fiber;               /* fiber mode: the plugin's fiber; NULL in loop mode */
} cw_thr;

/* Services of the plugin. */
struct cw_rt {
  /* Writes one printf result with a single write under a lock (lines never interleave). */
  void (*write_out)(const char *buf, size_t len);
  /* Reports a failed assert (CUDA's message on stderr), makes the launch fail with CW_ERR_ASSERT
   * and stops starting new blocks.  In fiber mode (fiber != NULL) it ends the calling thread
   * and never returns. */
  void (*assert_fail)(cw_blk *C, uint32_t tx, uint32_t ty, uint32_t tz, void *fiber,
                      const char *file, int line, const char *kernel, const char *cond);
  /* __trap(): the launch fails (CW_ERR_LAUNCH); same control flow as assert_fail. */
  void (*trap)(cw_blk *C, uint32_t tx, uint32_t ty, uint32_t tz, void *fiber, const char *file,
               int line, const char *kernel);
  /* Fiber mode only.  Block barrier; returns the number of threads that passed a non-zero
   * `pred` and stores the number of live threads in *live (for __syncthreads_count/and/or). */
  int (*barrier)(cw_thr *T, int pred, int *live);
  /* Fiber mode only.  Deposits `v`, waits for every live lane of the warp, stores the mask of
   * lanes that took part in *part and returns the 32 lane values (valid until this thread's next
   * exchange: no copy per thread). */
  const uint64_t *(*warp_exchange)(cw_thr *T, uint64_t v, uint32_t *part);
};

/* Loop mode: runs every thread of one block. */
typedef void (*cw_block_fn)(const void *const *args, cw_blk *C);
/* Fiber mode: runs one thread of a block. */
typedef void (*cw_thread_fn)(const void *const *args, cw_thr *T);

enum { CW_KMODE_PLAIN = 0, CW_KMODE_FISSION = 1, CW_KMODE_FIBERS = 2 };

typedef struct cw_kinfo {
  const char *name;
  int mode;                  /* CW_KMODE_* */
  cw_block_fn block;         /* PLAIN, FISSION */
  cw_thread_fn thread;       /* FIBERS */
  const char *path;          /* how the kernel runs, for the log: "plain loop", ... */
} cw_kinfo;

typedef struct cw_minfo {
  uint32_t abi;              /* CW_CPU_RT_ABI */
  uint32_t n_kernels;        /* = ir->n_kernels, same order */
  uint32_t shm_bytes;        /* size of the static shared area (all __shared__ variables) */
  const cw_kinfo *kernels;
} cw_minfo;

#endif
