/*
 * pycmsisnn: the legacy q7 (Qm.n fixed point) kernels of CMSIS-NN.
 *
 * Arm's library shipped these functions until 2022, when it dropped them for
 * the s8 API; many firmware projects still call them. They are declared here
 * with their historical names, argument lists and types, so that such code
 * compiles and links against pycmsisnn's kernels unchanged:
 *
 *   arm_convolve_HWC_q7_basic            any square input and kernel
 *   arm_convolve_HWC_q7_fast             needs ch_im_in % 4 == 0 and ch_im_out % 2 == 0
 *   arm_convolve_HWC_q7_RGB              needs ch_im_in == 3
 *   arm_depthwise_separable_conv_HWC_q7  needs ch_im_in == ch_im_out
 *   arm_fully_connected_q7               weights [num_of_rows][dim_vec]
 *   arm_fully_connected_q7_opt           weights in the interleaved order below
 *   arm_maxpool_q7_HWC, arm_avepool_q7_HWC
 *   arm_softmax_q7                       base-2 softmax
 * (arm_relu_q7 belongs to the current API too and stays in arm_nnfunctions.h.)
 *
 * Why this header is not called arm_nnfunctions_legacy.h: pycmsisnn's cffi
 * build reads its declarations from arm_nn_types.h, arm_nnfunctions.h and the
 * pycmsisnn_*.h headers only, so the historical functions are declared in a
 * header of that family.
 *
 * The arithmetic (no zero points; every tensor is Qm.n with m + n = 7):
 *   acc = (bias << bias_shift) + ((1 << out_shift) >> 1)    (round half up)
 *   acc += sum of input * weight                            (32-bit)
 *   out = saturate_to_int8(acc >> out_shift)                (arithmetic shift)
 * bias_shift = input_frac + weight_frac - bias_frac (a left shift), and
 * out_shift = input_frac + weight_frac - output_frac (a right shift). Shifts
 * above 31 are refused with ARM_MATH_ARGUMENT_ERROR (C cannot perform them);
 * accumulation wraps modulo 2^32 as on the Cortex-M.
 *
 * Layouts are HWC (channel innermost). Conv weights [ch_im_out][k][k][ch_im_in],
 * depthwise weights [k][k][ch]. An output pixel's window is clipped to the
 * image: positions in the padding contribute nothing (zero for convolutions,
 * left out of the max and of the average's count for pooling).
 *
 * Scratch buffers keep their historical sizes, though the portable code here
 * does not need them: bufferA of the convolutions 2*ch_im_in*k*k q15_t,
 * vec_buffer of the fully-connected kernels dim_vec q15_t, bufferA of the
 * average pool 2*dim_im_out*ch_im_in bytes; bufferB and the max pool's bufferA
 * are unused and may be NULL. The pooling kernels take a non-const input, as
 * the historical ones wrote to it; these ones leave it untouched.
 *
 * The types below are those of CMSIS-DSP's arm_math_types.h (arm_math.h in
 * older releases). They are defined only when that header has not been seen:
 * a project that uses both must include arm_math.h first.
 */
#ifndef PYCMSISNN_LEGACY_Q7_H
#define PYCMSISNN_LEGACY_Q7_H

#include <stdint.h>

#if !defined(_ARM_MATH_TYPES_H_) && !defined(_ARM_MATH_H) && !defined(PYCMSISNN_LEGACY_Q7_TYPES)
#define PYCMSISNN_LEGACY_Q7_TYPES
typedef int8_t q7_t;
typedef int16_t q15_t;
typedef enum
{
    ARM_MATH_SUCCESS = 0,
    ARM_MATH_ARGUMENT_ERROR = -1,
    ARM_MATH_LENGTH_ERROR = -2,
    ARM_MATH_SIZE_MISMATCH = -3,
    ARM_MATH_NANINF = -4,
    ARM_MATH_SINGULAR = -5,
    ARM_MATH_TEST_FAILURE = -6
} arm_status;
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Convolution of a square dim_im_in x dim_im_in x ch_im_in image with
 * ch_im_out square dim_kernel filters, the same padding and stride on both
 * axes, into a dim_im_out x dim_im_out x ch_im_out image. */
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
                                     q7_t *bufferB);

