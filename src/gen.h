/*
 * The traffic generator (--generate): pairs of worker processes, a producer and a
 * consumer, pass numbered, timestamped and checksummed messages through one IPC
 * mechanism each. gen.c is the engine (SPEC, names, workers' lives, results),
 * gen_worker.c the workers' loops, and one file per family of mechanisms
 * (gen_fd.c, gen_sock.c, gen_queue.c, gen_shm.c) fills a struct gen_mech.
 */
#ifndef IPCTOP_GEN_H
#define IPCTOP_GEN_H

#include <semaphore.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

enum gen_mech_id {
	GEN_PIPE, GEN_FIFO, GEN_UNIX_STREAM, GEN_UNIX_DGRAM, GEN_UNIX_SEQPACKET, GEN_SOCKETPAIR,
	GEN_POSIX_MQ, GEN_SYSV_MSG, GEN_POSIX_SHM, GEN_SYSV_SHM, GEN_EVENTFD, GEN_TCP,
	GEN_MECH_COUNT
};

#define GEN_MAX_PAIRS 32        /* per mechanism: the SysV key has 5 bits for the pair */
#define GEN_MIN_MSG 32          /* the header and a little payload */
#define GEN_MAX_MSG (1L << 20)
#define GEN_MAX_DURATION 86400.0
#define GEN_MAX_RATE 100000000L
#define GEN_DEFAULT_DURATION 10.0
#define GEN_DEFAULT_MSG 64

/* Names of what the generator creates; the pid is the generator's (the parent's). */
#define GEN_POSIX_PREFIX "ipctop-gen-"          /* POSIX names: /ipctop-gen-PID-... */
#define GEN_DIR_PREFIX "/tmp/ipctop-gen-"       /* FIFOs and socket files: /tmp/ipctop-gen-PID/ */
/* SysV keys: 0xF0000000 | pid << 5 | pair: 0xF0000000 to 0xF7FFFFFF is reserved. */
#define GEN_KEY_BASE 0xF0000000u
#define GEN_KEY_MASK 0xF8000000u

enum gen_pattern { GEN_STREAM, GEN_PINGPONG };

/* What --generate SPEC selected: pairs per mechanism, 0 for those not chosen. */
struct gen_spec {
	unsigned int pairs[GEN_MECH_COUNT];
};

struct gen_params {
	struct gen_spec spec;
	size_t msg_size;
	long rate;                  /* messages per second per pair; 0: as fast as possible */
	enum gen_pattern pattern;
	double duration;            /* seconds, always > 0 */
};

/* "SPEC [--msg-size N] [--rate N] [--pattern P] [--duration S]" (the full-screen
 * program's prompt) into p, which holds the defaults; -1 with err set. Pure. */
int gen_parse_args(const char *line, struct gen_params *p, char *err, size_t errlen);
/* Parse SPEC; on error -1 with a message naming the bad part in err. Pure. */
int gen_parse_spec(const char *s, struct gen_spec *out, char *err, size_t errlen);
const char *gen_mech_name(enum gen_mech_id m);
/* A mechanism by name, or -1. */
int gen_mech_by_name(const char *name, size_t len);

/* The generator pid a POSIX name (without '/'), a path or a SysV key encodes, or 0. */
pid_t gen_name_owner(const char *name, size_t len);
pid_t gen_path_owner(const char *path);
pid_t gen_key_owner(int32_t key);
int32_t gen_key(pid_t pid, unsigned int slot);
struct ipc_object;
/* The generator pid an object's name or key encodes, or 0 (gen_cleanup.c). */
pid_t gen_object_owner(const struct ipc_object *o);

/* ---- inside the engine and the mechanisms ---- */

#define GEN_HIST_SUB 8          /* sub-buckets per power of two */
#define GEN_HIST_BUCKETS (64 * GEN_HIST_SUB)

/* One worker's counters, in memory shared with the generator: the worker writes,
 * the generator reads (live values may be a little behind). */
struct gen_stats {
	volatile uint64_t msgs;             /* sent (producer) or received (consumer) */
	volatile uint64_t bytes;
	volatile uint64_t errors;           /* sequence, checksum or size errors */
	volatile uint64_t lat_min, lat_max; /* ns */
	volatile uint64_t lat_n;
	volatile uint64_t hist[GEN_HIST_BUCKETS];
	volatile int done;                  /* finished normally */
	char error[160];                    /* the reason it stopped, if it failed */
};

#define GEN_MAX_FDS 4
#define GEN_MAX_NAMES 5
#define GEN_PATH_LEN 108

/* One pair's objects. Index 0 is the producer, 1 the consumer. */
struct gen_chan {
	const struct gen_mech *mech;
	unsigned int pair;
	pid_t owner;                /* the generator's pid */
	size_t msg_size;
	bool pingpong;
	int keep[2][GEN_MAX_FDS];   /* the descriptors each worker keeps, -1 unused */
	int tx[2], rx[2];           /* what each sends on and receives from */
	int sysv[3];                /* SysV ids: message queue, segment, semaphore set (-1 none) */
	char paths[3][GEN_PATH_LEN];            /* files to unlink */
	char names[GEN_MAX_NAMES][64];          /* POSIX names: mq, shm, sem (with '/') */
	char name_kind[GEN_MAX_NAMES];          /* 'q' mq, 'm' shm, 's' sem */
	void *map;                  /* shared memory (rings) */
	size_t map_len;
	size_t slots;               /* ring slots per direction */
	sem_t *sem[4];              /* POSIX: free0, used0, free1, used1 */
	uint64_t tx_n, rx_n;        /* ring positions: each worker has its own copy */
};

