/*
 * pycmsisnn: arm_reshape_s8.
 *
 * A reshape does not move data in a row-major layout: the output is a byte
 * copy of the input's total_size elements.
 */
#include "arm_nnfunctions.h"

void arm_reshape_s8(const int8_t *input, int8_t *output, const uint32_t total_size)
{
    if (input == NULL || output == NULL || input == output || total_size == 0)
    {
        return;
    }
    memmove(output, input, total_size);
}
