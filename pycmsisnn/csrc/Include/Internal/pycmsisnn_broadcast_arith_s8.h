/*
 * pycmsisnn: private helper of pycmsisnn_broadcast_{add,sub,mul}_s8 (not
 * part of the API): their one body each (ADD and SUB share one), walking the
 * output run by run (Internal/arm_nn_broadcast_s8.h) and handing every run in
 * which each input is contiguous or one repeated value to the MVE or DSP
 * loops of arm_elementwise_add_s8 / arm_elementwise_mul_s8
 * (Internal/arm_nn_elementwise_s8_simd.h). The portable per-element
 * arithmetic below is the reference; the vector loops equal it bit for bit
 * and are taken only when their parameter checks pass.
 */
#ifndef PYCMSISNN_INTERNAL_BROADCAST_ARITH_S8_H
#define PYCMSISNN_INTERNAL_BROADCAST_ARITH_S8_H

#include <stdint.h>
#include <string.h>

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "pycmsisnn_tensor_ops.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/arm_nn_elementwise_s8_simd.h"
#include "Internal/pycmsisnn_arith.h"

/* One output element of the quantised sum (difference with sub). */
static inline int8_t pcn_bc_add_element(const pycmsisnn_add_params *p, const int8_t x1, const int8_t x2, const int sub)
{
    const int32_t a = arm_nn_shift_left_wrap((int32_t)x1 + p->input_1_offset, p->left_shift);
    const int32_t b = arm_nn_shift_left_wrap((int32_t)x2 + p->input_2_offset, p->left_shift);
    const int32_t a_scaled = arm_nn_requantize(a, p->input_1_mult, p->input_1_shift);
    const int32_t b_scaled = arm_nn_requantize(b, p->input_2_mult, p->input_2_shift);
    /* The sum wraps in 32 bits instead of overflowing (never reached with
     * parameters derived from real scales). */
    const int32_t sum = sub ? (int32_t)((uint32_t)a_scaled - (uint32_t)b_scaled)
                            : (int32_t)((uint32_t)a_scaled + (uint32_t)b_scaled);
    return arm_nn_requantize_clamp_s8(
        sum, p->output_mult, p->output_shift, p->output_offset, p->activation.min, p->activation.max);
}

/* One output element of the quantised product. */
static inline int8_t pcn_bc_mul_element(const pycmsisnn_mul_params *p, const int8_t x1, const int8_t x2)
{
    /* Offset int8 values fit in 9 bits, so the product fits in int32; the
     * unsigned arithmetic (same low 32 bits) only keeps out-of-contract
     * offsets well defined. */
    const uint32_t a = (uint32_t)(int32_t)x1 + (uint32_t)p->input_1_offset;
    const uint32_t b = (uint32_t)(int32_t)x2 + (uint32_t)p->input_2_offset;
    const int32_t prod = (int32_t)(a * b);
    return arm_nn_requantize_clamp_s8(
        prod, p->output_mult, p->output_shift, p->output_offset, p->activation.min, p->activation.max);
}

/* The parameters and, when usable, the vector loops' constants. */
typedef struct
{
    const pycmsisnn_add_params *p;
    int vector; /* the vector constants below are valid */
#if defined(ARM_MATH_MVEI)
    pcn_ew_add_mve_params v;
#elif defined(ARM_MATH_DSP)
    pcn_ew_add_dsp_params v;
#endif
} pcn_bc_add_ctx;

typedef struct
{
    const pycmsisnn_mul_params *p;
    int vector;
#if defined(ARM_MATH_DSP) && !defined(ARM_MATH_MVEI)
    pcn_ew_rq_dsp rq;
#endif
} pcn_bc_mul_ctx;

/* Rows of runs of ADD or SUB (sub: a constant at each call site; the
 * arguments as arm_nn_broadcast_run_s8). */
