/* fuzz_hosts.c — libFuzzer target: arbitrary bytes as the hosts file, read by parse_hosts with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "hosts", parse_hosts, FUZZ_IFACES, true);
}
