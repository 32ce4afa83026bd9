/* pycmsisnn: arm_elementwise_mul_s8 (not implemented yet). */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_elementwise_mul_s8(const int8_t *input_1_vect,
                                           const int8_t *input_2_vect,
                                           const int32_t input_1_offset,
                                           const int32_t input_2_offset,
                                           int8_t *output,
                                           const int32_t out_offset,
                                           const int32_t out_mult,
                                           const int32_t out_shift,
                                           const int32_t out_activation_min,
                                           const int32_t out_activation_max,
                                           const int32_t block_size)
{
    (void)input_1_vect;
    (void)input_2_vect;
    (void)input_1_offset;
    (void)input_2_offset;
    (void)output;
    (void)out_offset;
    (void)out_mult;
    (void)out_shift;
    (void)out_activation_min;
    (void)out_activation_max;
    (void)block_size;
    return ARM_CMSIS_NN_NO_IMPL_ERROR;
}
