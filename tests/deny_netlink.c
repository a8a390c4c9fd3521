/*
 * deny_netlink: run a command in which socket(AF_NETLINK, ...) fails, as on a kernel
 * without sock_diag or under a policy that forbids netlink.
 *
 * Usage: deny_netlink ERRNO COMMAND [ARG...]     (ERRNO: EPROTONOSUPPORT, EACCES, EPERM
 * or a number). Installs a seccomp filter (no new privileges) and execs COMMAND. Exit
 * status 77 when this architecture or kernel cannot do it (a test then skips).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH_NR AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH_NR AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define ARCH_NR AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARCH_NR AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define ARCH_NR AUDIT_ARCH_S390X
#endif

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: deny_netlink ERRNO COMMAND [ARG...]\n", stderr);
		return 2;
	}
	long err = strcmp(argv[1], "EPROTONOSUPPORT") == 0 ? EPROTONOSUPPORT :
		   strcmp(argv[1], "EACCES") == 0 ? EACCES :
		   strcmp(argv[1], "EPERM") == 0 ? EPERM : strtol(argv[1], NULL, 10);

	if (err <= 0 || err > 4095) {
		fprintf(stderr, "deny_netlink: bad errno '%s'\n", argv[1]);
		return 2;
	}
#if !defined(ARCH_NR) || !defined(__NR_socket)
	fputs("deny_netlink: this architecture is not supported\n", stderr);
	return 77;
#else
	struct sock_filter filter[] = {
		/* another architecture's system calls (a 32-bit program): allowed */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NR, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
		/* socket(domain, ...): the low 32 bits of the first argument */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned int)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		fprintf(stderr, "deny_netlink: seccomp: %s\n", strerror(errno));
		return 77;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "deny_netlink: %s: %s\n", argv[2], strerror(errno));
	return 127;
#endif
}
