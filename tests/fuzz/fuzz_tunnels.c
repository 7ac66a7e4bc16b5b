/* fuzz_tunnels.c — libFuzzer target: arbitrary bytes as the tunnels file, read by parse_tunnels with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "tunnels", parse_tunnels, FUZZ_HOSTS, true);
}
