/* pycmsisnn: arm_softmax_s8_s16 (not implemented yet). */
#include "arm_nnfunctions.h"

void arm_softmax_s8_s16(const int8_t *input,
                        const int32_t num_rows,
                        const int32_t row_size,
                        const int32_t mult,
                        const int32_t shift,
                        const int32_t diff_min,
                        int16_t *output)
{
    (void)input;
    (void)num_rows;
    (void)row_size;
    (void)mult;
    (void)shift;
    (void)diff_min;
    (void)output;
}
