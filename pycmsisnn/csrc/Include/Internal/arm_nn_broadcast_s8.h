/*
 * pycmsisnn: private helper of arm_minimum_s8 / arm_maximum_s8 (not part of
 * the API).
 *
 * Walks an NHWC output and, for each element, picks the smaller or larger of
 * the two matching input elements, where an input dimension of 1 repeats
 * along the output's dimension (NumPy-style broadcasting restricted to 4-D).
 *
 * The walk goes run by run (arm_nn_broadcast_runs_of): the innermost
 * dimensions over which each input is either contiguous or one repeated
 * value, so that vector loops take whole runs. Minimum and maximum have
 * an MVE loop (16 int8 lanes, VMAXQ/VMINQ, a tail-predicated last group)
 * and a DSP loop (four int8 per word, SSUB8 then SEL); the walks of
 * pycmsisnn_broadcast_{add,sub,mul}_s8 use the same runs.
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_BROADCAST_S8_H
#define PYCMSISNN_INTERNAL_ARM_NN_BROADCAST_S8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#elif defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

/* Element strides (n, h, w, c) of an input seen through the output's shape:
 * a broadcast dimension gets stride 0. Returns 0 when the input dimension can
 * neither match nor broadcast to the output dimension. */
static inline int arm_nn_broadcast_strides(const cmsis_nn_dims *in, const cmsis_nn_dims *out, int32_t strides[4])
{
    const int32_t in_shape[4] = {in->n, in->h, in->w, in->c};
    const int32_t out_shape[4] = {out->n, out->h, out->w, out->c};
    int32_t step = 1;
    for (int i = 3; i >= 0; i--)
    {
        if (in_shape[i] < 1 || out_shape[i] < 1)
        {
            return 0;
        }
        if (in_shape[i] == out_shape[i])
        {
            strides[i] = step;
        }
        else if (in_shape[i] == 1)
        {
            strides[i] = 0;
        }
        else
        {
            return 0;
        }
        step *= in_shape[i];
    }
    return 1;
}

/* Checked element strides of two inputs broadcast to out_dims (element
 * counts up to INT32_MAX); 0 when a dimension neither matches nor is 1. */
static inline int arm_nn_broadcast_pair(const cmsis_nn_dims *dims_1,
                                        const cmsis_nn_dims *dims_2,
                                        const cmsis_nn_dims *out_dims,
                                        int32_t s1[4],
                                        int32_t s2[4])
{
    if (dims_1 == NULL || dims_2 == NULL || out_dims == NULL ||
        (int64_t)out_dims->n * out_dims->h * out_dims->w * out_dims->c > INT32_MAX)
    {
        return 0;
    }
    return arm_nn_broadcast_strides(dims_1, out_dims, s1) && arm_nn_broadcast_strides(dims_2, out_dims, s2);
}

/* One output element from one element of each input (params: the caller's). */
typedef int8_t (*arm_nn_broadcast_op_s8)(const void *params, int8_t a, int8_t b);

/* Walk the output in NHWC order, applying op to the broadcast input elements.
 * Inlined into each kernel, so the op call is resolved at compile time. */
static inline void arm_nn_broadcast_walk_s8(const int8_t *in_1,
                                            const int32_t s1[4],
                                            const int8_t *in_2,
                                            const int32_t s2[4],
                                            int8_t *out,
                                            const cmsis_nn_dims *out_dims,
                                            const arm_nn_broadcast_op_s8 op,
                                            const void *params)
{
    for (int32_t n = 0; n < out_dims->n; n++)
    {
        for (int32_t h = 0; h < out_dims->h; h++)
        {
            for (int32_t w = 0; w < out_dims->w; w++)
            {
                const int8_t *p1 = in_1 + n * s1[0] + h * s1[1] + w * s1[2];
                const int8_t *p2 = in_2 + n * s2[0] + h * s2[1] + w * s2[2];
                for (int32_t c = 0; c < out_dims->c; c++)
                {
                    *out++ = op(params, p1[c * s1[3]], p2[c * s2[3]]);
                }
            }
        }
    }
}

/* How each input moves along one innermost run of the output. */
typedef enum
{
    ARM_NN_RUN_BOTH = 0,      /* both inputs contiguous over the run */
    ARM_NN_RUN_SCALAR_1 = 1,  /* input 1 one value repeated, input 2 contiguous */
    ARM_NN_RUN_SCALAR_2 = 2   /* input 1 contiguous, input 2 one value repeated */
} arm_nn_run_kind;

