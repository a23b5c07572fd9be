/*
 * Exit-trace file format helpers shared by the recorder (exit_trace.c) and
 * the reader (exit_reader.c): little-endian field access and the header
 * layout (docs/exit-trace.md, "File format (version 2)").
 */
#ifndef A83_TRACE_EXIT_FORMAT_H
#define A83_TRACE_EXIT_FORMAT_H

#include <stdint.h>

#define EXIT_FILE_HEADER_SIZE 32
#define EXIT_HDR_VERSION 8      /* u32 */
#define EXIT_HDR_RECSIZE 12     /* u32 */
#define EXIT_HDR_NCPUS 16       /* u32 */
#define EXIT_HDR_HOST_RULE 20   /* u32 (reserved, 0, in version 1) */
#define EXIT_HDR_CPU_HZ 24      /* u64 */
#define EXIT_V1_RECORD_SIZE 104

static inline void exit_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void exit_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint64_t exit_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}
static inline uint32_t exit_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
