/* exe_path.c — the checkout's data directories, found beside the running binary (exe_path.h). */
#include "exe_path.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool exe_sibling_dir(const char *name, char *out, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	int w = snprintf(out, len, "%s/../%s", exe, name);
	struct stat st;
	return w > 0 && (size_t)w < len && stat(out, &st) == 0 && S_ISDIR(st.st_mode);
}
