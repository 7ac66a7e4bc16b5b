/* fuzz_rules.c — libFuzzer target: arbitrary bytes as the rules file, read by parse_rules with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "rules", parse_rules, FUZZ_HOSTS, true);
}
