/* fuzz_policy.c — libFuzzer target: arbitrary bytes as the policy file, read by parse_policy with the canned context. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parser(data, size, "policy", parse_policy, FUZZ_HOSTS, true);
}
