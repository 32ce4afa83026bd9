/*
 * pycmsisnn: pycmsisnn_log_softmax_s8.
 *
 * int8 LOG_SOFTMAX as TensorFlow Lite Micro evaluates it (found by running it
 * on every pair of int8 values and on random rows at many input scales): per
 * row, the exponentials of the scaled differences to the row maximum sum into
 * Q12.19 as SOFTMAX's do; the logarithm L of that sum (>= 1) is taken in
 * fixed point and subtracted from each scaled difference, rounded to the
 * output step 1/16 and offset by 127.
 *
 * The logarithm: the sum z = 2^k * m is reduced two ways (m scaled into
 * [1/sqrt(2), 1) and (z / sqrt(2)) normalised), the candidate r nearest 1 is
 * kept with its exponent adjusted by a quarter, and log(r) comes from a
 * rational function of q = 2 (r - 2^(-1/4)) whose coefficients are Q0.31
 * constants; L = k' log 2 + log(r) in Q5.26.
 *
 * Fixed-point values are int32 with f fractional bits (value = raw / 2^f):
 * Q0.31 (f = 31), Q5.26 (f = 26), Q6.25 (f = 25), Q12.19 (f = 19).
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"
#include "Internal/pycmsisnn_fixedpoint.h"

/* round(v * 2^31) of log(2), 2^(-1/4), 2^(-1/2), and of the coefficients
 * 11/240 * 2^(1/4), 1/20 * 2^(1/4), 2 * 2^(-1/4) - 2^(1/4), 1/4 * 2^(1/4). */
#define PCN_LN2_Q31 1488522236
#define PCN_2_POW_MINUS_QUARTER_Q31 1805811301
#define PCN_2_POW_MINUS_HALF_Q31 1518500250
#define PCN_LOG_COEFF_N_Q31 117049297
#define PCN_LOG_COEFF_D_Q31 127690142
#define PCN_LOG_COEFF_I_Q31 1057819769
#define PCN_LOG_COEFF_F_Q31 638450708

#define PCN_LOG_SUM_INT_BITS 12 /* the sum of exponentials, Q12.19 */
#define PCN_LOG_ACC_INT_BITS 6  /* the logarithm before its last rescaling, Q6.25 */
#define PCN_LOG_OUT_SHIFT 22    /* Q5.26 to the output step 1/16 */
#define PCN_LOG_ROW_MAX 4095    /* rows whose sum of exponentials fits int32 */

static int32_t pcn_clz(uint32_t v)
{
    int32_t n = 0;
    if (v == 0U)
    {
        return 32;
    }
    while ((v & 0x80000000U) == 0U)
    {
        v <<= 1;
        n++;
    }
    return n;
}

