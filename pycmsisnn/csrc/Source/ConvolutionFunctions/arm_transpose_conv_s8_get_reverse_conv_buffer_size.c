/* pycmsisnn: arm_transpose_conv_s8_get_reverse_conv_buffer_size, the bytes
 * of the flipped filter on the reverse-conv route (0 on the scatter route). */
#include "Internal/arm_nn_transpose_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_transpose_conv_s8_get_reverse_conv_buffer_size(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims)
{
    if (arm_nn_transpose_conv_s8_is_reverse(transpose_conv_params, input_dims))
    {
        return input_dims->c * filter_dims->w * filter_dims->h * filter_dims->n;
    }
    return 0;
}
