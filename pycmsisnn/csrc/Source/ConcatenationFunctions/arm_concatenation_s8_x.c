/*
 * pycmsisnn: arm_concatenation_s8_x.
 *
 * The tensors are laid out [W][Z][Y][X] with X innermost (for NHWC: X = C).
 * Copies one input into the output, which has output_x entries along X, with
 * the input's X entries starting at offset_x; the other axes are equal.
 * Called once per input to concatenate along X.
 */
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
    if (input == NULL || output == NULL)
    {
        return;
    }
    /* Every (Y, Z, W) position is one run of input_x bytes. */
    const uint32_t rows = (uint32_t)input_y * (uint32_t)input_z * (uint32_t)input_w;
    int8_t *dst = output + offset_x;
    for (uint32_t r = 0; r < rows; r++)
    {
        memcpy(dst, input, input_x);
        input += input_x;
        dst += output_x;
    }
}
