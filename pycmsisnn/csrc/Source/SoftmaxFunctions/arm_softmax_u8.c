/*
 * pycmsisnn: arm_softmax_u8, TFLite's legacy uint8 softmax.
 *
 * As arm_softmax_s8 on uint8 rows, with uint8 output at scale 1/256 and
 * zero point 0: round(256 * exp(d) / sum), clamped to [0, 255]; elements
 * below diff_min give 0. Only differences to the row maximum enter the
 * arithmetic, so a row gives arm_softmax_s8's output of the row less 128,
 * plus 128.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_softmax_fixedpoint.h"

void arm_softmax_u8(const uint8_t *input,
                    const int32_t num_rows,
                    const int32_t row_size,
                    const int32_t mult,
                    const int32_t shift,
                    const int32_t diff_min,
                    uint8_t *output)
{
    int32_t r;
    int32_t c;

    if (input == NULL || output == NULL || num_rows <= 0 || row_size <= 0)
    {
        return;
    }

    for (r = 0; r < num_rows; r++)
    {
        const uint8_t *in = input + (size_t)r * (size_t)row_size;
        uint8_t *out = output + (size_t)r * (size_t)row_size;
        int32_t max = 0;
        int32_t sum = 0;
        int32_t reciprocal = 0;
        int32_t out_shift = 0;
        int32_t counted;

        for (c = 0; c < row_size; c++)
        {
            max = PCN_MAX(max, (int32_t)in[c]);
        }
        for (c = 0; c < row_size; c++)
        {
            sum = pcn_softmax_add_exp(sum, (int32_t)in[c] - max, mult, shift, diff_min);
        }
        counted = pcn_softmax_reciprocal(sum, 8, &reciprocal, &out_shift);
        for (c = 0; c < row_size; c++)
        {
            const int32_t diff = (int32_t)in[c] - max;
            int32_t v = 0;
            if (counted && diff >= diff_min)
            {
                v = PCN_CLAMP(pcn_softmax_element(diff, mult, shift, reciprocal, out_shift), 0, 255);
            }
            out[c] = (uint8_t)v;
        }
    }
}
