/* ir_samples.h — hand-built IR modules shared by the ir tests (what the front end would build). */
#ifndef IR_SAMPLES_H
#define IR_SAMPLES_H

#include "cw/cw-ir.h"

/* A tiny builder context: the module, the function being built and its current block. */
typedef struct sb {
  cw_ir_module *m;
  cw_ir_func *f;
  cw_ir_stmt *blk;
} sb;

cw_ir_loc sl(int line, int col);
const cw_ir_type *sT(sb *b, cw_ir_type_kind k);
cw_ir_expr *sI(sb *b, int64_t v);                       /* int literal */
cw_ir_expr *sU(sb *b, uint32_t v);                      /* unsigned int literal */
cw_ir_expr *sF(sb *b, float v);                         /* float literal */
cw_ir_expr *sV(sb *b, cw_ir_var *v);
cw_ir_expr *sBin(sb *b, cw_ir_op op, cw_ir_expr *x, cw_ir_expr *y);  /* type of x */
cw_ir_expr *sCast(sb *b, cw_ir_type_kind k, cw_ir_expr *x);
cw_ir_expr *sBI(sb *b, cw_ir_builtin bi, cw_ir_type_kind k, int n, ...);
cw_ir_expr *sGtid(sb *b);                               /* (int)(blockIdx.x*blockDim.x+threadIdx.x) */
void sExpr(sb *b, cw_ir_expr *e);                       /* append an expression statement */
cw_ir_var *sDecl(sb *b, const char *name, const cw_ir_type *t, cw_ir_expr *init);
cw_ir_stmt *sBlock(sb *b);                              /* new block; does not append */
cw_ir_func *sFunc(sb *b, const char *name, const cw_ir_type *ret, bool kernel);

/* Sample modules (not finished: the caller calls cw_ir_module_finish). */
cw_ir_module *sample_saxpy(void);
cw_ir_module *sample_matmul(void);        /* shared tiles, __syncthreads, #pragma unroll */
cw_ir_module *sample_warp_reduce(void);   /* device function with shuffles, atomicAdd */
cw_ir_module *sample_atomics(void);       /* float/double/int/u64/i64 atomics */
cw_ir_module *sample_struct_param(void);
cw_ir_module *sample_printf(void);        /* printf and assert */
cw_ir_module *sample_template(void);      /* "fill<float,256>" as fill_float_256 */
cw_ir_module *sample_misc(void);
cw_ir_module *sample_builtins(void);      /* type-dependent builtin spellings, half */          /* dyn shared, float4, switch, goto, do/while, constants */

typedef cw_ir_module *(*sample_fn)(void);
extern const struct sample_entry { const char *name; sample_fn make; } samples[];
extern const unsigned n_samples;

#endif