static int32_t pcn_wrap_add(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* x * 2^e for -31 <= e <= 30: saturating for e > 0, rounding for e < 0. */
static int32_t pcn_mul_pot(const int32_t x, const int32_t e)
{
    if (e > 0)
    {
        return pcn_saturating_shl(x, e);
    }
    return e < 0 ? arm_nn_divide_by_power_of_two(x, -e) : x;
}

static int32_t pcn_clamp_q31(const int64_t v)
{
    return (int32_t)(v > NN_Q31_MAX ? NN_Q31_MAX : (v < NN_Q31_MIN ? NN_Q31_MIN : v));
}

/* log(z) in Q5.26 of a Q12.19 value z >= 1. */
static int32_t pcn_log_q12(const int32_t z)
{
    const int32_t quarter = (int32_t)1 << (31 - 2 - PCN_LOG_ACC_INT_BITS);
    /* z = m * 2^(12 - lz + 1), m in [1/2, 1): r_a = m sqrt(2), exponent - 1/2 (+ 1/4 adjustment) */
    const int32_t lz = pcn_clz((uint32_t)z);
    const int32_t r_a = pcn_mul_pot(arm_nn_doubling_high_mult(pcn_mul_pot(z, lz - 1), PCN_2_POW_MINUS_HALF_Q31), 1);
    const int32_t e_a = pcn_clamp_q31((int64_t)pcn_mul_pot(PCN_LOG_SUM_INT_BITS - lz, 31 - PCN_LOG_ACC_INT_BITS) + quarter);
    /* z / sqrt(2) normalised: r_b = z shifted by its headroom, exponent - 1/4 */
    const int32_t lz_b = pcn_clz((uint32_t)arm_nn_doubling_high_mult(z, PCN_2_POW_MINUS_HALF_Q31)) - 1;
    const int32_t r_b = pcn_mul_pot(z, lz_b);
    const int32_t e_b = pcn_clamp_q31((int64_t)pcn_mul_pot(PCN_LOG_SUM_INT_BITS - lz_b, 31 - PCN_LOG_ACC_INT_BITS) - quarter);
    const int32_t r = PCN_MIN(r_a, r_b);
    const int32_t e = PCN_MAX(e_a, e_b);
    /* log(r) = q (r + coeff_n q^2) / (1 + p (coeff_i + q + coeff_d q^2) + coeff_f q) */
    const int32_t p = pcn_rounding_half_sum(r, PCN_2_POW_MINUS_QUARTER_Q31);
    const int32_t q_half = r - PCN_2_POW_MINUS_QUARTER_Q31;
    const int32_t q = pcn_wrap_add(q_half, q_half);
    const int32_t q2 = arm_nn_doubling_high_mult(q, q);
    const int32_t num = pcn_wrap_add(arm_nn_doubling_high_mult(q, r),
                                     arm_nn_doubling_high_mult(arm_nn_doubling_high_mult(q, q2), PCN_LOG_COEFF_N_Q31));
    const int32_t den_minus_one = pcn_wrap_add(
        arm_nn_doubling_high_mult(p, pcn_wrap_add(pcn_wrap_add(PCN_LOG_COEFF_I_Q31, q), arm_nn_doubling_high_mult(PCN_LOG_COEFF_D_Q31, q2))),
        arm_nn_doubling_high_mult(PCN_LOG_COEFF_F_Q31, q));
    const int32_t recip = pcn_saturating_shl(pcn_reciprocal_one_plus_q29(den_minus_one), 1);
    const int32_t log_r = arm_nn_doubling_high_mult(arm_nn_divide_by_power_of_two(num, PCN_LOG_ACC_INT_BITS), recip);
    const int32_t log_q6 = pcn_wrap_add(arm_nn_doubling_high_mult(e, PCN_LN2_Q31), log_r);
    return pcn_saturating_shl(log_q6, 1); /* Q6.25 -> Q5.26 */
}

/* A difference d >= diff_min to the row maximum, scaled into Q5.26. */
static int32_t pcn_scaled_diff(const int32_t d, const pycmsisnn_log_softmax_params *p)
{
    return arm_nn_doubling_high_mult(arm_nn_shift_left_wrap(d, p->input_left_shift), p->input_multiplier);
}

arm_cmsis_nn_status pycmsisnn_log_softmax_s8(const pycmsisnn_log_softmax_params *params,
                                             const int8_t *input,
                                             int32_t num_rows,
                                             int32_t row_size,
                                             int8_t *output)
{
    if (params == NULL || input == NULL || output == NULL || num_rows < 0 || row_size < 1 || row_size > PCN_LOG_ROW_MAX ||
        params->input_multiplier < 0 || params->input_left_shift < 1 || params->input_left_shift > 31 ||
        params->reverse_multiplier < 0 || params->reverse_shift < -31 || params->reverse_shift > 0 || params->diff_min > 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t row = 0; row < num_rows; row++)
    {
        const int8_t *x = input + row * row_size;
        int8_t *y = output + row * row_size;
        int32_t max = NN_Q7_MIN;
        int32_t sum = 0;
        for (int32_t c = 0; c < row_size; c++)
        {
            max = PCN_MAX(max, (int32_t)x[c]);
        }
        for (int32_t c = 0; c < row_size; c++)
        {
            const int32_t d = (int32_t)x[c] - max;
            if (d >= params->diff_min)
            {
                sum += arm_nn_divide_by_power_of_two(pcn_exp_on_negative(pcn_scaled_diff(d, params), 5), PCN_LOG_SUM_INT_BITS);
            }
        }
        const int32_t log_sum = pcn_log_q12(sum);
        /* the most negative difference whose result does not overflow, in input steps */
        const int32_t lowest = PCN_MAX(params->diff_min - 1,
                                       arm_nn_requantize(pcn_wrap_add(log_sum, NN_Q31_MIN), params->reverse_multiplier, params->reverse_shift));
        for (int32_t c = 0; c < row_size; c++)
        {
            const int32_t d = (int32_t)x[c] - max;
            int32_t v = NN_Q7_MIN;
            if (d > lowest)
            {
                const int32_t diff = (int32_t)((uint32_t)pcn_scaled_diff(d, params) - (uint32_t)log_sum);
                v = arm_nn_divide_by_power_of_two(diff, PCN_LOG_OUT_SHIFT) + NN_Q7_MAX;
            }
            y[c] = (int8_t)PCN_CLAMP(v, NN_Q7_MIN, NN_Q7_MAX);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
