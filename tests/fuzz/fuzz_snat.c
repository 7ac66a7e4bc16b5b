/* fuzz_snat.c — libFuzzer target: arbitrary bytes as the snat file, read by parse_snat with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "snat", parse_snat, FUZZ_HOSTS, true);
}
