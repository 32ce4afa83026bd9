/*
 * pycmsisnn: pycmsisnn_transpose_s16.
 *
 * Permutes the axes of an int16 tensor of 1 to 4 dimensions, with
 * arm_transpose_s8's arguments, like numpy.transpose: output axis i is input
 * axis permutations[i]. A tensor of num_dims < 4 dimensions keeps its extents
 * in the leading fields of cmsis_nn_dims (n, then h, then w); the remaining
 * fields are ignored. The output extents must be the input extents in
 * permuted order.
 */
#include "pycmsisnn_tensor_ops_s16.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"

#define TRANSPOSE_MAX_DIMS 4

arm_cmsis_nn_status pycmsisnn_transpose_s16(const int16_t *input_data,
                                            int16_t *output_data,
                                            const cmsis_nn_dims *input_dims,
                                            const cmsis_nn_dims *output_dims,
                                            const cmsis_nn_transpose_params *transpose_params)
{
    int32_t in_shape[TRANSPOSE_MAX_DIMS] = {1, 1, 1, 1};
    int32_t out_shape[TRANSPOSE_MAX_DIMS] = {1, 1, 1, 1};
    int32_t in_strides[TRANSPOSE_MAX_DIMS];
    /* Input element stride to take one step along each output axis. */
    int32_t step[TRANSPOSE_MAX_DIMS];
    uint32_t perm[TRANSPOSE_MAX_DIMS] = {0, 1, 2, 3};
    int used[TRANSPOSE_MAX_DIMS] = {0, 0, 0, 0};

    if (input_data == NULL || output_data == NULL || input_dims == NULL || output_dims == NULL ||
        transpose_params == NULL || transpose_params->permutations == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t rank = transpose_params->num_dims;
    if (rank < 1 || rank > TRANSPOSE_MAX_DIMS)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    {
        const int32_t in_all[TRANSPOSE_MAX_DIMS] = {input_dims->n, input_dims->h, input_dims->w, input_dims->c};
        const int32_t out_all[TRANSPOSE_MAX_DIMS] = {
            output_dims->n, output_dims->h, output_dims->w, output_dims->c};
        for (int32_t i = 0; i < rank; i++)
        {
            in_shape[i] = in_all[i];
            out_shape[i] = out_all[i];
        }
    }

    /* The permutation must name every one of the first `rank` axes once, and
     * the output extents must follow from it. */
    for (int32_t i = 0; i < rank; i++)
    {
        const uint32_t p = transpose_params->permutations[i];
        if (p >= (uint32_t)rank || used[p])
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        used[p] = 1;
        perm[i] = p;
    }
    for (int32_t i = 0; i < rank; i++)
    {
        if (in_shape[i] < 1 || out_shape[i] != in_shape[perm[i]])
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
    }

    in_strides[TRANSPOSE_MAX_DIMS - 1] = 1;
    for (int32_t i = TRANSPOSE_MAX_DIMS - 2; i >= 0; i--)
    {
        in_strides[i] = in_strides[i + 1] * in_shape[i + 1];
    }
    for (int32_t i = 0; i < TRANSPOSE_MAX_DIMS; i++)
    {
        step[i] = in_strides[perm[i]];
    }

    /* Walk the output in storage order, gathering from the input. */
    int16_t *dst = output_data;
    for (int32_t a = 0; a < out_shape[0]; a++)
    {
        const int16_t *src_a = input_data + a * step[0];
        for (int32_t b = 0; b < out_shape[1]; b++)
        {
            const int16_t *src_b = src_a + b * step[1];
            for (int32_t c = 0; c < out_shape[2]; c++)
            {
                const int16_t *src_c = src_b + c * step[2];
                for (int32_t d = 0; d < out_shape[3]; d++)
                {
                    *dst++ = src_c[d * step[3]];
                }
            }
        }
    }

    return ARM_CMSIS_NN_SUCCESS;
}
