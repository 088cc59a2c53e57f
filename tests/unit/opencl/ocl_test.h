/* ocl_test.h — shared helpers of the opencl tests: probe (failing, not skipping, when
 * CW_TEST_REQUIRE names opencl and no device is found), load a hand-built IR module through the
 * plugin's vtables as the runtime drives them, launch, allocate and copy. */
#ifndef OCL_TEST_H
#define OCL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit.h"
#include "opencl-plugin.h"
#include "ir_samples.h"
#include "plugin/config.h"

extern cw_backend *ocl_be;

/* Probes (with the opencl section of $OCL_TEST_CONFIG when set); returns 0 when a device is
 * there, 77 (skip) or 1 (fail: CW_TEST_REQUIRE) if not. */
int ocl_test_probe(void);
/* Whether device 0 uses the SVM address model (else buffers + offsets). */
bool ocl_test_svm(void);

typedef struct loaded {
  cw_ir_module *ir;
  cw_artifact *art;
  cw_module *mod;
  cw_stream *stream;
} loaded;

loaded ocl_load(cw_ir_module *ir);       /* finishes ir, emits, loads, makes a stream */
void ocl_unload(loaded *l);
void ocl_launch(loaded *l, uint32_t k, uint32_t gx, uint32_t bx, uint32_t by, uint32_t dyn, void **args);
uint64_t ocl_dalloc(size_t bytes);
void ocl_dfree(uint64_t a);
void ocl_h2d(loaded *l, uint64_t dst, const void *src, size_t n);
void ocl_d2h(loaded *l, void *dst, uint64_t src, size_t n);
/* supports() on the device; the reason in `why` */
bool ocl_supported(cw_ir_module *ir, char *why, size_t len);
cw_device_caps ocl_caps(void);

#endif
