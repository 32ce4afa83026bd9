/*
 * pycmsisnn: arm_concatenation_s8_y.
 *
 * The tensors are laid out [W][Z][Y][X] with X innermost (for NHWC: Y = W).
 * Copies one input into the output, which has output_y entries along Y, with
 * the input's Y entries starting at offset_y; the other axes are equal.
 */
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
    if (input == NULL || output == NULL)
    {
        return;
    }
    /* Each (Z, W) position holds a contiguous Y x X block in both tensors. */
    const uint32_t blocks = (uint32_t)input_z * (uint32_t)input_w;
    const uint32_t in_block = (uint32_t)input_y * (uint32_t)input_x;
    const uint32_t out_block = (uint32_t)output_y * (uint32_t)input_x;
    int8_t *dst = output + offset_y * (uint32_t)input_x;
    for (uint32_t b = 0; b < blocks; b++)
    {
        memcpy(dst, input, in_block);
        input += in_block;
        dst += out_block;
    }
}
