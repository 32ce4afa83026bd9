/*
 * Test fixture: calls a generated model's NAME_invoke with NULL arguments.
 *
 * Built with -DMODEL_HEADER='"NAME.h"' -DMODEL_INVOKE=NAME_invoke
 * -DIN_SIZES='{bytes of input 0, ...}' -DOUT_SIZES='{bytes of output 0, ...}'.
 * Input k's byte i is (i * 37 + k * 11 + 5) mod 256. Prints one line per case,
 * "CASE STATUS UNTOUCHED": CASE is "valid", "inputs", "outputs", "inputK" or
 * "outputK" (that pointer NULL), STATUS what invoke returned, UNTOUCHED 1 when
 * every output buffer still holds its 0xA5 fill. After the valid case it also
 * prints "outK HEX" with output k's bytes. Exit status 0, or 2 on a setup error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include MODEL_HEADER

static const size_t in_sizes[] = IN_SIZES;
static const size_t out_sizes[] = OUT_SIZES;
#define N_IN (sizeof(in_sizes) / sizeof(in_sizes[0]))
#define N_OUT (sizeof(out_sizes) / sizeof(out_sizes[0]))
#define FILL 0xA5

static uint8_t *in_data[N_IN];
static uint8_t *out_data[N_OUT];

static void fill_outputs(void)
{
    for (size_t k = 0; k < N_OUT; k++)
    {
        memset(out_data[k], FILL, out_sizes[k]);
    }
}

static int untouched(void)
{
    for (size_t k = 0; k < N_OUT; k++)
    {
        for (size_t i = 0; i < out_sizes[k]; i++)
        {
            if (out_data[k][i] != FILL)
            {
                return 0;
            }
        }
    }
    return 1;
}

static void call(const char *label, const void *const *inputs, void *const *outputs)
{
    fill_outputs();
    const arm_cmsis_nn_status status = MODEL_INVOKE(inputs, outputs);
    printf("%s %d %d\n", label, (int)status, untouched());
}

int main(void)
{
    const void *inputs[N_IN];
    void *outputs[N_OUT];
    char label[32];

    for (size_t k = 0; k < N_IN; k++)
    {
        in_data[k] = malloc(in_sizes[k]);
        if (in_data[k] == NULL)
        {
            return 2;
        }
        for (size_t i = 0; i < in_sizes[k]; i++)
        {
            in_data[k][i] = (uint8_t)((i * 37u + k * 11u + 5u) & 0xFFu);
        }
        inputs[k] = in_data[k];
    }
    for (size_t k = 0; k < N_OUT; k++)
    {
        out_data[k] = malloc(out_sizes[k]);
        if (out_data[k] == NULL)
        {
            return 2;
        }
        outputs[k] = out_data[k];
    }

    call("inputs", NULL, outputs);
    call("outputs", inputs, NULL);
    for (size_t k = 0; k < N_IN; k++)
    {
        inputs[k] = NULL;
        snprintf(label, sizeof(label), "input%u", (unsigned)k);
        call(label, inputs, outputs);
        inputs[k] = in_data[k];
    }
    for (size_t k = 0; k < N_OUT; k++)
    {
        outputs[k] = NULL;
        snprintf(label, sizeof(label), "output%u", (unsigned)k);
        call(label, inputs, outputs);
        outputs[k] = out_data[k];
    }
    call("valid", inputs, outputs);
    for (size_t k = 0; k < N_OUT; k++)
    {
        printf("out%u ", (unsigned)k);
        for (size_t i = 0; i < out_sizes[k]; i++)
        {
            printf("%02x", out_data[k][i]);
        }
        printf("\n");
    }
    return 0;
}