static inline __attribute__((always_inline)) void pcn_bc_add_rows(const pcn_bc_add_ctx *c,
                                                                  const int8_t *a,
                                                                  const int8_t *b,
                                                                  int8_t *out,
                                                                  const int32_t len,
                                                                  const int32_t rows,
                                                                  const int32_t step1,
                                                                  const int32_t step2,
                                                                  const arm_nn_run_kind kind,
                                                                  const int sub)
{
#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    if (c->vector)
    {
    #if defined(ARM_MATH_MVEI)
        #define PCN_BC_ADD_ROWS(r1, r2) pcn_ew_add_mve_run(a, b, out, len, rows, step1, step2, &c->v, (r1), (r2), sub)
    #else
        #define PCN_BC_ADD_ROWS(r1, r2) pcn_ew_add_dsp_run(a, b, out, len, rows, step1, step2, &c->v, (r1), (r2), sub)
    #endif
        if (kind == ARM_NN_RUN_BOTH)
        {
            PCN_BC_ADD_ROWS(0, 0);
        }
        else if (kind == ARM_NN_RUN_SCALAR_1)
        {
            PCN_BC_ADD_ROWS(1, 0);
        }
        else
        {
            PCN_BC_ADD_ROWS(0, 1);
        }
        #undef PCN_BC_ADD_ROWS
        return;
    }
#endif
    {
        const int32_t c1 = kind == ARM_NN_RUN_SCALAR_1 ? 0 : 1;
        const int32_t c2 = kind == ARM_NN_RUN_SCALAR_2 ? 0 : 1;
        for (int32_t r = 0; r < rows; r++)
        {
            for (int32_t i = 0; i < len; i++)
            {
                *out++ = pcn_bc_add_element(c->p, a[i * c1], b[i * c2], sub);
            }
            a += step1;
            b += step2;
        }
    }
}

static inline void pcn_bc_add_run_add(const void *ctx,
                                      const int8_t *a,
                                      const int8_t *b,
                                      int8_t *out,
                                      const int32_t len,
                                      const int32_t rows,
                                      const int32_t step1,
                                      const int32_t step2,
                                      const arm_nn_run_kind kind)
{
    pcn_bc_add_rows((const pcn_bc_add_ctx *)ctx, a, b, out, len, rows, step1, step2, kind, 0);
}

static inline void pcn_bc_add_run_sub(const void *ctx,
                                      const int8_t *a,
                                      const int8_t *b,
                                      int8_t *out,
                                      const int32_t len,
                                      const int32_t rows,
                                      const int32_t step1,
                                      const int32_t step2,
                                      const arm_nn_run_kind kind)
{
    pcn_bc_add_rows((const pcn_bc_add_ctx *)ctx, a, b, out, len, rows, step1, step2, kind, 1);
}

/* Rows of runs of MUL (the arguments as arm_nn_broadcast_run_s8). */
static inline void pcn_bc_mul_run(const void *ctx,
                                  const int8_t *a,
                                  const int8_t *b,
                                  int8_t *out,
                                  const int32_t len,
                                  const int32_t rows,
                                  const int32_t step1,
                                  const int32_t step2,
                                  const arm_nn_run_kind kind)
{
    const pcn_bc_mul_ctx *c = (const pcn_bc_mul_ctx *)ctx;
    const pycmsisnn_mul_params *p = c->p;

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    if (c->vector)
    {
    #if defined(ARM_MATH_MVEI)
        #define PCN_BC_MUL_ROWS(r1, r2)                                                                                \
            pcn_ew_mul_mve_run(a,                                                                                      \
                               b,                                                                                      \
                               p->input_1_offset,                                                                      \
                               p->input_2_offset,                                                                      \
                               out,                                                                                    \
                               p->output_offset,                                                                       \
                               p->output_mult,                                                                         \
                               p->output_shift,                                                                        \
                               p->activation.min,                                                                      \
                               p->activation.max,                                                                      \
                               len,                                                                                    \
                               rows,                                                                                   \
                               step1,                                                                                  \
                               step2,                                                                                  \
                               (r1),                                                                                   \
                               (r2))
    #else
        #define PCN_BC_MUL_ROWS(r1, r2)                                                                                \
            pcn_ew_mul_dsp_run(a,                                                                                      \
                               b,                                                                                      \
                               p->input_1_offset,                                                                      \
                               p->input_2_offset,                                                                      \
                               out,                                                                                    \
                               &c->rq,                                                                                 \
                               p->activation.min,                                                                      \
                               p->activation.max,                                                                      \
                               len,                                                                                    \
                               rows,                                                                                   \
                               step1,                                                                                  \
                               step2,                                                                                  \
                               (r1),                                                                                   \
                               (r2))
    #endif
        if (kind == ARM_NN_RUN_BOTH)
        {
            PCN_BC_MUL_ROWS(0, 0);
        }
        else if (kind == ARM_NN_RUN_SCALAR_1)
        {
            PCN_BC_MUL_ROWS(1, 0);
        }
        else
        {
            PCN_BC_MUL_ROWS(0, 1);
        }
        #undef PCN_BC_MUL_ROWS
        return;
    }
#endif
    {
        const int32_t c1 = kind == ARM_NN_RUN_SCALAR_1 ? 0 : 1;
        const int32_t c2 = kind == ARM_NN_RUN_SCALAR_2 ? 0 : 1;
        for (int32_t r = 0; r < rows; r++)
        {
            for (int32_t i = 0; i < len; i++)
            {
                *out++ = pcn_bc_mul_element(p, a[i * c1], b[i * c2]);
            }
            a += step1;
            b += step2;
        }
    }
}

