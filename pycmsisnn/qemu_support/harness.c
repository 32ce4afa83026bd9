/*
 * pycmsisnn target harness: main() for a generated model NAME.
 *
 * Build with -DPYCMSISNN_MODEL=NAME -DPYCMSISNN_MODEL_HEADER='"NAME.h"', and
 * NAME.c with -D'PYCMSISNN_LAYER_DONE(i)=pycmsisnn_layer_done(i)'.
 *
 * main() reads input<k>.bin (exactly NAME_INPUTk_SIZE bytes) for every input
 * through semihosting, calls NAME_invoke between the markers
 * pycmsisnn_invoke_start and pycmsisnn_invoke_end, writes output<k>.bin when
 * it succeeded, writes stack.txt ("used N" and "size N" in bytes), and returns
 * an exit code of pycmsisnn_target.h. With -DPYCMSISNN_TENSOR_TABLE each
 * layer's output is written to layer<i>.bin as the layer finishes (from the
 * layer marker, so instruction counts then include that I/O), and
 * layers.txt lists "<layer> <tensor> <bytes>" for every layer.
 *
 * The marker functions are empty and never inlined: the instruction-counting
 * plugin records its running total each time one of them executes.
 */
#include <stdint.h>
#include <string.h>

#include "pycmsisnn_target.h"

#if !defined(PYCMSISNN_MODEL) || !defined(PYCMSISNN_MODEL_HEADER)
    #error "define PYCMSISNN_MODEL (the model's NAME) and PYCMSISNN_MODEL_HEADER (\"NAME.h\")"
#endif
#include PYCMSISNN_MODEL_HEADER

/* NAME_invoke, NAME_layer_outputs; the constants use PYCMSISNN_MODEL_MACROS
 * as their prefix when the header spells it differently (e.g. upper case). */
#ifndef PYCMSISNN_MODEL_MACROS
    #define PYCMSISNN_MODEL_MACROS PYCMSISNN_MODEL
#endif
#define HARNESS_CAT_(a, b) a##b
#define HARNESS_CAT(a, b) HARNESS_CAT_(a, b)
#define MODEL(suffix) HARNESS_CAT(PYCMSISNN_MODEL, suffix)
#define MODEL_CONST(suffix) HARNESS_CAT(PYCMSISNN_MODEL_MACROS, suffix)

#define N_INPUTS MODEL_CONST(_INPUT_COUNT)
#define N_OUTPUTS MODEL_CONST(_OUTPUT_COUNT)
#define MAX_IO 8
#if N_INPUTS < 1 || N_INPUTS > MAX_IO || N_OUTPUTS < 1 || N_OUTPUTS > MAX_IO
    #error "the harness takes 1 to 8 inputs and 1 to 8 outputs"
#endif

/* NAME_INPUTk_SIZE / NAME_OUTPUTk_SIZE where k exists, else 0. */
#if N_INPUTS > 0
    #define IN_0 MODEL_CONST(_INPUT0_SIZE)
#else
    #define IN_0 0
#endif
#if N_INPUTS > 1
    #define IN_1 MODEL_CONST(_INPUT1_SIZE)
#else
    #define IN_1 0
#endif
#if N_INPUTS > 2
    #define IN_2 MODEL_CONST(_INPUT2_SIZE)
#else
    #define IN_2 0
#endif
#if N_INPUTS > 3
    #define IN_3 MODEL_CONST(_INPUT3_SIZE)
#else
    #define IN_3 0
#endif
#if N_INPUTS > 4
    #define IN_4 MODEL_CONST(_INPUT4_SIZE)
#else
    #define IN_4 0
#endif
#if N_INPUTS > 5
    #define IN_5 MODEL_CONST(_INPUT5_SIZE)
#else
    #define IN_5 0
#endif
#if N_INPUTS > 6
    #define IN_6 MODEL_CONST(_INPUT6_SIZE)
#else
    #define IN_6 0
#endif
#if N_INPUTS > 7
    #define IN_7 MODEL_CONST(_INPUT7_SIZE)
#else
    #define IN_7 0
#endif
#if N_OUTPUTS > 0
    #define OUT_0 MODEL_CONST(_OUTPUT0_SIZE)
#else
    #define OUT_0 0
#endif
#if N_OUTPUTS > 1
    #define OUT_1 MODEL_CONST(_OUTPUT1_SIZE)
#else
    #define OUT_1 0
#endif
#if N_OUTPUTS > 2
    #define OUT_2 MODEL_CONST(_OUTPUT2_SIZE)
#else
    #define OUT_2 0
#endif
#if N_OUTPUTS > 3
    #define OUT_3 MODEL_CONST(_OUTPUT3_SIZE)
#else
    #define OUT_3 0
#endif
#if N_OUTPUTS > 4
    #define OUT_4 MODEL_CONST(_OUTPUT4_SIZE)
