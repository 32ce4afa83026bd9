/*
 * pycmsisnn: arm_softmax_s8.
 *
 * Softmax over each of num_rows rows of row_size int8 values, with TFLite's
 * fixed-point definition (see Internal/arm_nn_softmax_fixedpoint.h). The
 * output has scale 1/256 and zero point -128: an element whose difference to
 * the row maximum is below diff_min gives -128, the others
 * round(256 * exp(d) / sum) - 128, clamped to int8.
 * mult/shift: the input scale (times beta) as a Q31 multiplier and a
 * non-negative left-shift exponent, taking differences into Q5.26.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_softmax_fixedpoint.h"

void arm_softmax_s8(const int8_t *input,
                    const int32_t num_rows,
                    const int32_t row_size,
                    const int32_t mult,
                    const int32_t shift,
                    const int32_t diff_min,
                    int8_t *output)
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
        int8_t *out = output + (size_t)r * (size_t)row_size;
        int32_t max = 0;
        int32_t reciprocal = 0;
        int32_t out_shift = 0;
        const int32_t counted =
            pcn_softmax_row_setup(in, row_size, mult, shift, diff_min, 8, &max, &reciprocal, &out_shift);

        for (c = 0; c < row_size; c++)
        {
            const int32_t diff = (int32_t)in[c] - max;
            int32_t v = NN_Q7_MIN;
            if (counted && diff >= diff_min)
            {
                v = pcn_softmax_element(diff, mult, shift, reciprocal, out_shift) + NN_Q7_MIN;
                v = PCN_CLAMP(v, NN_Q7_MIN, NN_Q7_MAX);
            }
            out[c] = (int8_t)v;
        }
    }
}
