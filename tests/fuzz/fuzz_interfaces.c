/* fuzz_interfaces.c — libFuzzer target: arbitrary bytes as the interfaces file, read by parse_interfaces with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "interfaces", parse_interfaces, FUZZ_ZONES, true);
}
