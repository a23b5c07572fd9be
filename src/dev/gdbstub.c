/*
 * GDB remote serial protocol stub (GDB manual appendix E; docs/gdb.md).
 *
 * Built on the public API: registers through a83_reg_*, a83_vreg_*,
 * a83_sysreg_*, memory through a83_va_* (arm83emu/debug.h) or a83_phys_*,
 * breakpoints and single steps through code hooks, watchpoints through
 * virtual-address memory hooks. Guest memory and the guest's own debug
 * registers are never used for the debugger's purposes.
 *
 * Stops: a breakpoint, step or watchpoint stops the machine *inside* the
 * hook: the stub talks to the debugger from there and returns when the
 * debugger resumes. The run (a83_run) is therefore never interrupted and
 * its scheduling is the one of a run without a debugger: a session that
 * only reads changes no output (tests/cli/gdb.sh checks the digest).
 * Ctrl-C and a new connection come from a watcher thread, which can only
 * call a83_request_stop(); those stops end the run and depend on host
 * timing, like any interactive input.
 *
 * Threads: one per CPU, thread id = CPU index + 1.
 */
#define _GNU_SOURCE
#include "dev/gdbstub_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dev/gdbproto.h"
#include "cpu/spsr.h"
#include "el2/hcr.h"

#define MAX_BP 64
#define GDB_SIGINT 2
#define GDB_SIGTRAP 5

/* Z packet types (GDB manual E.2 "Packets", 'z type,addr,kind') */
enum { BP_SW = 0, BP_HW = 1, WP_WRITE = 2, WP_READ = 3, WP_ACCESS = 4 };

typedef struct Bp {
    int type;
    uint64_t addr, len;
    a83_hook hook[2];       /* watchpoints of type 4: a read and a write hook */
} Bp;

struct a83_gdb {
    a83_machine *m;
    int lfd, cfd;           /* listening and connected sockets (-1: none) */
    unsigned port;
    GdbRx rx;
    uint8_t in[4096];       /* received bytes not yet fed to rx */
    size_t in_head, in_len;
    bool noack;
    char *last;             /* last packet sent (framed), for '-' */
    size_t last_len;
    char *reply;            /* GDB_REPLY_CAP */
    unsigned gcpu, ccpu;    /* Hg / Hc thread, as CPU indexes */
    bool phys;              /* monitor phys: m/M/X use physical addresses */
    Bp bp[MAX_BP];
    unsigned nbp;
    a83_hook all_hook;      /* code hook on every PC: step and watchpoint report */
    a83_hook pin_hook;      /* keeps the observed mode while a debugger is connected */
    int step_cpu;           /* -1: not stepping */
    bool watch_pending;
    unsigned watch_cpu;
    int watch_type;
    uint64_t watch_addr;
    bool skip_valid[A83_MAX_CPUS];   /* never stop twice at one instruction instance */
    uint64_t skip_insns[A83_MAX_CPUS], skip_pc[A83_MAX_CPUS];
    char stop_reply[96];
    unsigned stop_cpu;
    bool killed;
    /* watcher thread (Ctrl-C, new connections) */
    pthread_t th;
    bool th_running;
    int wake[2];
    volatile int intr_req, new_client, disconnected;
    int new_fd;
};

/* ---- Registers ----------------------------------------------------------- */

/* Register numbers, in target-description order (gdb_target_xml). */
enum {
    R_X0 = 0, R_SP = 31, R_PC = 32, R_CPSR = 33, R_V0 = 34, R_FPSR = 66, R_FPCR = 67, R_SYS = 68,
};

typedef struct SysRegView {
    const char *name;       /* as in the Arm ARM, also the gdb name */
    const char *el12;       /* the VHE alias that reaches the EL1 register from EL2 with E2H */
    bool ro;                /* writing from the debugger is refused */
} SysRegView;

/* The system registers that matter for hypervisor debugging. CurrentEL and
 * MPIDR_EL1 are read-only: CurrentEL is PSTATE.EL (changing it is not an
 * MSR), MPIDR_EL1 identifies the CPU to the GIC and PSCI. SP_ELx are the
 * banked stack pointers. */
static const SysRegView sysregs[] = {
    { "CurrentEL", NULL, true },     { "MPIDR_EL1", NULL, true },
    { "SCTLR_EL1", "SCTLR_EL12", false }, { "TCR_EL1", "TCR_EL12", false },
    { "TTBR0_EL1", "TTBR0_EL12", false }, { "TTBR1_EL1", "TTBR1_EL12", false },
    { "MAIR_EL1", "MAIR_EL12", false },   { "VBAR_EL1", "VBAR_EL12", false },
    { "ESR_EL1", "ESR_EL12", false },     { "FAR_EL1", "FAR_EL12", false },
    { "ELR_EL1", "ELR_EL12", false },     { "SPSR_EL1", "SPSR_EL12", false },
    { "SP_EL0", NULL, false },       { "SP_EL1", NULL, false },
    { "SCTLR_EL2", NULL, false },    { "TCR_EL2", NULL, false },
    { "TTBR0_EL2", NULL, false },    { "TTBR1_EL2", NULL, false },
    { "MAIR_EL2", NULL, false },     { "VBAR_EL2", NULL, false },
    { "ESR_EL2", NULL, false },      { "FAR_EL2", NULL, false },
    { "HPFAR_EL2", NULL, false },    { "ELR_EL2", NULL, false },
    { "SPSR_EL2", NULL, false },     { "SP_EL2", NULL, false },
    { "HCR_EL2", NULL, false },      { "VTTBR_EL2", NULL, false },
    { "VTCR_EL2", NULL, false },     { "VMPIDR_EL2", NULL, false },
    { "VNCR_EL2", NULL, false },
};
#define NSYSREGS (sizeof sysregs / sizeof sysregs[0])
#define NREGS (R_SYS + (int)NSYSREGS)

static unsigned reg_bytes(int r)
{
    if (r >= R_V0 && r < R_V0 + 32)
        return 16;
    if (r == R_CPSR || r == R_FPSR || r == R_FPCR)
        return 4;
    return 8;
}

/* Is the CPU at EL2 with HCR_EL2.E2H = 1 (then _EL1 names reach _EL2
 * registers, Arm ARM D5.6; the _EL12 aliases reach the EL1 ones)? */
static bool at_el2_e2h(a83_machine *m, unsigned cpu)
{
    uint64_t ps = 0, hcr = 0;
    a83_reg_read(m, cpu, A83_REG_PSTATE, &ps);
    if (spsr_m_el(ps) != 2 || a83_sysreg_read(m, cpu, "HCR_EL2", &hcr) != A83_OK)
        return false;
    return (hcr & HCR_E2H) != 0;
}

