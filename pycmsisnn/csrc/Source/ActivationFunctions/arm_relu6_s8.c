/* pycmsisnn: arm_relu6_s8 (not implemented yet). */
#include "arm_nnfunctions.h"

void arm_relu6_s8(int8_t *data, uint16_t size)
{
    (void)data;
    (void)size;
}
