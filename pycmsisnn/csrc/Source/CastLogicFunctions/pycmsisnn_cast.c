/*
 * pycmsisnn: pycmsisnn_cast.
 *
 * CAST between int8, int16, int32, float32 and bool, converting raw values
 * (no quantisation): integers wrap to a narrower type, floats are truncated
 * towards zero and saturated (NaN to 0), bool is "non-zero".
 */
#include "pycmsisnn_cast_logic.h"
#include "arm_nn_types.h"

#include <stddef.h>

/* One element read as an integer (integer and bool inputs) or a float. */
typedef struct
{
    int32_t i;
    float f;
    int is_float;
} pycmsisnn_cast_value;

static pycmsisnn_cast_value load(const pycmsisnn_element_type type, const void *data, const int32_t k)
{
    pycmsisnn_cast_value v = {0, 0.0f, 0};
    switch (type)
    {
    case PYCMSISNN_TYPE_INT8:
        v.i = ((const int8_t *)data)[k];
        break;
    case PYCMSISNN_TYPE_INT16:
        v.i = ((const int16_t *)data)[k];
        break;
    case PYCMSISNN_TYPE_INT32:
        v.i = ((const int32_t *)data)[k];
        break;
    case PYCMSISNN_TYPE_BOOL:
        v.i = ((const bool *)data)[k] ? 1 : 0;
        break;
    default:
        v.f = ((const float *)data)[k];
        v.is_float = 1;
        break;
    }
    return v;
}

/* The low `bits` bits of v as a signed value (two's complement, no
 * implementation-defined conversion). */
static int32_t wrap(const int32_t v, const int bits)
{
    const uint32_t mask = (1u << bits) - 1u;
    const uint32_t low = (uint32_t)v & mask;
    const uint32_t sign = 1u << (bits - 1);
    return (low & sign) ? -(int32_t)(mask - low) - 1 : (int32_t)low;
}

/* f truncated towards zero and saturated to [lo, hi]; NaN is 0. lo is
 * -2^(b-1), exactly a float; limit is 2^(b-1) = hi + 1 as a float. */
static int32_t saturate(const float f, const int32_t lo, const int32_t hi, const float limit)
{
    if (f != f)
    {
        return 0;
    }
    if (f >= limit)
    {
        return hi;
    }
    if (f <= (float)lo)
    {
        return lo;
    }
    return (int32_t)f;
}

static void store(const pycmsisnn_element_type type, void *data, const int32_t k, const pycmsisnn_cast_value v)
{
    switch (type)
    {
    case PYCMSISNN_TYPE_INT8:
        ((int8_t *)data)[k] = (int8_t)(v.is_float ? saturate(v.f, INT8_MIN, INT8_MAX, 128.0f) : wrap(v.i, 8));
        break;
    case PYCMSISNN_TYPE_INT16:
        ((int16_t *)data)[k] = (int16_t)(v.is_float ? saturate(v.f, INT16_MIN, INT16_MAX, 32768.0f) : wrap(v.i, 16));
        break;
    case PYCMSISNN_TYPE_INT32:
        ((int32_t *)data)[k] = v.is_float ? saturate(v.f, INT32_MIN, INT32_MAX, 2147483648.0f) : v.i;
        break;
    case PYCMSISNN_TYPE_BOOL:
        ((bool *)data)[k] = v.is_float ? v.f != 0.0f : v.i != 0;
        break;
    default:
        ((float *)data)[k] = v.is_float ? v.f : (float)v.i;
        break;
    }
}

static int valid_type(const pycmsisnn_element_type type)
{
    return type == PYCMSISNN_TYPE_INT8 || type == PYCMSISNN_TYPE_INT16 || type == PYCMSISNN_TYPE_INT32 ||
        type == PYCMSISNN_TYPE_FLOAT32 || type == PYCMSISNN_TYPE_BOOL;
}

arm_cmsis_nn_status pycmsisnn_cast(const pycmsisnn_element_type input_type,
                                   const void *input,
                                   const pycmsisnn_element_type output_type,
                                   void *output,
                                   const int32_t size)
{
    if (input == NULL || output == NULL || size <= 0 || !valid_type(input_type) || !valid_type(output_type))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t k = 0; k < size; k++)
    {
        store(output_type, output, k, load(input_type, input, k));
    }
    return ARM_CMSIS_NN_SUCCESS;
}
