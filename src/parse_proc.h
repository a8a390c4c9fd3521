/* Pure parsers of per-process /proc text: /proc/PID/fdinfo/N, /proc/PID/maps lines,
 * /proc/PID/status signal lines, /proc/locks lines. Buffers in, records out, no I/O:
 * unit-tested (tests/test_parse_proc.c) and fuzzed (tests/fuzz/fuzz_proc.c). */
#ifndef IPCTOP_PARSE_PROC_H
#define IPCTOP_PARSE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One inotify watch: "inotify wd:1 ino:a2 sdev:800001 mask:fff ignored_mask:0 ...".
 * wd, ino, sdev and mask are all hexadecimal in the kernel's text ("wd:%x"); sdev is
 * kept as the kernel's encoding major << 20 | minor, not glibc's dev_t. */
#define WATCH_HANDLE_MAX 128         /* MAX_HANDLE_SZ */

struct inotify_watch {
	int wd;
	uint64_t ino;
	uint64_t sdev;
	uint32_t mask;
	/* the watched file's handle, for open_by_handle_at(2); bytes 0 when absent */
	unsigned int handle_bytes;
	int handle_type;
	unsigned char handle[WATCH_HANDLE_MAX];
};

/* One epoll target: "tfd:        5 events:       19 data: ... pos:0 ino:3 sdev:d".
 * events, ino and sdev are hexadecimal; ino and sdev are 0 when the line lacks them
 * (older kernels); sdev is major << 20 | minor like an inotify watch's. */
struct epoll_target {
	int fd;
	uint32_t events;
	uint64_t ino;
	uint64_t sdev;
};

enum fdinfo_has {
	FDI_POS = 1u << 0,
	FDI_FLAGS = 1u << 1,
	FDI_MNT_ID = 1u << 2,
	FDI_INO = 1u << 3,
	FDI_EVENTFD = 1u << 4,      /* eventfd-count seen (eventfd_id/semaphore may follow) */
	FDI_EVENTFD_ID = 1u << 5,
	FDI_SIGMASK = 1u << 6,      /* signalfd */
	FDI_TIMER = 1u << 7,        /* timerfd: clockid seen */
	FDI_PIDFD = 1u << 8,        /* "Pid:" seen */
	FDI_TTY = 1u << 9,          /* "tty-index:" seen (ptmx master) */
};

/* /proc/PID/fdinfo/N. Lines the parser does not know are skipped; a known line
 * with a malformed value is skipped too (its FDI_ bit stays clear). */
struct fdinfo {
	unsigned int has;           /* FDI_* bits for what was seen */
	uint64_t pos;               /* "%lli": a negative loff_t is kept as its two's complement */
	unsigned int flags;         /* "flags:" is octal: O_ACCMODE, O_NONBLOCK, ... */
	int mnt_id;
	uint64_t ino;               /* "ino:" (Linux >= 5.14) */

	uint64_t eventfd_count;     /* "eventfd-count:" is hexadecimal */
	uint64_t eventfd_id;        /* "eventfd-id:" decimal */
	bool eventfd_semaphore;     /* "eventfd-semaphore: 1" */

	uint64_t sigmask;           /* signalfd "sigmask:" hexadecimal, bit n-1 = signal n */

	int clockid;                /* timerfd */
	uint64_t ticks;
	unsigned int settime_flags; /* "settime flags:" octal */
	int64_t value_sec, value_nsec;      /* "it_value: (s, ns)" */
	int64_t interval_sec, interval_nsec;/* "it_interval: (s, ns)" */

	int pidfd_pid;              /* "Pid:" decimal; -1 when the process is gone, 0 when
				     * it is outside our pid namespace */

	int tty_index;              /* "tty-index:" of a ptmx master */

	struct inotify_watch *watches;  /* malloc'd; free with fdinfo_free() */
	size_t nwatches;
	struct epoll_target *targets;   /* malloc'd */
	size_t ntargets;
};

/* Returns 0 (even when nothing was recognised); -1 only when out of memory (then
 * nothing is kept). "ticks:", "settime flags:", "it_value:", "it_interval:" count only
 * after "clockid:", "eventfd-semaphore:" only after "eventfd-count:". The "lock:" lines
 * are skipped: their text after "lock:\t" is a /proc/locks line. fdinfo_free() resets
 * *fi and may be called twice. */
int fdinfo_parse(const char *buf, size_t len, struct fdinfo *out);
void fdinfo_free(struct fdinfo *fi);

/* One line of /proc/PID/mountinfo: "36 35 98:0 /mnt1 /mnt2 rw,noatime - ext3 ...".
 * The mount point is written into point (at most size - 1 bytes and a NUL) with the
 * kernel's octal escapes (\040 for a space, \012, \134...) decoded. Returns 0, or -1
 * for a malformed line or a mount point that does not fit. */
int mountinfo_parse_line(const char *line, size_t len, unsigned int *major, unsigned int *minor,
			 char *point, size_t size);

/* One line of /proc/PID/maps (without its newline; one trailing '\n' is tolerated):
 * "7f00a000-7f00b000 rw-s 00000000 00:01 1234     /SYSV00000000 (deleted)".
 * The kernel escapes a newline in a path as "\012", so lines can be split on '\n'.
 * path is the rest of the line after the padding, raw: "\012" is not decoded (a
 * backslash is not escaped, so it is ambiguous; proc_scan.c reads the map_files link
 * of a shared file whose path has a backslash), and "[heap]", "[stack]", "[vdso]",
 * "[anon:NAME]" come back as they are. SysV segments always read "(deleted)". */
