/* peakrss: run a command, discard its output, print its peak resident set in KiB.
 * A small C parent keeps the measure honest: the child's high-water mark includes
 * what it had before exec, which for a Python parent would be Python's. */
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: peakrss COMMAND [ARG...]\n", stderr);
		return 2;
	}
	pid_t pid = fork();

	if (pid < 0) {
		perror("peakrss: fork");
		return 1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[1], argv + 1);
		perror("peakrss: exec");
		_exit(127);
	}

	int status;
	struct rusage ru;

	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("peakrss: wait4");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "peakrss: %s failed (status %d)\n", argv[1], status);
		return 1;
	}
	printf("%ld\n", ru.ru_maxrss);
	return 0;
}
