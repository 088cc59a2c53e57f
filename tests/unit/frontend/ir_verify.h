/* A checker of the front end's output: every implicit conversion must be explicit in the IR,
 * so operand and result types must agree exactly (types are interned: pointer equality).
 * Returns the number of problems; each is appended to `log`. */
#ifndef FE_IR_VERIFY_H
#define FE_IR_VERIFY_H

#include <glib.h>

#include <cw/cw-ir.h>

int fe_ir_verify(const cw_ir_module *m, GString *log);

#endif
