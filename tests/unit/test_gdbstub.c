/*
 * The GDB stub's protocol layer (src/dev/gdbproto.c) and packet dispatcher
 * (src/dev/gdbstub.c, gdbstub_handle) without sockets, and the debugger
 * memory API (arm83emu/debug.h). GDB manual appendix E ("Overview":
 * $body#cc framing, modulo-256 checksum, '+'/'-' acks, 0x03 interrupt,
 * '}' escapes; "Packets": the reply forms, E NN errors, the empty reply for
 * unsupported packets). The fuzz tests feed seeded pseudo-random input
 * (deterministic: the same bytes every run) and check the invariants that
 * must hold for any input: no crash, replies NUL-terminated and in bounds,
 * the receiver back to idle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arm83emu/debug.h"
#include "dev/gdbproto.h"
#include "dev/gdbstub_int.h"

static uint64_t rng_state;
static uint64_t rng(void)
{
    /* xorshift64*, seeded per test: deterministic */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static GdbRxEvent feed_str(GdbRx *rx, const char *s)
{
    GdbRxEvent last = GDBRX_NONE;
    for (; *s; s++) {
        GdbRxEvent e = gdbrx_feed(rx, (uint8_t)*s);
        if (e != GDBRX_NONE)
            last = e;
    }
    return last;
}

/* Framing: checksum = sum of the body mod 256 in two hex digits. */
static void test_framing(void **state)
{
    (void)state;
    GdbRx rx;
    gdbrx_init(&rx);
    /* 'g' = 0x67 */
    assert_int_equal(feed_str(&rx, "$g#67"), GDBRX_PACKET);
    assert_string_equal(rx.buf, "g");
    assert_int_equal(feed_str(&rx, "$g#68"), GDBRX_BADSUM);
    assert_int_equal(feed_str(&rx, "$g#6z"), GDBRX_BADSUM);
    assert_int_equal(feed_str(&rx, "$g#z7"), GDBRX_BADSUM);
    assert_int_equal(feed_str(&rx, "+"), GDBRX_ACK);
    assert_int_equal(feed_str(&rx, "-"), GDBRX_NAK);
    assert_int_equal(gdbrx_feed(&rx, 0x03), GDBRX_INTR);
    /* garbage between packets, then a packet restarted by a second '$' */
    assert_int_equal(feed_str(&rx, "xyz$qC$?#3f"), GDBRX_PACKET);
    assert_string_equal(rx.buf, "?");
    /* overlong */
    gdbrx_feed(&rx, '$');
    for (int i = 0; i < GDB_MAX_PACKET + 10; i++)
        gdbrx_feed(&rx, 'a');
    assert_int_equal(feed_str(&rx, "#00"), GDBRX_OVERLONG);
    assert_int_equal(rx.state, 0);

    /* frame + receive round trip, with the characters that need escapes */
    char out[64];
    const char body[] = "a$b#c}d*e";
    size_t n = gdb_frame(body, strlen(body), out, sizeof out);
    assert_true(n > 0);
    out[n] = 0;
    assert_int_equal(feed_str(&rx, out), GDBRX_PACKET);
    size_t k = gdb_unescape(rx.buf, rx.len);
    assert_int_equal(k, strlen(body));
    assert_memory_equal(rx.buf, body, k);
    assert_int_equal(gdb_frame(body, strlen(body), out, 8), 0);   /* too small: refused */

    /* hex helpers */
    const char *p = "1f,";
    uint64_t v;
    assert_true(gdb_parse_hex(&p, p + 3, &v));
    assert_int_equal(v, 0x1f);
    assert_int_equal(*p, ',');
    p = "11111111111111111";   /* 17 digits: overflow */
    assert_false(gdb_parse_hex(&p, p + 17, &v));
    p = ",";
    assert_false(gdb_parse_hex(&p, p + 1, &v));
    char hex[32] = "";
    gdb_hex_le(0x0102030405060708ull, 8, hex);
    assert_string_equal(hex, "0807060504030201");
    char esc[] = "}";
    assert_int_equal(gdb_unescape(esc, 1), (size_t)-1);
}

/* The receiver on random bytes: never out of bounds, every event valid. */
static void test_fuzz_receiver(void **state)
{
    (void)state;
    GdbRx rx;
    gdbrx_init(&rx);
    rng_state = 0x9e3779b97f4a7c15ull;
    unsigned packets = 0;
    for (int i = 0; i < 2000000; i++) {
        uint64_t r = rng();
        /* bias towards the framing characters */
        static const char special[] = "$#+-}\x03" "0123456789abcdef";
        uint8_t b = (r & 3) ? (uint8_t)special[(r >> 8) % (sizeof special - 1)] : (uint8_t)(r >> 16);
        GdbRxEvent e = gdbrx_feed(&rx, b);
        assert_true(e >= GDBRX_NONE && e <= GDBRX_INTR);
        assert_true(rx.len <= GDB_MAX_PACKET);
        if (e == GDBRX_PACKET)
            packets++;
    }
    assert_true(packets > 0);   /* some random packets had a right checksum */
}

