/* commands.h — one function per CLI command; main.c dispatches through its table. */
#ifndef SHOREWALL_COMMANDS_H
#define SHOREWALL_COMMANDS_H 1

int cmd_check(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_ipsec_policy(int argc, char **argv); /* cmd_ipsec_policy.c */
int cmd_explain(int argc, char **argv);      /* cmd_explain.c */
/* cmd_apply.c */
int cmd_start(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_clear(int argc, char **argv);
/* cmd_state.c */
int cmd_status(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_restore(int argc, char **argv);
/* cmd_try.c */
int cmd_try(int argc, char **argv);
int cmd_safe_start(int argc, char **argv);
int cmd_safe_restart(int argc, char **argv);
int cmd_safe_reload(int argc, char **argv);

#endif /* SHOREWALL_COMMANDS_H */
