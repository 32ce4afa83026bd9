/*
 * pycmsisnn: the int16 sigmoid and tanh of TensorFlow Lite Micro's int16
 * LOGISTIC and TANH (reference_integer_ops::Logistic / Tanh), shared by
 * arm_nn_activation_s16 (power-of-two input scales) and
 * pycmsisnn_logistic_s16 / pycmsisnn_tanh_s16 (any input scale).
 *
 * Both take the input already rescaled to the table's scale, 1/(3 * 4096)
 * per step (+-2^17 is +-10.7), as an int32, and return the int16 output on
 * scale 2^-15. The 256-entry table holds sigmoid(i / 24) in unsigned Q0.16
 * (close to round(65536 / (1 + exp(-i / 24))), off by one in 43 entries:
 * tools/gen_sigmoid_table_s16.py recovers it from TensorFlow Lite Micro's
 * TANH outputs, which determine every entry). The sigmoid indexes it by
 * |x| >> 9, tanh at twice the rate (|x| >> 8, as tanh(x) = 2 sigmoid(2x) - 1),
 * interpolating linearly on the low bits; negative inputs use the symmetry
 * of both functions.
 */
#ifndef PYCMSISNN_SIGMOID_S16_H
#define PYCMSISNN_SIGMOID_S16_H

#include <stdint.h>

static const uint16_t pcn_sigmoid_table_s16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535,
};

static inline int16_t pcn_sigmoid_s16(const int32_t x)
{
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t idx = a >> 9;
    uint32_t r;

    if (idx >= 255)
    {
        r = (uint32_t)0x7FFF << 10;
    }
    else
    {
        const uint32_t lo = pcn_sigmoid_table_s16[idx];
        const uint32_t hi = pcn_sigmoid_table_s16[idx + 1];
        r = (lo << 9) + (a & 0x1FF) * (hi - lo);
    }
    r = (x >= 0) ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
    return (int16_t)(r >> 10);
}

static inline int16_t pcn_tanh_s16(const int32_t x)
{
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t idx = a >> 8;
    int32_t r;

    if (idx >= 255)
    {
        r = (int32_t)(0xFFFFu << 8);
    }
    else
    {
        const int32_t lo = pcn_sigmoid_table_s16[idx];
        const int32_t hi = pcn_sigmoid_table_s16[idx + 1];
        r = (lo << 8) + (int32_t)(a & 0xFF) * (hi - lo);
    }
    r = (x >= 0) ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    /* arithmetic shift: floor division by 2^8 */
    return (int16_t)(r >= 0 ? r >> 8 : -((-r + 255) >> 8));
}

#endif /* PYCMSISNN_SIGMOID_S16_H */
