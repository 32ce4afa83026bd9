/*
 * pycmsisnn: arm_avepool_q7_HWC (legacy q7 API).
 *
 * Average pooling of a square HWC image over dim_kernel x dim_kernel windows:
 * the sum of the pixels inside the image divided by how many there are, the
 * quotient truncated toward zero (C division). A window wholly in the padding
 * gives 0. The input is not modified.
 */
#include <stddef.h>

#include "pycmsisnn_legacy_q7.h"

void arm_avepool_q7_HWC(q7_t *Im_in,
                        const uint16_t dim_im_in,
                        const uint16_t ch_im_in,
                        const uint16_t dim_kernel,
                        const uint16_t padding,
                        const uint16_t stride,
                        const uint16_t dim_im_out,
                        q7_t *bufferA,
                        q7_t *Im_out)
{
    (void)bufferA;
    if (Im_in == NULL || Im_out == NULL)
    {
        return;
    }
    for (int32_t oy = 0; oy < dim_im_out; oy++)
    {
        const int32_t y0 = oy * stride - padding;
        for (int32_t ox = 0; ox < dim_im_out; ox++)
        {
            const int32_t x0 = ox * stride - padding;
            q7_t *out = Im_out + ((size_t)oy * dim_im_out + (size_t)ox) * ch_im_in;
            for (size_t c = 0; c < ch_im_in; c++)
            {
                int64_t sum = 0;
                int64_t count = 0;
                for (int32_t y = y0 < 0 ? 0 : y0; y < y0 + dim_kernel && y < dim_im_in; y++)
                {
                    for (int32_t x = x0 < 0 ? 0 : x0; x < x0 + dim_kernel && x < dim_im_in; x++)
                    {
                        sum += Im_in[((size_t)y * dim_im_in + (size_t)x) * ch_im_in + c];
                        count++;
                    }
                }
                out[c] = (q7_t)(count > 0 ? sum / count : 0);
            }
        }
    }
}
