/* fgt.c run with -cpu max,fgt=off (fgt_off.args): FEAT_FGT absent
 * (ID_AA64MMFR0_EL1.FGT = 0, HFGRTR_EL2 ... HDFGWTR_EL2 UNDEFINED). */
#include "fgt.c"
