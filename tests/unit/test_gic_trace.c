/*
 * Exit-trace interrupt records name the INTID (branch xen): an IRQ taken to
 * EL2 records the highest-priority pending interrupt (GICv3 spec 4.8.2),
 * not the 1023 the trace recorder's GIC-less default gave.
 */
#include "gic_test_util.h"
#include "arm83emu/trace.h"
#include "trace/trace.h"

static a83_exit_record last;
static unsigned nrec;

static void on_exit(void *opaque, const a83_exit_record *r)
{
    (void)opaque;
    last = *r;
    nrec++;
}

static void test_irq_entry_intid(void **s)
{
    (void)s;
    Machine *m = mk_machine(2, true);
    a83_set_exit_callback(m, on_exit, NULL);
    gic_ready(m);
    CPUState *c1 = m->cpu[1];
    /* nothing pending: the IRQ record says 1023 */
    trace_exception_entry(c1, 1, 2, A83_VEC_IRQ, c1->cycles);
    assert_int_equal(nrec, 1);
    assert_int_equal(last.intid, 1023);
    /* SPI 45 (Group 1) and SPI 44 (Group 1, higher priority) routed to CPU 1 */
    spi_setup(m, 45, 1, 0x80, 1);
    spi_setup(m, 44, 1, 0x40, 1);
    wr32(m, GICD + 0x200 + 4, (1u << (45 - 32)) | (1u << (44 - 32)));   /* ISPENDR1 */
    trace_exception_entry(c1, 1, 2, A83_VEC_IRQ, c1->cycles);
    assert_int_equal(last.intid, 44);
    assert_int_equal(last.cpu, 1);
    /* a Group 1 interrupt does not explain an FIQ */
    trace_exception_entry(c1, 1, 2, A83_VEC_FIQ, c1->cycles);
    assert_int_equal(last.intid, 1023);
    /* CPU 0 has none of them */
    trace_exception_entry(m->cpu[0], 1, 2, A83_VEC_IRQ, m->cpu[0]->cycles);
    assert_int_equal(last.intid, 1023);
    /* synchronous entries carry 1023 */
    trace_exception_entry(c1, 1, 2, A83_VEC_SYNC, c1->cycles);
    assert_int_equal(last.intid, 1023);
    /* acknowledged (active) 44 is no longer pending: 45 is next */
    assert_int_equal(mrs(c1, "ICC_IAR1_EL1"), 44);
    trace_exception_entry(c1, 1, 2, A83_VEC_IRQ, c1->cycles);
    assert_int_equal(last.intid, 45);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_irq_entry_intid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
