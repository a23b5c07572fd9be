/* Exit-cause naming for arm83emu-trace (cause.c). */
#ifndef A83_TRACE_CAUSE_H
#define A83_TRACE_CAUSE_H

#include <stddef.h>

#include "arm83emu/trace.h"

/** Short name of an ESR_ELx.EC value ("HVC", "SYSREG", ...). */
const char *ec_name(unsigned ec);
/** Writes a human-readable cause for r to buf (n bytes). */
void exit_cause(const a83_exit_record *r, char *buf, size_t n);
/** The board region containing pa ("GICD", "PL011", "RAM", ...) and its base. */
const char *board_region(uint64_t pa, uint64_t *base);

#endif
