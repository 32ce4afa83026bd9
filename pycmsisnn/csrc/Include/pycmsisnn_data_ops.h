/*
 * pycmsisnn: kernels of the data-movement operators TFLite Micro runs that
 * CMSIS-NN lacks. They move elements without changing them (but for the
 * bilinear resize, which interpolates in fixed point), so input and output
 * share one quantisation.
 *
 *   pycmsisnn_remap_s8 / _s16          output[n][h][w][c] = input[map_n[n]][map_h[h]][map_w[w]][map_c[c]]:
 *                                      RESIZE_NEAREST_NEIGHBOR, MIRROR_PAD, BROADCAST_TO
 *   pycmsisnn_split_s8 / _s16          SPLIT, SPLIT_V, UNPACK (several outputs)
 *   pycmsisnn_gather_s8                GATHER (any batch_dims), GATHER_ND (flattened indices)
 *   pycmsisnn_resize_bilinear_s8       RESIZE_BILINEAR (10-bit fixed-point interpolation)
 *   pycmsisnn_depth_to_space_s8        DEPTH_TO_SPACE
 *   pycmsisnn_space_to_depth_s8        SPACE_TO_DEPTH
 *   pycmsisnn_batch_to_space_s8        BATCH_TO_SPACE_ND (block and crops)
 *   pycmsisnn_space_to_batch_s8        SPACE_TO_BATCH_ND (block and padding)
 *   pycmsisnn_fill_s8                  ZEROS_LIKE (every element one value)
 *
 * Tensors described by cmsis_nn_dims are NHWC; a tensor of lower rank has
 * its leading dimensions set to 1. Every index table and block parameter is
 * derived by the caller (pycmsisnn's lowering). Every kernel returns
 * ARM_CMSIS_NN_ARG_ERROR for a NULL pointer, a non-positive extent or an
 * argument that would make it read or write out of bounds, and
 * ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_DATA_OPS_H
#define PYCMSISNN_DATA_OPS_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RESIZE_BILINEAR of int8 data: along each spatial axis an output index o
 * reads the input at the 10-bit fixed-point position
 * p = max(0, o * scale + (half_pixel_centers ? scale / 2 - 512 : 0)), between
 * rows min(p >> 10, extent - 1) and min((p >> 10) + 1, extent - 1), weighted
 * by the fraction p - 1024 * (p >> 10) (computed from the clamped row); the
 * weighted sum, in units of 2^-20, is rounded half away from zero. */
typedef struct
{
    int32_t scale_h;            /* input/output height ratio times 1024, rounded */
    int32_t scale_w;            /* input/output width ratio times 1024, rounded */
    int32_t half_pixel_centers; /* non-zero: sample at pixel centres */
} pycmsisnn_resize_bilinear_params;

/* GATHER: the input is [batch][outer][axis_size][inner], the indices
 * [batch][count], the output [batch][outer][count][inner]:
 * output[b][o][i][k] = input[b][o][indices[b * count + i]][k]. */
typedef struct
{
    int32_t batch;     /* leading dimensions shared by input and indices (batch_dims) */
    int32_t outer;     /* input dimensions between the batch and the gathered axis */
    int32_t axis_size; /* extent of the gathered axis; every index lies in [0, axis_size) */
    int32_t inner;     /* elements of one gathered slice */
    int32_t count;     /* indices per batch */
} pycmsisnn_gather_params;

/* BATCH_TO_SPACE_ND and SPACE_TO_BATCH_ND on NHWC tensors. The batch of the
 * batched tensor is (block row * block_w + block column) * N + n. Batch to
 * space: output[n][h][w][c] = input[((h + offset_h) % block_h * block_w +
 * (w + offset_w) % block_w) * N + n][(h + offset_h) / block_h][(w + offset_w) / block_w][c]
 * (the offsets are the top and left crops). Space to batch: the inverse
 * rearrangement of the input padded by offset_h rows on top and offset_w
 * columns on the left (and up to the output's extent below and right), the
 * padding filled with pad_value. */
