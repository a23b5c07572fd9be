/* Exit-cause naming for arm83emu-trace (cause.c). */
#ifndef A83_TRACE_CAUSE_H
#define A83_TRACE_CAUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "arm83emu/trace.h"

/** Short name of an ESR_ELx.EC value ("HVC", "SYSREG", ...). */
const char *ec_name(unsigned ec);
/** Writes a human-readable cause for r to buf (n bytes). */
void exit_cause(const a83_exit_record *r, char *buf, size_t n);
/** The board region containing pa ("GICD", "PL011", "RAM", ...) and its base. */
const char *board_region(uint64_t pa, uint64_t *base);

/** Chooses the KVM host-call table ("6.1", or "none"): false if unknown. */
bool kvm_abi_select(const char *version);
/** The versions kvm_abi_select() knows, for messages. */
const char *kvm_abi_list(void);
/** The name of a host call into KVM's nVHE/pKVM hypervisor (x0 of HVC #0), or NULL. */
const char *kvm_host_call_name(uint64_t x0);

#endif
