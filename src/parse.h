/* Pure parsers of kernel text: byte buffers in, plain records out. No I/O here,
 * so each can be unit-tested and fuzzed on arbitrary bytes. */
#ifndef IPCTOP_PARSE_H
#define IPCTOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strict number parsing of a token [s, s+len): whole token, no sign unless allowed,
 * no overflow. Return 0 on success, -1 otherwise. */
int parse_u64(const char *s, size_t len, int base, uint64_t *out);
int parse_i64(const char *s, size_t len, int64_t *out);

/* Fields of /proc/sysvipc/{msg,shm,sem}, located by the header line's names. */
enum sysv_field {
	SF_KEY, SF_ID, SF_PERMS,
	SF_SIZE, SF_CPID, SF_LPID, SF_NATTCH,        /* shm */
	SF_CBYTES, SF_QNUM, SF_LSPID, SF_LRPID,      /* msg */
	SF_NSEMS,                                    /* sem */
	SF_UID, SF_GID, SF_CUID, SF_CGID,
	SF_ATIME, SF_DTIME, SF_CTIME,                /* shm */
	SF_STIME, SF_RTIME,                          /* msg */
	SF_OTIME,                                    /* sem */
	SF_RSS, SF_SWAP,                             /* shm, Linux >= 4.1 */
	SF_COUNT
};

struct sysv_record {
	int64_t key;
	uint64_t v[SF_COUNT];
	uint32_t has;              /* bit (1u << SF_*) set for fields present */
};

struct sysv_table {
	struct sysv_record *rec;
	size_t nrec;
	size_t bad_lines;          /* lines that did not parse, skipped */
};

/* Parse the whole text of a /proc/sysvipc file. Returns 0, or -1 if the header
 * lacks the key or id column (then nothing is returned). Free with sysv_table_free(). */
int sysv_parse(const char *buf, size_t len, struct sysv_table *out);
void sysv_table_free(struct sysv_table *t);

/* The text of an mqueue file: "QSIZE:129 NOTIFY:2 SIGNO:0 NOTIFY_PID:8260". */
struct mq_status {
	uint64_t qsize;
	int notify, signo;
	int64_t notify_pid;
	unsigned int has;          /* 1 qsize, 2 notify, 4 signo, 8 notify_pid */
};
int mq_status_parse(const char *buf, size_t len, struct mq_status *out);

/* Exactly count unsigned decimal numbers separated by whitespace, e.g. /proc/sys/fs/file-nr. */
int u64_fields_parse(const char *buf, size_t len, uint64_t *out, size_t count);

/* /proc/sys/kernel/sem: "SEMMSL SEMMNS SEMOPM SEMMNI". */
int sem_limits_parse(const char *buf, size_t len, uint64_t out[4]);

/* A single unsigned number with optional surrounding whitespace (a /proc/sys file). */
int sysctl_u64_parse(const char *buf, size_t len, uint64_t *out);

/* glibc's named semaphore layout (sem_t in a /dev/shm/sem.* file). Returns 0 and the
 * value and waiter count, -1 if the buffer cannot be a semaphore of this ABI. */
int posix_sem_decode(const unsigned char *buf, size_t len, int *value, int *waiters);

#endif