typedef struct
{
    int32_t block_h;   /* block height (>= 1) */
    int32_t block_w;   /* block width (>= 1) */
    int32_t offset_h;  /* top crop (batch to space) or top padding (space to batch) */
    int32_t offset_w;  /* left crop or left padding */
    int32_t pad_value; /* value of padded elements (space to batch), in [-128, 127] */
} pycmsisnn_space_batch_params;

/* Every map entry is an index into the input's extent along its axis, or
 * negative: then the output element is pad_value. maps holds the N map
 * (output_dims->n entries), then the H, W and C maps. */
arm_cmsis_nn_status pycmsisnn_remap_s8(const cmsis_nn_dims *input_dims,
                                       const int8_t *input,
                                       const cmsis_nn_dims *output_dims,
                                       const int32_t *maps,
                                       int8_t pad_value,
                                       int8_t *output);

arm_cmsis_nn_status pycmsisnn_remap_s16(const cmsis_nn_dims *input_dims,
                                        const int16_t *input,
                                        const cmsis_nn_dims *output_dims,
                                        const int32_t *maps,
                                        int16_t pad_value,
                                        int16_t *output);

/* The input is [outer][axis_size][inner]; output k is
 * [outer][sizes[k]][inner], the k-th run of sizes[k] positions along the
 * axis. The sizes (each >= 1) add up to axis_size. */
arm_cmsis_nn_status pycmsisnn_split_s8(const int8_t *input,
                                       int32_t outer,
                                       int32_t axis_size,
                                       int32_t inner,
                                       int32_t num_outputs,
                                       const int32_t *sizes,
                                       int8_t *const *outputs);

arm_cmsis_nn_status pycmsisnn_split_s16(const int16_t *input,
                                        int32_t outer,
                                        int32_t axis_size,
                                        int32_t inner,
                                        int32_t num_outputs,
                                        const int32_t *sizes,
                                        int16_t *const *outputs);

arm_cmsis_nn_status pycmsisnn_gather_s8(const pycmsisnn_gather_params *params,
                                        const int8_t *input,
                                        const int32_t *indices,
                                        int8_t *output);

/* Input and output have the same N and C. */
arm_cmsis_nn_status pycmsisnn_resize_bilinear_s8(const pycmsisnn_resize_bilinear_params *params,
                                                 const cmsis_nn_dims *input_dims,
                                                 const int8_t *input,
                                                 const cmsis_nn_dims *output_dims,
                                                 int8_t *output);

/* output[n][h][w][c] = input[n][h / b][w / b][((h % b) * b + w % b) * C_out + c]:
 * output H, W are the input's times block_size, C is the input's / block_size^2. */
arm_cmsis_nn_status pycmsisnn_depth_to_space_s8(int32_t block_size,
                                                const cmsis_nn_dims *input_dims,
                                                const int8_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output);

/* The inverse of depth to space: output H, W are the input's / block_size. */
arm_cmsis_nn_status pycmsisnn_space_to_depth_s8(int32_t block_size,
                                                const cmsis_nn_dims *input_dims,
                                                const int8_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output);

/* Input batch = output batch * block_h * block_w; every output position,
 * shifted by the offsets, lies inside the input's H * block_h by W * block_w. */
arm_cmsis_nn_status pycmsisnn_batch_to_space_s8(const pycmsisnn_space_batch_params *params,
                                                const cmsis_nn_dims *input_dims,
                                                const int8_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output);

/* Output batch = input batch * block_h * block_w. */
arm_cmsis_nn_status pycmsisnn_space_to_batch_s8(const pycmsisnn_space_batch_params *params,
                                                const cmsis_nn_dims *input_dims,
                                                const int8_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output);

/* size elements of output set to value. */
arm_cmsis_nn_status pycmsisnn_fill_s8(int8_t value, int32_t size, int8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_DATA_OPS_H */
