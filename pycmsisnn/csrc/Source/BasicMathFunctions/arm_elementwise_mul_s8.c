/*
 * pycmsisnn: arm_elementwise_mul_s8.
 *
 * Quantised product of two int8 vectors of block_size elements (no
 * broadcasting): both inputs get their offsets, the exact 32-bit product is
 * rescaled once to the output scale, then the output offset is added and the
 * result clamped to the activation range.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#include "Internal/arm_nn_elementwise_s8_simd.h"

/* The portable loop: the reference for every other path. */
static void mul_s8_portable(const int8_t *input_1_vect,
                            const int8_t *input_2_vect,
                            const int32_t input_1_offset,
                            const int32_t input_2_offset,
                            int8_t *output,
                            const int32_t out_offset,
                            const int32_t out_mult,
                            const int32_t out_shift,
                            const int32_t out_activation_min,
                            const int32_t out_activation_max,
                            const int32_t block_size)
{
    for (int32_t i = 0; i < block_size; i++)
    {
        /* Offsets are bounded by the int8 zero-point range, so each factor
         * fits in 9 bits and the product comfortably in int32; the 64-bit
         * product only guards against out-of-contract offsets. */
        const int64_t a = (int64_t)input_1_vect[i] + input_1_offset;
        const int64_t b = (int64_t)input_2_vect[i] + input_2_offset;
        const int32_t prod = (int32_t)(uint32_t)(uint64_t)(a * b);

        output[i] = arm_nn_requantize_clamp_s8(
            prod, out_mult, out_shift, out_offset, out_activation_min, out_activation_max);
    }
}

arm_cmsis_nn_status arm_elementwise_mul_s8(const int8_t *input_1_vect,
                                           const int8_t *input_2_vect,
                                           const int32_t input_1_offset,
                                           const int32_t input_2_offset,
                                           int8_t *output,
                                           const int32_t out_offset,
                                           const int32_t out_mult,
                                           const int32_t out_shift,
                                           const int32_t out_activation_min,
                                           const int32_t out_activation_max,
                                           const int32_t block_size)
{
    if (block_size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(ARM_MATH_MVEI)
    if (out_mult != INT32_MIN)
    {
        pcn_ew_mul_mve_run(input_1_vect,
                           input_2_vect,
                           input_1_offset,
                           input_2_offset,
                           output,
                           out_offset,
                           out_mult,
                           out_shift,
                           out_activation_min,
                           out_activation_max,
                           block_size,
                           1,
                           0,
                           0,
                           0,
                           0);
        return ARM_CMSIS_NN_SUCCESS;
    }
#elif defined(ARM_MATH_DSP)
    {
        pcn_ew_rq_dsp rq;

        if (pcn_ew_mul_dsp_init(&rq,
                                input_1_offset,
                                input_2_offset,
                                out_offset,
                                out_mult,
                                out_shift,
                                out_activation_min,
                                out_activation_max))
        {
            pcn_ew_mul_dsp_run(input_1_vect,
                               input_2_vect,
                               input_1_offset,
                               input_2_offset,
                               output,
                               &rq,
                               out_activation_min,
                               out_activation_max,
                               block_size,
                               1,
                               0,
                               0,
                               0,
                               0);
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    mul_s8_portable(input_1_vect,
                    input_2_vect,
                    input_1_offset,
                    input_2_offset,
                    output,
                    out_offset,
                    out_mult,
                    out_shift,
                    out_activation_min,
                    out_activation_max,
                    block_size);

    return ARM_CMSIS_NN_SUCCESS;
}
