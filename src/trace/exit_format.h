/*
 * Exit-trace file format helpers shared by the recorder (exit_trace.c) and
 * the reader (exit_reader.c): little-endian field access and the header
 * layout (docs/exit-trace.md, "File format (version 2)").
 */
#ifndef A83_TRACE_EXIT_FORMAT_H
#define A83_TRACE_EXIT_FORMAT_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

#define EXIT_FILE_HEADER_SIZE 32
#define EXIT_HDR_VERSION 8      /* u32 */
#define EXIT_HDR_RECSIZE 12     /* u32 */
#define EXIT_HDR_NCPUS 16       /* u32 */
#define EXIT_HDR_HOST_RULE 20   /* u32 (reserved, 0, in version 1) */
#define EXIT_HDR_CPU_HZ 24      /* u64 */
#define EXIT_V1_RECORD_SIZE 104

/* Little-endian fields as one load or store each (a byte loop was 2% of
 * a nested run's host instructions: a record per exit). */
static inline void exit_put64(uint8_t *p, uint64_t v)
{
    v = htole64(v);
    memcpy(p, &v, 8);
}
static inline void exit_put32(uint8_t *p, uint32_t v)
{
    v = htole32(v);
    memcpy(p, &v, 4);
}
static inline uint64_t exit_get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return le64toh(v);
}
static inline uint32_t exit_get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return le32toh(v);
}

#endif
