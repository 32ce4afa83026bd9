/*
 * pycmsisnn target harness: vector table, reset handler and fault handlers
 * for the emulated Cortex-M boards (v6-M, v7-M, v8-M mainline).
 *
 * Reset: enable the FPU/MVE coprocessors (CP10/CP11 in CPACR) where the core
 * has them, set MSPLIM to the bottom of the stack on v8-M, copy .data, zero
 * .bss, paint the unused stack, enable the configurable faults, call main and
 * exit through semihosting with main's return value.
 *
 * Stack overflow: on v8-M the MSPLIM limit faults (STKOF). On v7-M an MPU
 * region forbids the guard zone at the bottom of the stack (a MemManage
 * fault on the first touch); on v6-M (no MPU) the stack sits at the start of
 * SRAM, below which nothing answers, and the harness checks the painted guard
 * zone at exit.
 *
 * Faults: every fault vector enters pycmsisnn_fault_entry, which first clears
 * MSPLIM (v8-M: QEMU locks up otherwise), moves to a stack of its own (the
 * faulting stack may be the problem) and prints the stacked PC and LR, the
 * fault status registers and the SP, then exits with
 * PYCMSISNN_EXIT_STACK_OVERFLOW when the stack overflowed, else
 * PYCMSISNN_EXIT_FAULT.
 *
 * The linker script provides __pycmsisnn_stack_limit/_top, the .data load
 * and run addresses and the .bss bounds.
 */
#include <stdint.h>

#include "pycmsisnn_target.h"

#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
    #define HAS_MSPLIM 1
#else
    #define HAS_MSPLIM 0
#endif

#if defined(__ARM_ARCH_6M__)
    #define HAS_FAULT_STATUS 0 /* v6-M: HardFault only, no CFSR/HFSR/SHCSR enables */
#else
    #define HAS_FAULT_STATUS 1
#endif

#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
    #define HAS_V7M_MPU 1
#else
    #define HAS_V7M_MPU 0
#endif

/* System control block registers (the same addresses on v7-M and v8-M). */
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
/* v7-M MPU */
#define MPU_TYPE (*(volatile uint32_t *)0xE000ED90u)
#define MPU_CTRL (*(volatile uint32_t *)0xE000ED94u)
#define MPU_RNR (*(volatile uint32_t *)0xE000ED98u)
#define MPU_RBAR (*(volatile uint32_t *)0xE000ED9Cu)
#define MPU_RASR (*(volatile uint32_t *)0xE000EDA0u)
#define MPU_CTRL_ENABLE_PRIVDEFENA ((1u << 0) | (1u << 2))
/* RASR: enabled, SIZE = log2(256) - 1, no access (AP = 0), execute never */
#define MPU_RASR_GUARD ((1u << 0) | (7u << 1) | (1u << 28))

#define SHCSR_FAULT_ENABLES ((1u << 16) | (1u << 17) | (1u << 18)) /* MemManage, BusFault, UsageFault */
#define CFSR_MSTKERR (1u << 4)
#define CFSR_MMARVALID (1u << 7)
#define CFSR_STKERR (1u << 12)
#define CFSR_STKOF (1u << 20)

#define STACK_PAINT 0xC5A5C5A5u

extern uint32_t __pycmsisnn_data_load[], __pycmsisnn_data_start[], __pycmsisnn_data_end[];
extern uint32_t __pycmsisnn_bss_start[], __pycmsisnn_bss_end[];
extern uint32_t __pycmsisnn_stack_limit[], __pycmsisnn_stack_top[];

int main(void);
void pycmsisnn_reset(void);
void pycmsisnn_fault_entry(void);
void pycmsisnn_unexpected(void);
void pycmsisnn_fault_report(uint32_t exc_return, uint32_t sp, uint32_t ipsr);

/* The fault handler's own stack (8-byte aligned, as AAPCS wants). */
uint64_t pycmsisnn_fault_stack[64];

typedef void (*pycmsisnn_vector)(void);

/* The 16 system exceptions. The harness enables no interrupt, so no
 * interrupt vector is ever fetched. */
__attribute__((section(".vectors"), used)) const pycmsisnn_vector pycmsisnn_vectors[16] = {
    [0] = (pycmsisnn_vector)(uintptr_t)__pycmsisnn_stack_top,
    [1] = pycmsisnn_reset,
    [2] = pycmsisnn_unexpected,  /* NMI */
    [3] = pycmsisnn_fault_entry, /* HardFault */
    [4] = pycmsisnn_fault_entry, /* MemManage */
    [5] = pycmsisnn_fault_entry, /* BusFault */
    [6] = pycmsisnn_fault_entry, /* UsageFault */
    [7] = pycmsisnn_fault_entry, /* SecureFault (v8-M) */
    [11] = pycmsisnn_unexpected, /* SVCall */
    [12] = pycmsisnn_unexpected, /* DebugMonitor */
    [14] = pycmsisnn_unexpected, /* PendSV */
    [15] = pycmsisnn_unexpected, /* SysTick */
};

/* Set when the MPU forbids the guard zone: then it is never read. */
static int stack_guard_by_mpu;

