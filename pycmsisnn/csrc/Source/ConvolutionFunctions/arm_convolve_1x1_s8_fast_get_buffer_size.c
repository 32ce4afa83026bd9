/* pycmsisnn: arm_convolve_1x1_s8_fast_get_buffer_size. Our kernel needs no
 * scratch; a DSP build made with Arm Compiler 6 reserves one int16 column
 * pair, as the CMSIS-NN interface promises for that toolchain. */
#include "arm_nnfunctions.h"

int32_t arm_convolve_1x1_s8_fast_get_buffer_size(const cmsis_nn_dims *input_dims)
{
#if defined(ARM_MATH_DSP) && !defined(ARM_MATH_MVEI) && defined(__ARMCC_VERSION) && (__ARMCC_VERSION >= 6010050)
    return 2 * input_dims->c * (int32_t)sizeof(int16_t);
#else
    (void)input_dims;
    return 0;
#endif
}
