/*
 * pycmsisnn: arm_softmax_q7 (legacy q7 API).
 *
 * A base-2 softmax on raw q7 values, as revised in 2020: the largest input
 * gets weight 2^7, an input d steps below it 2^(7-d) (at least 2^0 = 1), and
 * each output is 2^20 / (sum of the weights), shifted right by 13 + b - x
 * (b = largest input - 8), saturated to int8.
 */
#include <stddef.h>

#include "pycmsisnn_legacy_q7.h"

static int32_t clamp_between(int32_t value, int32_t lo, int32_t hi)
{
    return value < lo ? lo : (value > hi ? hi : value);
}

void arm_softmax_q7(const q7_t *vec_in, const uint16_t dim_vec, q7_t *p_out)
{
    if (vec_in == NULL || p_out == NULL || dim_vec == 0)
    {
        return;
    }
    int32_t base = INT8_MIN;
    for (size_t i = 0; i < dim_vec; i++)
    {
        if (vec_in[i] > base)
        {
            base = vec_in[i];
        }
    }
    base -= 8;
    int32_t sum = 0;
    for (size_t i = 0; i < dim_vec; i++)
    {
        sum += (int32_t)1 << clamp_between(vec_in[i] - base, 0, 7);
    }
    const int32_t output_base = ((int32_t)1 << 20) / sum;
    for (size_t i = 0; i < dim_vec; i++)
    {
        const int32_t shifted = output_base >> clamp_between(13 + base - vec_in[i], 0, 31);
        p_out[i] = (q7_t)(shifted > INT8_MAX ? INT8_MAX : shifted);
    }
}
