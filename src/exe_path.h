/* exe_path.h — where the shipped data (modules/, macros/) is when shorewall runs from a checkout. */
#ifndef SHOREWALL_EXE_PATH_H
#define SHOREWALL_EXE_PATH_H 1

#include <stdbool.h>
#include <stddef.h>

/* "<directory of the running binary>/../<name>" into out, if that is a directory: build-X/shorewall
 * then finds the checkout's ../modules and ../macros before anything is installed. */
bool exe_sibling_dir(const char *name, char *out, size_t len);

#endif /* SHOREWALL_EXE_PATH_H */
