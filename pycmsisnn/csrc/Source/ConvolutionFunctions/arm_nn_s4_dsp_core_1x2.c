/*
 * pycmsisnn: the DSP 1x2 core of the s4 kernels (Internal/arm_nn_s4_simd.h),
 * read by the s4 convolutions and fully connected: one copy in a program
 * that links both.
 */
#include "Internal/arm_nn_s4_simd.h"

#if defined(ARM_MATH_DSP) && !defined(ARM_MATH_MVEI)

/* 16 * s for one activation row and two weight rows at bytes w0, w1 over
 * 8 * groups entries. */
PCN_S4_BLOCK void arm_nn_s4_dsp_core_1x2(
    const int8_t *a0, const int8_t *w0, const int8_t *w1, const int32_t groups, const int32_t off2, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    for (int32_t g = groups; g > 0; g--)
    {
        int32_t x04, x26, x15, x37, k0, k1;
        const int32_t a = pcn_read_s8x4(a0);
        const int32_t b = pcn_read_s8x4(a0 + 4);
        PCN_S4_DSP_ACT(a, b, 0, off2, x04, x26);
        PCN_S4_DSP_ACT(a, b, 1, off2, x15, x37);
        a0 += 8;
        int32_t w = pcn_read_s8x4(w0);
        PCN_S4_DSP_W(w, 0, k0, k1);
        s0 = __smlad(x04, k0, s0);
        s0 = __smlad(x26, k1, s0);
        PCN_S4_DSP_W(w, 1, k0, k1);
        s0 = __smlad(x15, k0, s0);
        s0 = __smlad(x37, k1, s0);
        w = pcn_read_s8x4(w1);
        PCN_S4_DSP_W(w, 0, k0, k1);
        s1 = __smlad(x04, k0, s1);
        s1 = __smlad(x26, k1, s1);
        PCN_S4_DSP_W(w, 1, k0, k1);
        s1 = __smlad(x15, k0, s1);
        s1 = __smlad(x37, k1, s1);
        w0 += 4;
        w1 += 4;
    }
    s[0] = s0;
    s[1] = s1;
}

#else

/* Nothing without DSP (MVE has its own s4 paths); ISO C wants a declaration
 * in every file. */
typedef int arm_nn_s4_dsp_core_1x2_unused;

#endif