static a83_machine *make_machine(unsigned ncpus)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    for (unsigned i = 0; i < ncpus; i++) {
        assert_int_equal(a83_reg_write(m, i, A83_REG_PSTATE, 0x3c9), A83_OK);   /* EL2h, DAIF */
        assert_int_equal(a83_reg_write(m, i, A83_REG_PC, 0x40080000), A83_OK);
    }
    return m;
}

static const char *handle(a83_gdb *g, const char *pkt, int *act)
{
    static char buf[GDB_MAX_PACKET + 1];
    static char reply[GDB_REPLY_CAP];
    size_t n = strlen(pkt);
    memcpy(buf, pkt, n + 1);
    bool noreply;
    *act = gdbstub_handle(g, buf, n, reply, &noreply);
    return reply;
}

/* Known packets: the replies the GDB manual specifies. */
static void test_dispatch(void **state)
{
    (void)state;
    a83_machine *m = make_machine(2);
    a83_gdb *g = gdbstub_create(m);
    assert_non_null(g);
    int act;
    uint32_t word = 0xd503201f;   /* NOP */
    assert_int_equal(a83_phys_write(m, 0x40080000, &word, 4), A83_OK);
    assert_string_equal(handle(g, "m40080000,4", &act), "1f2003d5");
    assert_int_equal(act, GDB_ACT_NONE);
    assert_string_equal(handle(g, "M40080004,4:1f2003d5", &act), "OK");
    assert_string_equal(handle(g, "m40080004,4", &act), "1f2003d5");
    assert_string_equal(handle(g, "X40080008,1:}]", &act), "OK");   /* '}' ']'^0x20 = '}' */
    assert_string_equal(handle(g, "m40080008,1", &act), "7d");
    assert_string_equal(handle(g, "p20", &act), "0000084000000000");   /* pc */
    assert_string_equal(handle(g, "P1=2a00000000000000", &act), "OK");
    uint64_t x1;
    a83_reg_read(m, 0, A83_REG_X0 + 1, &x1);
    assert_int_equal(x1, 42);
    assert_string_equal(handle(g, "p44", &act), "0800000000000000");   /* CurrentEL = EL2 */
    assert_string_equal(handle(g, "P44=0400000000000000", &act), "E01"); /* read-only */
    assert_string_equal(handle(g, "Hg2", &act), "OK");
    assert_string_equal(handle(g, "p1", &act), "0000000000000000");    /* CPU 1's x1 */
    assert_string_equal(handle(g, "Hg3", &act), "E01");
    assert_string_equal(handle(g, "qfThreadInfo", &act), "m1,2");
    assert_string_equal(handle(g, "T2", &act), "OK");
    assert_string_equal(handle(g, "T3", &act), "E01");
    assert_string_equal(handle(g, "Z0,40080000,4", &act), "OK");
    assert_string_equal(handle(g, "z0,40080000,4", &act), "OK");
    assert_string_equal(handle(g, "Z2,40100000,8", &act), "OK");
    assert_string_equal(handle(g, "z2,40100000,8", &act), "OK");
    handle(g, "vCont;s:2;c", &act);
    assert_int_equal(act, GDB_ACT_STEP);
    handle(g, "c", &act);
    assert_int_equal(act, GDB_ACT_CONT);
    handle(g, "D", &act);
    assert_int_equal(act, GDB_ACT_DETACH);
    handle(g, "k", &act);
    assert_int_equal(act, GDB_ACT_KILL);
    assert_string_equal(handle(g, "qSomethingElse", &act), "");
    a83_gdb_close(g);
    a83_machine_destroy(m);
}

/* The dispatcher on random packets: prefixes of real packets followed by
 * random hex, separators and bytes. Replies must stay in bounds and be
 * NUL-terminated; afterwards the machine still runs. */
