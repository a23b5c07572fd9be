/* The same program as smp_order.c: a second run must print the same bytes. */
#include "smp_order.c"
