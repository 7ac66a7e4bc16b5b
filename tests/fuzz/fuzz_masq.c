/* fuzz_masq.c — libFuzzer target: arbitrary bytes as the 2.2 masq file, read by parse_masq with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "masq", parse_masq, FUZZ_HOSTS, true);
}
