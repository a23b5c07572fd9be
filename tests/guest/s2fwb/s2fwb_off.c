/* s2fwb.c run with -cpu max,s2fwb=off (s2fwb_off.args): FEAT_S2FWB absent
 * (ID_AA64MMFR2_EL1.FWB = 0, HCR_EL2.FWB RES0: MemAttr keeps its FWB = 0
 * meaning). */
#include "s2fwb.c"
