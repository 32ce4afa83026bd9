/*
 * Test fixture: runs a generated stateful model (one input, one output) over a
 * sequence of steps in one process, the state carried by the model itself.
 *
 * Built with -DMODEL_HEADER='"NAME.h"' -DMODEL_INVOKE=NAME_invoke
 * -DMODEL_RESET=NAME_reset -DIN_SIZE=NAME_INPUT0_SIZE -DOUT_SIZE=NAME_OUTPUT0_SIZE.
 *
 * usage: run STEPS RESET_AT IN_FILE OUT_FILE
 * IN_FILE holds STEPS inputs one after another; OUT_FILE receives STEPS
 * outputs. NAME_reset() is called before step RESET_AT (none when negative).
 * Exit status: 0 done, 2 bad usage or I/O, 3 the model returned an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include MODEL_HEADER

static uint8_t input[IN_SIZE] __attribute__((aligned(16)));
static uint8_t output[OUT_SIZE] __attribute__((aligned(16)));

int main(int argc, char **argv)
{
    if (argc != 5)
    {
        return 2;
    }
    const long steps = strtol(argv[1], NULL, 10);
    const long reset_at = strtol(argv[2], NULL, 10);
    FILE *in = fopen(argv[3], "rb");
    FILE *out = fopen(argv[4], "wb");
    if (in == NULL || out == NULL)
    {
        return 2;
    }
    for (long s = 0; s < steps; s++)
    {
        if (fread(input, 1, IN_SIZE, in) != IN_SIZE)
        {
            return 2;
        }
        if (s == reset_at)
        {
            MODEL_RESET();
        }
        const void *inputs[1] = {input};
        void *outputs[1] = {output};
        if (MODEL_INVOKE(inputs, outputs) != ARM_CMSIS_NN_SUCCESS)
        {
            return 3;
        }
        if (fwrite(output, 1, OUT_SIZE, out) != OUT_SIZE)
        {
            return 2;
        }
    }
    fclose(in);
    return fclose(out) == 0 ? 0 : 2;
}