/* The output as rows of runs: the innermost dimensions merged while each
 * input keeps one kind over them (contiguous: stride 1 continued, or
 * repeated: stride 0) make a run of len elements; count[2] runs follow each
 * other in the output (input i advancing s_i[2] elements from one to the
 * next, the outer dimensions that allow it merged in), inside up to two
 * outer loops (count[0], count[1], element strides s1, s2). */
typedef struct
{
    int32_t len;
    int32_t count[3];
    int32_t s1[3];
    int32_t s2[3];
    arm_nn_run_kind kind;
} arm_nn_broadcast_runs;

/* Kind of one input over the merged dimensions: -1 not known yet (only
 * dimensions of size 1), 0 contiguous, 1 repeated. Returns 0 when the
 * dimension's stride breaks that kind. */
static inline int arm_nn_run_merge(int *kind, const int32_t stride)
{
    const int k = stride == 0 ? 1 : 0;
    if (*kind >= 0 && *kind != k)
    {
        return 0;
    }
    *kind = k;
    return 1;
}

/* Runs of the output for the strides of arm_nn_broadcast_pair. */
static inline void arm_nn_broadcast_runs_of(const int32_t s1[4],
                                            const int32_t s2[4],
                                            const cmsis_nn_dims *out_dims,
                                            arm_nn_broadcast_runs *r)
{
    const int32_t out_shape[4] = {out_dims->n, out_dims->h, out_dims->w, out_dims->c};
    int k1 = -1;
    int k2 = -1;
    int32_t i = 3;

    r->len = 1;
    for (; i >= 0; i--)
    {
        if (out_shape[i] != 1)
        {
            int m1 = k1;
            int m2 = k2;
            if (!arm_nn_run_merge(&m1, s1[i]) || !arm_nn_run_merge(&m2, s2[i]))
            {
                break;
            }
            k1 = m1;
            k2 = m2;
        }
        r->len *= out_shape[i];
    }
    for (int32_t d = 0; d < 3; d++)
    {
        r->count[d] = d <= i ? out_shape[d] : 1;
        r->s1[d] = d <= i ? s1[d] : 0;
        r->s2[d] = d <= i ? s2[d] : 0;
    }
    /* Outer dimensions into the rows of dimension 2 while both inputs step
     * evenly across them (a dimension of 1 in the way is skipped). */
    for (int32_t d = 1; d >= 0; d--)
    {
        if (r->count[d] == 1)
        {
            continue;
        }
        if (r->count[2] == 1)
        {
            r->s1[2] = r->s1[d];
            r->s2[2] = r->s2[d];
        }
        else if ((int64_t)r->s1[d] != (int64_t)r->s1[2] * r->count[2] ||
                 (int64_t)r->s2[d] != (int64_t)r->s2[2] * r->count[2])
        {
            break;
        }
        r->count[2] *= r->count[d];
        r->count[d] = 1;
    }
    /* The innermost dimension with an output size above 1 has that size in
     * one input at least: both inputs never repeat over the same run. */
    r->kind = k1 == 1 ? ARM_NN_RUN_SCALAR_1 : (k2 == 1 ? ARM_NN_RUN_SCALAR_2 : ARM_NN_RUN_BOTH);
}

/* `rows` runs of len output elements each, one after another in out: in_1
 * and in_2 point at the first run's input elements, each contiguous or
 * repeated over a run as `kind` says, and advance step1 / step2 elements
 * from one run to the next. */
typedef void (*arm_nn_broadcast_run_s8)(const void *params,
                                        const int8_t *in_1,
                                        const int8_t *in_2,
                                        int8_t *out,
                                        int32_t len,
                                        int32_t rows,
                                        int32_t step1,
                                        int32_t step2,
                                        arm_nn_run_kind kind);

/* Walk the output rows of runs at a time. Inlined into each kernel, so the
 * run call is resolved at compile time. */
