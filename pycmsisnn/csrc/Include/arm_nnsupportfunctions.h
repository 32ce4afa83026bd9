/*
 * pycmsisnn: private arithmetic shared by the kernels (not part of the API).
 *
 * The arithmetic itself lives in Internal/pycmsisnn_arith.h.
 */
#ifndef ARM_NNSUPPORTFUNCTIONS_H
#define ARM_NNSUPPORTFUNCTIONS_H

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#include "Internal/pycmsisnn_arith.h"

#ifdef __cplusplus
}
#endif

#endif /* ARM_NNSUPPORTFUNCTIONS_H */
