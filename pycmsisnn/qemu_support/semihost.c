/*
 * pycmsisnn target harness: Arm semihosting over BKPT 0xAB (Thumb), the
 * operations the harness needs, and decimal/hex console lines.
 *
 * Operation numbers and argument blocks are those of the Arm semihosting
 * specification: r0 holds the operation, r1 a pointer to its arguments.
 */
#include <string.h>

#include "pycmsisnn_target.h"

enum
{
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_FLEN = 0x0C,
    SYS_EXIT_EXTENDED = 0x20,
};

/* ADP_Stopped_ApplicationExit: the reason code of a normal program exit. */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static int32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

int32_t pycmsisnn_sh_open(const char *path, int32_t mode)
{
    const uint32_t args[3] = {(uint32_t)(uintptr_t)path, (uint32_t)mode, (uint32_t)strlen(path)};
    return semihost(SYS_OPEN, args);
}

int32_t pycmsisnn_sh_close(int32_t handle)
{
    const uint32_t args[1] = {(uint32_t)handle};
    return semihost(SYS_CLOSE, args);
}

int32_t pycmsisnn_sh_read(int32_t handle, void *buf, uint32_t len)
{
    const uint32_t args[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)buf, len};
    return semihost(SYS_READ, args);
}

int32_t pycmsisnn_sh_write(int32_t handle, const void *buf, uint32_t len)
{
    const uint32_t args[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)buf, len};
    return semihost(SYS_WRITE, args);
}

int32_t pycmsisnn_sh_flen(int32_t handle)
{
    const uint32_t args[1] = {(uint32_t)handle};
    return semihost(SYS_FLEN, args);
}

void pycmsisnn_sh_write0(const char *text)
{
    (void)semihost(SYS_WRITE0, text);
}

void pycmsisnn_sh_exit(int32_t code)
{
    const uint32_t args[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    for (;;)
    {
        (void)semihost(SYS_EXIT_EXTENDED, args);
    }
}

uint32_t pycmsisnn_format_dec(char *out, int32_t value)
{
    char digits[11];
    uint32_t magnitude = value < 0 ? 0u - (uint32_t)value : (uint32_t)value;
    uint32_t n = 0, len = 0;
    do
    {
        digits[n++] = (char)('0' + magnitude % 10u);
        magnitude /= 10u;
    } while (magnitude != 0u);
    if (value < 0)
    {
        out[len++] = '-';
    }
    while (n > 0u)
    {
        out[len++] = digits[--n];
    }
    out[len] = '\0';
    return len;
}

/* "<text><value>\n" into a bounded line buffer, then one SYS_WRITE0. */
static void print_line(const char *text, const char *value)
{
    char line[128];
    size_t len = strlen(text);
    if (len > sizeof(line) - 14u)
    {
        len = sizeof(line) - 14u;
    }
    memcpy(line, text, len);
    strcpy(line + len, value);
    len += strlen(value);
    line[len] = '\n';
    line[len + 1u] = '\0';
    pycmsisnn_sh_write0(line);
}

void pycmsisnn_print_dec(const char *text, int32_t value)
{
    char digits[12];
    (void)pycmsisnn_format_dec(digits, value);
    print_line(text, digits);
}

void pycmsisnn_print_hex(const char *text, uint32_t value)
{
    static const char hex[] = "0123456789abcdef";
    char digits[11];
    digits[0] = '0';
    digits[1] = 'x';
    for (int i = 0; i < 8; i++)
    {
        digits[2 + i] = hex[(value >> (28 - 4 * i)) & 0xFu];
    }
    digits[10] = '\0';
    print_line(text, digits);
}
