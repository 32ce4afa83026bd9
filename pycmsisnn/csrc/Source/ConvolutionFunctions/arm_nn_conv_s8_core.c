/*
 * pycmsisnn: compute cores shared by the s8 convolution kernels.
 *
 * Both follow TensorFlow Lite Micro's reference convolution exactly: an int32
 * accumulator starts at the bias, adds (x + input_offset) * w over the taps
 * that fall inside the input, and is requantised per output channel, offset
 * and clamped. Taps in the padding (or in the holes of an upscaled input)
 * contribute nothing; in the im2col column they are stored as -input_offset
 * so that adding the offset back gives exactly zero.
 */
#include "Internal/arm_nn_conv_s8.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

/* Dot product of one im2col column (offset still to add) with one filter row. */
static int32_t conv_s8_dot(const int8_t *col, const int8_t *w, int32_t n, int32_t input_offset)
{
    /* The offset is in [-127, 128], so x + offset fits in 16 bits: int16
     * operands let compilers use multiply-accumulate instructions. */
    const int16_t off = (int16_t)input_offset;
    int32_t acc = 0;
    for (int32_t i = 0; i < n; i++)
    {
        acc += (int32_t)(int16_t)(col[i] + off) * (int32_t)w[i];
    }
    return acc;
}

arm_cmsis_nn_status arm_nn_conv_s8_im2col(int8_t *col_buf,
                                          const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const int32_t *bias_data,
                                          int32_t up_h,
                                          int32_t up_w,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t k_c = filter_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;

    if (col_buf == NULL || k_c <= 0 || k_h <= 0 || k_w <= 0 || in_c % k_c != 0 || up_h <= 0 || up_w <= 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t groups = in_c / k_c;
    if (out_c % groups != 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t out_per_group = out_c / groups;
    const int32_t cols = k_h * k_w * k_c;

    /* Extent of the real input behind a zero-inserted one. */
    const int32_t real_h = (in_h + up_h - 1) / up_h;
    const int32_t real_w = (in_w + up_w - 1) / up_w;

    const int32_t stride_h = conv_params->stride.h;
    const int32_t stride_w = conv_params->stride.w;
    const int32_t pad_h = conv_params->padding.h;
    const int32_t pad_w = conv_params->padding.w;
    const int32_t dil_h = conv_params->dilation.h;
    const int32_t dil_w = conv_params->dilation.w;
    const int32_t input_offset = conv_params->input_offset;
    const int32_t output_offset = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    const int8_t hole = (int8_t)(-input_offset);

    for (int32_t b = 0; b < input_dims->n; b++)
    {
        const int8_t *in_batch = input_data + (size_t)b * real_h * real_w * in_c;
        int8_t *out_pixel = output_data + (size_t)b * out_h * out_w * out_c;

        for (int32_t oy = 0; oy < out_h; oy++)
        {
            const int32_t y0 = oy * stride_h - pad_h;
            for (int32_t ox = 0; ox < out_w; ox++)
            {
                const int32_t x0 = ox * stride_w - pad_w;
                for (int32_t g = 0; g < groups; g++)
                {
                    /* Gather the receptive field of this pixel and group. */
                    int8_t *col = col_buf;
                    for (int32_t ky = 0; ky < k_h; ky++)
                    {
                        const int32_t vy = y0 + ky * dil_h;
                        const int row_in = vy >= 0 && vy < in_h && vy % up_h == 0;
                        for (int32_t kx = 0; kx < k_w; kx++)
                        {
                            const int32_t vx = x0 + kx * dil_w;
                            if (row_in && vx >= 0 && vx < in_w && vx % up_w == 0)
                            {
                                const int8_t *src =
                                    in_batch + ((size_t)(vy / up_h) * real_w + (size_t)(vx / up_w)) * in_c + g * k_c;
                                memcpy(col, src, (size_t)k_c);
                            }
                            else
                            {
                                memset(col, hole, (size_t)k_c);
                            }
                            col += k_c;
                        }
                    }

                    /* Multiply it with the filters of the group. */
                    const int32_t oc0 = g * out_per_group;
                    const int8_t *w = filter_data + (size_t)oc0 * cols;
                    for (int32_t oc = oc0; oc < oc0 + out_per_group; oc++)
                    {
                        int32_t acc = bias_data != NULL ? bias_data[oc] : 0;
                        acc += conv_s8_dot(col_buf, w, cols, input_offset);
                        out_pixel[oc] = arm_nn_requantize_clamp_s8(
                            acc, quant_params->multiplier[oc], quant_params->shift[oc], output_offset, act_min, act_max);
                        w += cols;
                    }
                }
                out_pixel += out_c;
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_nn_conv_s8_pointwise(const cmsis_nn_conv_params *conv_params,
                                             const cmsis_nn_per_channel_quant_params *quant_params,
                                             const cmsis_nn_dims *input_dims,
                                             const int8_t *input_data,
                                             const cmsis_nn_dims *filter_dims,
                                             const int8_t *filter_data,
                                             const int32_t *bias_data,
                                             const cmsis_nn_dims *output_dims,
                                             int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t stride_h = conv_params->stride.h;
    const int32_t stride_w = conv_params->stride.w;

    if (filter_dims->c != in_c || stride_h <= 0 || stride_w <= 0 || (out_h - 1) * stride_h >= in_h ||
        (out_w - 1) * stride_w >= in_w)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t input_offset = conv_params->input_offset;
    const int32_t output_offset = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    int8_t *dst = output_data;

    for (int32_t b = 0; b < input_dims->n; b++)
    {
        const int8_t *in_batch = input_data + (size_t)b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++)
        {
            for (int32_t ox = 0; ox < out_w; ox++)
            {
                const int8_t *src = in_batch + ((size_t)oy * stride_h * in_w + (size_t)ox * stride_w) * in_c;
                const int8_t *w = filter_data;
                for (int32_t oc = 0; oc < out_c; oc++)
                {
                    int32_t acc = bias_data != NULL ? bias_data[oc] : 0;
                    acc += conv_s8_dot(src, w, in_c, input_offset);
                    *dst++ = arm_nn_requantize_clamp_s8(
                        acc, quant_params->multiplier[oc], quant_params->shift[oc], output_offset, act_min, act_max);
                    w += in_c;
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
