/*
 * pycmsisnn: arm_depthwise_separable_conv_HWC_q7 (legacy q7 API).
 *
 * Depthwise convolution of a square HWC image: output channel c is channel c
 * of the input convolved with filter c, the weights stored [k][k][ch]
 * (channel innermost). ch_im_in must equal ch_im_out (else
 * ARM_MATH_SIZE_MISMATCH).
 */
#include "Internal/pycmsisnn_legacy_q7_arith.h"
#include "pycmsisnn_legacy_q7.h"

arm_status arm_depthwise_separable_conv_HWC_q7(const q7_t *Im_in,
                                               const uint16_t dim_im_in,
                                               const uint16_t ch_im_in,
                                               const q7_t *wt,
                                               const uint16_t ch_im_out,
                                               const uint16_t dim_kernel,
                                               const uint16_t padding,
                                               const uint16_t stride,
                                               const q7_t *bias,
                                               const uint16_t bias_shift,
                                               const uint16_t out_shift,
                                               q7_t *Im_out,
                                               const uint16_t dim_im_out,
                                               q15_t *bufferA,
                                               q7_t *bufferB)
{
    (void)bufferA;
    (void)bufferB;
    if (ch_im_in != ch_im_out)
    {
        return ARM_MATH_SIZE_MISMATCH;
    }
    if (Im_in == NULL || wt == NULL || bias == NULL || Im_out == NULL || bias_shift > PYCMSISNN_Q7_MAX_SHIFT ||
        out_shift > PYCMSISNN_Q7_MAX_SHIFT)
    {
        return ARM_MATH_ARGUMENT_ERROR;
    }
    const size_t channels = ch_im_in;
    for (int32_t oy = 0; oy < dim_im_out; oy++)
    {
        for (int32_t ox = 0; ox < dim_im_out; ox++)
        {
            q7_t *out = Im_out + ((size_t)oy * dim_im_out + (size_t)ox) * channels;
            const int32_t y0 = oy * stride - padding;
            const int32_t x0 = ox * stride - padding;
            for (size_t c = 0; c < channels; c++)
            {
                int64_t acc = pycmsisnn_q7_acc_start(bias[c], bias_shift, out_shift);
                for (int32_t ky = 0; ky < dim_kernel; ky++)
                {
                    const int32_t iy = y0 + ky;
                    if (iy < 0 || iy >= dim_im_in)
                    {
                        continue;
                    }
                    for (int32_t kx = 0; kx < dim_kernel; kx++)
                    {
                        const int32_t ix = x0 + kx;
                        if (ix < 0 || ix >= dim_im_in)
                        {
                            continue;
                        }
                        const q7_t x = Im_in[((size_t)iy * dim_im_in + (size_t)ix) * channels + c];
                        const q7_t w = wt[((size_t)ky * dim_kernel + (size_t)kx) * channels + c];
                        acc += (int32_t)x * w;
                    }
                }
                out[c] = pycmsisnn_q7_finish(acc, out_shift);
            }
        }
    }
    return ARM_MATH_SUCCESS;
}
