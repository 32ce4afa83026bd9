/*
 * Test fixture: runs one generated model once on the host.
 *
 * Built with -DMODEL_HEADER='"NAME.h"' -DMODEL_INVOKE=NAME_invoke and, to dump
 * every layer's output, -DPYCMSISNN_TENSOR_TABLE -DLAYER_TABLE=NAME_layer_outputs
 * -DPYCMSISNN_LAYER_DONE(i)=pycmsisnn_layer_done(i).
 *
 * usage: run N_IN IN_FILE... N_OUT OUT_FILE:BYTES... [LAYER_DIR]
 * Each input file is read whole; each output is written with BYTES bytes;
 * with LAYER_DIR, layer i's output goes to LAYER_DIR/layer_i.bin.
 * Exit status: 0 done, 2 bad usage or I/O, 3 the model returned an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include MODEL_HEADER

#define MAX_PORTS 64

static const char *layer_dir = NULL;

static void *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
    {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    /* 16-byte aligned, at least one byte. */
    void *data = aligned_alloc(16, ((size_t)size + 16) / 16 * 16);
    if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size)
    {
        free(data);
        data = NULL;
    }
    fclose(f);
    return data;
}

static int write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
    {
        return 0;
    }
    const int ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

#ifdef LAYER_TABLE
void pycmsisnn_layer_done(int32_t layer)
{
    if (layer_dir == NULL)
    {
        return;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/layer_%d.bin", layer_dir, (int)layer);
    if (!write_file(path, LAYER_TABLE[layer].data, LAYER_TABLE[layer].size))
    {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}
#endif

int main(int argc, char **argv)
{
    const void *inputs[MAX_PORTS];
    void *outputs[MAX_PORTS];
    const char *out_paths[MAX_PORTS];
    size_t out_sizes[MAX_PORTS];
    int arg = 1;

    int n_in = arg < argc ? atoi(argv[arg++]) : -1;
    if (n_in < 0 || n_in > MAX_PORTS || arg + n_in >= argc)
    {
        fprintf(stderr, "usage: %s N_IN IN_FILE... N_OUT OUT_FILE:BYTES... [LAYER_DIR]\n", argv[0]);
        return 2;
    }
    for (int i = 0; i < n_in; i++)
    {
        inputs[i] = read_file(argv[arg]);
        if (inputs[i] == NULL)
        {
            fprintf(stderr, "cannot read %s\n", argv[arg]);
            return 2;
        }
        arg++;
    }
    int n_out = atoi(argv[arg++]);
    if (n_out < 0 || n_out > MAX_PORTS || arg + n_out > argc)
    {
        fprintf(stderr, "bad output count\n");
        return 2;
    }
    for (int i = 0; i < n_out; i++)
    {
        char *colon = strrchr(argv[arg], ':');
        if (colon == NULL)
        {
            fprintf(stderr, "output %s needs :BYTES\n", argv[arg]);
            return 2;
        }
        *colon = '\0';
        out_paths[i] = argv[arg];
        out_sizes[i] = (size_t)strtoul(colon + 1, NULL, 10);
        outputs[i] = calloc(out_sizes[i] + 1, 1);
        arg++;
    }
    if (arg < argc)
    {
        layer_dir = argv[arg];
    }

    const arm_cmsis_nn_status status = MODEL_INVOKE(inputs, outputs);
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        fprintf(stderr, "invoke returned %d\n", (int)status);
        return 3;
    }
    for (int i = 0; i < n_out; i++)
    {
        if (!write_file(out_paths[i], outputs[i], out_sizes[i]))
        {
            fprintf(stderr, "cannot write %s\n", out_paths[i]);
            return 2;
        }
    }
    return 0;
}
