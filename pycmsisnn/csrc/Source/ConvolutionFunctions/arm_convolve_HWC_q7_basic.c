/*
 * pycmsisnn: arm_convolve_HWC_q7_basic (legacy q7 API).
 *
 * Convolution of a square HWC image in Qm.n fixed point: works for any
 * channel counts. See pycmsisnn_legacy_q7.h for the arithmetic.
 */
#include "Internal/pycmsisnn_legacy_q7_arith.h"
#include "pycmsisnn_legacy_q7.h"

arm_status arm_convolve_HWC_q7_basic(const q7_t *Im_in,
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
    (void)bufferA; /* the portable code needs no im2col buffer */
    (void)bufferB;
    return pycmsisnn_q7_convolve(Im_in, dim_im_in, ch_im_in, wt, ch_im_out, dim_kernel, padding, stride, bias,
                                 bias_shift, out_shift, Im_out, dim_im_out);
}
