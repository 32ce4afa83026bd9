/* pycmsisnn: arm_fully_connected_s4: per-tensor fully connected layer with
 * packed int4 weights [C_OUT][depth]; no scratch.
 *
 * Row o of the weights is the run of depth nibbles from nibble o * depth.
 * DSP and MVE builds take two rows per pass over the input (rows of the same
 * start parity: o and o + 1 when depth is even, else o and o + 2) through
 * the blocks of Internal/arm_nn_s4_simd.h; portable builds, and the rare
 * rows those cannot take, one row at a time. The filter offset acts through
 * the sum of the offset inputs, as in the portable loop. */
#include "Internal/arm_nn_s4.h"
#include "Internal/arm_nn_s4_simd.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

/* The requantised, offset and clamped output of accumulator acc. */
static int8_t fc_s4_out(const cmsis_nn_fc_params *fc_params,
                        const cmsis_nn_per_tensor_quant_params *quant_params,
                        const int32_t acc)
{
    return arm_nn_requantize_clamp_s8(acc,
                                      quant_params->multiplier,
                                      quant_params->shift,
                                      fc_params->output_offset,
                                      fc_params->activation.min,
                                      fc_params->activation.max);
}

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
/* Outputs o0 and o1 (rows of the same start parity) of one input row x;
 * base is the part of each accumulator shared by all rows. */
static void fc_s4_pair(const cmsis_nn_fc_params *fc_params,
                       const cmsis_nn_per_tensor_quant_params *quant_params,
                       const int8_t *x,
                       const int8_t *filter_data,
                       const int32_t *bias_data,
                       const int32_t depth,
                       const int32_t base,
                       const int32_t o0,
                       const int32_t o1,
                       int8_t *out)
{
    int32_t s[2] = {base, base};
    if (bias_data != NULL)
    {
        s[0] += bias_data[o0];
        s[1] += bias_data[o1];
    }
    #if defined(ARM_MATH_MVEI)
    pcn_s4_mve_run_1x2(x, filter_data, o0 * depth, o1 * depth, depth, fc_params->input_offset, s);
    #else
    pcn_s4_dsp_run_1x2(x, filter_data, o0 * depth, o1 * depth, depth, fc_params->input_offset, s);
    #endif
    out[o0] = fc_s4_out(fc_params, quant_params, s[0]);
    out[o1] = fc_s4_out(fc_params, quant_params, s[1]);
}
#endif

arm_cmsis_nn_status arm_fully_connected_s4(const cmsis_nn_context *ctx,
                                           const cmsis_nn_fc_params *fc_params,
                                           const cmsis_nn_per_tensor_quant_params *quant_params,
                                           const cmsis_nn_dims *input_dims,
                                           const int8_t *input_data,
                                           const cmsis_nn_dims *filter_dims,
                                           const int8_t *filter_data,
                                           const cmsis_nn_dims *bias_dims,
                                           const int32_t *bias_data,
                                           const cmsis_nn_dims *output_dims,
                                           int8_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t depth = filter_dims->n;
    const int32_t out_ch = output_dims->c;
    const int32_t input_offset = fc_params->input_offset;
    const int32_t filter_offset = fc_params->filter_offset;
    (void)ctx;
    (void)bias_dims;

    if (batches < 0 || depth < 0 || out_ch < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (int32_t b = 0; b < batches; b++)
    {
        const int8_t *x = input_data + (size_t)b * depth;
        int8_t *out = output_data + (size_t)b * out_ch;
        int32_t x_sum = 0;
        if (filter_offset != 0)
        {
            for (int32_t d = 0; d < depth; d++)
            {
                x_sum += (int32_t)x[d] + input_offset;
            }
        }
        const int32_t base = filter_offset * x_sum;
        int32_t o = 0;
#if defined(ARM_MATH_MVEI)
        if (depth <= PCN_S4_SIMD_MAX_N && (depth & 1) == 0)
        {
            /* Four rows at a time, requantised as one vector. */
            for (; o + 3 < out_ch; o += 4)
            {
                int32x4_t v = pcn_s4_mve_sums_1x4(x, filter_data + (o * depth >> 1), depth >> 1, depth, input_offset);
                if (bias_data != NULL)
                {
                    v = vaddq_s32(v, vldrwq_s32(bias_data + o));
                }
                v = vaddq_n_s32(v, base);
                v = pcn_mve_requantize_n(v, quant_params->multiplier, quant_params->shift);
                v = vaddq_n_s32(v, fc_params->output_offset);
                v = vmaxq_s32(v, vdupq_n_s32(fc_params->activation.min));
                v = vminq_s32(v, vdupq_n_s32(fc_params->activation.max));
                vstrbq_s32(out + o, v);
            }
        }
#endif
#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
        if (depth <= PCN_S4_SIMD_MAX_N)
        {
            if ((depth & 1) == 0)
            {
                for (; o + 1 < out_ch; o += 2)
                {
                    fc_s4_pair(fc_params, quant_params, x, filter_data, bias_data, depth, base, o, o + 1, out);
                }
            }
            else
            {
                for (; o + 3 < out_ch; o += 4)
                {
                    fc_s4_pair(fc_params, quant_params, x, filter_data, bias_data, depth, base, o, o + 2, out);
                    fc_s4_pair(fc_params, quant_params, x, filter_data, bias_data, depth, base, o + 1, o + 3, out);
                }
            }
        }
#endif
        for (; o < out_ch; o++)
        {
            int32_t acc = bias_data != NULL ? bias_data[o] : 0;
            acc += pcn_s4_dot(x, filter_data, o * depth, depth, input_offset);
            acc += base;
            out[o] = fc_s4_out(fc_params, quant_params, acc);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
