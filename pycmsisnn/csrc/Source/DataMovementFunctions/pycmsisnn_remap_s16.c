/*
 * pycmsisnn: pycmsisnn_remap_s16.
 *
 * Copies an int16 NHWC tensor through one index map per axis: output element
 * (n, h, w, c) is input element (map_n[n], map_h[h], map_w[w], map_c[c]), or
 * pad_value where any of the four indices is negative. With tables computed
 * at conversion time this is RESIZE_NEAREST_NEIGHBOR (the H and W maps hold
 * the nearest source rows and columns), MIRROR_PAD (reflected indices) and
 * BROADCAST_TO (index 0 along a broadcast axis).
 *
 * The body is shared with its twin (pcn_remap, Internal/pycmsisnn_data_movement.h).
 */
#include "pycmsisnn_data_ops.h"
#include "Internal/pycmsisnn_data_movement.h"

arm_cmsis_nn_status pycmsisnn_remap_s16(const cmsis_nn_dims *input_dims,
                                        const int16_t *input,
                                        const cmsis_nn_dims *output_dims,
                                        const int32_t *maps,
                                        int16_t pad_value,
                                        int16_t *output)
{
    return pcn_remap(input_dims, input, output_dims, maps, pad_value, output, 2);
}
