/*
 * Inline translation of simple integer instructions (jit_inline.c).
 * Internal header.
 */
#ifndef A83_JIT_INLINE_H
#define A83_JIT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "jit/x86emit.h"

/** Emits x86-64 code for insn (rbx = the CPUState; rax, rcx free) and
 *  returns true, or emits nothing and returns false when insn is not one of
 *  the inlined forms. The code cannot fault and touches only X0-X30/SP. */
bool jit_inline(X86Buf *b, uint32_t insn);

#endif
