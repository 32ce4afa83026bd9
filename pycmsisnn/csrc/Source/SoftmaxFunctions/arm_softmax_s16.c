/*
 * pycmsisnn: arm_softmax_s16, int16 softmax through two lookup tables
 * (TFLite Micro's int16 reference; output scale 1/32768, zero point 0).
 *
 * Per row: the difference of each input to the row's maximum is scaled by
 * (mult, shift) so that [-65535, 0] covers [-10, 0], moved to
 * [-32768, 32767] and looked up in the exp table (Q0.15). The exponentials
 * are summed in int32; the sum, normalised to its leading one, gives x in
 * [0, 1) for the 1/(1 + x) table; each exponential times that reciprocal,
 * shifted back by the normalisation with rounding, is the output in
 * [0, 32767].
 *
 * Both tables hold 513 int16 values: entry i covers inputs
 * (i - 256) * 128 .. + 127, the low 7 bits interpolating towards entry i + 1.
 * The exponentials are kept in the output row until the reciprocal is known.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_arith_s16.h"

static int16_t s16_lut_lookup(const int16_t value, const int16_t *lut)
{
    const int32_t index = 256 + ((int32_t)value >> 7);
    const int32_t frac = (int32_t)value & 0x7F;
    const int32_t base = lut[index];
    const int32_t slope = (int32_t)lut[index + 1] - base;

    return (int16_t)(base + ((slope * frac + 64) >> 7));
}

static int32_t s16_count_leading_zeros(uint32_t v)
{
    int32_t n = 0;

    if (v == 0)
    {
        return 32;
    }
    while ((v & 0x80000000u) == 0)
    {
        v <<= 1;
        n++;
    }
    return n;
}

arm_cmsis_nn_status arm_softmax_s16(const int16_t *input,
                                    const int32_t num_rows,
                                    const int32_t row_size,
                                    const int32_t mult,
                                    const int32_t shift,
                                    const cmsis_nn_softmax_lut_s16 *softmax_params,
                                    int16_t *output)
{
    int32_t r, j;

    if (softmax_params == NULL || softmax_params->exp_lut == NULL || softmax_params->one_by_one_lut == NULL ||
        num_rows < 0 || row_size < 1 || row_size > 65535 || shift < -31 || shift > 31 || mult < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (r = 0; r < num_rows; r++)
    {
        const int16_t *in = input + (size_t)r * (size_t)row_size;
        int16_t *out = output + (size_t)r * (size_t)row_size;
        int32_t max_in_row = NN_Q15_MIN;
        int32_t sum = 0;
        int32_t headroom, right_shift, shifted_sum;
        int16_t reciprocal;
        int64_t rounding;

        for (j = 0; j < row_size; j++)
        {
            max_in_row = PCN_MAX(max_in_row, (int32_t)in[j]);
        }
        for (j = 0; j < row_size; j++)
        {
            const int32_t diff = (int32_t)in[j] - max_in_row;
            const int32_t scaled = arm_nn_requantize(diff, mult, shift);
            /* recentre [-65535, 0] on [-32768, 32767] */
            const int32_t centred = (int32_t)((uint32_t)scaled + 32767u);

            out[j] = s16_lut_lookup(pcn_sat_s16(centred), softmax_params->exp_lut);
            sum += out[j];
        }

        /* A sane exp table makes sum >= 2^14; a degenerate one is kept
         * within the shifts' defined range. */
        headroom = PCN_CLAMP(s16_count_leading_zeros((uint32_t)sum), 1, 30);
        /* the sum with its leading one at bit 30, rounded to Q1.16: [2^16, 2^17) */
        shifted_sum = (int32_t)((((int64_t)sum << (headroom - 1)) + (1 << 13)) >> 14);
        /* x = sum - 1 on [0, 65535], recentred on [-32768, 32767] */
        reciprocal = s16_lut_lookup(pcn_sat_s16(shifted_sum - ((1 << 15) + (1 << 16))), softmax_params->one_by_one_lut);

        right_shift = 31 - headroom;
        rounding = (int64_t)1 << (right_shift - 1);
        for (j = 0; j < row_size; j++)
        {
            const int32_t v = (int32_t)(((int64_t)out[j] * (int64_t)reciprocal + rounding) >> right_shift);
            out[j] = (int16_t)PCN_CLAMP(v, 0, (int32_t)NN_Q15_MAX);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
