/*
 * pycmsisnn: arm_elementwise_mul_s16_batch_offset, int16 x int16 -> int16
 * products with the output's batches spread by batch_offset (the 16x8 LSTM's
 * hidden state; the cell state times the forget gate with batch_offset 1).
 *
 * For batch b < batch_size and i < block_size:
 *   output[b * batch_offset * block_size + i] =
 *       clamp_s16(requantize(in1[b * block_size + i] * in2[b * block_size + i],
 *                            out_mult, out_shift) + out_offset)
 * with TFLite's rounding (arm_nn_requantize). The output may be one of the
 * inputs when batch_offset is 1.
 *
 * The body is shared with its twin (pcn_lstm_mul_s16, Internal/pycmsisnn_lstm.h):
 * MVE builds compute four lanes at a time; a multiplier of INT32_MIN or a
 * shift beyond +-31 takes the portable loop.
 */
#include "arm_nnfunctions.h"
#include "Internal/pycmsisnn_lstm.h"

arm_cmsis_nn_status arm_elementwise_mul_s16_batch_offset(const int16_t *input_1_vect,
                                                         const int16_t *input_2_vect,
                                                         int16_t *output,
                                                         const int32_t out_offset,
                                                         const int32_t out_mult,
                                                         const int32_t out_shift,
                                                         const int32_t block_size,
                                                         const int32_t batch_size,
                                                         const int32_t batch_offset)
{
    return pcn_lstm_mul_s16(input_1_vect,
                            input_2_vect,
                            output,
                            2,
                            out_offset,
                            out_mult,
                            out_shift,
                            block_size,
                            batch_size,
                            batch_offset);
}
