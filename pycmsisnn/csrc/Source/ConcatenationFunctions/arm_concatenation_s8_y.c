/* pycmsisnn: arm_concatenation_s8_y (not implemented yet). */
#include "arm_nnfunctions.h"

void arm_concatenation_s8_y(const int8_t *input,
                            const uint16_t input_x,
                            const uint16_t input_y,
                            const uint16_t input_z,
                            const uint16_t input_w,
                            int8_t *output,
                            const uint16_t output_y,
                            const uint32_t offset_y)
{
    (void)input;
    (void)input_x;
    (void)input_y;
    (void)input_z;
    (void)input_w;
    (void)output;
    (void)output_y;
    (void)offset_y;
}
