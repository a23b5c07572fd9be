/*
 * Access to the FP/SIMD register file V0-V31 (Arm ARM C1.2.x): element
 * views and the rule that a write of a scalar or 64-bit vector zeroes the
 * rest of the 128-bit register.
 */
#ifndef A83_VREG_H
#define A83_VREG_H

#include "cpu/cpu.h"

/** Element e of size esize bytes (1, 2, 4, 8) of Vn, zero-extended. */
static inline uint64_t vreg_elem(const CPUState *c, unsigned n, unsigned e, unsigned esize)
{
    const uint8_t *p = (const uint8_t *)c->v[n] + e * esize;
    switch (esize) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

/** Sets element e (esize bytes) of Vn; other bits unchanged. */
static inline void vreg_set_elem(CPUState *c, unsigned n, unsigned e, unsigned esize, uint64_t v)
{
    uint8_t *p = (uint8_t *)c->v[n] + e * esize;
    switch (esize) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

/** Writes a scalar of esize bytes to Vn, zeroing bits above it (V[] write). */
static inline void vreg_set_scalar(CPUState *c, unsigned n, unsigned esize, uint64_t v)
{
    c->v[n][0] = esize == 8 ? v : (v & ((1ull << (esize * 8)) - 1));
    c->v[n][1] = 0;
}

/** Writes a 64-bit (D) or 128-bit (Q) vector result, zeroing the top half
 *  for 64-bit vectors. */
static inline void vreg_set(CPUState *c, unsigned n, uint64_t lo, uint64_t hi, bool q)
{
    c->v[n][0] = lo;
    c->v[n][1] = q ? hi : 0;
}

#endif
