/* fuzz_modules.c — libFuzzer target: arbitrary bytes as the modules file, read by parse_modules with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "modules", parse_modules, FUZZ_BARE, true);
}
