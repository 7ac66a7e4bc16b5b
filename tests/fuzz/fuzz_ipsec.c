/* fuzz_ipsec.c — libFuzzer target: arbitrary bytes as the 2.2 ipsec file, read by parse_ipsec with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "ipsec", parse_ipsec, FUZZ_ZONES, true);
}
