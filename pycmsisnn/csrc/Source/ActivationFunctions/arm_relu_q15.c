/*
 * pycmsisnn: arm_relu_q15.
 *
 * In-place rectifier on raw int16 values: every negative entry becomes 0.
 */
#include "arm_nnfunctions.h"

void arm_relu_q15(int16_t *data, uint16_t size)
{
    uint32_t i;

    if (data == NULL)
    {
        return;
    }
    for (i = 0; i < size; i++)
    {
        if (data[i] < 0)
        {
            data[i] = 0;
        }
    }
}