struct map_entry {
	uint64_t start, end;
	bool read, write, exec, shared;   /* perms "rwxs" / "rwxp" */
	uint64_t offset;
	unsigned int major, minor;        /* hexadecimal in the text */
	uint64_t inode;
	const char *path;                 /* points into the line; NULL when anonymous */
	size_t path_len;                  /* without " (deleted)" */
	bool deleted;                     /* the path ended in " (deleted)" */
};

/* Returns 0, or -1 when the line is malformed (*out is then unspecified). */
int maps_parse_line(const char *line, size_t len, struct map_entry *out);

/* What a mapping is, from its line alone. The kernel's internal shm mount (and the
 * other internal mounts) have major 0, so a file elsewhere named like one is not. */
enum map_class {
	MAPC_OTHER,
	MAPC_SYSV,          /* "/SYSV<8 hex digits> (deleted)", major 0 */
	MAPC_MEMFD,         /* "/memfd:NAME (deleted)", major 0 */
	MAPC_SHARED_ANON,   /* shared, "/dev/zero (deleted)" or "[anon_shmem:NAME]", major 0 */
	MAPC_SHARED_FILE,   /* shared, a path with an inode: a file, or a device (the caller
			     * tells them apart) */
};

/* Classifies m; *name and *name_len get the memfd's NAME, the anon_shmem NAME, or
 * the path of a shared file (empty for the rest). A deleted file of an internal
 * mount named at its root ("/i915", "/dmabuf:...": kernel buffers) is MAPC_OTHER. */
enum map_class maps_classify(const struct map_entry *m, const char **name, size_t *name_len);

/* The NAME of a memfd's descriptor link "/memfd:NAME (deleted)": 0, or -1 when the
 * link is not shaped so. */
int memfd_link_name(const char *link, size_t len, const char **name, size_t *name_len);

/* The index of the pseudo-terminal whose slave (/dev/pts/N) has this device number:
 * majors 136 to 143 (UNIX98_PTY_SLAVE_MAJOR and the 7 after), index = minor + 256 *
 * (major - 136); -1 when the device is not a pty slave. */
int pty_slave_index(unsigned int major, unsigned int minor);

/* Signal lines of /proc/PID/status. Masks are hexadecimal, bit n-1 = signal n. */
enum status_has {
	ST_SIGQ = 1u << 0, ST_SIGPND = 1u << 1, ST_SHDPND = 1u << 2, ST_SIGBLK = 1u << 3,
	ST_SIGIGN = 1u << 4, ST_SIGCGT = 1u << 5, ST_UID = 1u << 6,
};

struct proc_status {
	unsigned int has;
	uint64_t sigq_queued, sigq_limit;   /* "SigQ:\t0/63413" */
	uint64_t sigpnd, shdpnd, sigblk, sigign, sigcgt;
	unsigned int uid[4];                /* "Uid:" real, effective, saved, fs */
};

/* Returns 0. Masks longer than 64 bits (MIPS has 128 signals) keep signals 1 to 64.
 * Unknown lines, and known lines with a malformed value, are skipped (bit clear). */
int status_parse(const char *buf, size_t len, struct proc_status *out);

/* One line of /proc/locks (one trailing '\n' tolerated):
 *   "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
 *   "1: -> FLOCK  ADVISORY  WRITE 1235 00:19:42 0 EOF"   (a waiter of lock 1)
 * Lock types FLOCK, POSIX, OFDLCK, ACCESS, LEASE, DELEG, ...; the kernel prints a pid
 * of -1 for every OFD lock (it has no owning process), kept as -1. type and access
 * are upper-case letters only. A lock with no inode ("<none>:0") reads as 00:00:0. */
struct lock_entry {
	unsigned int num;
	bool waiter;                /* "->": blocked waiting for lock num */
	char type[12];              /* "FLOCK", "POSIX", "OFDLCK", ... NUL-terminated */
	bool mandatory;             /* "MANDATORY" rather than "ADVISORY" */
	char access[8];             /* "READ", "WRITE", "RW", "NONE" (leases: "UNLCK"...) */
	int pid;
	unsigned int major, minor;  /* hexadecimal */
	uint64_t inode;             /* decimal */
	uint64_t start;
	uint64_t end;               /* UINT64_MAX for "EOF" */
};

/* Returns 0, or -1 when the line is malformed. */
int locks_parse_line(const char *line, size_t len, struct lock_entry *out);

/* The container a process is in, from its /proc/PID/cgroup (v1 or v2 lines): the
 * runtime and a short id, "docker:0123456789ab", "podman:...", "containerd:...",
 * "crio:...", "kubepods:..." (any runtime under kubepods; the container's id),
 * "nspawn:NAME" (systemd-nspawn, machine-NAME.scope or systemd-nspawn@NAME.service),
 * "lxc:NAME". Writes a NUL-terminated string to out (truncated to outlen) and returns
 * 0, or -1 when no line names a container. The innermost component wins. */
int cgroup_container(const char *buf, size_t len, char *out, size_t outlen);

#endif
