/* commands.h — one function per CLI command; main.c dispatches through its table. */
#ifndef SHOREWALL_COMMANDS_H
#define SHOREWALL_COMMANDS_H 1

int cmd_check(int argc, char **argv);

#endif /* SHOREWALL_COMMANDS_H */
