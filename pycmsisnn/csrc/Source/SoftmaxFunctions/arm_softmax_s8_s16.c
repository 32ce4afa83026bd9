/*
 * pycmsisnn: arm_softmax_s8_s16.
 *
 * As arm_softmax_s8, with int16 output at scale 1/65536 and zero point
 * -32768: round(65536 * exp(d) / sum) - 32768, clamped to int16; elements
 * below diff_min give -32768.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_softmax_fixedpoint.h"

void arm_softmax_s8_s16(const int8_t *input,
                        const int32_t num_rows,
                        const int32_t row_size,
                        const int32_t mult,
                        const int32_t shift,
                        const int32_t diff_min,
                        int16_t *output)
{
    int32_t r;
    int32_t c;

    if (input == NULL || output == NULL || num_rows <= 0 || row_size <= 0)
    {
        return;
    }

    for (r = 0; r < num_rows; r++)
    {
        const int8_t *in = input + (size_t)r * (size_t)row_size;
        int16_t *out = output + (size_t)r * (size_t)row_size;
        int32_t max = 0;
        int32_t reciprocal = 0;
        int32_t out_shift = 0;
        const int32_t counted =
            pcn_softmax_row_setup(in, row_size, mult, shift, diff_min, 16, &max, &reciprocal, &out_shift);

        for (c = 0; c < row_size; c++)
        {
            const int32_t diff = (int32_t)in[c] - max;
            int32_t v = NN_Q15_MIN;
            if (counted && diff >= diff_min)
            {
                v = pcn_softmax_element(diff, mult, shift, reciprocal, out_shift) + NN_Q15_MIN;
                v = PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX);
            }
            out[c] = (int16_t)v;
        }
    }
}