/* A mechanism: how to create, use and remove one pair's objects. */
struct gen_mech {
	const char *name;
	bool bytes;                 /* a byte stream: messages may arrive split or joined */
	/* in the generator, before the workers exist: 0, or -1 with err set */
	int (*create)(struct gen_chan *c, char *err, size_t errlen);
	/* in a worker: send one message (or, for byte streams, a batch), or receive up to
	 * len bytes; the buffer has GEN_HEADROOM bytes before it for the mechanism */
	ssize_t (*send)(struct gen_chan *c, int role, void *buf, size_t len);
	ssize_t (*recv)(struct gen_chan *c, int role, void *buf, size_t len);
	/* remove the named objects; async-signal-safe, repeatable */
	void (*destroy)(struct gen_chan *c);
	/* a loop of its own instead of the generic ones (eventfd) */
	int (*run)(struct gen_chan *c, int role, struct gen_stats *st, uint64_t deadline,
		   long rate);
};

#define GEN_HEADROOM 16

extern const struct gen_mech gen_mech_pipe, gen_mech_fifo, gen_mech_eventfd;
extern const struct gen_mech gen_mech_unix_stream, gen_mech_unix_dgram, gen_mech_unix_seqpacket,
	gen_mech_socketpair, gen_mech_tcp;
extern const struct gen_mech gen_mech_posix_mq, gen_mech_sysv_msg;
extern const struct gen_mech gen_mech_posix_shm, gen_mech_sysv_shm;

/* Helpers for the mechanisms (gen.c). */
void gen_chan_keep(struct gen_chan *c, int role, int fd);
void gen_name(const struct gen_chan *c, char *buf, size_t len, const char *what);
int gen_path(const struct gen_chan *c, char *buf, size_t len, const char *what);
/* err: "OPERATION OBJECT: strerror, and the limit when errno says one was hit" */
void gen_error(char *err, size_t len, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
uint64_t gen_now_ns(void);
/* " (limit hit: NAME ...)" for what errno says of creating an object of this family
 * ('q' POSIX queue, 'm' SysV queue, 's' SysV segment, 'S' SysV semaphores), or "" */
const char *gen_limit_hint(int errnum, char family);
long gen_read_long(const char *path, long dflt);

/* The worker loops (gen_worker.c). */
int gen_worker(struct gen_chan *c, int role, struct gen_stats *st, uint64_t deadline,
	       long rate);
void gen_hist_add(struct gen_stats *st, uint64_t ns);
uint64_t gen_hist_percentile(const uint64_t *hist, uint64_t n, double p);
unsigned int gen_hist_bucket(uint64_t ns);
uint64_t gen_hist_upper(unsigned int b);
#define GEN_SEQ_END UINT64_MAX

/* ---- a run ---- */

struct gen_run;

/* Create every pair's objects and start the workers; NULL with err set on failure
 * (after removing what was created). */
struct gen_run *gen_start(const struct gen_params *p, char *err, size_t errlen);
/* Reap finished workers; returns 1 while running, 0 when every worker finished, -1
 * when one failed (gen_run_error says why). */
int gen_poll(struct gen_run *r);
/* Stop the workers (if still running), remove every object, keep the results. */
void gen_stop(struct gen_run *r);
const char *gen_run_error(const struct gen_run *r);
void gen_free(struct gen_run *r);

/* Results of one mechanism (all its pairs). */
struct gen_result {
	enum gen_mech_id mech;
	unsigned int pairs;
	uint64_t sent, received, bytes, errors;
	double seconds;             /* from the start to now or to the end */
	double msgs_per_s, mb_per_s;
	uint64_t lat_min, lat_p50, lat_p99, lat_max;    /* ns; 0 when none */
	uint64_t lat_samples;                           /* the messages timed */
	double cpu_s;               /* user + system of its workers (finished ones, or live) */
	pid_t pids[2 * GEN_MAX_PAIRS];
	size_t npids;
};

/* One result per mechanism of the run, in mechanism order; returns the count. */
size_t gen_results(struct gen_run *r, struct gen_result *out, size_t max);
/* A latency for a table: "-" for 0, else ns, us, ms or s with one decimal. */
void gen_format_ns(uint64_t ns, char *buf, size_t len);
const struct gen_params *gen_run_params(const struct gen_run *r);
/* The objects of one pair (for the stress view to find them in a snapshot). */
const struct gen_chan *gen_run_chan(const struct gen_run *r, enum gen_mech_id m, unsigned int pair);

void gen_print_text(FILE *f, const struct gen_params *p, const struct gen_result *res, size_t n);
void gen_print_json(FILE *f, const struct gen_params *p, const struct gen_result *res, size_t n,
		    const char *error);

/* --generate from the command line: run, print, return the exit status. */
int gen_main(const struct gen_params *p, bool json);
/* --generate-cleanup: remove what dead generators left (see gen_cleanup.c). */
int gen_cleanup_main(bool dry_run, pid_t only);
/* Remove the private directories (FIFOs and socket files) of dead generators (only
 * generator only's, when not 0). */
int gen_cleanup_dirs(bool dry_run, pid_t only, FILE *out);

#endif
