/* pycmsisnn: arm_relu_q7 (not implemented yet). */
#include "arm_nnfunctions.h"

void arm_relu_q7(int8_t *data, uint16_t size)
{
    (void)data;
    (void)size;
}
