/* fuzz_routestopped.c — libFuzzer target: arbitrary bytes as the 2.2 routestopped file, read by parse_routestopped with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "routestopped", parse_routestopped, FUZZ_HOSTS, true);
}