static const char *sysreg_name(a83_machine *m, unsigned cpu, const SysRegView *v)
{
    return (v->el12 && at_el2_e2h(m, cpu)) ? v->el12 : v->name;
}

/* Reads register r of cpu: lo (and hi for a V register). false: not
 * available (e.g. an EL2 register without EL2). */
static bool reg_get(a83_machine *m, unsigned cpu, int r, uint64_t *lo, uint64_t *hi)
{
    *hi = 0;
    if (r < 0 || r >= NREGS)
        return false;
    if (r <= R_PC)
        return a83_reg_read(m, cpu, r == R_PC ? A83_REG_PC : (a83_reg)r, lo) == A83_OK;
    if (r == R_CPSR)
        return a83_reg_read(m, cpu, A83_REG_PSTATE, lo) == A83_OK;
    if (r < R_FPSR)
        return a83_vreg_read(m, cpu, (unsigned)(r - R_V0), lo, hi) == A83_OK;
    if (r == R_FPSR)
        return a83_reg_read(m, cpu, A83_REG_FPSR, lo) == A83_OK;
    if (r == R_FPCR)
        return a83_reg_read(m, cpu, A83_REG_FPCR, lo) == A83_OK;
    const SysRegView *v = &sysregs[r - R_SYS];
    if (!strcmp(v->name, "CurrentEL")) {
        uint64_t ps;
        if (a83_reg_read(m, cpu, A83_REG_PSTATE, &ps) != A83_OK)
            return false;
        *lo = ps & (3u << 2);   /* CurrentEL.EL is bits [3:2], as PSTATE's M[3:2] */
        return true;
    }
    if (!strncmp(v->name, "SP_EL", 5))
        return a83_reg_read(m, cpu, A83_REG_SP_EL0 + (v->name[5] - '0'), lo) == A83_OK;
    return a83_sysreg_read(m, cpu, sysreg_name(m, cpu, v), lo) == A83_OK;
}

static bool reg_set(a83_machine *m, unsigned cpu, int r, uint64_t lo, uint64_t hi)
{
    if (r < 0 || r >= NREGS)
        return false;
    if (r <= R_PC)
        return a83_reg_write(m, cpu, r == R_PC ? A83_REG_PC : (a83_reg)r, lo) == A83_OK;
    if (r == R_CPSR)
        return a83_reg_write(m, cpu, A83_REG_PSTATE, lo & 0xffffffffu) == A83_OK;
    if (r < R_FPSR)
        return a83_vreg_write(m, cpu, (unsigned)(r - R_V0), lo, hi) == A83_OK;
    if (r == R_FPSR)
        return a83_reg_write(m, cpu, A83_REG_FPSR, lo) == A83_OK;
    if (r == R_FPCR)
        return a83_reg_write(m, cpu, A83_REG_FPCR, lo) == A83_OK;
    const SysRegView *v = &sysregs[r - R_SYS];
    if (v->ro)
        return false;
    if (!strncmp(v->name, "SP_EL", 5))
        return a83_reg_write(m, cpu, A83_REG_SP_EL0 + (v->name[5] - '0'), lo) == A83_OK;
    return a83_sysreg_write(m, cpu, sysreg_name(m, cpu, v), lo) == A83_OK;
}

static void reg_hex(a83_machine *m, unsigned cpu, int r, char *out)
{
    uint64_t lo, hi;
    unsigned n = reg_bytes(r);
    if (!reg_get(m, cpu, r, &lo, &hi)) {
        size_t k = strlen(out);
        memset(out + k, 'x', 2 * n);   /* "unavailable" (GDB manual, 'p' reply) */
        out[k + 2 * n] = 0;
        return;
    }
    gdb_hex_le(lo, n > 8 ? 8 : n, out);
    if (n > 8)
        gdb_hex_le(hi, 8, out);
}

/* Parses one register's little-endian hex value from s (2*bytes digits). */
static bool reg_parse(const char *s, unsigned n, uint64_t *lo, uint64_t *hi)
{
    uint8_t b[16];
    if (!gdb_hex_decode(s, n, b))
        return false;
    *lo = *hi = 0;
    for (unsigned i = 0; i < n && i < 8; i++)
        *lo |= (uint64_t)b[i] << (8 * i);
    for (unsigned i = 8; i < n; i++)
        *hi |= (uint64_t)b[i] << (8 * (i - 8));
    return true;
}

/* ---- Target description (GDB manual G "Target Descriptions") ------------- */

static char *target_xml(void)
{
    size_t cap = 16384, k = 0;
    char *x = malloc(cap);
    if (!x)
        return NULL;
#define ADD(...) (k += (size_t)snprintf(x + k, cap - k, __VA_ARGS__))
    ADD("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target version=\"1.0\">\n<architecture>aarch64</architecture>\n"
        "<feature name=\"org.gnu.gdb.aarch64.core\">\n");
    for (int i = 0; i < 31; i++)
        ADD("<reg name=\"x%d\" bitsize=\"64\" regnum=\"%d\"/>\n", i, i);
    ADD("<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\" regnum=\"31\"/>\n"
        "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>\n"
        "<reg name=\"cpsr\" bitsize=\"32\" regnum=\"33\"/>\n</feature>\n"
        "<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
        "<vector id=\"v2d\" type=\"uint64\" count=\"2\"/>\n"
        "<vector id=\"v4s\" type=\"uint32\" count=\"4\"/>\n"
        "<vector id=\"v8h\" type=\"uint16\" count=\"8\"/>\n"
        "<vector id=\"v16b\" type=\"uint8\" count=\"16\"/>\n"
        "<union id=\"vq\"><field name=\"d\" type=\"v2d\"/><field name=\"s\" type=\"v4s\"/>"
        "<field name=\"h\" type=\"v8h\"/><field name=\"b\" type=\"v16b\"/>"
        "<field name=\"q\" type=\"uint128\"/></union>\n");
    for (int i = 0; i < 32; i++)
        ADD("<reg name=\"v%d\" bitsize=\"128\" type=\"vq\" regnum=\"%d\"/>\n", i, R_V0 + i);
    ADD("<reg name=\"fpsr\" bitsize=\"32\" regnum=\"%d\"/>\n"
        "<reg name=\"fpcr\" bitsize=\"32\" regnum=\"%d\"/>\n</feature>\n"
        "<feature name=\"org.arm83emu.sysregs\">\n", R_FPSR, R_FPCR);
    for (unsigned i = 0; i < NSYSREGS; i++)
        ADD("<reg name=\"%s\" bitsize=\"64\" regnum=\"%u\" group=\"system\"/>\n", sysregs[i].name,
            R_SYS + i);
    ADD("</feature>\n</target>\n");
#undef ADD
    return x;
}

