/*
 * pycmsisnn: arm_relu_q7.
 *
 * In-place rectifier on raw int8 values: every negative entry becomes 0.
 * Works on the stored integers, not on dequantised values.
 */
#include "arm_nnfunctions.h"

void arm_relu_q7(int8_t *data, uint16_t size)
{
    if (data == NULL)
    {
        return;
    }
    for (uint32_t i = 0; i < size; i++)
    {
        if (data[i] < 0)
        {
            data[i] = 0;
        }
    }
}
