/*
 * libarm83emu — debugger support: memory by virtual address, CPU state
 * for debuggers, and a GDB remote-serial-protocol stub (docs/gdb.md).
 *
 * Same rules as arm83emu.h: one thread uses a machine at a time (the stub
 * runs on that thread; its Ctrl-C watcher only calls a83_request_stop()),
 * errors are a83_err values, nothing returned needs freeing unless stated.
 */
#ifndef ARM83EMU_DEBUG_H
#define ARM83EMU_DEBUG_H

#include "arm83emu/arm83emu.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of CPUs of m (a83_config.ncpus); 0 for m NULL. */
A83_API unsigned a83_cpu_count(const a83_machine *m);

/** Whether cpu is powered on (PSCI) and whether it waits in WFI/WFE.
 *  Errors: A83_ERR_ARG (m NULL, cpu out of range). Either out pointer may
 *  be NULL. */
A83_API a83_err a83_cpu_state(const a83_machine *m, unsigned cpu, bool *powered, bool *waiting);

/**
 * Translates the virtual address va as a data read by cpu at its current
 * EL would (the current translation regime, stage 1 and, for the EL1&0
 * regime with HCR_EL2.VM, stage 2; Arm ARM D8 AArch64.TranslateAddress),
 * but as a debugger: with the privileged view of that regime (EL0 and
 * PSTATE.PAN do not restrict it; write permission is not checked), no
 * fault is raised, no TLB entry is filled, no cycle is charged and no
 * access flag is written, so the guest sees nothing. A page whose
 * descriptor has AF = 0 is not translated (the walk's Access flag fault).
 * @param pa receives the physical address.
 * Errors: A83_ERR_ARG (m/pa NULL, cpu out of range), A83_ERR_UNMAPPED (the
 * walk faults: no translation, address size, external abort on the walk).
 */
A83_API a83_err a83_va_to_pa(a83_machine *m, unsigned cpu, uint64_t va, uint64_t *pa);

/**
 * Copies len bytes at virtual address va of cpu's current regime (page by
 * page through a83_va_to_pa(), then RAM or flash as a83_phys_read()).
 * MMIO is never touched. On failure *done (may be NULL) is the number of
 * bytes copied before the first byte that could not be read.
 * Errors: A83_ERR_ARG, A83_ERR_UNMAPPED (a page has no translation, or its
 * PA is not RAM/flash).
 */
A83_API a83_err a83_va_read(a83_machine *m, unsigned cpu, uint64_t va, void *buf, size_t len,
                            size_t *done);

/** Writes len bytes at virtual address va as a83_va_read() reads them
 *  (a debugger write: page permissions are not checked; decoded code is
 *  invalidated as by a83_phys_write()). Errors as a83_va_read(). */
A83_API a83_err a83_va_write(a83_machine *m, unsigned cpu, uint64_t va, const void *buf, size_t len,
                             size_t *done);

/* ------------------------------------------------------------------ */
/* GDB stub (docs/gdb.md)                                              */
/* ------------------------------------------------------------------ */

typedef struct a83_gdb a83_gdb;

/** Default port of -s (QEMU's): tcp:127.0.0.1:1234. */
#define A83_GDB_DEFAULT_PORT 1234

/**
 * Opens a GDB stub for m listening on spec, "tcp:HOST:PORT" (or "tcp::PORT",
 * or just "PORT"), where HOST must be a loopback address (127.0.0.1,
 * localhost or ::1 — other addresses are refused, the stub has no
 * authentication). PORT 0 picks a free port (a83_gdb_port()). Nothing is
 * accepted yet: a83_gdb_wait() or a83_gdb_run() do that.
 * @param out receives the stub; free it with a83_gdb_close() before
 *            destroying m.
 * @param msg receives a one-line reason on failure (len bytes, may be NULL).
 * Errors: A83_ERR_ARG (NULL), A83_ERR_CONFIG (bad spec or non-loopback
 * host), A83_ERR_IO (the socket cannot be created or bound), A83_ERR_NOMEM.
 */
A83_API a83_err a83_gdb_open(a83_machine *m, const char *spec, a83_gdb **out, char *msg, size_t len);

/** The TCP port the stub listens on (useful after port 0). */
A83_API unsigned a83_gdb_port(const a83_gdb *g);

/** Waits for a debugger to connect (blocking) and serves it until it
 *  resumes the machine or detaches (QEMU's -S). Errors: A83_ERR_ARG,
 *  A83_ERR_IO (accept failed). */
A83_API a83_err a83_gdb_wait(a83_gdb *g);

/**
 * a83_run() under the debugger: breakpoints, watchpoints and steps stop
 * the machine inside code/memory hooks (the run itself is not
 * interrupted, so a session that only reads leaves every output the
 * same); Ctrl-C from the debugger and a new connection stop the run
 * (a83_request_stop(), from a watcher thread: those stops depend on host
 * timing). Returns when the run ends for a reason other than the
 * debugger's: limit (max_insns counts all CPUs over the whole call),
 * power-off, reset, a stop request not made by the stub, or a kill from
 * the debugger (a83_gdb_killed()). Errors: A83_ERR_ARG.
 */
A83_API a83_err a83_gdb_run(a83_gdb *g, uint64_t max_insns, a83_stop_reason *why);

/** True when the debugger asked to kill the target ('k', vKill): the
 *  caller should end the program. */
A83_API bool a83_gdb_killed(const a83_gdb *g);

/** Tells a connected debugger that the machine ended: W<status> for a
 *  power-off or a limit (status = the program's exit status), X<signal>
 *  for a stop request (SIGINT). NULL g is ignored. */
A83_API void a83_gdb_report_exit(a83_gdb *g, a83_stop_reason why, int status);

/** Moves the stub to a new machine (after a guest reboot the command
 *  creates a fresh one): breakpoints and watchpoints are installed on it.
 *  Errors: A83_ERR_ARG, A83_ERR_NOMEM. */
A83_API a83_err a83_gdb_set_machine(a83_gdb *g, a83_machine *m);

/** Closes the connection and the listening socket, removes the stub's
 *  hooks and frees g. NULL is accepted. */
A83_API void a83_gdb_close(a83_gdb *g);

#ifdef __cplusplus
}
#endif
#endif /* ARM83EMU_DEBUG_H */