/* ---- Hooks: breakpoints, steps, watchpoints ------------------------------- */

static void hook_session(a83_gdb *g, unsigned cpu);

static uint64_t cpu_insns_of(a83_machine *m, unsigned cpu)
{
    uint64_t n = 0;
    a83_cpu_counters(m, cpu, &n, NULL);
    return n;
}

/* Is this the instruction instance the session was left at (its hooks
 * must not stop again)? */
static bool suppressed(a83_gdb *g, unsigned cpu, uint64_t pc)
{
    if (!g->skip_valid[cpu])
        return false;
    if (g->skip_insns[cpu] == cpu_insns_of(g->m, cpu) && g->skip_pc[cpu] == pc)
        return true;
    g->skip_valid[cpu] = false;
    return false;
}

static void on_bp(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    (void)m;
    a83_gdb *g = opaque;
    if (g->cfd < 0 || suppressed(g, ev->cpu, ev->pc))
        return;
    bool hw = false;
    for (unsigned i = 0; i < g->nbp; i++)
        if (g->bp[i].addr == ev->pc && g->bp[i].type == BP_HW)
            hw = true;
    snprintf(g->stop_reply, sizeof g->stop_reply, "T%02xthread:%x;%s:;", GDB_SIGTRAP, ev->cpu + 1,
             hw ? "hwbreak" : "swbreak");
    hook_session(g, ev->cpu);
}

static void on_all(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    (void)m;
    a83_gdb *g = opaque;
    if (g->cfd < 0)
        return;
    unsigned cpu = ev->cpu;
    if (g->watch_pending) {
        /* the accessing instruction has completed: report at this boundary */
        static const char *const kind[] = { "", "", "watch", "rwatch", "awatch" };
        g->watch_pending = false;
        cpu = g->watch_cpu;
        snprintf(g->stop_reply, sizeof g->stop_reply, "T%02xthread:%x;%s:%llx;", GDB_SIGTRAP,
                 cpu + 1, kind[g->watch_type], (unsigned long long)g->watch_addr);
    } else if ((int)ev->cpu == g->step_cpu && !suppressed(g, ev->cpu, ev->pc)) {
        snprintf(g->stop_reply, sizeof g->stop_reply, "T%02xthread:%x;", GDB_SIGTRAP, cpu + 1);
    } else {
        return;
    }
    hook_session(g, cpu);
}

static void all_hook_set(a83_gdb *g, bool on)
{
    if (on && !g->all_hook)
        a83_hook_add(g->m, A83_HOOK_CODE, on_all, g, 1, 0, &g->all_hook);
    else if (!on && g->all_hook) {
        a83_hook_del(g->m, g->all_hook);
        g->all_hook = 0;
    }
}

static void on_watch(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    (void)m;
    a83_gdb *g = opaque;
    if (g->cfd < 0 || g->watch_pending)
        return;
    for (unsigned i = 0; i < g->nbp; i++) {
        const Bp *b = &g->bp[i];
        if (b->type < WP_WRITE)
            continue;
        if ((b->type == WP_WRITE && !ev->write) || (b->type == WP_READ && ev->write))
            continue;
        /* overlap of [va, va + size) and [addr, addr + len) */
        if (ev->va + ev->size > b->addr && ev->va < b->addr + b->len) {
            g->watch_pending = true;
            g->watch_cpu = ev->cpu;
            g->watch_type = b->type;
            g->watch_addr = ev->va > b->addr ? ev->va : b->addr;
            all_hook_set(g, true);   /* called from the next instruction */
            return;
        }
    }
}

static a83_err bp_install(a83_gdb *g, Bp *b)
{
    b->hook[0] = b->hook[1] = 0;
    if (b->type <= BP_HW)
        return a83_hook_add(g->m, A83_HOOK_CODE, on_bp, g, b->addr, b->addr, &b->hook[0]);
    /* the hook range is of access start addresses: an access of up to 8
     * bytes that starts before the watched range can still overlap it */
    uint64_t lo = b->addr >= 7 ? b->addr - 7 : 0, hi = b->addr + b->len - 1;
    a83_err err = A83_OK;
    if (b->type != WP_READ)
        err = a83_hook_add(g->m, A83_HOOK_MEM_WRITE | A83_HOOK_VIRT, on_watch, g, lo, hi, &b->hook[0]);
    if (!err && b->type != WP_WRITE)
        err = a83_hook_add(g->m, A83_HOOK_MEM_READ | A83_HOOK_VIRT, on_watch, g, lo, hi, &b->hook[1]);
    return err;
}

static void bp_uninstall(a83_gdb *g, Bp *b)
{
    for (int k = 0; k < 2; k++)
        if (b->hook[k])
            a83_hook_del(g->m, b->hook[k]);
    b->hook[0] = b->hook[1] = 0;
}

static void remove_all_hooks(a83_gdb *g)
{
    for (unsigned i = 0; i < g->nbp; i++)
        bp_uninstall(g, &g->bp[i]);
    g->nbp = 0;
    all_hook_set(g, false);
    g->step_cpu = -1;
    g->watch_pending = false;
}

/* ---- Packets ----------------------------------------------------------- */

static unsigned ncpus(const a83_gdb *g) { return a83_cpu_count(g->m); }

/* Parses a thread id: -1 / 0 (any) give `any`, n gives CPU n-1. */
static bool parse_thread(const a83_gdb *g, const char *s, unsigned any, unsigned *cpu)
{
    if (!strcmp(s, "-1") || !strcmp(s, "0")) {
        *cpu = any;
        return true;
    }
    uint64_t t;
    const char *p = s, *end = s + strlen(s);
    if (!gdb_parse_hex(&p, end, &t) || p != end || t < 1 || t > ncpus(g))
        return false;
    *cpu = (unsigned)(t - 1);
    return true;
}

