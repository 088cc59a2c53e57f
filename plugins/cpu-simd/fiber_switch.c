/* fiber_switch.c — the fiber context switch (see fiber_switch.h). */
#include <stdint.h>

#include "fiber_switch.h"

#ifdef CPU_FCTX_NATIVE

/* cpu_fctx_swap(void **save_sp, void *to_sp).  Frame, from the saved stack pointer up:
 *   [0] MXCSR (4 bytes) and x87 control word (2), [8] r15, [16] r14, [24] r13, [32] r12,
 *   [40] rbx, [48] rbp, [56] return address. */
__asm__(".text\n"
        ".globl cpu_fctx_swap\n"
        ".hidden cpu_fctx_swap\n"
        ".type cpu_fctx_swap, @function\n"
        "cpu_fctx_swap:\n"
        "  pushq %rbp\n"
        "  pushq %rbx\n"
        "  pushq %r12\n"
        "  pushq %r13\n"
        "  pushq %r14\n"
        "  pushq %r15\n"
        "  subq $8, %rsp\n"
        "  stmxcsr (%rsp)\n"
        "  fnstcw 4(%rsp)\n"
        "  movq %rsp, (%rdi)\n"
        "  movq %rsi, %rsp\n"
        "  ldmxcsr (%rsp)\n"
        "  fldcw 4(%rsp)\n"
        "  addq $8, %rsp\n"
        "  popq %r15\n"
        "  popq %r14\n"
        "  popq %r13\n"
        "  popq %r12\n"
        "  popq %rbx\n"
        "  popq %rbp\n"
        "  ret\n"
        ".size cpu_fctx_swap, .-cpu_fctx_swap\n");

void cpu_fctx_swap(void **save_sp, void *to_sp);

void cpu_fctx_make(cpu_fctx *c, void *stack, size_t size, void (*entry)(void)) {
  uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
  /* after the 8 control bytes, 6 registers and the return, %rsp must be 8 mod 16, as on entry to
   * a called function: the frame starts 8 mod 16, with a zero "return address" above `entry` */
  uint64_t *f = (uint64_t *)(top - 80 + 8);
  uint32_t mxcsr;
  uint16_t fpucw;
  __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
  __asm__ volatile("fnstcw %0" : "=m"(fpucw));
  f[0] = (uint64_t)mxcsr | (uint64_t)fpucw << 32;
  for (int i = 1; i <= 6; i++) f[i] = 0; /* r15 r14 r13 r12 rbx rbp */
  f[7] = (uint64_t)(uintptr_t)entry;
  f[8] = 0;
  c->sp = f;
}

void cpu_fctx_switch(cpu_fctx *from, cpu_fctx *to) { cpu_fctx_swap(&from->sp, to->sp); }

void cpu_fctx_jump(cpu_fctx *to) {
  void *discard;
  cpu_fctx_swap(&discard, to->sp);
  __builtin_unreachable();
}

#else

/* Out of line: getcontext "returns twice" for the compiler, which must not affect the caller. */
__attribute__((noinline)) void cpu_fctx_make(cpu_fctx *c, void *stack, size_t size, void (*entry)(void)) {
  getcontext(&c->uc);
  c->uc.uc_stack.ss_sp = stack;
  c->uc.uc_stack.ss_size = size;
  c->uc.uc_link = NULL;
  makecontext(&c->uc, entry, 0);
}

void cpu_fctx_switch(cpu_fctx *from, cpu_fctx *to) { swapcontext(&from->uc, &to->uc); }

void cpu_fctx_jump(cpu_fctx *to) {
  setcontext(&to->uc);
  __builtin_unreachable();
}

#endif