static inline void arm_nn_broadcast_walk_runs_s8(const int8_t *in_1,
                                                 const int8_t *in_2,
                                                 int8_t *out,
                                                 const arm_nn_broadcast_runs *r,
                                                 const arm_nn_broadcast_run_s8 run,
                                                 const void *params)
{
    for (int32_t n = 0; n < r->count[0]; n++)
    {
        for (int32_t h = 0; h < r->count[1]; h++)
        {
            run(params,
                in_1 + n * r->s1[0] + h * r->s1[1],
                in_2 + n * r->s2[0] + h * r->s2[1],
                out,
                r->len,
                r->count[2],
                r->s1[2],
                r->s2[2],
                r->kind);
            out += r->len * r->count[2];
        }
    }
}

static inline int8_t arm_nn_max_s8(const void *params, const int8_t a, const int8_t b)
{
    (void)params;
    return a >= b ? a : b;
}

static inline int8_t arm_nn_min_s8(const void *params, const int8_t a, const int8_t b)
{
    (void)params;
    return a <= b ? a : b;
}

#if defined(ARM_MATH_MVEI)

/* One run, 16 lanes at a time; rep1/rep2 say which input repeats one value
 * and take_max selects maximum (constants at each call site). */
static inline __attribute__((always_inline)) void arm_nn_min_max_run_mve_s8(const int8_t *a,
                                                                            const int8_t *b,
                                                                            int8_t *out,
                                                                            int32_t len,
                                                                            const int rep1,
                                                                            const int rep2,
                                                                            const int take_max)
{
    const int8x16_t a_rep = vdupq_n_s8(rep1 ? *a : 0);
    const int8x16_t b_rep = vdupq_n_s8(rep2 ? *b : 0);

    for (; len >= 16; len -= 16)
    {
        const int8x16_t va = rep1 ? a_rep : vldrbq_s8(a);
        const int8x16_t vb = rep2 ? b_rep : vldrbq_s8(b);

        vstrbq_s8(out, take_max ? vmaxq_s8(va, vb) : vminq_s8(va, vb));
        a += rep1 ? 0 : 16;
        b += rep2 ? 0 : 16;
        out += 16;
    }
    if (len > 0)
    {
        const mve_pred16_t pred = vctp8q((uint32_t)len);
        const int8x16_t va = rep1 ? a_rep : vldrbq_z_s8(a, pred);
        const int8x16_t vb = rep2 ? b_rep : vldrbq_z_s8(b, pred);

        vstrbq_p_s8(out, take_max ? vmaxq_s8(va, vb) : vminq_s8(va, vb), pred);
    }
}

#elif defined(ARM_MATH_DSP)

