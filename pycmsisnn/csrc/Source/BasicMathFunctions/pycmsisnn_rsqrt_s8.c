/*
 * pycmsisnn: pycmsisnn_rsqrt_s8.
 *
 * int8 RSQRT as TensorFlow Lite Micro evaluates it: the offset input v gives
 * the fixed-point 1 / sqrt(v) (pcn_inv_sqrt_q31) applied to 2^20, which is
 * then requantised by 1 / (sqrt(s_in) * s_out) with the exponent lowered by
 * 20, offset and clamped. v == 0 gives 127; a negative v is an error.
 *
 * The body is shared with its twin (pcn_rsqrt, Internal/pycmsisnn_math_ops_common.h).
 */
#include "pycmsisnn_math_ops.h"
#include "Internal/pycmsisnn_math_ops_common.h"

arm_cmsis_nn_status pycmsisnn_rsqrt_s8(const pycmsisnn_requantize_params *params,
                                       const int8_t *input,
                                       int8_t *output,
                                       int32_t size)
{
    return pcn_rsqrt(params, input, output, size, 1);
}
