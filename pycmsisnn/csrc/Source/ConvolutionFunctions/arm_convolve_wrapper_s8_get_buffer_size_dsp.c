/* pycmsisnn: arm_convolve_wrapper_s8_get_buffer_size_dsp, the scratch a DSP
 * (non-MVE) build of the wrapper needs, computable on any machine. */
#include "Internal/arm_nn_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_wrapper_s8_get_buffer_size_dsp(const cmsis_nn_conv_params *conv_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const cmsis_nn_dims *output_dims)
{
    (void)output_dims;
    if (arm_nn_conv_s8_is_1x1(conv_params, input_dims, filter_dims))
    {
        if (!arm_nn_conv_s8_is_1x1_fast(conv_params))
        {
            return 0;
        }
#if defined(__ARMCC_VERSION) && (__ARMCC_VERSION >= 6010050)
        /* Arm Compiler 6 builds of the fast 1x1 kernel keep one column pair. */
        return 2 * input_dims->c * (int32_t)sizeof(int16_t);
#else
        return 0;
#endif
    }
    /* The 1xN and generic kernels share the im2col column layout. */
    return arm_nn_conv_s8_col_buffer_size(input_dims, filter_dims);
}
