/* kernels.c — modules more than one test file uses. */
#include "kb.h"

/* saxpy(int n, float a, float *x, float *y): i = gid; if (i < n) y[i] = a * x[i] + y[i]; */
cw_ir_module *kb_saxpy_module(void) {
  kb k = {.m = cw_ir_module_new("saxpy.cu")};
  cw_ir_stmt *b = kb_kernel(&k, "saxpy");
  cw_ir_var *n = kb_param(&k, "n", T(&k, CW_IR_I32)), *a = kb_param(&k, "a", T(&k, CW_IR_F32));
  cw_ir_var *x = kb_param(&k, "x", PTR(&k, CW_IR_F32)), *y = kb_param(&k, "y", PTR(&k, CW_IR_F32));
  cw_ir_var *i = DECL(&k, b, "i", T(&k, CW_IR_I32), GID(&k));
  cw_ir_stmt *t = IF(&k, b, BIN(&k, CW_OP_LT, V(&k, i), V(&k, n)));
  EXPR(&k, t, SET(&k, AT(&k, V(&k, y), V(&k, i)),
                  BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, V(&k, a), AT(&k, V(&k, x), V(&k, i))),
                      AT(&k, V(&k, y), V(&k, i)))));
  return k.m;
}

