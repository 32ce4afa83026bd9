/* pycmsisnn: arm_pad_s8 (not implemented yet). */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_pad_s8(const int8_t *input,
                               int8_t *output,
                               const int8_t pad_value,
                               const cmsis_nn_dims *input_size,
                               const cmsis_nn_dims *pre_pad,
                               const cmsis_nn_dims *post_pad)
{
    (void)input;
    (void)output;
    (void)pad_value;
    (void)input_size;
    (void)pre_pad;
    (void)post_pad;
    return ARM_CMSIS_NN_NO_IMPL_ERROR;
}
