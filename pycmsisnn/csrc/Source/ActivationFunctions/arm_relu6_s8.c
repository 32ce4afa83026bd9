/*
 * pycmsisnn: arm_relu6_s8.
 *
 * In-place clamp of raw int8 values to [0, 6]. This bounds the stored
 * integers themselves; it is not TensorFlow Lite's quantised RELU6, whose
 * limits depend on the tensor's scale and zero point.
 */
#include "arm_nnfunctions.h"

void arm_relu6_s8(int8_t *data, uint16_t size)
{
    if (data == NULL)
    {
        return;
    }
    for (uint32_t i = 0; i < size; i++)
    {
        const int8_t v = data[i];
        data[i] = v < 0 ? 0 : (v > 6 ? 6 : v);
    }
}
