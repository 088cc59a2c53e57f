/* fiber_switch.h — switching between fiber stacks.
 *
 * On x86-64 a fiber switch is a few instructions (fiber_switch.c): the callee-saved registers and
 * the SSE/x87 control words go on the old stack, the stack pointer changes, they come back off the
 * new one.  swapcontext does the same plus a sigprocmask system call per switch, which made every
 * __syncthreads of a fiber-mode kernel cost a microsecond per thread.  Elsewhere, and under
 * AddressSanitizer (which must see stack switches), ucontext is used. */
#ifndef CPU_SIMD_FIBER_SWITCH_H
#define CPU_SIMD_FIBER_SWITCH_H

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CPU_FCTX_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CPU_FCTX_ASAN 1
#endif

#if defined(__x86_64__) && !defined(CPU_FCTX_ASAN)
#define CPU_FCTX_NATIVE 1
typedef struct cpu_fctx {
  void *sp; /* saved stack pointer; the registers lie on the stack below it */
} cpu_fctx;
#else
#include <ucontext.h>
typedef struct cpu_fctx {
  ucontext_t uc;
} cpu_fctx;
#endif

/* Prepares `c` to start `entry` (which must never return) on the given stack. */
void cpu_fctx_make(cpu_fctx *c, void *stack, size_t size, void (*entry)(void));
/* Saves the running context in `from` and resumes `to`; returns when something switches back. */
void cpu_fctx_switch(cpu_fctx *from, cpu_fctx *to);
/* Resumes `to`, abandoning the running context. */
void cpu_fctx_jump(cpu_fctx *to) __attribute__((noreturn));

#endif