#else
    #define OUT_4 0
#endif
#if N_OUTPUTS > 5
    #define OUT_5 MODEL_CONST(_OUTPUT5_SIZE)
#else
    #define OUT_5 0
#endif
#if N_OUTPUTS > 6
    #define OUT_6 MODEL_CONST(_OUTPUT6_SIZE)
#else
    #define OUT_6 0
#endif
#if N_OUTPUTS > 7
    #define OUT_7 MODEL_CONST(_OUTPUT7_SIZE)
#else
    #define OUT_7 0
#endif

/* Each buffer starts on a 16-byte boundary. */
#define ROUND16(n) ((((uint32_t)(n)) + 15u) & ~15u)
#define IN_TOTAL (ROUND16(IN_0) + ROUND16(IN_1) + ROUND16(IN_2) + ROUND16(IN_3) + ROUND16(IN_4) + ROUND16(IN_5) + ROUND16(IN_6) + ROUND16(IN_7))
#define OUT_TOTAL (ROUND16(OUT_0) + ROUND16(OUT_1) + ROUND16(OUT_2) + ROUND16(OUT_3) + ROUND16(OUT_4) + ROUND16(OUT_5) + ROUND16(OUT_6) + ROUND16(OUT_7))

static const uint32_t input_sizes[MAX_IO] = {IN_0, IN_1, IN_2, IN_3, IN_4, IN_5, IN_6, IN_7};
static const uint32_t output_sizes[MAX_IO] = {OUT_0, OUT_1, OUT_2, OUT_3, OUT_4, OUT_5, OUT_6, OUT_7};
static uint8_t input_area[IN_TOTAL] __attribute__((aligned(16)));
static uint8_t output_area[OUT_TOTAL] __attribute__((aligned(16)));

/* Semihosting moves at most this much per call. */
#define CHUNK 65536u

/* "<stem><index>.bin" */
static void file_name(char *out, const char *stem, int32_t index)
{
    const size_t len = strlen(stem);
    memcpy(out, stem, len);
    const uint32_t digits = pycmsisnn_format_dec(out + len, index);
    strcpy(out + len + digits, ".bin");
}

static int read_file(const char *name, uint8_t *data, uint32_t size)
{
    const int32_t handle = pycmsisnn_sh_open(name, PYCMSISNN_SH_MODE_RB);
    if (handle < 0)
    {
        pycmsisnn_sh_write0("PYCMSISNN-IO cannot open ");
        pycmsisnn_sh_write0(name);
        pycmsisnn_sh_write0("\n");
        return -1;
    }
    int ok = pycmsisnn_sh_flen(handle) == (int32_t)size;
    for (uint32_t done = 0u; ok && done < size; done += CHUNK)
    {
        const uint32_t n = size - done < CHUNK ? size - done : CHUNK;
        ok = pycmsisnn_sh_read(handle, data + done, n) == 0;
    }
    (void)pycmsisnn_sh_close(handle);
    if (!ok)
    {
        pycmsisnn_sh_write0("PYCMSISNN-IO wrong size or short read: ");
        pycmsisnn_sh_write0(name);
        pycmsisnn_print_dec(" expected bytes ", (int32_t)size);
        return -1;
    }
    return 0;
}

static int write_file(const char *name, const void *data, uint32_t size)
{
    const int32_t handle = pycmsisnn_sh_open(name, PYCMSISNN_SH_MODE_WB);
    int ok = handle >= 0;
    for (uint32_t done = 0u; ok && done < size; done += CHUNK)
    {
        const uint32_t n = size - done < CHUNK ? size - done : CHUNK;
        ok = pycmsisnn_sh_write(handle, (const uint8_t *)data + done, n) == 0;
    }
    if (handle >= 0)
    {
        ok = pycmsisnn_sh_close(handle) == 0 && ok;
    }
    if (!ok)
    {
        pycmsisnn_sh_write0("PYCMSISNN-IO cannot write ");
        pycmsisnn_sh_write0(name);
        pycmsisnn_sh_write0("\n");
    }
    return ok ? 0 : -1;
}

__attribute__((noipa, noinline)) void pycmsisnn_invoke_start(void) {}

__attribute__((noipa, noinline)) void pycmsisnn_invoke_end(void) {}

__attribute__((noipa, noinline)) void pycmsisnn_layer_done(int32_t layer)
{
#ifdef PYCMSISNN_TENSOR_TABLE
    if (layer >= 0 && layer < MODEL_CONST(_LAYER_COUNT))
    {
        char name[24];
        const pycmsisnn_tensor_ref *ref = &MODEL(_layer_outputs)[layer];
        file_name(name, "layer", layer);
        (void)write_file(name, ref->data, ref->size);
    }
#else
    (void)layer;
#endif
}

