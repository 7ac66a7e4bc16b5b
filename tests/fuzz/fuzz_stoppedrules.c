/* fuzz_stoppedrules.c — libFuzzer target: arbitrary bytes as the stoppedrules file, read by parse_stoppedrules with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "stoppedrules", parse_stoppedrules, FUZZ_HOSTS, true);
}
