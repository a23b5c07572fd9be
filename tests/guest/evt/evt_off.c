/* evt.c run with -cpu max,evt=off,vhe=off (evt_off.args): FEAT_EVT absent
 * (ID field 0, HCR_EL2.TID4/TICAB/TOCU RES0, nothing traps) and
 * ID_AA64MMFR1_EL1.VH = 0. */
#include "evt.c"