static uint32_t current_sp(void)
{
    uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

void pycmsisnn_reset(void)
{
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
    SCB_CPACR |= 0xFu << 20; /* CP10 and CP11: full access */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
#if HAS_MSPLIM
    __asm__ volatile("msr msplim, %0" ::"r"(__pycmsisnn_stack_limit));
#endif
    const uint32_t *src = __pycmsisnn_data_load;
    for (uint32_t *dst = __pycmsisnn_data_start; dst < __pycmsisnn_data_end;)
    {
        *dst++ = *src++;
    }
    for (uint32_t *dst = __pycmsisnn_bss_start; dst < __pycmsisnn_bss_end;)
    {
        *dst++ = 0u;
    }
    /* Paint everything below this frame; volatile keeps it a plain loop
     * (a memset call would put its own frame in the painted area). */
    volatile uint32_t *paint = __pycmsisnn_stack_limit;
    const uint32_t sp = current_sp();
    while ((uint32_t)(uintptr_t)paint < sp)
    {
        *paint++ = STACK_PAINT;
    }
#if HAS_V7M_MPU
    if ((MPU_TYPE >> 8) & 0xFFu) /* DREGION: the core has an MPU */
    {
        stack_guard_by_mpu = 1;
        MPU_RNR = 0u;
        MPU_RBAR = (uint32_t)(uintptr_t)__pycmsisnn_stack_limit; /* 256-aligned by the linker script */
        MPU_RASR = MPU_RASR_GUARD;
        MPU_CTRL = MPU_CTRL_ENABLE_PRIVDEFENA;
    }
#endif
#if HAS_FAULT_STATUS
    SCB_SHCSR |= SHCSR_FAULT_ENABLES;
#endif
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    pycmsisnn_sh_exit(main());
}

uint32_t pycmsisnn_stack_size(void)
{
    return (uint32_t)((uintptr_t)__pycmsisnn_stack_top - (uintptr_t)__pycmsisnn_stack_limit);
}

uint32_t pycmsisnn_stack_used(void)
{
    const uint32_t *word = __pycmsisnn_stack_limit;
    if (stack_guard_by_mpu)
    {
        word += PYCMSISNN_STACK_GUARD / sizeof(uint32_t);
    }
    while (word < __pycmsisnn_stack_top && *word == STACK_PAINT)
    {
        word++;
    }
    return (uint32_t)((uintptr_t)__pycmsisnn_stack_top - (uintptr_t)word);
}

/* Every fault vector: no stack use before the switch to the fault stack. */
__attribute__((naked)) void pycmsisnn_fault_entry(void)
{
    __asm__ volatile(
#if HAS_MSPLIM
        "movs r0, #0\n\t"
        "msr msplim, r0\n\t"
#endif
        "mov r0, lr\n\t"
        "mrs r1, msp\n\t"
        "mrs r2, ipsr\n\t"
        "ldr r3, =pycmsisnn_fault_stack + 512\n\t"
        "mov sp, r3\n\t"
        "bl pycmsisnn_fault_report\n\t"
        "b .\n\t"
        ".ltorg");
}

void pycmsisnn_fault_report(uint32_t exc_return, uint32_t sp, uint32_t ipsr)
{
#if HAS_V7M_MPU
    MPU_CTRL = 0u; /* the stacked frame may lie in the guard zone */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    const uint32_t limit = (uint32_t)(uintptr_t)__pycmsisnn_stack_limit;
    const uint32_t top = (uint32_t)(uintptr_t)__pycmsisnn_stack_top;
    uint32_t cfsr = 0u, hfsr = 0u, mmfar = 0u;
#if HAS_FAULT_STATUS
    cfsr = SCB_CFSR;
    hfsr = SCB_HFSR;
    mmfar = SCB_MMFAR;
#endif
    /* The stacked frame (r0-r3, r12, lr, pc, xpsr) is read only where the
     * stack really is and when stacking did not fail. */
    const int frame_readable = (exc_return & 4u) == 0u && sp >= limit && sp <= top - 32u && (sp & 3u) == 0u &&
                               (cfsr & (CFSR_MSTKERR | CFSR_STKERR)) == 0u;
    const int guard_hit = (cfsr & CFSR_MMARVALID) != 0u && mmfar >= limit && mmfar < limit + PYCMSISNN_STACK_GUARD;
    const int overflow =
        (cfsr & (CFSR_MSTKERR | CFSR_STKERR | CFSR_STKOF)) != 0u || guard_hit || sp < limit + PYCMSISNN_STACK_GUARD;

    pycmsisnn_sh_write0(overflow ? "PYCMSISNN-STACK-OVERFLOW\n" : "PYCMSISNN-FAULT\n");
    pycmsisnn_print_dec("PYCMSISNN-FAULT exception=", (int32_t)(ipsr & 0x1FFu));
    if (frame_readable)
    {
        const uint32_t *frame = (const uint32_t *)(uintptr_t)sp;
        pycmsisnn_print_hex("PYCMSISNN-FAULT pc=", frame[6]);
        pycmsisnn_print_hex("PYCMSISNN-FAULT lr=", frame[5]);
    }
    pycmsisnn_print_hex("PYCMSISNN-FAULT cfsr=", cfsr);
    pycmsisnn_print_hex("PYCMSISNN-FAULT hfsr=", hfsr);
#if HAS_FAULT_STATUS
    pycmsisnn_print_hex("PYCMSISNN-FAULT mmfar=", mmfar);
    pycmsisnn_print_hex("PYCMSISNN-FAULT bfar=", SCB_BFAR);
#endif
    pycmsisnn_print_hex("PYCMSISNN-FAULT sp=", sp);
    pycmsisnn_print_hex("PYCMSISNN-FAULT exc_return=", exc_return);
    pycmsisnn_sh_exit(overflow ? PYCMSISNN_EXIT_STACK_OVERFLOW : PYCMSISNN_EXIT_FAULT);
}

void pycmsisnn_unexpected(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    pycmsisnn_print_dec("PYCMSISNN-UNEXPECTED exception=", (int32_t)(ipsr & 0x1FFu));
    pycmsisnn_sh_exit(PYCMSISNN_EXIT_UNEXPECTED);
}