/* Shared body of pycmsisnn_broadcast_add_s8 and _sub_s8. */
static inline arm_cmsis_nn_status pcn_bc_add_s8(const pycmsisnn_add_params *params,
                                                const cmsis_nn_dims *input_1_dims,
                                                const int8_t *input_1,
                                                const cmsis_nn_dims *input_2_dims,
                                                const int8_t *input_2,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output,
                                                const int sub)
{
    int32_t steps_1[4];
    int32_t steps_2[4];
    arm_nn_broadcast_runs runs;
    pcn_bc_add_ctx ctx;

    if (params == NULL || input_1_dims == NULL || input_2_dims == NULL || output_dims == NULL || input_1 == NULL ||
        input_2 == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!arm_nn_broadcast_pair(input_1_dims, input_2_dims, output_dims, steps_1, steps_2))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (params->left_shift < 0 || params->left_shift > 31 || params->input_1_shift < -31 || params->input_1_shift > 31 ||
        params->input_2_shift < -31 || params->input_2_shift > 31 || params->output_shift < -31 || params->output_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    memset(&ctx, 0, sizeof(ctx));
    ctx.p = params;
#if defined(ARM_MATH_MVEI)
    ctx.vector = pcn_ew_add_mve_init(&ctx.v,
#elif defined(ARM_MATH_DSP)
    ctx.vector = pcn_ew_add_dsp_init(&ctx.v,
#endif
#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
                                     params->input_1_offset,
                                     params->input_1_mult,
                                     params->input_1_shift,
                                     params->input_2_offset,
                                     params->input_2_mult,
                                     params->input_2_shift,
                                     params->left_shift,
                                     params->output_offset,
                                     params->output_mult,
                                     params->output_shift,
                                     params->activation.min,
                                     params->activation.max);
#endif
    arm_nn_broadcast_runs_of(steps_1, steps_2, output_dims, &runs);
    arm_nn_broadcast_walk_runs_s8(
        input_1, input_2, output, &runs, sub ? pcn_bc_add_run_sub : pcn_bc_add_run_add, &ctx);
    return ARM_CMSIS_NN_SUCCESS;
}

/* Body of pycmsisnn_broadcast_mul_s8. */
static inline arm_cmsis_nn_status pcn_bc_mul_s8(const pycmsisnn_mul_params *params,
                                                const cmsis_nn_dims *input_1_dims,
                                                const int8_t *input_1,
                                                const cmsis_nn_dims *input_2_dims,
                                                const int8_t *input_2,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output)
{
    int32_t steps_1[4];
    int32_t steps_2[4];
    arm_nn_broadcast_runs runs;
    pcn_bc_mul_ctx ctx;

    if (params == NULL || input_1_dims == NULL || input_2_dims == NULL || output_dims == NULL || input_1 == NULL ||
        input_2 == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!arm_nn_broadcast_pair(input_1_dims, input_2_dims, output_dims, steps_1, steps_2))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (params->output_shift < -31 || params->output_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    memset(&ctx, 0, sizeof(ctx));
    ctx.p = params;
#if defined(ARM_MATH_MVEI)
    ctx.vector = params->output_mult != INT32_MIN;
#elif defined(ARM_MATH_DSP)
    ctx.vector = pcn_ew_mul_dsp_init(&ctx.rq,
                                     params->input_1_offset,
                                     params->input_2_offset,
                                     params->output_offset,
                                     params->output_mult,
                                     params->output_shift,
                                     params->activation.min,
                                     params->activation.max);
#endif
    arm_nn_broadcast_runs_of(steps_1, steps_2, output_dims, &runs);
    arm_nn_broadcast_walk_runs_s8(input_1, input_2, output, &runs, pcn_bc_mul_run, &ctx);
    return ARM_CMSIS_NN_SUCCESS;
}

#endif /* PYCMSISNN_INTERNAL_BROADCAST_ARITH_S8_H */