/* Four bytes from p (any alignment). */
static inline int32_t arm_nn_read_s8x4(const int8_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* One run, four bytes at a time: SSUB8 sets a lane's GE flag where
 * a >= b, SEL then picks a (maximum) or b (minimum) there; a last one to
 * three elements one at a time. */
static inline __attribute__((always_inline)) void arm_nn_min_max_run_dsp_s8(const int8_t *a,
                                                                            const int8_t *b,
                                                                            int8_t *out,
                                                                            int32_t len,
                                                                            const int rep1,
                                                                            const int rep2,
                                                                            const int take_max)
{
    const int32_t a_rep = rep1 ? (int32_t)(((uint32_t)(uint8_t)*a) * 0x01010101u) : 0;
    const int32_t b_rep = rep2 ? (int32_t)(((uint32_t)(uint8_t)*b) * 0x01010101u) : 0;

    for (; len >= 4; len -= 4)
    {
        const int32_t wa = rep1 ? a_rep : arm_nn_read_s8x4(a);
        const int32_t wb = rep2 ? b_rep : arm_nn_read_s8x4(b);
        uint32_t w;

        (void)__ssub8(wa, wb);
        w = take_max ? __sel((uint32_t)wa, (uint32_t)wb) : __sel((uint32_t)wb, (uint32_t)wa);
        memcpy(out, &w, sizeof(w));
        a += rep1 ? 0 : 4;
        b += rep2 ? 0 : 4;
        out += 4;
    }
    for (; len > 0; len--)
    {
        *out++ = take_max ? arm_nn_max_s8(NULL, *a, *b) : arm_nn_min_s8(NULL, *a, *b);
        a += rep1 ? 0 : 1;
        b += rep2 ? 0 : 1;
    }
}

#endif

/* Rows of runs of minimum or maximum (take_max, a constant at each call
 * site): the loop for the kind chosen once, then run row after row. */
static inline __attribute__((always_inline)) void arm_nn_min_max_rows_s8(const int8_t *a,
                                                                         const int8_t *b,
                                                                         int8_t *out,
                                                                         const int32_t len,
                                                                         int32_t rows,
                                                                         const int32_t step1,
                                                                         const int32_t step2,
                                                                         const arm_nn_run_kind kind,
                                                                         const int take_max)
{
#if defined(ARM_MATH_MVEI)
    #define ARM_NN_MIN_MAX_ROW(r1, r2) arm_nn_min_max_run_mve_s8(a, b, out, len, (r1), (r2), take_max)
#elif defined(ARM_MATH_DSP)
    #define ARM_NN_MIN_MAX_ROW(r1, r2) arm_nn_min_max_run_dsp_s8(a, b, out, len, (r1), (r2), take_max)
#else
    #define ARM_NN_MIN_MAX_ROW(r1, r2)                                                                                 \
        for (int32_t i = 0; i < len; i++)                                                                              \
        {                                                                                                              \
            const int8_t x1 = a[(r1) ? 0 : i];                                                                         \
            const int8_t x2 = b[(r2) ? 0 : i];                                                                         \
            out[i] = take_max ? arm_nn_max_s8(NULL, x1, x2) : arm_nn_min_s8(NULL, x1, x2);                             \
        }
#endif
#define ARM_NN_MIN_MAX_ROWS(r1, r2)                                                                                    \
    for (; rows > 0; rows--)                                                                                           \
    {                                                                                                                  \
        ARM_NN_MIN_MAX_ROW(r1, r2);                                                                                    \
        a += step1;                                                                                                    \
        b += step2;                                                                                                    \
        out += len;                                                                                                    \
    }
    if (kind == ARM_NN_RUN_BOTH)
    {
        ARM_NN_MIN_MAX_ROWS(0, 0)
    }
    else if (kind == ARM_NN_RUN_SCALAR_1)
    {
        ARM_NN_MIN_MAX_ROWS(1, 0)
    }
    else
    {
        ARM_NN_MIN_MAX_ROWS(0, 1)
    }
#undef ARM_NN_MIN_MAX_ROWS
#undef ARM_NN_MIN_MAX_ROW
}

static inline void arm_nn_max_run_s8(const void *params,
                                     const int8_t *a,
                                     const int8_t *b,
                                     int8_t *out,
                                     const int32_t len,
                                     const int32_t rows,
                                     const int32_t step1,
                                     const int32_t step2,
                                     const arm_nn_run_kind kind)
{
    (void)params;
    arm_nn_min_max_rows_s8(a, b, out, len, rows, step1, step2, kind, 1);
}

static inline void arm_nn_min_run_s8(const void *params,
                                     const int8_t *a,
                                     const int8_t *b,
                                     int8_t *out,
                                     const int32_t len,
                                     const int32_t rows,
                                     const int32_t step1,
                                     const int32_t step2,
                                     const arm_nn_run_kind kind)
{
    (void)params;
    arm_nn_min_max_rows_s8(a, b, out, len, rows, step1, step2, kind, 0);
}

/* Shared body of arm_minimum_s8 and arm_maximum_s8; take_max selects maximum. */
static inline arm_cmsis_nn_status arm_nn_min_max_broadcast_s8(const int8_t *in_1,
                                                              const cmsis_nn_dims *dims_1,
                                                              const int8_t *in_2,
                                                              const cmsis_nn_dims *dims_2,
                                                              int8_t *out,
                                                              const cmsis_nn_dims *out_dims,
                                                              const int take_max)
{
    int32_t s1[4];
    int32_t s2[4];
    arm_nn_broadcast_runs runs;

    if (in_1 == NULL || in_2 == NULL || out == NULL || !arm_nn_broadcast_pair(dims_1, dims_2, out_dims, s1, s2))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    arm_nn_broadcast_runs_of(s1, s2, out_dims, &runs);
    arm_nn_broadcast_walk_runs_s8(in_1, in_2, out, &runs, take_max ? arm_nn_max_run_s8 : arm_nn_min_run_s8, NULL);
    return ARM_CMSIS_NN_SUCCESS;
}

#endif /* PYCMSISNN_INTERNAL_ARM_NN_BROADCAST_S8_H */
