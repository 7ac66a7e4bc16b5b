/* fuzz_conf.c — libFuzzer target: arbitrary bytes as the shorewall.conf file, read by parse_conf with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "shorewall.conf", parse_conf, FUZZ_BARE, true);
}
