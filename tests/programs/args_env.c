/* tests/programs/args_env.c — argv and envp reach main intact. The runner starts this with
 * arguments: one "two words" "" x=y  and environment CELLA_TEST_A=alpha CELLA_TEST_B="b c=d". */
#include "check.h"

extern char **environ;

int main(int argc, char **argv, char **envp)
{
	static const char *want[] = { "one", "two words", "", "x=y" };
	expect_eq(argc, 5, "argc");
	expect_true(argv[argc] == NULL, "argv is NULL-terminated");
	for (int i = 0; i < 4; i++)
		expect_str(argv[i + 1], want[i], "argv[i]");
	ok("argv holds the 4 arguments given, including an empty one");
	expect_true(envp == environ, "envp == environ");
	ok("envp is environ");
	int n = 0;
	for (char **e = envp; *e; e++, n++)
		expect_true(strchr(*e, '=') != NULL, "every env entry has '='");
	expect_true(n >= 2, "at least the two test variables");
	ok("envp is NULL-terminated and every entry is NAME=value");
	expect_str(getenv("CELLA_TEST_A"), "alpha", "CELLA_TEST_A");
	expect_str(getenv("CELLA_TEST_B"), "b c=d", "CELLA_TEST_B");
	ok("CELLA_TEST_A and CELLA_TEST_B arrive with their values");
	expect_true(getenv("CELLA_TEST_UNSET") == NULL, "unset var");
	ok("an unset variable is absent");
	/* argv strings and env strings live on the initial stack, above argv[] itself */
	expect_true((void *)argv[0] > (void *)argv && (void *)envp[0] > (void *)argv, "strings above vectors");
	expect_true(envp == argv + argc + 1, "envp follows argv's NULL");
	ok("envp starts right after argv's NULL on the initial stack");
	return 0;
}
