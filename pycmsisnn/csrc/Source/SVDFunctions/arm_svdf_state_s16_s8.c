/*
 * pycmsisnn: arm_svdf_state_s16_s8.
 *
 * One step of TFLite's integer SVDF with an int16 state and int16 time
 * weights (see Internal/pycmsisnn_svdf.h for the steps). Dimensions read:
 * input_dims->n (batches), input_dims->h (input size), weights_feature_dims->n
 * (filters = units * rank), weights_time_dims->h (memory); the state is
 * [batches][filters][memory] and is updated in place. input_ctx holds
 * batches * filters int32, output_ctx batches * units int32. bias may be NULL.
 */
#include "arm_nnfunctions.h"
#include "Internal/pycmsisnn_svdf.h"

PYCMSISNN_SVDF_FEATURE(int16_t)
PYCMSISNN_SVDF_TIME(int16_t, int16_t)
#if defined(ARM_MATH_DSP) || defined(ARM_MATH_MVEI)
PYCMSISNN_SVDF_SIMD(int16_t)
#endif

arm_cmsis_nn_status arm_svdf_state_s16_s8(const cmsis_nn_context *input_ctx,
                                          const cmsis_nn_context *output_ctx,
                                          const cmsis_nn_svdf_params *svdf_params,
                                          const cmsis_nn_per_tensor_quant_params *input_quant_params,
                                          const cmsis_nn_per_tensor_quant_params *output_quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *state_dims,
                                          int16_t *state_data,
                                          const cmsis_nn_dims *weights_feature_dims,
                                          const int8_t *weights_feature_data,
                                          const cmsis_nn_dims *weights_time_dims,
                                          const int16_t *weights_time_data,
                                          const cmsis_nn_dims *bias_dims,
                                          const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data)
{
    (void)state_dims;
    (void)bias_dims;
    (void)output_dims;
    pcn_svdf_sizes sz;
    if (!pcn_svdf_sizes_of(
            input_ctx, output_ctx, svdf_params, input_dims, weights_feature_dims, weights_time_dims, &sz))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
#if defined(ARM_MATH_DSP) || defined(ARM_MATH_MVEI)
    if (pcn_svdf_simd_ok(svdf_params, input_quant_params, output_quant_params, sz.memory))
    {
        pycmsisnn_svdf_simd_int16_t(svdf_params,
                                    input_quant_params,
                                    output_quant_params,
                                    input_data,
                                    weights_feature_data,
                                    state_data,
                                    weights_time_data,
                                    bias_data,
                                    (int32_t *)input_ctx->buf,
                                    (int32_t *)output_ctx->buf,
                                    output_data,
                                    sz.batches,
                                    sz.input_size,
                                    sz.filters,
                                    sz.memory);
        return ARM_CMSIS_NN_SUCCESS;
    }
#endif
    pycmsisnn_svdf_feature_int16_t(svdf_params, input_quant_params, input_data, weights_feature_data, state_data,
                                   sz.batches, sz.input_size, sz.filters, sz.memory);
    pycmsisnn_svdf_time_int16_t(svdf_params, output_quant_params, state_data, weights_time_data, bias_data,
                                (int32_t *)input_ctx->buf, (int32_t *)output_ctx->buf, output_data, sz.batches,
                                sz.filters, sz.memory);
    return ARM_CMSIS_NN_SUCCESS;
}
