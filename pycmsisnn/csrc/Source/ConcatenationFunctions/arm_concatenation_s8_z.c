/*
 * pycmsisnn: arm_concatenation_s8_z.
 *
 * The tensors are laid out [W][Z][Y][X] with X innermost (for NHWC: Z = H).
 * Copies one input into the output, which has output_z entries along Z, with
 * the input's Z entries starting at offset_z; the other axes are equal.
 */
#include "arm_nnfunctions.h"

void arm_concatenation_s8_z(const int8_t *input,
                            const uint16_t input_x,
                            const uint16_t input_y,
                            const uint16_t input_z,
                            const uint16_t input_w,
                            int8_t *output,
                            const uint16_t output_z,
                            const uint32_t offset_z)
{
    if (input == NULL || output == NULL)
    {
        return;
    }
    /* Each W position holds a contiguous Z x Y x X block in both tensors. */
    const uint32_t plane = (uint32_t)input_x * (uint32_t)input_y;
    const uint32_t in_block = (uint32_t)input_z * plane;
    const uint32_t out_block = (uint32_t)output_z * plane;
    int8_t *dst = output + offset_z * plane;
    for (uint32_t b = 0; b < (uint32_t)input_w; b++)
    {
        memcpy(dst, input, in_block);
        input += in_block;
        dst += out_block;
    }
}