static void mem_read_reply(a83_gdb *g, uint64_t addr, uint64_t len, char *reply)
{
    uint8_t buf[GDB_MAX_PACKET / 2];
    if (len > sizeof buf)
        len = sizeof buf;
    size_t done = 0;
    if (g->phys) {
        /* byte runs up to the first unmapped byte */
        while (done < len && a83_phys_read(g->m, addr + done, buf + done, 1) == A83_OK)
            done++;
    } else {
        a83_va_read(g->m, g->gcpu, addr, buf, (size_t)len, &done);
    }
    if (!done && len) {
        strcpy(reply, "E14");   /* EFAULT */
        return;
    }
    gdb_hex_encode(buf, done, reply);
}

static bool mem_write(a83_gdb *g, uint64_t addr, const uint8_t *data, size_t len)
{
    size_t done = 0;
    if (g->phys)
        return a83_phys_write(g->m, addr, data, len) == A83_OK;
    return a83_va_write(g->m, g->gcpu, addr, data, len, &done) == A83_OK;
}

static void hex_text(const char *s, char *out) { gdb_hex_encode((const uint8_t *)s, strlen(s), out); }

static void send_packet(a83_gdb *g, const char *body, size_t n);

/* qRcmd: the "monitor" commands (docs/gdb.md). Output as O packets. */
static void monitor(a83_gdb *g, const char *cmd, char *reply)
{
    char text[512];
    if (!strcmp(cmd, "phys")) {
        g->phys = true;
        snprintf(text, sizeof text, "memory accesses use physical addresses\n");
    } else if (!strcmp(cmd, "virt")) {
        g->phys = false;
        snprintf(text, sizeof text, "memory accesses use virtual addresses of the current regime\n");
    } else if (!strcmp(cmd, "info")) {
        size_t k = 0;
        k += (size_t)snprintf(text + k, sizeof text - k, "memory: %s addresses\n",
                              g->phys ? "physical" : "virtual");
        for (unsigned i = 0; i < ncpus(g) && k < sizeof text; i++) {
            uint64_t ps = 0, n = 0, cyc = 0;
            bool on = false, wfi = false;
            a83_reg_read(g->m, i, A83_REG_PSTATE, &ps);
            a83_cpu_counters(g->m, i, &n, &cyc);
            a83_cpu_state(g->m, i, &on, &wfi);
            k += (size_t)snprintf(text + k, sizeof text - k,
                                  "cpu%u: EL%u %s%s, %llu instructions, %llu cycles\n", i,
                                  spsr_m_el(ps), on ? "on" : "off", wfi ? " (waiting)" : "",
                                  (unsigned long long)n, (unsigned long long)cyc);
        }
    } else if (!strcmp(cmd, "help") || !*cmd) {
        snprintf(text, sizeof text,
                 "monitor phys   memory by physical address\n"
                 "monitor virt   memory by virtual address of the current regime (default)\n"
                 "monitor info   address mode; EL, state and counters of each CPU\n");
    } else {
        snprintf(text, sizeof text, "unknown monitor command '%.64s' (try 'monitor help')\n", cmd);
    }
    char *o = malloc(2 * strlen(text) + 2);
    if (o && g->cfd >= 0) {
        o[0] = 'O';
        hex_text(text, o + 1);
        send_packet(g, o, strlen(o));
    }
    free(o);
    strcpy(reply, "OK");
}

static int handle_z(a83_gdb *g, char *p, char *reply)
{
    bool insert = p[0] == 'Z';
    const char *s = p + 1, *end = p + strlen(p);
    uint64_t type, addr, kind;
    if (!gdb_parse_hex(&s, end, &type) || *s++ != ',' || !gdb_parse_hex(&s, end, &addr) ||
        *s++ != ',' || !gdb_parse_hex(&s, end, &kind)) {
        strcpy(reply, "E01");
        return GDB_ACT_NONE;
    }
    if (type > WP_ACCESS) {
        reply[0] = 0;   /* not supported */
        return GDB_ACT_NONE;
    }
    if (type >= WP_WRITE && (kind == 0 || kind > 4096 || addr + kind - 1 < addr)) {
        strcpy(reply, "E01");
        return GDB_ACT_NONE;
    }
    if (!insert) {
        for (unsigned i = 0; i < g->nbp; i++) {
            Bp *b = &g->bp[i];
            if (b->type == (int)type && b->addr == addr && (type < WP_WRITE || b->len == kind)) {
                bp_uninstall(g, b);
                g->bp[i] = g->bp[--g->nbp];
                break;
            }
        }
        strcpy(reply, "OK");
        return GDB_ACT_NONE;
    }
    if (g->nbp == MAX_BP) {
        strcpy(reply, "E0c");   /* ENOMEM: too many */
        return GDB_ACT_NONE;
    }
    Bp *b = &g->bp[g->nbp];
    *b = (Bp){ .type = (int)type, .addr = addr, .len = type >= WP_WRITE ? kind : 4 };
    if (bp_install(g, b) != A83_OK) {
        bp_uninstall(g, b);
        strcpy(reply, "E0c");
        return GDB_ACT_NONE;
    }
    g->nbp++;
    strcpy(reply, "OK");
    return GDB_ACT_NONE;
}

/* vCont;action[:thread]... (GDB manual E.2): c, C, s, S. A step of one
 * thread lets the others run (they are in the same scheduler round). */
