/*
 * pycmsisnn: arm_convolve_HWC_q7_RGB (legacy q7 API).
 *
 * The historical first-layer convolution of a three-channel (RGB) image;
 * any other ch_im_in gives ARM_MATH_SIZE_MISMATCH. Its results are those of
 * arm_convolve_HWC_q7_basic.
 */
#include "Internal/pycmsisnn_legacy_q7_arith.h"
#include "pycmsisnn_legacy_q7.h"

arm_status arm_convolve_HWC_q7_RGB(const q7_t *Im_in,
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
    if (ch_im_in != 3)
    {
        return ARM_MATH_SIZE_MISMATCH;
    }
    return pycmsisnn_q7_convolve(Im_in, dim_im_in, ch_im_in, wt, ch_im_out, dim_kernel, padding, stride, bias,
                                 bias_shift, out_shift, Im_out, dim_im_out);
}
