/*
 * pycmsisnn: pycmsisnn_resize_bilinear_s8.
 *
 * RESIZE_BILINEAR of int8 NHWC data in integer arithmetic, as TensorFlow
 * Lite Micro computes it for int8: positions are in 10-bit fixed point (the
 * input/output ratio of each spatial axis, times 1024 and rounded, comes in
 * the parameters; align_corners is folded into it by the caller) and the
 * four neighbours are weighted by products of 10-bit fractions, a sum in
 * units of 2^-20 rounded half away from zero. Input and output share their
 * quantisation, so no rescaling is needed.
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#define FRAC_BITS 10
#define ONE (1 << FRAC_BITS)

/* The source rows (lo, hi) and fraction of output index o along an axis of
 * `size` input elements. */
static void position(const int32_t o,
                     const int32_t scale,
                     const int32_t half_pixel,
                     const int32_t size,
                     int32_t *lo,
                     int32_t *hi,
                     int32_t *frac)
{
    int32_t p = o * scale + (half_pixel ? scale / 2 - ONE / 2 : 0);
    if (p < 0)
    {
        p = 0;
    }
    const int32_t whole = p >> FRAC_BITS;
    *lo = whole < size - 1 ? whole : size - 1;
    *hi = whole + 1 < size - 1 ? whole + 1 : size - 1;
    /* Where the lower row is clamped both rows are the last one, and the
     * fraction does not change the result. */
    *frac = p - (whole << FRAC_BITS);
}

/* True when o * scale (+ scale / 2) stays inside int32 for every output index. */
static int32_t scale_ok(const int32_t scale, const int32_t out_size)
{
    return scale >= 0 && (int64_t)out_size * scale + scale / 2 <= NN_Q31_MAX;
}

arm_cmsis_nn_status pycmsisnn_resize_bilinear_s8(const pycmsisnn_resize_bilinear_params *params,
                                                 const cmsis_nn_dims *input_dims,
                                                 const int8_t *input,
                                                 const cmsis_nn_dims *output_dims,
                                                 int8_t *output)
{
    if (params == NULL || input_dims == NULL || input == NULL || output_dims == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const cmsis_nn_dims *in = input_dims;
    const cmsis_nn_dims *out = output_dims;
    if (in->n <= 0 || in->h <= 0 || in->w <= 0 || in->c <= 0 || out->n != in->n || out->c != in->c || out->h <= 0 ||
        out->w <= 0 || (int64_t)in->n * in->h * in->w * in->c > NN_Q31_MAX ||
        (int64_t)out->n * out->h * out->w * out->c > NN_Q31_MAX || !scale_ok(params->scale_h, out->h) ||
        !scale_ok(params->scale_w, out->w))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t channels = in->c;
    const int32_t row_stride = in->w * channels;

    int8_t *dst = output;
    for (int32_t n = 0; n < out->n; n++)
    {
        const int8_t *image = input + n * in->h * row_stride;
        for (int32_t y = 0; y < out->h; y++)
        {
            int32_t y0, y1, dy;
            position(y, params->scale_h, params->half_pixel_centers, in->h, &y0, &y1, &dy);
            for (int32_t x = 0; x < out->w; x++)
            {
                int32_t x0, x1, dx;
                position(x, params->scale_w, params->half_pixel_centers, in->w, &x0, &x1, &dx);
                const int32_t w00 = (ONE - dy) * (ONE - dx);
                const int32_t w10 = dy * (ONE - dx);
                const int32_t w01 = (ONE - dy) * dx;
                const int32_t w11 = dy * dx;
                const int8_t *p00 = image + y0 * row_stride + x0 * channels;
                const int8_t *p01 = image + y0 * row_stride + x1 * channels;
                const int8_t *p10 = image + y1 * row_stride + x0 * channels;
                const int8_t *p11 = image + y1 * row_stride + x1 * channels;
                for (int32_t c = 0; c < channels; c++)
                {
                    /* |sum| <= 128 * 2^20: no overflow. */
                    const int32_t sum = p00[c] * w00 + p10[c] * w10 + p01[c] * w01 + p11[c] * w11;
                    const int32_t half = 1 << (2 * FRAC_BITS - 1);
                    int32_t v = sum > 0 ? (sum + half) / (ONE * ONE) : (sum - half) / (ONE * ONE);
                    v = v > NN_Q7_MAX ? NN_Q7_MAX : (v < NN_Q7_MIN ? NN_Q7_MIN : v);
                    *dst++ = (int8_t)v;
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
