/* engine.h — the cpu-simd execution engine: compiled modules, the worker pool that runs blocks,
 * fibers, streams and events.  Shared by compile.c, module.c, pool.c, fiber.c, rt_services.c,
 * stream.c, memory.c, transpiler.c and backend.c. */
#ifndef CPU_SIMD_ENGINE_H
#define CPU_SIMD_ENGINE_H

#include <stdatomic.h>

#include <glib.h>
#include <pthread.h>

#include "cpu-simd.h"
#include "rt/cw-cpu-rt.h"

typedef struct cpu_pool cpu_pool;

typedef struct cpu_engine {
  char **cc_argv;            /* the compiler command, parsed */
  char **cflags;             /* optimization flags + config `cflags` */
  char *cc_identity;         /* `cc --version` first line + target CPU: part of the cache key */
  GMutex lock;               /* streams list, compiler identity */
  cpu_pool *pool;
  cw_stream *default_stream;
  GPtrArray *streams;        /* every live stream, for device_synchronize */
  GMutex alloc_lock;
  GHashTable *allocs;        /* address -> size of live device allocations */
  GHashTable *spare;         /* size -> GSList of freed large blocks kept for reuse (memory.c) */
  size_t spare_bytes;
  atomic_int sticky;         /* a cw_status that poisons the context (assert), or CW_OK */
} cpu_engine;

struct cw_module {
  cw_backend *be;
  const cw_ir_module *ir;
  void *dl;                  /* dlopen handle of the compiled shared object */
  const cw_minfo *info;
  size_t fiber_stack;        /* stack per fiber: room for the largest locals of the module */
};

/* A launch in flight: the blocks of one grid. */
typedef struct cpu_launch {
  cw_module *mod;
  const cw_kinfo *kernel;
  uint32_t grid[3], block[3], dyn_shared;
  uint64_t n_blocks;
  size_t fiber_stack;
  void **args;               /* args[i] points into argbuf */
  unsigned char *argbuf;
  atomic_uint_fast64_t next; /* next block to claim */
  atomic_uint_fast64_t done; /* blocks finished (or skipped after an error) */
  atomic_int status;         /* first error of the launch */
  atomic_bool abort;         /* stop starting blocks */
  int active_workers;        /* workers taking blocks from it (pool lock) */
} cpu_launch;

/* Per worker thread: buffers reused across blocks. */
typedef struct cpu_worker {
  unsigned char *shm, *dshm;
  size_t shm_cap, dshm_cap;
  struct cpu_fibers *fibers; /* fiber.c */
} cpu_worker;

/* backend.c */
cpu_engine *cpu_engine_of(cw_backend *be);
cw_backend *cpu_backend_default(void);   /* for NULL streams: the (only) probed context */
void cpu_set_sticky(cw_backend *be, cw_status st);

/* compile.c: C source -> cached shared object -> dlopen handle. */
cw_status cpu_compile(cw_backend *be, const char *source, void **dl, char *err, size_t err_len);
const char *const *cpu_default_cflags(void);
/* dlclose for handles from cpu_compile. */
void cpu_unload(void *dl);

/* pool.c */
cpu_pool *cpu_pool_new(int threads);
void cpu_pool_free(cpu_pool *p);
/* Runs every block of `l` on the pool and waits; returns the launch's status. */
/* Runs a launch to its end.  Called from a stream thread (cpu_thread_start): a grid of one block
 * runs right there, on the thread's own cpu_worker, which saves the two thread wake-ups a trip
 * through the workers costs; larger grids go to the workers. */
cw_status cpu_pool_run(cpu_pool *p, cpu_launch *l);
/* Starts a thread with a worker's stack (loop fission keeps a block's per-thread arrays on the
 * stack), whose cpu_pool_run calls may run blocks themselves; false when it cannot start. */
bool cpu_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);
/* The calling thread's cpu_worker for blocks it runs itself (set by cpu_thread_start's threads). */
void cpu_thread_set_worker(cpu_worker *w);
/* Frees a cpu_worker's buffers (the struct itself is the caller's). */
void cpu_worker_release(cpu_worker *w);

/* module.c */
cw_status cpu_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                          cw_module **out, char *err, size_t err_len);
void cpu_module_unload(cw_module *mod);
cw_status cpu_module_global(cw_module *mod, const char *name, uint64_t *addr, size_t *size);
cw_status cpu_launch_kernel(cw_stream *s, cw_module *mod, uint32_t kernel_index,
                            const cw_launch_dims *dims, void *const *args, char *err, size_t err_len);
/* Runs one block on a worker (pool.c calls it). */
void cpu_run_block(cpu_launch *l, uint64_t block, cpu_worker *w);
void cpu_launch_free(cpu_launch *l);

/* fiber.c */
void cpu_fibers_run_block(cpu_worker *w, cpu_launch *l, cw_blk *C);
void cpu_fibers_free(struct cpu_fibers *f);
int cpu_fiber_barrier(cw_thr *T, int pred, int *live);
const uint64_t *cpu_fiber_warp_exchange(cw_thr *T, uint64_t v, uint32_t *part);
void cpu_fiber_exit(void *fiber) __attribute__((noreturn));

/* rt_services.c */
extern const cw_rt cpu_rt;
void cpu_launch_fail(cpu_launch *l, cw_status st);

/* stream.c */
typedef void (*cpu_work_fn)(void *data);
/* Queues `fn(data)` on the stream (the default stream when s is NULL); `free_fn(data)` runs after.
 * With wait, returns after it ran. */
cw_status cpu_stream_submit(cw_stream *s, cpu_work_fn fn, void *data, void (*free_fn)(void *), bool wait);
cw_status cpu_stream_create(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out);
void cpu_stream_destroy(cw_stream *s);
cw_status cpu_stream_synchronize(cw_stream *s);
cw_status cpu_stream_query(cw_stream *s);
cw_status cpu_stream_wait_event(cw_stream *s, cw_event *ev);
cw_backend *cpu_stream_backend(cw_stream *s);
cw_status cpu_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out);
void cpu_event_destroy(cw_event *ev);
cw_status cpu_event_record(cw_event *ev, cw_stream *s);
cw_status cpu_event_synchronize(cw_event *ev);
cw_status cpu_event_query(cw_event *ev);
cw_status cpu_event_elapsed_ms(cw_event *start, cw_event *end, float *ms);
cw_status cpu_device_synchronize(cw_backend *be, int dev);

/* memory.c */
extern const cw_memory_ops cpu_memory_ops;
/* Frees the blocks kept for reuse (at shutdown). */
void cpu_memory_drop_spare(cpu_engine *en);

/* transpiler.c */
extern const cw_transpiler_ops cpu_transpiler_ops;

/* backend.c */
extern const cw_backend_ops cpu_backend_ops;

#endif
