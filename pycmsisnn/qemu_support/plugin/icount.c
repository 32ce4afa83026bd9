/*
 * pycmsisnn instruction-counting plugin for qemu-system-arm (TCG plugin API
 * version 1, as in QEMU 7.2).
 *
 * Counts every executed guest instruction exactly: when a translation block
 * is translated, an inline "add the block's instruction count" is attached
 * to it, so the count is bumped each time the block runs, with no call out of
 * the generated code. Marker addresses (functions that do nothing but mark a
 * point of the program) get an execution callback that records the running
 * total each time the marker's first instruction executes; that total
 * includes the marker's whole block.
 *
 * Arguments (-plugin libicount.so,out=PATH,mark=NAME:0xADDR,...):
 *   out=PATH           file written at exit (required)
 *   mark=NAME:0xADDR   a marker; repeatable; bit 0 of ADDR (Thumb) is ignored
 * The file holds "total N" and then one "NAME N" line per marker execution,
 * in execution order.
 *
 * Debian ships no qemu-plugin.h, so the few API declarations used are
 * written here; qemu-system-arm exports the functions and checks
 * qemu_plugin_version when it loads the plugin.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------ the QEMU plugin API used */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_info_t;

enum qemu_plugin_cb_flags
{
    QEMU_PLUGIN_CB_NO_REGS,
    QEMU_PLUGIN_CB_R_REGS,
    QEMU_PLUGIN_CB_RW_REGS,
};

enum qemu_plugin_op
{
    QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv);

/* ------------------------------------------------------------------ state */
#define MAX_MARKERS 16
#define MAX_NAME 32

struct marker
{
    char name[MAX_NAME];
    uint64_t address;
};

struct hit
{
    uint32_t marker;
    uint64_t total;
};

/* One vCPU (the boards are single-core), so one counter. */
static uint64_t executed;
static struct marker markers[MAX_MARKERS];
static size_t n_markers;
static struct hit *hits;
static size_t n_hits, hits_capacity;
static char *out_path;
static int out_of_memory;

static void on_marker(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    if (n_hits == hits_capacity)
    {
        const size_t capacity = hits_capacity ? 2 * hits_capacity : 1024;
        struct hit *grown = realloc(hits, capacity * sizeof(*grown));
        if (grown == NULL)
        {
            out_of_memory = 1;
            return;
        }
        hits = grown;
        hits_capacity = capacity;
    }
    hits[n_hits].marker = (uint32_t)(uintptr_t)userdata;
    hits[n_hits].total = executed;
    n_hits++;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    const size_t n = qemu_plugin_tb_n_insns(tb);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
    for (size_t i = 0; i < n; i++)
    {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        const uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
        for (size_t m = 0; m < n_markers; m++)
        {
            if (markers[m].address == vaddr)
            {
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)m);
            }
        }
    }
}

static void on_exit_write(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    FILE *out = fopen(out_path, "w");
    if (out == NULL)
    {
        fprintf(stderr, "pycmsisnn icount plugin: cannot write %s\n", out_path);
        return;
    }
    fprintf(out, "total %" PRIu64 "\n", executed);
    for (size_t i = 0; i < n_hits; i++)
    {
        fprintf(out, "%s %" PRIu64 "\n", markers[hits[i].marker].name, hits[i].total);
    }
    if (out_of_memory)
    {
        fprintf(out, "error out of memory: marker hits lost\n");
    }
    fclose(out);
}

/* "NAME:0xADDR" -> a marker; 0 on success. */
static int parse_marker(const char *text)
{
    const char *colon = strchr(text, ':');
    if (colon == NULL || colon == text || (size_t)(colon - text) >= MAX_NAME || n_markers == MAX_MARKERS)
    {
        return -1;
    }
    char *end = NULL;
    const unsigned long long address = strtoull(colon + 1, &end, 0);
    if (end == colon + 1 || *end != '\0')
    {
        return -1;
    }
    struct marker *m = &markers[n_markers++];
    memcpy(m->name, text, (size_t)(colon - text));
    m->name[colon - text] = '\0';
    m->address = (uint64_t)address & ~(uint64_t)1u;
    return 0;
}

int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++)
    {
        if (strncmp(argv[i], "out=", 4) == 0 && argv[i][4] != '\0')
        {
            out_path = argv[i] + 4;
        }
        else if (strncmp(argv[i], "mark=", 5) == 0 && parse_marker(argv[i] + 5) == 0)
        {
            continue;
        }
        else
        {
            fprintf(stderr, "pycmsisnn icount plugin: bad argument '%s' (want out=PATH or mark=NAME:0xADDR)\n", argv[i]);
            return -1;
        }
    }
    if (out_path == NULL)
    {
        fprintf(stderr, "pycmsisnn icount plugin: out=PATH is required\n");
        return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_exit_write, NULL);
    return 0;
}