static void test_fuzz_dispatch(void **state)
{
    (void)state;
    a83_machine *m = make_machine(2);
    a83_gdb *g = gdbstub_create(m);
    assert_non_null(g);
    static const char *const prefix[] = {
        "m", "M", "X", "p", "P", "g", "G", "Z0,", "Z1,", "Z2,", "Z3,", "Z4,", "z0,", "z4,", "Hg",
        "Hc", "T", "?", "c", "s", "C", "S", "vCont;", "vCont?", "qXfer:features:read:target.xml:",
        "qRcmd,", "qThreadExtraInfo,", "qSupported", "qC", "QStartNoAckMode", "v", "q", "",
    };
    static const char alphabet[] = "0123456789abcdefABCDEF,:;=-x}#$";
    rng_state = 0x0123456789abcdefull;
    static char reply[GDB_REPLY_CAP];
    static char pkt[GDB_MAX_PACKET + 1];
    for (int i = 0; i < 30000; i++) {
        uint64_t r = rng();
        const char *pre = prefix[r % (sizeof prefix / sizeof prefix[0])];
        size_t n = strlen(pre);
        memcpy(pkt, pre, n);
        size_t extra = (size_t)(rng() % 48);
        if (rng() % 64 == 0)
            extra = (size_t)(rng() % (GDB_MAX_PACKET - 64));
        for (size_t k = 0; k < extra; k++) {
            uint64_t q = rng();
            pkt[n++] = (q & 7) ? alphabet[(q >> 8) % (sizeof alphabet - 1)] : (char)(q >> 16);
        }
        pkt[n] = 0;
        memset(reply, 0x55, 64);
        bool noreply;
        int act = gdbstub_handle(g, pkt, n, reply, &noreply);
        assert_true(act >= GDB_ACT_NONE && act <= GDB_ACT_KILL);
        assert_non_null(memchr(reply, 0, GDB_REPLY_CAP));
    }
    a83_gdb_close(g);
    /* the state the random packets left is still a machine that runs */
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 1000, &why), A83_OK);
    a83_machine_destroy(m);
}

/* a83_va_to_pa with the MMU off is the identity (Arm ARM D8.2.11, stage 1
 * disabled), charges nothing, and refuses what no walk can give. */
static void test_va_access(void **state)
{
    (void)state;
    a83_machine *m = make_machine(1);
    uint64_t pa = 0, cyc0, cyc1;
    a83_cpu_counters(m, 0, NULL, &cyc0);
    assert_int_equal(a83_va_to_pa(m, 0, 0x40001234, &pa), A83_OK);
    assert_int_equal(pa, 0x40001234);
    a83_cpu_counters(m, 0, NULL, &cyc1);
    assert_int_equal(cyc0, cyc1);
    uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, r[8] = { 0 };
    size_t done = 99;
    assert_int_equal(a83_va_write(m, 0, 0x40000ffc, b, 8, &done), A83_OK);   /* crosses a page */
    assert_int_equal(done, 8);
    assert_int_equal(a83_va_read(m, 0, 0x40000ffc, r, 8, &done), A83_OK);
    assert_memory_equal(r, b, 8);
    /* the last bytes of RAM, then past it: a partial read */
    uint64_t end = 0x40000000ull + (128ull << 20);
    assert_int_equal(a83_va_read(m, 0, end - 4, r, 8, &done), A83_ERR_UNMAPPED);
    assert_int_equal(done, 4);   /* the 4 bytes before the end were read */
    assert_int_equal(a83_va_read(m, 0, 0x08000000, r, 4, &done), A83_ERR_UNMAPPED);   /* GIC: MMIO */
    assert_int_equal(a83_va_to_pa(m, 5, 0, &pa), A83_ERR_ARG);
    assert_int_equal(a83_cpu_count(m), 1);
    bool on = false;
    assert_int_equal(a83_cpu_state(m, 0, &on, NULL), A83_OK);
    assert_true(on);
    a83_machine_destroy(m);
}

/* Only loopback addresses; bad specs are refused with a reason. */
static void test_open_spec(void **state)
{
    (void)state;
    a83_machine *m = make_machine(1);
    a83_gdb *g = NULL;
    char msg[256];
    assert_int_equal(a83_gdb_open(m, "tcp:0.0.0.0:0", &g, msg, sizeof msg), A83_ERR_CONFIG);
    assert_non_null(strstr(msg, "loopback"));
    assert_int_equal(a83_gdb_open(m, "tcp:10.1.2.3:0", &g, msg, sizeof msg), A83_ERR_CONFIG);
    assert_int_equal(a83_gdb_open(m, "tcp:example.com:0", &g, msg, sizeof msg), A83_ERR_CONFIG);
    assert_int_equal(a83_gdb_open(m, "tcp:127.0.0.1:x", &g, msg, sizeof msg), A83_ERR_CONFIG);
    assert_int_equal(a83_gdb_open(m, "udp:1:2", &g, msg, sizeof msg), A83_ERR_CONFIG);
    assert_int_equal(a83_gdb_open(m, "tcp:127.0.0.1:0", &g, msg, sizeof msg), A83_OK);
    assert_true(a83_gdb_port(g) > 0);
    a83_gdb_close(g);
    assert_int_equal(a83_gdb_open(m, "tcp:localhost:0", &g, msg, sizeof msg), A83_OK);
    a83_gdb_close(g);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing),
        cmocka_unit_test(test_fuzz_receiver),
        cmocka_unit_test(test_dispatch),
        cmocka_unit_test(test_fuzz_dispatch),
        cmocka_unit_test(test_va_access),
        cmocka_unit_test(test_open_spec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
