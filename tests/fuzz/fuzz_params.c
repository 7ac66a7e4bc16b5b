/* fuzz_params.c — libFuzzer target: arbitrary bytes as the params file, read by parse_params with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "params", parse_params, FUZZ_BARE, false);
}
