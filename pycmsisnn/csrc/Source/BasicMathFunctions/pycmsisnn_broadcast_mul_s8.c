/*
 * pycmsisnn: pycmsisnn_broadcast_mul_s8.
 *
 * Quantised MUL of two int8 NHWC tensors with broadcasting: the exact
 * product of the two offset inputs is rescaled once to the output scale,
 * offset and clamped (TensorFlow Lite's integer MUL recipe).
 *
 * Each input dimension equals the output's or is 1; a dimension of 1 is
 * repeated along the output (NumPy / TFLite broadcasting, right-aligned
 * shapes padded to four dimensions by the caller).
 */
#include "pycmsisnn_tensor_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"
#include "Internal/pycmsisnn_arith.h"

/* True when an input extent can be broadcast to the output extent. */
static int32_t broadcastable(const cmsis_nn_dims *in, const cmsis_nn_dims *out)
{
    return in->n > 0 && in->h > 0 && in->w > 0 && in->c > 0 && (in->n == out->n || in->n == 1) &&
        (in->h == out->h || in->h == 1) && (in->w == out->w || in->w == 1) && (in->c == out->c || in->c == 1);
}

/* Element steps of an NHWC tensor along N, H, W and C, 0 where it is broadcast.
 * The caller has checked that the element count fits in int32. */
static void broadcast_steps(const cmsis_nn_dims *in, int32_t steps[4])
{
    const int32_t step_w = in->c;
    const int32_t step_h = step_w * in->w;
    const int32_t step_n = step_h * in->h;
    steps[0] = in->n == 1 ? 0 : step_n;
    steps[1] = in->h == 1 ? 0 : step_h;
    steps[2] = in->w == 1 ? 0 : step_w;
    steps[3] = in->c == 1 ? 0 : 1;
}

/* Number of elements of an NHWC tensor, computed without overflow. */
static int64_t element_count(const cmsis_nn_dims *d)
{
    return (int64_t)d->n * d->h * d->w * d->c;
}

/* One output element of the quantised product. */
static int8_t mul_element(const pycmsisnn_mul_params *p, const int8_t x1, const int8_t x2)
{
    /* Offset int8 values fit in 9 bits, so the product fits in int32; the
     * unsigned arithmetic (same low 32 bits) only keeps out-of-contract
     * offsets well defined. */
    const uint32_t a = (uint32_t)(int32_t)x1 + (uint32_t)p->input_1_offset;
    const uint32_t b = (uint32_t)(int32_t)x2 + (uint32_t)p->input_2_offset;
    const int32_t prod = (int32_t)(a * b);
    return arm_nn_requantize_clamp_s8(
        prod, p->output_mult, p->output_shift, p->output_offset, p->activation.min, p->activation.max);
}

arm_cmsis_nn_status pycmsisnn_broadcast_mul_s8(const pycmsisnn_mul_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               int8_t *output)
{
    if (params == NULL || input_1_dims == NULL || input_2_dims == NULL || output_dims == NULL || input_1 == NULL ||
        input_2 == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!broadcastable(input_1_dims, output_dims) || !broadcastable(input_2_dims, output_dims) ||
        element_count(output_dims) > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (params->output_shift < -31 || params->output_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    int32_t steps_1[4];
    int32_t steps_2[4];
    broadcast_steps(input_1_dims, steps_1);
    broadcast_steps(input_2_dims, steps_2);

    int8_t *out = output;
    for (int32_t n = 0; n < output_dims->n; n++)
    {
        for (int32_t h = 0; h < output_dims->h; h++)
        {
            for (int32_t w = 0; w < output_dims->w; w++)
            {
                const int8_t *in_1 = input_1 + n * steps_1[0] + h * steps_1[1] + w * steps_1[2];
                const int8_t *in_2 = input_2 + n * steps_2[0] + h * steps_2[1] + w * steps_2[2];
                for (int32_t c = 0; c < output_dims->c; c++)
                {
                    *out++ = mul_element(params, *in_1, *in_2);
                    in_1 += steps_1[3];
                    in_2 += steps_2[3];
                }
            }
        }
    }

    return ARM_CMSIS_NN_SUCCESS;
}
