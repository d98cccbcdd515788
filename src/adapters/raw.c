/*
 * raw: no protocol awareness, any ports.  Datagrams pass as they are.
 * The reference adapter: every hook is NULL.
 */
#include "dtlsgw/adapter.h"

const struct adapter_ops adapter_raw = {
	.name = "raw",
};