#ifdef PYCMSISNN_TENSOR_TABLE
static int write_layer_table(void)
{
    static char text[MODEL_CONST(_LAYER_COUNT) * 36 + 1];
    uint32_t len = 0u;
    for (int32_t i = 0; i < MODEL_CONST(_LAYER_COUNT); i++)
    {
        const pycmsisnn_tensor_ref *ref = &MODEL(_layer_outputs)[i];
        len += pycmsisnn_format_dec(text + len, i);
        text[len++] = ' ';
        len += pycmsisnn_format_dec(text + len, ref->tensor);
        text[len++] = ' ';
        len += pycmsisnn_format_dec(text + len, (int32_t)ref->size);
        text[len++] = '\n';
    }
    return write_file("layers.txt", text, len);
}
#endif

static int write_stack_report(uint32_t used, uint32_t size)
{
    char text[48];
    uint32_t len = 0u;
    memcpy(text, "used ", 5u);
    len = 5u + pycmsisnn_format_dec(text + 5u, (int32_t)used);
    memcpy(text + len, "\nsize ", 6u);
    len += 6u;
    len += pycmsisnn_format_dec(text + len, (int32_t)size);
    text[len++] = '\n';
    return write_file("stack.txt", text, len);
}

static int exit_code(int32_t status)
{
    if (status == 0)
    {
        return PYCMSISNN_EXIT_OK;
    }
    if (status >= -3 && status <= -1)
    {
        return PYCMSISNN_EXIT_KERNEL_BASE - status;
    }
    return PYCMSISNN_EXIT_KERNEL_OTHER;
}

/* A stateful model (NAME_STATE_SIZE > 0): the state is read from state.bin
 * when that file exists (else the model starts from its initial state) and
 * written to state_out.bin after the invoke, so the host can carry it from
 * one run (one step of a sequence) to the next. */
#if MODEL_CONST(_STATE_SIZE) > 0
static int load_state(void)
{
    const int32_t handle = pycmsisnn_sh_open("state.bin", PYCMSISNN_SH_MODE_RB);
    if (handle < 0)
    {
        return 0;
    }
    (void)pycmsisnn_sh_close(handle);
    return read_file("state.bin", (uint8_t *)MODEL(_state), MODEL_CONST(_STATE_SIZE));
}
#endif

int main(void)
{
    const void *inputs[MAX_IO];
    void *outputs[MAX_IO];
    char name[24];
    uint32_t offset = 0u;
    for (int32_t k = 0; k < N_INPUTS; k++)
    {
        inputs[k] = input_area + offset;
        file_name(name, "input", k);
        if (read_file(name, input_area + offset, input_sizes[k]) != 0)
        {
            return PYCMSISNN_EXIT_IO;
        }
        offset += ROUND16(input_sizes[k]);
    }
#if MODEL_CONST(_STATE_SIZE) > 0
    if (load_state() != 0)
    {
        return PYCMSISNN_EXIT_IO;
    }
#endif
    offset = 0u;
    for (int32_t k = 0; k < N_OUTPUTS; k++)
    {
        outputs[k] = output_area + offset;
        offset += ROUND16(output_sizes[k]);
    }

    pycmsisnn_invoke_start();
    const arm_cmsis_nn_status status = MODEL(_invoke)(inputs, outputs);
    pycmsisnn_invoke_end();

    pycmsisnn_print_dec("PYCMSISNN-STATUS ", (int32_t)status);
    int failed_io = 0;
    for (int32_t k = 0; status == ARM_CMSIS_NN_SUCCESS && k < N_OUTPUTS; k++)
    {
        file_name(name, "output", k);
        failed_io |= write_file(name, outputs[k], output_sizes[k]);
    }
#if MODEL_CONST(_STATE_SIZE) > 0
    if (status == ARM_CMSIS_NN_SUCCESS)
    {
        failed_io |= write_file("state_out.bin", MODEL(_state), MODEL_CONST(_STATE_SIZE));
    }
#endif
    const uint32_t used = pycmsisnn_stack_used();
    const uint32_t size = pycmsisnn_stack_size();
    pycmsisnn_print_dec("PYCMSISNN-STACK used=", (int32_t)used);
    failed_io |= write_stack_report(used, size);
#ifdef PYCMSISNN_TENSOR_TABLE
    failed_io |= write_layer_table();
#endif
    if (used > size - PYCMSISNN_STACK_GUARD)
    {
        pycmsisnn_print_dec("PYCMSISNN-STACK-OVERFLOW guard zone reached, stack bytes ", (int32_t)size);
        return PYCMSISNN_EXIT_STACK_OVERFLOW;
    }
    if (failed_io)
    {
        return PYCMSISNN_EXIT_IO;
    }
    return exit_code((int32_t)status);
}
