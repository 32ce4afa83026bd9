/*
 * pycmsisnn: arm_concatenation_s8_w.
 *
 * The tensors are laid out [W][Z][Y][X] with X innermost (for NHWC: W = N).
 * Concatenating along the outermost axis places the whole input, unchanged,
 * offset_w items of X x Y x Z entries into the output.
 */
#include "arm_nnfunctions.h"

void arm_concatenation_s8_w(const int8_t *input,
                            const uint16_t input_x,
                            const uint16_t input_y,
                            const uint16_t input_z,
                            const uint16_t input_w,
                            int8_t *output,
                            const uint32_t offset_w)
{
    if (input == NULL || output == NULL)
    {
        return;
    }
    const uint32_t item = (uint32_t)input_x * (uint32_t)input_y * (uint32_t)input_z;
    memcpy(output + offset_w * item, input, (size_t)item * (size_t)input_w);
}
