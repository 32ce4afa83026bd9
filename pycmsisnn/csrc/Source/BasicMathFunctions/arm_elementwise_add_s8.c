/*
 * pycmsisnn: arm_elementwise_add_s8.
 *
 * Quantised addition of two int8 vectors of block_size elements (no
 * broadcasting). Each input gets its offset added and is scaled up by
 * 2^left_shift so that the following rescale keeps precision; each is then
 * rescaled onto a common scale with its own multiplier, the two are summed,
 * and the sum is rescaled to the output, offset and clamped. This is the
 * integer recipe of TensorFlow Lite's quantised ADD.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#include "Internal/arm_nn_elementwise_s8_simd.h"
#include "Internal/pycmsisnn_host_s8.h"

/* Sum of two int32 values that wraps instead of overflowing (never reached
 * with parameters derived from real scales, but keeps the C well defined). */
static inline int32_t add_wrap_s32(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* The portable loop: the reference for every other path (on an x86-64
 * host also compiled for AVX2, Internal/pycmsisnn_host_s8.h). */
static PCN_HOST_CLONES void add_s8_portable(const int8_t *input_1_vect,
                            const int8_t *input_2_vect,
                            const int32_t input_1_offset,
                            const int32_t input_1_mult,
                            const int32_t input_1_shift,
                            const int32_t input_2_offset,
                            const int32_t input_2_mult,
                            const int32_t input_2_shift,
                            const int32_t left_shift,
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
        /* Offset inputs fit in 9 bits, so the scaled-up value fits in int32
         * for any left_shift the API uses (20); wrap otherwise. */
        const int32_t a = arm_nn_shift_left_wrap((int32_t)input_1_vect[i] + input_1_offset, left_shift);
        const int32_t b = arm_nn_shift_left_wrap((int32_t)input_2_vect[i] + input_2_offset, left_shift);

        const int32_t a_scaled = arm_nn_requantize(a, input_1_mult, input_1_shift);
        const int32_t b_scaled = arm_nn_requantize(b, input_2_mult, input_2_shift);

        output[i] = arm_nn_requantize_clamp_s8(add_wrap_s32(a_scaled, b_scaled),
                                               out_mult,
                                               out_shift,
                                               out_offset,
                                               out_activation_min,
                                               out_activation_max);
    }
}

arm_cmsis_nn_status arm_elementwise_add_s8(const int8_t *input_1_vect,
                                           const int8_t *input_2_vect,
                                           const int32_t input_1_offset,
                                           const int32_t input_1_mult,
                                           const int32_t input_1_shift,
                                           const int32_t input_2_offset,
                                           const int32_t input_2_mult,
                                           const int32_t input_2_shift,
                                           const int32_t left_shift,
                                           int8_t *output,
                                           const int32_t out_offset,
                                           const int32_t out_mult,
                                           const int32_t out_shift,
                                           const int32_t out_activation_min,
                                           const int32_t out_activation_max,
                                           const int32_t block_size)
{
    if (block_size < 0 || left_shift < 0 || left_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(ARM_MATH_MVEI)
    {
        pcn_ew_add_mve_params p;

        if (pcn_ew_add_mve_init(&p,
                                input_1_offset,
                                input_1_mult,
                                input_1_shift,
                                input_2_offset,
                                input_2_mult,
                                input_2_shift,
                                left_shift,
                                out_offset,
                                out_mult,
                                out_shift,
                                out_activation_min,
                                out_activation_max))
        {
            pcn_ew_add_mve_run(input_1_vect, input_2_vect, output, block_size, 1, 0, 0, &p, 0, 0, 0);
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#elif defined(ARM_MATH_DSP)
    {
        pcn_ew_add_dsp_params p;

        if (pcn_ew_add_dsp_init(&p,
                                input_1_offset,
                                input_1_mult,
                                input_1_shift,
                                input_2_offset,
                                input_2_mult,
                                input_2_shift,
                                left_shift,
                                out_offset,
                                out_mult,
                                out_shift,
                                out_activation_min,
                                out_activation_max))
        {
            pcn_ew_add_dsp_run(input_1_vect, input_2_vect, output, block_size, 1, 0, 0, &p, 0, 0, 0);
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    add_s8_portable(input_1_vect,
                    input_2_vect,
                    input_1_offset,
                    input_1_mult,
                    input_1_shift,
                    input_2_offset,
                    input_2_mult,
                    input_2_shift,
                    left_shift,
                    output,
                    out_offset,
                    out_mult,
                    out_shift,
                    out_activation_min,
                    out_activation_max,
                    block_size);

    return ARM_CMSIS_NN_SUCCESS;
}
