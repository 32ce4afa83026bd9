/*
 * pycmsisnn: the input rescaling of pycmsisnn_logistic_s16 and
 * pycmsisnn_tanh_s16 (private, not part of the API).
 *
 * TensorFlow Lite Micro's int16 LOGISTIC and TANH bring the input to the
 * sigmoid table's scale as (x * input_multiplier + round) >> input_left_shift,
 * round being half the shift's unit (0 for no shift), in int32 with an
 * arithmetic (flooring) right shift. Computed here in 64 bits, which gives
 * the same result wherever TFLite's int32 arithmetic is defined: for the
 * parameters its derivation gives (multiplier <= 65535 without shift,
 * <= 32767 with one) and every int16 input.
 */
#ifndef PYCMSISNN_ACTIVATION_S16_INPUT_H
#define PYCMSISNN_ACTIVATION_S16_INPUT_H

#include <stdint.h>

#include "pycmsisnn_activations_s16.h"

/* Largest input multiplier the kernels take: 32768 * 65535 < 2^31. */
#define PCN_ACTIVATION_S16_MULT_MAX 65535

static inline int pcn_activation_s16_params_ok(const pycmsisnn_sigmoid_tanh_s16_params *p)
{
    return p->input_multiplier >= 1 && p->input_multiplier <= PCN_ACTIVATION_S16_MULT_MAX && p->input_left_shift >= 0 &&
        p->input_left_shift <= 31;
}

static inline int32_t pcn_activation_s16_input(const pycmsisnn_sigmoid_tanh_s16_params *p, const int16_t x)
{
    const int32_t shift = p->input_left_shift;
    const int64_t round = (shift > 0) ? ((int64_t)1 << (shift - 1)) : 0;
    const int64_t v = (int64_t)x * p->input_multiplier + round;
    /* floor(v / 2^shift), written out: >> of a negative value is implementation-defined in C */
    const int64_t q = (v >= 0) ? (v >> shift) : -(int64_t)((~(uint64_t)v >> shift) + 1);
    return (int32_t)q;
}

#endif /* PYCMSISNN_ACTIVATION_S16_INPUT_H */
