/*
 * pycmsisnn target harness: what start-up code, semihosting and the harness
 * share, and the exit codes a run ends with (qemu's exit status is the code).
 * pycmsisnn/targets/qemu.py reads the same numbers.
 */
#ifndef PYCMSISNN_TARGET_H
#define PYCMSISNN_TARGET_H

#include <stdint.h>

/* Exit codes. 1 is left to qemu itself (its own errors, plain SYS_EXIT). */
#define PYCMSISNN_EXIT_OK 0
#define PYCMSISNN_EXIT_IO 2              /* an input file missing or of the wrong size, a write failed */
#define PYCMSISNN_EXIT_FAULT 3           /* HardFault/MemManage/BusFault/UsageFault/SecureFault */
#define PYCMSISNN_EXIT_STACK_OVERFLOW 4  /* MSPLIM fault, stacking below the stack, or guard zone touched */
#define PYCMSISNN_EXIT_UNEXPECTED 5      /* an exception nobody asked for (NMI, SVC, an interrupt) */
#define PYCMSISNN_EXIT_KERNEL_BASE 10    /* + -status: 11 ARG_ERROR, 12 NO_IMPL_ERROR, 13 FAILURE */
#define PYCMSISNN_EXIT_KERNEL_OTHER 19   /* a status outside -1..-3 */

/* Bytes at the bottom of the stack that a run must never reach. */
#define PYCMSISNN_STACK_GUARD 256u

/* ------------------------------------------------------------ semihosting */
#define PYCMSISNN_SH_MODE_RB 1 /* SYS_OPEN mode "rb" */
#define PYCMSISNN_SH_MODE_WB 5 /* SYS_OPEN mode "wb" */

int32_t pycmsisnn_sh_open(const char *path, int32_t mode);
int32_t pycmsisnn_sh_close(int32_t handle);
/* Both return the number of bytes NOT transferred (0 = all), -1 on error. */
int32_t pycmsisnn_sh_read(int32_t handle, void *buf, uint32_t len);
int32_t pycmsisnn_sh_write(int32_t handle, const void *buf, uint32_t len);
int32_t pycmsisnn_sh_flen(int32_t handle);
void pycmsisnn_sh_write0(const char *text);
__attribute__((noreturn)) void pycmsisnn_sh_exit(int32_t code);

/* Console lines: "<text><value>\n" with the value in decimal or hex. */
void pycmsisnn_print_dec(const char *text, int32_t value);
void pycmsisnn_print_hex(const char *text, uint32_t value);
/* Writes the decimal digits of value (with '-') at out, NUL-terminated; returns the length. */
uint32_t pycmsisnn_format_dec(char *out, int32_t value);

/* ------------------------------------------------------------------ markers */
/* Empty, never inlined: the counting plugin records its running total when
 * one executes. The model's NAME.c is compiled with this header forced in
 * (-include) and -D'PYCMSISNN_LAYER_DONE(i)=pycmsisnn_layer_done(i)'. */
void pycmsisnn_invoke_start(void);
void pycmsisnn_invoke_end(void);
void pycmsisnn_layer_done(int32_t layer);

/* ---------------------------------------------------------------- start-up */
/* Bytes of stack used so far (high-water mark of the painted stack). */
uint32_t pycmsisnn_stack_used(void);
uint32_t pycmsisnn_stack_size(void);

#endif /* PYCMSISNN_TARGET_H */