/* As arm_convolve_HWC_q7_basic; ARM_MATH_SIZE_MISMATCH unless ch_im_in is a
 * multiple of 4 and ch_im_out a multiple of 2. */
arm_status arm_convolve_HWC_q7_fast(const q7_t *Im_in,
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
                                    q7_t *bufferB);

/* As arm_convolve_HWC_q7_basic for an RGB image; ARM_MATH_SIZE_MISMATCH
 * unless ch_im_in is 3. */
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
                                   q7_t *bufferB);

/* Depthwise convolution, one filter per channel (weights [k][k][ch]);
 * ARM_MATH_SIZE_MISMATCH unless ch_im_in equals ch_im_out. */
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
                                               q7_t *bufferB);

/* pOut[r] = requantised (bias[r], sum_c pV[c] * pM[r * dim_vec + c]). */
arm_status arm_fully_connected_q7(const q7_t *pV,
                                  const q7_t *pM,
                                  const uint16_t dim_vec,
                                  const uint16_t num_of_rows,
                                  const uint16_t bias_shift,
                                  const uint16_t out_shift,
                                  const q7_t *bias,
                                  q7_t *pOut,
                                  q15_t *vec_buffer);

/* As arm_fully_connected_q7 with the weights interleaved: rows go in groups
 * of four; within a group, each run of four columns c..c+3 is stored as the
 * 16 bytes
 *   r0c0 r1c0 r0c2 r1c2 r2c0 r3c0 r2c2 r3c2 r0c1 r1c1 r0c3 r1c3 r2c1 r3c1 r2c3 r3c3
 * (rN = row N of the group, cK = column c+K), then each of the dim_vec % 4
 * remaining columns as r0 r1 r2 r3. The num_of_rows % 4 remaining rows follow
 * in plain row-major order. */
arm_status arm_fully_connected_q7_opt(const q7_t *pV,
                                      const q7_t *pM,
                                      const uint16_t dim_vec,
                                      const uint16_t num_of_rows,
                                      const uint16_t bias_shift,
                                      const uint16_t out_shift,
                                      const q7_t *bias,
                                      q7_t *pOut,
                                      q15_t *vec_buffer);

/* Max pooling over square windows. A window lying wholly in the padding
 * gives -128. */
void arm_maxpool_q7_HWC(q7_t *Im_in,
                        const uint16_t dim_im_in,
                        const uint16_t ch_im_in,
                        const uint16_t dim_kernel,
                        const uint16_t padding,
                        const uint16_t stride,
                        const uint16_t dim_im_out,
                        q7_t *bufferA,
                        q7_t *Im_out);

/* Average pooling over square windows: the sum of the window's pixels inside
 * the image divided by their count, truncated toward zero (the Cortex-M0/M3
 * code path of the historical library; its DSP path averaged rows first). */
void arm_avepool_q7_HWC(q7_t *Im_in,
                        const uint16_t dim_im_in,
                        const uint16_t ch_im_in,
                        const uint16_t dim_kernel,
                        const uint16_t padding,
                        const uint16_t stride,
                        const uint16_t dim_im_out,
                        q7_t *bufferA,
                        q7_t *Im_out);

/* Softmax in base 2 (the 2020 revision): with b = max(vec_in) - 8,
 * sum = sum_i 2^clamp(x_i - b, 0, 7), base = 2^20 / sum (integer division),
 * p_out[i] = saturate_to_int8(base >> clamp(13 + b - x_i, 0, 31)). */
void arm_softmax_q7(const q7_t *vec_in, const uint16_t dim_vec, q7_t *p_out);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_LEGACY_Q7_H */
