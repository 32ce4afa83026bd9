/* pycmsisnn: arm_concatenation_s8_x (not implemented yet). */
#include "arm_nnfunctions.h"

void arm_concatenation_s8_x(const int8_t *input,
                            const uint16_t input_x,
                            const uint16_t input_y,
                            const uint16_t input_z,
                            const uint16_t input_w,
                            int8_t *output,
                            const uint16_t output_x,
                            const uint32_t offset_x)
{
    (void)input;
    (void)input_x;
    (void)input_y;
    (void)input_z;
    (void)input_w;
    (void)output;
    (void)output_x;
    (void)offset_x;
}