static int handle_vcont(a83_gdb *g, char *p, char *reply)
{
    int act = GDB_ACT_CONT;
    char *save = NULL;
    for (char *tok = strtok_r(p, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(tok, ':');
        unsigned cpu = g->ccpu;
        if (colon) {
            *colon = 0;
            if (!parse_thread(g, colon + 1, g->ccpu, &cpu)) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
        }
        char a = tok[0];
        if ((a == 's' || a == 'S') && act != GDB_ACT_STEP) {
            act = GDB_ACT_STEP;
            g->ccpu = cpu;
        } else if (a != 'c' && a != 'C' && a != 's' && a != 'S') {
            strcpy(reply, "E01");   /* t, r: not supported */
            return GDB_ACT_NONE;
        }
    }
    return act;
}

int gdbstub_handle(a83_gdb *g, char *p, size_t len, char *reply, bool *noreply)
{
    a83_machine *m = g->m;
    const char *end = p + len;
    reply[0] = 0;
    *noreply = false;
    if (!len)
        return GDB_ACT_NONE;
    switch (p[0]) {
    case '?':
        strcpy(reply, g->stop_reply);
        return GDB_ACT_NONE;
    case 'g':
        if (len != 1)
            break;
        for (int r = 0; r <= R_FPCR; r++)
            reg_hex(m, g->gcpu, r, reply);
        return GDB_ACT_NONE;
    case 'G': {
        const char *s = p + 1;
        for (int r = 0; r <= R_FPCR && s < end; r++) {
            unsigned n = reg_bytes(r);
            uint64_t lo, hi;
            if ((size_t)(end - s) < 2 * n || !reg_parse(s, n, &lo, &hi)) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
            reg_set(m, g->gcpu, r, lo, hi);
            s += 2 * n;
        }
        strcpy(reply, "OK");
        return GDB_ACT_NONE;
    }
    case 'p': {
        const char *s = p + 1;
        uint64_t r;
        if (!gdb_parse_hex(&s, end, &r) || s != end || r >= (uint64_t)NREGS) {
            strcpy(reply, "E01");
            return GDB_ACT_NONE;
        }
        reg_hex(m, g->gcpu, (int)r, reply);
        return GDB_ACT_NONE;
    }
    case 'P': {
        const char *s = p + 1;
        uint64_t r, lo, hi;
        if (!gdb_parse_hex(&s, end, &r) || *s++ != '=' || r >= (uint64_t)NREGS ||
            (size_t)(end - s) != 2 * reg_bytes((int)r) ||
            !reg_parse(s, reg_bytes((int)r), &lo, &hi) || !reg_set(m, g->gcpu, (int)r, lo, hi))
            strcpy(reply, "E01");
        else
            strcpy(reply, "OK");
        return GDB_ACT_NONE;
    }
    case 'm': case 'M': case 'X': {
        const char *s = p + 1;
        uint64_t addr, n;
        if (!gdb_parse_hex(&s, end, &addr) || *s++ != ',' || !gdb_parse_hex(&s, end, &n) ||
            (p[0] != 'm' && *s++ != ':') || (p[0] == 'm' && s != end)) {
            strcpy(reply, "E01");
            return GDB_ACT_NONE;
        }
        if (p[0] == 'm') {
            mem_read_reply(g, addr, n, reply);
            return GDB_ACT_NONE;
        }
        size_t have = (size_t)(end - s);
        uint8_t data[GDB_MAX_PACKET];
        if (p[0] == 'M') {
            if (n > sizeof data || have != 2 * n || !gdb_hex_decode(s, (size_t)n, data)) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
        } else {
            size_t k = gdb_unescape((char *)s, have);
            if (k != n || n > sizeof data) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
            memcpy(data, s, k);
        }
        strcpy(reply, !n || mem_write(g, addr, data, (size_t)n) ? "OK" : "E14");
        return GDB_ACT_NONE;
    }
    case 'c': case 's': case 'C': case 'S': {
        /* [addr] resumes at addr (c/s); C/S sig[;addr]: the signal is ignored */
        const char *s = p + 1;
        uint64_t v;
        if ((p[0] == 'C' || p[0] == 'S') && s < end) {
            if (!gdb_parse_hex(&s, end, &v) || (s < end && *s++ != ';')) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
        }
        if (s < end) {
            if (!gdb_parse_hex(&s, end, &v) || s != end) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
            a83_reg_write(m, g->ccpu, A83_REG_PC, v);
        }
        return (p[0] == 's' || p[0] == 'S') ? GDB_ACT_STEP : GDB_ACT_CONT;
    }
    case 'H': {
        unsigned cpu;
        if (len < 3 || (p[1] != 'g' && p[1] != 'c') ||
            !parse_thread(g, p + 2, p[1] == 'g' ? g->gcpu : g->ccpu, &cpu)) {
            strcpy(reply, "E01");
            return GDB_ACT_NONE;
        }
        if (p[1] == 'g')
            g->gcpu = cpu;
        else
            g->ccpu = cpu;
        strcpy(reply, "OK");
        return GDB_ACT_NONE;
    }
    case 'T': {
        unsigned cpu;
        strcpy(reply, parse_thread(g, p + 1, 0, &cpu) && strcmp(p + 1, "0") && strcmp(p + 1, "-1")
                          ? "OK" : "E01");
        return GDB_ACT_NONE;
    }
    case 'Z': case 'z':
        return handle_z(g, p, reply);
    case 'D':
        strcpy(reply, "OK");
        return GDB_ACT_DETACH;
    case 'k':
        *noreply = true;
        return GDB_ACT_KILL;
    case 'v':
        if (!strcmp(p, "vCont?")) {
            strcpy(reply, "vCont;c;C;s;S");
            return GDB_ACT_NONE;
        }
        if (!strncmp(p, "vCont;", 6))
            return handle_vcont(g, p + 6, reply);
        if (!strncmp(p, "vKill", 5)) {
            strcpy(reply, "OK");
            return GDB_ACT_KILL;
        }
        return GDB_ACT_NONE;   /* vMustReplyEmpty, vFile...: "" */
    case 'q':
        if (!strncmp(p, "qSupported", 10)) {
            snprintf(reply, GDB_REPLY_CAP,
                     "PacketSize=%x;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;"
                     "QStartNoAckMode+", GDB_MAX_PACKET);
        } else if (!strcmp(p, "qAttached")) {
            strcpy(reply, "1");
        } else if (!strcmp(p, "qC")) {
            snprintf(reply, GDB_REPLY_CAP, "QC%x", g->stop_cpu + 1);
        } else if (!strcmp(p, "qfThreadInfo")) {
            size_t k = (size_t)sprintf(reply, "m");
            for (unsigned i = 0; i < ncpus(g); i++)
                k += (size_t)sprintf(reply + k, "%s%x", i ? "," : "", i + 1);
        } else if (!strcmp(p, "qsThreadInfo")) {
            strcpy(reply, "l");
        } else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
            unsigned cpu;
            if (!parse_thread(g, p + 17, 0, &cpu)) {
                strcpy(reply, "E01");
            } else {
                uint64_t ps = 0;
                bool on = false, wfi = false;
                char text[64];
                a83_reg_read(m, cpu, A83_REG_PSTATE, &ps);
                a83_cpu_state(m, cpu, &on, &wfi);
                snprintf(text, sizeof text, "CPU#%u EL%u%s%s", cpu, spsr_m_el(ps),
                         on ? "" : " off", wfi ? " waiting" : "");
                hex_text(text, reply);
            }
        } else if (!strncmp(p, "qXfer:features:read:", 20)) {
            const char *s = p + 20;
            uint64_t off, n;
            if (strncmp(s, "target.xml:", 11)) {
                strcpy(reply, "E00");
                return GDB_ACT_NONE;
            }
            s += 11;
            if (!gdb_parse_hex(&s, end, &off) || *s++ != ',' || !gdb_parse_hex(&s, end, &n) ||
                s != end) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
            char *x = target_xml();
            if (!x) {
                strcpy(reply, "E0c");
                return GDB_ACT_NONE;
            }
            size_t xl = strlen(x);
            if (n > GDB_MAX_PACKET - 16)
                n = GDB_MAX_PACKET - 16;
            if (off >= xl) {
                strcpy(reply, "l");
            } else {
                size_t take = xl - off < n ? xl - (size_t)off : (size_t)n;
                reply[0] = off + take >= xl ? 'l' : 'm';
                memcpy(reply + 1, x + off, take);
                reply[1 + take] = 0;
            }
            free(x);
        } else if (!strncmp(p, "qRcmd,", 6)) {
            size_t hl = strlen(p + 6);
            char cmd[128];
            if (hl % 2 || hl / 2 >= sizeof cmd || !gdb_hex_decode(p + 6, hl / 2, (uint8_t *)cmd)) {
                strcpy(reply, "E01");
                return GDB_ACT_NONE;
            }
            cmd[hl / 2] = 0;
            if (memchr(cmd, 0, hl / 2))
                cmd[0] = '?';   /* embedded NUL: an unknown command */
            monitor(g, cmd, reply);
        } else if (!strcmp(p, "qSymbol::")) {
            strcpy(reply, "OK");
        }
        return GDB_ACT_NONE;   /* qTStatus, qOffsets...: "" */
    case 'Q':
        if (!strcmp(p, "QStartNoAckMode"))
            strcpy(reply, "OK");
        return GDB_ACT_NONE;
    default:
        break;
    }
    reply[0] = 0;
    return GDB_ACT_NONE;
}

