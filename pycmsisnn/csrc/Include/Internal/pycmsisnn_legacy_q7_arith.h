/*
 * pycmsisnn: private arithmetic of the legacy q7 kernels (pycmsisnn_legacy_q7.h).
 *
 * The accumulator is kept in 64 bits while summing and reduced modulo 2^32 at
 * the end, which gives the 32-bit wrap-around of the Cortex-M without signed
 * overflow in C. The final right shift rounds toward minus infinity (an
 * arithmetic shift), written so that it does not depend on how the compiler
 * shifts negative numbers.
 */
#ifndef PYCMSISNN_LEGACY_Q7_ARITH_H
#define PYCMSISNN_LEGACY_Q7_ARITH_H

#include <stddef.h>
#include <stdint.h>

#include "pycmsisnn_legacy_q7.h"

/* Largest shift the kernels accept: a 32-bit shift by 32 or more is undefined. */
#define PYCMSISNN_Q7_MAX_SHIFT 31

/* Starting value of an accumulator: the bias moved to the accumulator's format
 * plus half of the output step (nothing when out_shift is 0). */
static inline int64_t pycmsisnn_q7_acc_start(q7_t bias, uint16_t bias_shift, uint16_t out_shift)
{
    const int64_t half = (int64_t)(((uint32_t)1 << out_shift) >> 1);
    return (int64_t)bias * ((int64_t)1 << bias_shift) + half;
}

/* A 64-bit sum reduced to the int32 a 32-bit accumulator would hold. */
static inline int32_t pycmsisnn_q7_wrap32(int64_t acc)
{
    const uint32_t low = (uint32_t)((uint64_t)acc & 0xFFFFFFFFu);
    if (low <= (uint32_t)INT32_MAX)
    {
        return (int32_t)low;
    }
    return (int32_t)(low - (uint32_t)INT32_MAX - 1u) + INT32_MIN;
}

/* floor(value / 2^shift), 0 <= shift <= 31. */
static inline int32_t pycmsisnn_q7_shift_right(int32_t value, uint16_t shift)
{
    if (value >= 0)
    {
        return value >> shift;
    }
    return -1 - ((-1 - value) >> shift);
}

static inline q7_t pycmsisnn_q7_saturate(int32_t value)
{
    if (value > INT8_MAX)
    {
        return (q7_t)INT8_MAX;
    }
    if (value < INT8_MIN)
    {
        return (q7_t)INT8_MIN;
    }
    return (q7_t)value;
}

/* The output of an accumulator: wrap to 32 bits, shift right, saturate. */
static inline q7_t pycmsisnn_q7_finish(int64_t acc, uint16_t out_shift)
{
    return pycmsisnn_q7_saturate(pycmsisnn_q7_shift_right(pycmsisnn_q7_wrap32(acc), out_shift));
}

/* Convolution of a square HWC image shared by the three q7 convolutions:
 * validates the pointers and shifts, then computes every output pixel. */
static inline arm_status pycmsisnn_q7_convolve(const q7_t *Im_in,
                                               uint16_t dim_im_in,
                                               uint16_t ch_im_in,
                                               const q7_t *wt,
                                               uint16_t ch_im_out,
                                               uint16_t dim_kernel,
                                               uint16_t padding,
                                               uint16_t stride,
                                               const q7_t *bias,
                                               uint16_t bias_shift,
                                               uint16_t out_shift,
                                               q7_t *Im_out,
                                               uint16_t dim_im_out)
{
    if (Im_in == NULL || wt == NULL || bias == NULL || Im_out == NULL || bias_shift > PYCMSISNN_Q7_MAX_SHIFT ||
        out_shift > PYCMSISNN_Q7_MAX_SHIFT)
    {
        return ARM_MATH_ARGUMENT_ERROR;
    }
    const int32_t filter_size = (int32_t)dim_kernel * dim_kernel * ch_im_in;
    for (int32_t oy = 0; oy < dim_im_out; oy++)
    {
        for (int32_t ox = 0; ox < dim_im_out; ox++)
        {
            q7_t *out = Im_out + ((size_t)oy * dim_im_out + (size_t)ox) * ch_im_out;
            const int32_t y0 = oy * stride - padding;
            const int32_t x0 = ox * stride - padding;
            for (int32_t oc = 0; oc < ch_im_out; oc++)
            {
                const q7_t *filter = wt + (size_t)oc * (size_t)filter_size;
                int64_t acc = pycmsisnn_q7_acc_start(bias[oc], bias_shift, out_shift);
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
                        const q7_t *pixel = Im_in + ((size_t)iy * dim_im_in + (size_t)ix) * ch_im_in;
                        const q7_t *w = filter + ((size_t)ky * dim_kernel + (size_t)kx) * ch_im_in;
                        for (int32_t c = 0; c < ch_im_in; c++)
                        {
                            acc += (int32_t)pixel[c] * w[c];
                        }
                    }
                }
                out[oc] = pycmsisnn_q7_finish(acc, out_shift);
            }
        }
    }
    return ARM_MATH_SUCCESS;
}

#endif /* PYCMSISNN_LEGACY_Q7_ARITH_H */
