/*
 * pycmsisnn: build-time feature selection and numeric limits.
 *
 * The code paths of a kernel are chosen by the compiler's own feature macros:
 * MVE (Helium) where __ARM_FEATURE_MVE has its integer bit, DSP where
 * __ARM_FEATURE_DSP is set, and portable C everywhere else (the host build).
 */
#ifndef ARM_NN_MATH_TYPES_H
#define ARM_NN_MATH_TYPES_H

#include <limits.h>
#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
    #ifndef ARM_MATH_MVEI
        #define ARM_MATH_MVEI
    #endif
#endif

#if defined(__ARM_FEATURE_DSP) && (__ARM_FEATURE_DSP == 1)
    #ifndef ARM_MATH_DSP
        #define ARM_MATH_DSP
    #endif
#endif

#define NN_Q31_MAX ((int32_t)0x7FFFFFFFL)
#define NN_Q31_MIN ((int32_t)0x80000000L)
#define NN_Q15_MAX ((int16_t)0x7FFF)
#define NN_Q15_MIN ((int16_t)0x8000)
#define NN_Q7_MAX ((int8_t)0x7F)
#define NN_Q7_MIN ((int8_t)0x80)

#endif /* ARM_NN_MATH_TYPES_H */
