/*
 * pycmsisnn: pycmsisnn_abs_s16.
 *
 * int16 ABS as TensorFlow Lite Micro evaluates it: the magnitude of the offset
 * input, requantised by s_in / s_out (double rounding), offset by the output
 * zero point and clamped to int16 (zero points 0).
 *
 * The body is shared with its twin (pcn_abs, Internal/pycmsisnn_math_ops_common.h).
 */
#include "pycmsisnn_math_ops.h"
#include "Internal/pycmsisnn_math_ops_common.h"

arm_cmsis_nn_status pycmsisnn_abs_s16(const pycmsisnn_requantize_params *params,
                                      const int16_t *input,
                                      int16_t *output,
                                      int32_t size)
{
    return pcn_abs(params, input, output, size, 2);
}