/* ---- Connection ----------------------------------------------------------- */

static void send_raw(a83_gdb *g, const void *buf, size_t n)
{
    const char *p = buf;
    while (g->cfd >= 0 && n) {
        ssize_t w = send(g->cfd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(g->cfd);
            g->cfd = -1;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void send_packet(a83_gdb *g, const char *body, size_t n)
{
    size_t cap = 2 * n + 8;
    char *f = malloc(cap);
    if (!f)
        return;
    size_t k = gdb_frame(body, n, f, cap);
    send_raw(g, f, k);
    free(g->last);
    g->last = f;
    g->last_len = k;
}

/* While a debugger is connected the machine stays in the observed mode
 * (hooks.c) through a code hook that never matches (PC 1 is never
 * executed: a misaligned PC faults before the fetch). Otherwise each
 * breakpoint or step added after the run started would switch to it, and
 * the switch drops the TLBs' fast paths (machine_update_slow_path()),
 * whose refills cost cycles: a step would change the guest's timing. */
static void on_nothing(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    (void)m, (void)ev, (void)opaque;
}

static void pin_observed(a83_gdb *g, bool on)
{
    if (on && !g->pin_hook)
        a83_hook_add(g->m, A83_HOOK_CODE, on_nothing, g, 1, 1, &g->pin_hook);
    else if (!on && g->pin_hook) {
        a83_hook_del(g->m, g->pin_hook);
        g->pin_hook = 0;
    }
}

static void drop_client(a83_gdb *g)
{
    if (g->cfd >= 0)
        close(g->cfd);
    g->cfd = -1;
    g->in_len = g->in_head = 0;
    g->noack = false;
    g->phys = false;
    gdbrx_init(&g->rx);
    remove_all_hooks(g);
    pin_observed(g, false);
    for (unsigned i = 0; i < A83_MAX_CPUS; i++)
        g->skip_valid[i] = false;
}

/* Next received byte (blocking); -1 when the connection is gone. */
static int next_byte(a83_gdb *g)
{
    if (g->in_head == g->in_len) {
        if (g->cfd < 0)
            return -1;
        ssize_t r;
        do
            r = recv(g->cfd, g->in, sizeof g->in, 0);
        while (r < 0 && errno == EINTR);
        if (r <= 0)
            return -1;
        g->in_head = 0;
        g->in_len = (size_t)r;
    }
    return g->in[g->in_head++];
}

/* Serves the debugger while the machine is stopped. Returns the GDB_ACT_*
 * that ends the stop. */
static int session(a83_gdb *g, bool send_stop)
{
    if (send_stop)
        send_packet(g, g->stop_reply, strlen(g->stop_reply));
    for (;;) {
        int b = next_byte(g);
        if (b < 0) {
            drop_client(g);
            return GDB_ACT_DETACH;
        }
        switch (gdbrx_feed(&g->rx, (uint8_t)b)) {
        case GDBRX_PACKET: {
            if (!g->noack)
                send_raw(g, "+", 1);
            bool noreply;
            bool start_noack = !strcmp(g->rx.buf, "QStartNoAckMode");
            int act = gdbstub_handle(g, g->rx.buf, g->rx.len, g->reply, &noreply);
            if (!noreply && act == GDB_ACT_NONE)
                send_packet(g, g->reply, strlen(g->reply));
            else if (act == GDB_ACT_DETACH || (act == GDB_ACT_KILL && !noreply))
                send_packet(g, g->reply, strlen(g->reply));
            if (start_noack)
                g->noack = true;
            if (act != GDB_ACT_NONE)
                return act;
            break;
        }
        case GDBRX_BADSUM:
            if (!g->noack)
                send_raw(g, "-", 1);   /* the debugger sends the packet again */
            break;
        case GDBRX_OVERLONG:
            /* a retransmission would be as long: accept and refuse it */
            if (!g->noack)
                send_raw(g, "+", 1);
            send_packet(g, "E01", 3);
            break;
        case GDBRX_NAK:
            if (g->last)
                send_raw(g, g->last, g->last_len);
            break;
        case GDBRX_INTR:   /* already stopped: repeat the stop */
        case GDBRX_ACK:
        case GDBRX_NONE:
            break;
        }
        if (g->cfd < 0) {
            drop_client(g);
            return GDB_ACT_DETACH;
        }
    }
}

/* After a session: what the resume action does to the hooks. */
static void apply_resume(a83_gdb *g, int act)
{
    for (unsigned i = 0; i < A83_MAX_CPUS; i++)
        g->skip_valid[i] = false;
    if (act == GDB_ACT_DETACH) {
        drop_client(g);
        return;
    }
    g->step_cpu = act == GDB_ACT_STEP ? (int)g->ccpu : -1;
    all_hook_set(g, act == GDB_ACT_STEP || g->watch_pending);
    /* the stopped instruction executes now: its hooks must not stop again */
    unsigned cpus[2] = { g->stop_cpu, g->ccpu };
    for (int k = 0; k < (act == GDB_ACT_STEP ? 2 : 1); k++) {
        unsigned c = cpus[k];
        if (c >= ncpus(g))
            continue;
        g->skip_valid[c] = true;
        g->skip_insns[c] = cpu_insns_of(g->m, c);
        a83_reg_read(g->m, c, A83_REG_PC, &g->skip_pc[c]);
    }
    if (act == GDB_ACT_KILL) {
        g->killed = true;
        remove_all_hooks(g);
    }
}

/* ---- Watcher thread: Ctrl-C and connections while the machine runs ------ */

static void *watcher(void *arg)
{
    a83_gdb *g = arg;
    bool client_ok = true;
    for (;;) {
        struct pollfd p[2] = { { .fd = g->wake[0], .events = POLLIN },
                               { .fd = g->cfd >= 0 ? g->cfd : g->lfd, .events = POLLIN } };
        int n = poll(p, client_ok ? 2 : 1, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (p[0].revents & POLLIN))
            break;
        if (!(p[1].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        if (g->cfd >= 0) {
            uint8_t b;
            ssize_t r = recv(g->cfd, &b, 1, MSG_PEEK);
            if (r <= 0) {
                __atomic_store_n(&g->disconnected, 1, __ATOMIC_SEQ_CST);
                a83_request_stop(g->m);
                break;
            }
            if (b == 0x03) {
                (void)!recv(g->cfd, &b, 1, 0);
                __atomic_store_n(&g->intr_req, 1, __ATOMIC_SEQ_CST);
                a83_request_stop(g->m);
                break;
            }
            client_ok = false;   /* other bytes wait for the next stop */
        } else {
            int fd = accept(g->lfd, NULL, NULL);
            if (fd >= 0) {
                g->new_fd = fd;
                __atomic_store_n(&g->new_client, 1, __ATOMIC_SEQ_CST);
                a83_request_stop(g->m);
                break;
            }
        }
    }
    return NULL;
}

static void watcher_start(a83_gdb *g)
{
    if (g->th_running || g->lfd < 0)
        return;
    /* a Ctrl-C already received with the resume packet */
    if (g->cfd >= 0 && memchr(g->in + g->in_head, 0x03, g->in_len - g->in_head)) {
        g->in_head = g->in_len = 0;
        __atomic_store_n(&g->intr_req, 1, __ATOMIC_SEQ_CST);
        a83_request_stop(g->m);
    }
    if (pthread_create(&g->th, NULL, watcher, g) == 0)
        g->th_running = true;
}

static void watcher_stop(a83_gdb *g)
{
    if (!g->th_running)
        return;
    char b = 1;
    (void)!write(g->wake[1], &b, 1);
    pthread_join(g->th, NULL);
    g->th_running = false;
    while (read(g->wake[0], &b, 1) == 1)
        ;
}

static void set_client(a83_gdb *g, int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    g->cfd = fd;
    pin_observed(g, true);
    g->in_len = g->in_head = 0;
    gdbrx_init(&g->rx);
}

/* A stop inside a hook: serve the debugger, then let the run go on. */
static void hook_session(a83_gdb *g, unsigned cpu)
{
    watcher_stop(g);
    all_hook_set(g, false);
    g->step_cpu = -1;
    g->stop_cpu = g->gcpu = g->ccpu = cpu;
    int act = session(g, true);
    apply_resume(g, act);
    if (act == GDB_ACT_KILL)
        a83_request_stop(g->m);   /* before this instruction, for a code hook */
    watcher_start(g);
}

/* ---- Public entry points ---------------------------------------------------- */

a83_gdb *gdbstub_create(a83_machine *m)
{
    a83_gdb *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->reply = malloc(GDB_REPLY_CAP);
    if (!g->reply) {
        free(g);
        return NULL;
    }
    g->m = m;
    g->lfd = g->cfd = -1;
    g->wake[0] = g->wake[1] = -1;
    g->step_cpu = -1;
    gdbrx_init(&g->rx);
    snprintf(g->stop_reply, sizeof g->stop_reply, "T%02xthread:1;", GDB_SIGTRAP);
    return g;
}

static a83_err fail(char *msg, size_t len, a83_err err, const char *fmt, const char *arg)
{
    if (msg && len)
        snprintf(msg, len, fmt, arg);
    return err;
}

a83_err a83_gdb_open(a83_machine *m, const char *spec, a83_gdb **out, char *msg, size_t len)
{
    if (!m || !spec || !out)
        return A83_ERR_ARG;
    *out = NULL;
    char host[64] = "127.0.0.1";
    const char *port_s = spec;
    if (!strncmp(spec, "tcp:", 4)) {
        const char *h = spec + 4, *colon = strrchr(h, ':');
        if (!colon)
            return fail(msg, len, A83_ERR_CONFIG, "'%s' is not tcp:HOST:PORT", spec);
        size_t hl = (size_t)(colon - h);
        if (hl >= sizeof host)
            return fail(msg, len, A83_ERR_CONFIG, "host name too long in '%s'", spec);
        if (hl) {
            memcpy(host, h, hl);
            host[hl] = 0;
        }
        port_s = colon + 1;
    } else if (strchr(spec, ':')) {
        return fail(msg, len, A83_ERR_CONFIG, "'%s' is not tcp:HOST:PORT (only TCP is supported)", spec);
    }
    char *e;
    errno = 0;
    unsigned long port = strtoul(port_s, &e, 10);
    if (!*port_s || *e || errno || port > 65535)
        return fail(msg, len, A83_ERR_CONFIG, "'%s' is not a TCP port number", port_s);
    /* Loopback only: the protocol reads and writes all guest state and has
     * no authentication. */
    bool v6 = false;
    struct in_addr a4;
    struct in6_addr a6;
    if (!strcmp(host, "localhost"))
        strcpy(host, "127.0.0.1");
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = 0;
    }
    if (inet_pton(AF_INET, host, &a4) == 1) {
        if ((ntohl(a4.s_addr) >> 24) != 127)
            return fail(msg, len, A83_ERR_CONFIG,
                        "refusing to listen on %s: only loopback addresses (127.0.0.1, ::1) are "
                        "allowed", host);
    } else if (inet_pton(AF_INET6, host, &a6) == 1) {
        if (!IN6_IS_ADDR_LOOPBACK(&a6))
            return fail(msg, len, A83_ERR_CONFIG,
                        "refusing to listen on %s: only loopback addresses (127.0.0.1, ::1) are "
                        "allowed", host);
        v6 = true;
    } else {
        return fail(msg, len, A83_ERR_CONFIG,
                    "'%s' is not a loopback address (127.0.0.1, localhost or ::1)", host);
    }
    a83_gdb *g = gdbstub_create(m);
    if (!g)
        return A83_ERR_NOMEM;
    g->lfd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (g->lfd >= 0)
        setsockopt(g->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (v6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_addr = a6;
        s6->sin6_port = htons((uint16_t)port);
        sl = sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_addr = a4;
        s4->sin_port = htons((uint16_t)port);
        sl = sizeof *s4;
    }
    if (g->lfd < 0 || bind(g->lfd, (struct sockaddr *)&ss, sl) || listen(g->lfd, 1) ||
        pipe2(g->wake, O_CLOEXEC | O_NONBLOCK)) {
        char why[128];
        snprintf(why, sizeof why, "%s:%lu: %s", host, port, strerror(errno));
        a83_gdb_close(g);
        return fail(msg, len, A83_ERR_IO, "cannot listen on %s", why);
    }
    getsockname(g->lfd, (struct sockaddr *)&ss, &sl);
    g->port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
    *out = g;
    return A83_OK;
}

unsigned a83_gdb_port(const a83_gdb *g) { return g ? g->port : 0; }

bool a83_gdb_killed(const a83_gdb *g) { return g && g->killed; }

/* The stop reply for a stop outside a hook (attach, Ctrl-C, halt). */
static void stop_outside(a83_gdb *g, int sig)
{
    g->stop_cpu = g->gcpu = g->ccpu = g->stop_cpu < ncpus(g) ? g->stop_cpu : 0;
    snprintf(g->stop_reply, sizeof g->stop_reply, "T%02xthread:%x;", sig, g->stop_cpu + 1);
}

a83_err a83_gdb_wait(a83_gdb *g)
{
    if (!g || g->lfd < 0)
        return A83_ERR_ARG;
    if (g->cfd < 0) {
        int fd;
        do
            fd = accept(g->lfd, NULL, NULL);
        while (fd < 0 && errno == EINTR);
        if (fd < 0)
            return A83_ERR_IO;
        set_client(g, fd);
        stop_outside(g, GDB_SIGTRAP);
        /* resumed, killed, or detached (then the machine runs without a
         * debugger until one connects) */
        apply_resume(g, session(g, false));
    }
    return A83_OK;
}

static uint64_t total_insns(a83_machine *m)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < a83_cpu_count(m); i++)
        t += cpu_insns_of(m, i);
    return t;
}

a83_err a83_gdb_run(a83_gdb *g, uint64_t max_insns, a83_stop_reason *why)
{
    if (!g)
        return A83_ERR_ARG;
    a83_stop_reason r = A83_STOP_NONE;
    uint64_t start = total_insns(g->m);
    bool reported_halt = false;
    while (!g->killed) {
        uint64_t left = 0;
        if (max_insns) {
            uint64_t done = total_insns(g->m) - start;
            if (done >= max_insns) {
                r = A83_STOP_LIMIT;
                break;
            }
            left = max_insns - done;
        }
        if (__atomic_load_n(&g->intr_req, __ATOMIC_SEQ_CST)) {
            r = A83_STOP_REQUEST;   /* a Ctrl-C that came with the resume */
        } else {
            watcher_start(g);
            a83_run(g->m, left, &r);
            watcher_stop(g);
        }
        if (g->killed)
            break;
        int act = GDB_ACT_NONE;
        if (r == A83_STOP_REQUEST && __atomic_exchange_n(&g->disconnected, 0, __ATOMIC_SEQ_CST)) {
            drop_client(g);
            continue;
        } else if (r == A83_STOP_REQUEST && __atomic_exchange_n(&g->new_client, 0, __ATOMIC_SEQ_CST)) {
            if (g->cfd >= 0)
                close(g->new_fd);   /* one debugger at a time */
            else
                set_client(g, g->new_fd);
            stop_outside(g, GDB_SIGTRAP);
            act = session(g, false);
        } else if (r == A83_STOP_REQUEST && __atomic_exchange_n(&g->intr_req, 0, __ATOMIC_SEQ_CST)) {
            if (g->cfd < 0)
                continue;
            stop_outside(g, GDB_SIGINT);
            act = session(g, true);
        } else if (r == A83_STOP_HALTED && g->cfd >= 0 && !reported_halt) {
            /* nothing can ever run again: let the debugger look at why */
            reported_halt = true;
            stop_outside(g, GDB_SIGTRAP);
            act = session(g, true);
        } else {
            break;
        }
        apply_resume(g, act);
    }
    if (g->killed)
        r = A83_STOP_REQUEST;
    if (why)
        *why = r;
    return A83_OK;
}

void a83_gdb_report_exit(a83_gdb *g, a83_stop_reason why, int status)
{
    if (!g || g->cfd < 0 || g->killed)
        return;
    char buf[16];
    if (why == A83_STOP_REQUEST)
        snprintf(buf, sizeof buf, "X%02x", GDB_SIGINT);
    else
        snprintf(buf, sizeof buf, "W%02x", (unsigned)status & 0xff);
    send_packet(g, buf, strlen(buf));
}

a83_err a83_gdb_set_machine(a83_gdb *g, a83_machine *m)
{
    if (!g || !m)
        return A83_ERR_ARG;
    g->m = m;
    g->all_hook = 0;   /* the old machine's hooks went with it */
    g->pin_hook = 0;
    if (g->cfd >= 0)
        pin_observed(g, true);
    g->step_cpu = -1;
    g->watch_pending = false;
    for (unsigned i = 0; i < A83_MAX_CPUS; i++)
        g->skip_valid[i] = false;
    if (g->gcpu >= ncpus(g))
        g->gcpu = g->ccpu = g->stop_cpu = 0;
    for (unsigned i = 0; i < g->nbp; i++)
        if (bp_install(g, &g->bp[i]) != A83_OK)
            return A83_ERR_NOMEM;
    return A83_OK;
}

void a83_gdb_close(a83_gdb *g)
{
    if (!g)
        return;
    watcher_stop(g);
    if (g->m) {
        remove_all_hooks(g);
        pin_observed(g, false);
    }
    if (g->cfd >= 0)
        close(g->cfd);
    if (g->lfd >= 0)
        close(g->lfd);
    for (int i = 0; i < 2; i++)
        if (g->wake[i] >= 0)
            close(g->wake[i]);
    free(g->last);
    free(g->reply);
    free(g);
}
