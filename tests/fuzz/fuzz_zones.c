/* fuzz_zones.c — libFuzzer target: arbitrary bytes as the zones file, read by parse_zones with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "zones", parse_zones, FUZZ_CONF, true);
}
