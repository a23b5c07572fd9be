/*
 * Support library for bare-metal guest tests (tests/guest/).
 *
 * A test provides `int main(void)`; its return value is the exit status
 * reported to the emulator (docs/guest-exit.md): 0 powers off with PSCI
 * SYSTEM_OFF, anything else ends the run with that status through the
 * arm83emu OEM SMCCC call A83_SMCCC_EXIT.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#define UART_BASE 0x09000000ul

/* SMCCC function IDs */
#define PSCI_VERSION        0x84000000u
#define PSCI_CPU_OFF        0x84000002u
#define PSCI_CPU_ON_64      0xC4000003u
#define PSCI_AFFINITY_INFO  0xC4000004u
#define PSCI_SYSTEM_OFF     0x84000008u
#define PSCI_SYSTEM_RESET   0x84000009u
#define PSCI_FEATURES       0x8400000Au
#define A83_SMCCC_EXIT      0x83000001u   /* x1 = exit status (OEM service call) */

void putc_(char c);
void puts_(const char *s);                /* no newline added */
void puthex(uint64_t v);                  /* 0x%016lx */
void putdec(uint64_t v);
/* "name: 0x...\n" */
void putreg(const char *name, uint64_t v);
/* Calls the firmware through the board's conduit (HVC at EL1 without EL2,
 * SMC otherwise). Returns x0. */
uint64_t firmware_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
void __attribute__((noreturn)) guest_exit(int status);
/* Checks a value; prints a line on mismatch and counts the failure. */
void check_eq(const char *what, uint64_t got, uint64_t want);
extern int guest_failures;

#define READ_SYSREG(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#define ISB() __asm__ volatile("isb" ::: "memory")

static inline unsigned current_el(void) { return (READ_SYSREG(CurrentEL) >> 2) & 3; }

#endif
