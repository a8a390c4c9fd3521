#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <time.h>

#include "columns.h"
#include "nls.h"
#include "util.h"
#include "xalloc.h"

#define F(field) offsetof(struct ipc_object, field)

enum {
	C_KEY, C_ID, C_NAME, C_INODE, C_DEV,
	C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS,
	C_SIZE, C_USED_BYTES, C_MQ_USED_BYTES, C_MAX_BYTES, C_MESSAGES, C_MQ_MESSAGES, C_MAX_MESSAGES,
	C_MSGSIZE_MAX, C_ALLOCATED,
	C_NATTCH, C_CPID, C_LPID, C_LSPID, C_LRPID,
	C_CPID_CMD, C_LPID_CMD, C_LSPID_CMD, C_LRPID_CMD, C_NOTIFY_CMD,
	C_ATTACH_TIME, C_DETACH_TIME, C_SEND_TIME, C_RECV_TIME, C_OP_TIME,
	C_ACCESS_TIME, C_MODIFY_TIME, C_CHANGE_TIME,
	C_RSS, C_SWAP, C_DEST, C_LOCKED,
	C_NSEMS, C_NCNT, C_ZCNT, C_SEMS,
	C_VALUE, C_WAITERS,
	C_NOTIFY, C_NOTIFY_SIGNO, C_NOTIFY_PID,
	C_PERSISTENCE,
	C_PATH, C_HOLDERS, C_STALE,
	C_FILL, C_CAPACITY, C_READERS, C_WRITERS,
	C_SOCK_TYPE, C_SOCK_STATE, C_ABSTRACT, C_PEER, C_PEER_HOLDERS, C_RQUEUE, C_WQUEUE,
	C_PENDING_CONN, C_BACKLOG, C_PENDING, C_FILE_INODE, C_FILE_DEV,
	C_EVENTFD_ID, C_EVENTFD_COUNT, C_SEMAPHORE_MODE,
	C_SIGNALS, C_WATCHES,
	C_CLOCK, C_TICKS, C_NEXT_EXPIRY, C_INTERVAL,
	C_TARGET_PID, C_TARGET_CMD,
	C_PID, C_PID_CMD,
	C_SIG_PENDING, C_SIG_SHARED, C_SIG_BLOCKED, C_SIG_IGNORED, C_SIG_CAUGHT, C_SIGQ, C_SIGQ_LIMIT,
	C_LOCK_TYPE, C_LOCK_ACCESS, C_LOCK_MANDATORY, C_LOCK_WAITING, C_LOCK_NUM, C_LOCK_START,
	C_LOCK_END,
	C_PROTO, C_LOCAL, C_REMOTE, C_PORTID, C_DST_PORTID, C_DST_GROUP, C_MEM_RECV, C_MEM_SEND,
	C_EPOLL_NTARGETS, C_EPOLL_TARGETS,
	C_PTY_INDEX, C_PTY_TTY, C_MASTERS, C_SLAVES,
	C_MAP_NAME, C_MAP_SIZE, C_STAT_OWNER, C_STAT_UID, C_STAT_MODE, C_STAT_MODIFY_TIME,
	C_BUS_NAME, C_DBUS_BUS, C_DBUS_UNIQUE, C_DBUS_NAMES, C_DBUS_QUEUED, C_DBUS_USER, C_DBUS_UID,
	C_DBUS_SOCKET, C_DBUS_DAEMON_SOCKET, C_DBUS_SOCKETS, C_DBUS_MATCHES, C_DBUS_IN_MSGS,
	C_DBUS_OUT_MSGS, C_DBUS_IN_BYTES, C_DBUS_OUT_BYTES, C_DBUS_RULES,
	C_IPC_NS, C_CONTAINER,
	C_COUNT
};

const struct column columns[] = {
	[C_KEY]        = { "key", "KEY", CT_KEY, F(key), CC_ALWAYS, 0, N_("SysV IPC key (0 is IPC_PRIVATE)") },
	[C_ID]         = { "id", "ID", CT_INT, F(id), CC_ALWAYS, 0, N_("SysV IPC identifier") },
	[C_NAME]       = { "name", "NAME", CT_NAME, 0, CC_ALWAYS, 0, N_("POSIX name, without the leading slash (semaphores without \"sem.\")") },
	[C_INODE]      = { "inode", "INODE", CT_U64, F(inode), CC_ALWAYS, 0, N_("inode number of the object's file") },
	[C_DEV]        = { "dev", "DEV", CT_DEV, F(dev), CC_ALWAYS, 0, N_("device of the object's file, major:minor") },
	[C_OWNER]      = { "owner", "OWNER", CT_USER, F(uid), CC_ALWAYS, 0, N_("owner's user name") },
	[C_UID]        = { "uid", "UID", CT_ID, F(uid), CC_ALWAYS, 0, N_("owner's user id") },
	[C_GROUP]      = { "group", "GROUP", CT_GROUP, F(gid), CC_ALWAYS, 0, N_("owner's group name") },
	[C_GID]        = { "gid", "GID", CT_ID, F(gid), CC_ALWAYS, 0, N_("owner's group id") },
	[C_CREATOR]    = { "creator", "CREATOR", CT_USER, F(cuid), CC_CREATOR, 0, N_("creator's user name") },
	[C_CUID]       = { "cuid", "CUID", CT_ID, F(cuid), CC_CREATOR, 0, N_("creator's user id") },
	[C_CGROUP]     = { "cgroup", "CGROUP", CT_GROUP, F(cgid), CC_CREATOR, 0, N_("creator's group name") },
	[C_CGID]       = { "cgid", "CGID", CT_ID, F(cgid), CC_CREATOR, 0, N_("creator's group id") },
	[C_MODE]       = { "mode", "MODE", CT_MODE, F(mode), CC_ALWAYS, 0, N_("permission bits, octal") },
	[C_PERMS]      = { "perms", "PERMS", CT_PERMS, F(mode), CC_ALWAYS, 0, N_("permission bits, rwx") },
	[C_SIZE]       = { "size_bytes", "SIZE", CT_U64, F(size), CC_ALWAYS, 0, N_("size in bytes") },
	[C_USED_BYTES] = { "used_bytes", "USED-BYTES", CT_U64, F(size), CC_ALWAYS, 0, N_("bytes of message data queued") },
	[C_MQ_USED_BYTES] = { "used_bytes", "USED-BYTES", CT_U64, F(size), CC_STATUS, 0, N_("bytes of message data queued (QSIZE)") },
	[C_MAX_BYTES]  = { "max_bytes", "MAX-BYTES", CT_U64, F(max_size), CC_ATTR, 0, N_("most bytes the queue may hold (msg_qbytes)") },
	[C_MESSAGES]   = { "messages", "MSGS", CT_U64, F(count), CC_ALWAYS, 0, N_("messages queued") },
	[C_MQ_MESSAGES] = { "messages", "MSGS", CT_U64, F(count), CC_ATTR, 0, N_("messages queued") },
	[C_MAX_MESSAGES] = { "max_messages", "MAXMSGS", CT_U64, F(max_count), CC_ATTR, 0, N_("most messages the queue may hold (mq_maxmsg)") },
	[C_MSGSIZE_MAX] = { "max_msg_size_bytes", "MSGSIZE", CT_U64, F(max_size), CC_ATTR, 0, N_("largest message the queue accepts (mq_msgsize)") },
	[C_ALLOCATED]  = { "allocated_bytes", "ALLOC", CT_U64, F(allocated), CC_ALWAYS, 0, N_("memory the object's pages occupy") },
	[C_NATTCH]     = { "nattch", "NATTCH", CT_U64, F(count), CC_ALWAYS, 0, N_("number of attachments") },
	[C_CPID]       = { "cpid", "CPID", CT_PID, F(cpid), CC_ALWAYS, 0, N_("pid of the creator") },
	[C_LPID]       = { "lpid", "LPID", CT_PID, F(lpid), CC_ALWAYS, 0, N_("pid of the last shmat/shmdt") },
	[C_LSPID]      = { "lspid", "LSPID", CT_PID, F(cpid), CC_ALWAYS, 0, N_("pid of the last msgsnd") },
	[C_LRPID]      = { "lrpid", "LRPID", CT_PID, F(lpid), CC_ALWAYS, 0, N_("pid of the last msgrcv") },
	[C_CPID_CMD]   = { "cpid_command", "CPID-CMD", CT_COMM, F(cpid_comm), CC_ALWAYS, 0, N_("command of the creator, if that pid is alive") },
	[C_LPID_CMD]   = { "lpid_command", "LPID-CMD", CT_COMM, F(lpid_comm), CC_ALWAYS, 0, N_("command of the last shmat/shmdt pid, if alive") },
	[C_LSPID_CMD]  = { "lspid_command", "LSPID-CMD", CT_COMM, F(cpid_comm), CC_ALWAYS, 0, N_("command of the last sender, if that pid is alive") },
	[C_LRPID_CMD]  = { "lrpid_command", "LRPID-CMD", CT_COMM, F(lpid_comm), CC_ALWAYS, 0, N_("command of the last receiver, if that pid is alive") },
	[C_NOTIFY_CMD] = { "notify_command", "NOTIFY-CMD", CT_COMM, F(notify_comm), CC_ALWAYS, 0, N_("command of the pid registered for notification") },
	[C_ATTACH_TIME] = { "attach_time", "ATTACHED", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last attach") },
	[C_DETACH_TIME] = { "detach_time", "DETACHED", CT_TIME, F(time_b), CC_ALWAYS, 0, N_("time of the last detach") },
	[C_SEND_TIME]  = { "send_time", "SENT", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last msgsnd") },
	[C_RECV_TIME]  = { "recv_time", "RECEIVED", CT_TIME, F(time_b), CC_ALWAYS, 0, N_("time of the last msgrcv") },
	[C_OP_TIME]    = { "op_time", "OPERATED", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last semop") },
	[C_ACCESS_TIME] = { "access_time", "ACCESSED", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last access") },
	[C_MODIFY_TIME] = { "modify_time", "MODIFIED", CT_TIME, F(time_b), CC_ALWAYS, 0, N_("time of the last modification (for queues: last send or receive)") },
	[C_CHANGE_TIME] = { "change_time", "CHANGED", CT_TIME, F(time_c), CC_ALWAYS, 0, N_("time of the last change of owner, mode or state") },
	[C_RSS]        = { "rss_bytes", "RSS", CT_U64, F(rss), CC_RSS, 0, N_("resident bytes") },
	[C_SWAP]       = { "swap_bytes", "SWAP", CT_U64, F(swap), CC_RSS, 0, N_("swapped-out bytes") },
	[C_DEST]       = { "marked_for_removal", "DEST", CT_FLAG, F(mode), CC_ALWAYS, SHM_DEST, N_("removed (IPC_RMID) but still attached; goes at the last detach") },
	[C_LOCKED]     = { "locked", "LOCKED", CT_FLAG, F(mode), CC_ALWAYS, SHM_LOCKED, N_("locked in memory (SHM_LOCK)") },
	[C_NSEMS]      = { "nsems", "NSEMS", CT_U64, F(count), CC_ALWAYS, 0, N_("semaphores in the set") },
	[C_NCNT]       = { "ncnt", "NCNT", CT_INT, F(ncnt_total), CC_SEMS, 0, N_("processes waiting for a value to increase, all semaphores") },
	[C_ZCNT]       = { "zcnt", "ZCNT", CT_INT, F(zcnt_total), CC_SEMS, 0, N_("processes waiting for a value to become zero, all semaphores") },
	[C_SEMS]       = { "semaphores", "VALUES", CT_SEMS, 0, CC_SEMS, 0, N_("each semaphore: value, ncnt, zcnt and last pid (text shows the values)") },
	[C_VALUE]      = { "value", "VALUE", CT_INT, F(sem_value), CC_VALUE, 0, N_("current value of the semaphore") },
	[C_WAITERS]    = { "waiters", "WAITERS", CT_INT, F(sem_waiters), CC_VALUE, 0, N_("threads blocked in sem_wait (glibc's count)") },
	[C_NOTIFY]     = { "notify", "NOTIFY", CT_NOTIFY, F(notify), CC_NOTIFY, 0, N_("notification requested with mq_notify: signal, thread or none") },
	[C_NOTIFY_SIGNO] = { "notify_signo", "SIGNO", CT_INT, F(notify_signo), CC_NOTIFY, 0, N_("signal sent on notification") },
	[C_NOTIFY_PID] = { "notify_pid", "NOTIFY-PID", CT_PID, F(notify_pid), CC_STATUS, 0, N_("pid registered for notification") },
	[C_PERSISTENCE] = { "persistence", "PERSISTENCE", CT_PERSIST, F(persistence), CC_ALWAYS, 0, N_("how long the object lives: process, kernel or filesystem") },
	[C_PATH]       = { "path", "PATH", CT_NAME, 0, CC_NAMED, 0, N_("path of the file; for an abstract socket '@' and its name") },
	[C_HOLDERS]    = { "holders", "HOLDERS", CT_HOLDERS, 0, CC_ALWAYS, 0, N_("processes holding it: pid, command, fd and end, or mapping") },
	[C_STALE]      = { "stale", "STALE", CT_STALE, 0, CC_ALWAYS, 0, N_("why the object looks abandoned, and since when") },
	[C_FILL]       = { "used_bytes", "USED-BYTES", CT_U64, F(size), CC_FILL, 0, N_("bytes written and not yet read") },
	[C_CAPACITY]   = { "capacity_bytes", "CAPACITY", CT_U64, F(max_size), CC_FILL, 0, N_("pipe buffer size (F_GETPIPE_SZ)") },
	[C_READERS]    = { "readers", "READERS", CT_INT, F(readers), CC_ALWAYS, 0, N_("descriptors open on the read end") },
	[C_WRITERS]    = { "writers", "WRITERS", CT_INT, F(writers), CC_ALWAYS, 0, N_("descriptors open on the write end") },
	[C_SOCK_TYPE]  = { "type", "TYPE", CT_SOCKTYPE, F(sock_type), CC_ALWAYS, 0, N_("socket type: stream, dgram or seqpacket") },
	[C_SOCK_STATE] = { "state", "STATE", CT_SOCKSTATE, F(sock_state), CC_ALWAYS, 0, N_("socket state: listen, established, unconnected, ...") },
	[C_ABSTRACT]   = { "abstract", "ABSTRACT", CT_BOOLFIELD, F(abstract), CC_NAMED, 0, N_("the name is in the abstract namespace (no file)") },
	[C_PEER]       = { "peer_inode", "PEER", CT_U64, F(peer), CC_PEER, 0, N_("inode of the connected peer socket") },
	[C_PEER_HOLDERS] = { "peer_holders", "PEER-HOLDERS", CT_PEER_HOLDERS, 0, CC_PEER, 0, N_("processes holding the peer socket") },
	[C_RQUEUE]     = { "recv_queue_bytes", "RECV-Q", CT_U32, F(rqueue), CC_QUEUES, 0, N_("bytes received and not yet read (datagram sockets: size of the next datagram)") },
	[C_WQUEUE]     = { "send_queue_bytes", "SEND-Q", CT_U32, F(wqueue), CC_QUEUES, 0, N_("memory held by data sent and not yet read by the peer (as ss shows it)") },
	[C_PENDING_CONN] = { "pending_connections", "PENDING", CT_U32, F(rqueue), CC_LISTEN, 0, N_("listener: connections waiting for accept()") },
	[C_BACKLOG]    = { "backlog", "BACKLOG", CT_U32, F(wqueue), CC_LISTEN, 0, N_("listener: most pending connections (listen() backlog)") },
	[C_PENDING]    = { "pending", "PENDING-INODES", CT_INODES, 0, CC_LISTEN, 0, N_("listener: inodes of the connections not yet accepted") },
	[C_FILE_INODE] = { "file_inode", "FILE-INODE", CT_U64, F(file_inode), CC_FILE, 0, N_("inode of the socket file it is bound to") },
	[C_FILE_DEV]   = { "file_dev", "FILE-DEV", CT_DEV, F(file_dev), CC_FILE, 0, N_("device of the socket file it is bound to") },
	[C_EVENTFD_ID] = { "eventfd_id", "ID", CT_INT, F(id), CC_ALWAYS, 0, N_("the kernel's eventfd number (eventfd-id)") },
	[C_EVENTFD_COUNT] = { "count", "COUNT", CT_U64, F(counter), CC_ALWAYS, 0, N_("the counter's value") },
	[C_SEMAPHORE_MODE] = { "semaphore_mode", "SEMAPHORE", CT_FLAG, F(mode), CC_ALWAYS, EFD_MODE_SEMAPHORE, N_("created with EFD_SEMAPHORE") },
	[C_SIGNALS]    = { "signals", "SIGNALS", CT_SIGSET, F(sigmask), CC_ALWAYS, 0, N_("signals the descriptor accepts") },
	[C_WATCHES]    = { "watches", "WATCHES", CT_WATCHES, 0, CC_ALWAYS, 0, N_("each watch: descriptor, inode, device and event mask") },
	[C_CLOCK]      = { "clock", "CLOCK", CT_CLOCK, F(clockid), CC_ALWAYS, 0, N_("clock the timer runs on") },
	[C_TICKS]      = { "ticks", "TICKS", CT_U64, F(counter), CC_ALWAYS, 0, N_("expirations not yet read") },
	[C_NEXT_EXPIRY] = { "next_expiry_ns", "NEXT-NS", CT_I64, F(value_ns), CC_ALWAYS, 0, N_("nanoseconds to the next expiry, 0 when disarmed") },
	[C_INTERVAL]   = { "interval_ns", "INTERVAL-NS", CT_I64, F(interval_ns), CC_ALWAYS, 0, N_("period in nanoseconds, 0 for a one-shot timer") },
	[C_TARGET_PID] = { "target_pid", "TARGET", CT_PID, F(target_pid), CC_ALWAYS, 0, N_("the process the pidfd refers to (none when it has exited)") },
	[C_TARGET_CMD] = { "target_command", "TARGET-CMD", CT_COMM, F(target_comm), CC_ALWAYS, 0, N_("command of that process") },
	[C_PID]        = { "pid", "PID", CT_PID, F(cpid), CC_ALWAYS, 0, N_("the process (for a lock: its holder or waiter; none for an OFD lock)") },
	[C_PID_CMD]    = { "command", "COMMAND", CT_COMM, F(cpid_comm), CC_ALWAYS, 0, N_("command of that process") },
	[C_SIG_PENDING] = { "pending", "PENDING", CT_SIGSET, F(sig_pending), CC_ALWAYS, 0, N_("signals pending for the main thread (SigPnd)") },
	[C_SIG_SHARED] = { "shared_pending", "SHARED-PENDING", CT_SIGSET, F(sig_shared), CC_ALWAYS, 0, N_("signals pending for the whole process (ShdPnd)") },
	[C_SIG_BLOCKED] = { "blocked", "BLOCKED", CT_SIGSET, F(sig_blocked), CC_ALWAYS, 0, N_("signals blocked (SigBlk)") },
	[C_SIG_IGNORED] = { "ignored", "IGNORED", CT_SIGSET, F(sig_ignored), CC_ALWAYS, 0, N_("signals ignored (SigIgn)") },
	[C_SIG_CAUGHT] = { "caught", "CAUGHT", CT_SIGSET, F(sig_caught), CC_ALWAYS, 0, N_("signals with a handler (SigCgt)") },
	[C_SIGQ]       = { "queued", "QUEUED", CT_U64, F(sigq), CC_SIGQ, 0, N_("signals queued for the process's real user (SigQ)") },
	[C_SIGQ_LIMIT] = { "queued_limit", "QUEUE-LIMIT", CT_U64, F(sigq_limit), CC_SIGQ, 0, N_("most signals the user may queue (RLIMIT_SIGPENDING)") },
	[C_LOCK_TYPE]  = { "lock_type", "TYPE", CT_STRFIELD, F(lock_type), CC_ALWAYS, 0, N_("FLOCK (flock), POSIX (fcntl, lockf), OFDLCK (open file description), LEASE, ...") },
	[C_LOCK_ACCESS] = { "access", "ACCESS", CT_STRFIELD, F(lock_access), CC_ALWAYS, 0, N_("READ (shared) or WRITE (exclusive)") },
	[C_LOCK_MANDATORY] = { "mandatory", "MANDATORY", CT_BOOLFIELD, F(lock_mandatory), CC_ALWAYS, 0, N_("a mandatory rather than advisory lock") },
	[C_LOCK_WAITING] = { "waiting", "WAITING", CT_BOOLFIELD, F(lock_waiting), CC_ALWAYS, 0, N_("the process is blocked waiting for this lock") },
	[C_LOCK_NUM]   = { "lock_id", "LOCK", CT_U32, F(lock_num), CC_ALWAYS, 0, N_("the lock's number in /proc/locks; a waiter has the number of the lock it waits for") },
	[C_LOCK_START] = { "start", "START", CT_OFFSET, F(lock_start), CC_ALWAYS, 0, N_("first byte locked") },
	[C_LOCK_END]   = { "end", "END", CT_OFFSET, F(lock_end), CC_ALWAYS, 0, N_("last byte locked; EOF (JSON null) for the end of the file, however far it grows") },
	[C_PROTO]      = { "protocol", "PROTO", CT_PROTO, F(protocol), CC_ALWAYS, 0, N_("tcp or udp; for a netlink socket its family: route, sock_diag, audit, kobject_uevent, generic, ...") },
	[C_LOCAL]      = { "local", "LOCAL", CT_NAME, 0, CC_NAMED, 0, N_("local address and port") },
	[C_REMOTE]     = { "remote", "REMOTE", CT_STRPTR, F(remote), CC_REMOTE, 0, N_("remote address and port, when connected") },
	[C_PORTID]     = { "portid", "PORTID", CT_U32, F(portid), CC_ALWAYS, 0, N_("the netlink socket's port id (its address; often the pid of its first holder)") },
	[C_DST_PORTID] = { "dst_portid", "DST-PORTID", CT_U32, F(dst_portid), CC_ALWAYS, 0, N_("port id it sends to by default: 0 is the kernel") },
	[C_DST_GROUP]  = { "dst_group", "DST-GROUP", CT_U32, F(dst_group), CC_ALWAYS, 0, N_("multicast group it sends to by default, 0 none") },
	[C_MEM_RECV]   = { "recv_memory_bytes", "RECV-MEM", CT_U32, F(rqueue), CC_QUEUES, 0, N_("memory held by messages received and not yet read") },
	[C_MEM_SEND]   = { "send_memory_bytes", "SEND-MEM", CT_U32, F(wqueue), CC_QUEUES, 0, N_("memory held by messages being sent") },
	[C_EPOLL_NTARGETS] = { "target_count", "NTARGETS", CT_U64, F(count), CC_ALWAYS, 0, N_("number of descriptors the instance watches") },
	[C_EPOLL_TARGETS] = { "targets", "TARGETS", CT_TARGETS, 0, CC_ALWAYS, 0, N_("watched descriptors: fd, events and the file's inode") },
	[C_PTY_INDEX]  = { "index", "INDEX", CT_INT, F(id), CC_ALWAYS, 0, N_("pseudo-terminal number (N of /dev/pts/N)") },
	[C_PTY_TTY]    = { "tty", "TTY", CT_NAME, 0, CC_NAMED, 0, N_("terminal name as ps shows it: pts/N") },
	[C_MASTERS]    = { "masters", "MASTERS", CT_INT, F(masters), CC_ALWAYS, 0, N_("descriptors open on the master end (ptmx)") },
	[C_SLAVES]     = { "slaves", "SLAVES", CT_INT, F(slaves), CC_ALWAYS, 0, N_("descriptors open on the slave end (/dev/pts/N)") },
	[C_MAP_NAME]   = { "name", "NAME", CT_NAME, 0, CC_NAMED, 0, N_("name given to memfd_create, or to a shared anonymous mapping with prctl") },
	[C_MAP_SIZE]   = { "size_bytes", "SIZE", CT_U64, F(size), CC_SIZE, 0, N_("size in bytes of the file (shared anonymous: of the longest mapping)") },
	[C_STAT_OWNER] = { "owner", "OWNER", CT_USER, F(uid), CC_STAT, 0, N_("owner's user name") },
	[C_STAT_UID]   = { "uid", "UID", CT_ID, F(uid), CC_STAT, 0, N_("owner's user id") },
	[C_STAT_MODE]  = { "mode", "MODE", CT_MODE, F(mode), CC_STAT, 0, N_("permission bits, octal") },
	[C_STAT_MODIFY_TIME] = { "modify_time", "MODIFIED", CT_TIME, F(time_b), CC_STAT, 0, N_("time of the last modification") },
	[C_BUS_NAME]   = { "dbus", "D-BUS", CT_STRPTR, F(bus_name), CC_ALWAYS, 0, N_("the D-Bus connection on this socket (either end): unique name and first well-known name") },
	[C_DBUS_BUS]   = { "bus", "BUS", CT_STRPTR, F(dbus_label), CC_ALWAYS, 0, N_("the bus: system, session:UID (the daemon's user), or the address given") },
	[C_DBUS_UNIQUE] = { "unique_name", "UNIQUE", CT_NAME, 0, CC_NAMED, 0, N_("the connection's unique name (:1.42)") },
	[C_DBUS_NAMES] = { "names", "NAMES", CT_STRLIST, F(dbus_names), CC_ALWAYS, 0, N_("well-known names it owns") },
	[C_DBUS_QUEUED] = { "queued", "QUEUED", CT_STRLIST, F(dbus_queued), CC_ALWAYS, 0, N_("well-known names it waits for in the queue (ListQueuedOwners)") },
	[C_DBUS_USER]  = { "user", "USER", CT_USER, F(uid), CC_ATTR, 0, N_("its user, as the bus daemon saw it authenticate") },
	[C_DBUS_UID]   = { "uid", "UID", CT_ID, F(uid), CC_ATTR, 0, N_("its user id") },
	[C_DBUS_SOCKET] = { "socket_inode", "SOCKET", CT_U64, F(inode), CC_INODE, 0, N_("inode of the process's UNIX socket to the bus (null when not known for sure)") },
	[C_DBUS_DAEMON_SOCKET] = { "daemon_socket_inode", "DAEMON-SOCKET", CT_U64, F(peer), CC_PEER, 0, N_("inode of the daemon's end of that socket") },
	[C_DBUS_SOCKETS] = { "candidate_sockets", "NSOCKS", CT_U64, F(count), CC_ALWAYS, 0, N_("sockets the process holds to the bus: only when 1 is the connection joined to its socket") },
	[C_DBUS_MATCHES] = { "match_rules", "MATCHES", CT_U32, F(dbus_match_rules), CC_DBUS_STATS, 0, N_("match rules it added (Debug.Stats)") },
	[C_DBUS_IN_MSGS] = { "incoming_messages", "IN-MSGS", CT_U32, F(dbus_in_messages), CC_DBUS_STATS, 0, N_("messages from it the daemon has read and not yet routed (Debug.Stats)") },
	[C_DBUS_OUT_MSGS] = { "outgoing_messages", "OUT-MSGS", CT_U32, F(dbus_out_messages), CC_DBUS_STATS, 0, N_("messages queued in the daemon for it, not yet sent (Debug.Stats)") },
	[C_DBUS_IN_BYTES] = { "incoming_bytes", "IN-BYTES", CT_U32, F(dbus_in_bytes), CC_DBUS_STATS, 0, N_("bytes of those incoming messages") },
	[C_DBUS_OUT_BYTES] = { "outgoing_bytes", "OUT-BYTES", CT_U32, F(dbus_out_bytes), CC_DBUS_STATS, 0, N_("bytes of those outgoing messages") },
	[C_DBUS_RULES] = { "match_rule_list", "RULES", CT_STRLIST, F(dbus_rules), CC_DBUS_RULES, 0, N_("its match rules (Debug.Stats GetAllMatchRules)") },
	[C_IPC_NS]     = { "ipc_ns", "NS", CT_U64, F(ipc_ns), CC_NS, 0, N_("IPC namespace (the inode of /proc/PID/ns/ipc of its processes); POSIX shm and semaphores: of the processes whose /dev/shm holds it; the kinds not in one: of their holders (or process) when all are in one") },
	[C_CONTAINER]  = { "container", "CONTAINER", CT_STRPTR, F(container), CC_NS, 0, N_("container of the namespace's processes (runtime:short id, from their cgroup), none for the host or when not known") },
};
const size_t ncolumns = C_COUNT;

#define END (-1)

static const int sysv_msg_cols[] = {
	C_KEY, C_ID, C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS, C_MESSAGES, C_USED_BYTES, C_MAX_BYTES, C_LSPID, C_LSPID_CMD, C_LRPID,
	C_LRPID_CMD, C_SEND_TIME, C_RECV_TIME, C_CHANGE_TIME, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_STALE, END
};
static const int sysv_msg_defaults[] = {
	C_KEY, C_ID, C_OWNER, C_PERMS, C_MESSAGES, C_USED_BYTES, C_MAX_BYTES, C_LSPID, C_LSPID_CMD,
	C_LRPID, C_LRPID_CMD, C_SEND_TIME, C_RECV_TIME, C_IPC_NS, C_STALE, END
};
static const int sysv_shm_cols[] = {
	C_KEY, C_ID, C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS, C_SIZE, C_NATTCH, C_CPID, C_CPID_CMD, C_LPID, C_LPID_CMD, C_ATTACH_TIME, C_DETACH_TIME,
	C_CHANGE_TIME, C_RSS, C_SWAP, C_DEST, C_LOCKED, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int sysv_shm_defaults[] = {
	C_KEY, C_ID, C_OWNER, C_PERMS, C_SIZE, C_NATTCH, C_CPID, C_CPID_CMD, C_LPID, C_RSS, C_DEST,
	C_ATTACH_TIME, C_DETACH_TIME, C_IPC_NS, C_STALE, C_HOLDERS, END
};
static const int sysv_sem_cols[] = {
	C_KEY, C_ID, C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS, C_NSEMS, C_NCNT, C_ZCNT, C_SEMS, C_OP_TIME, C_CHANGE_TIME,
	C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_STALE, END
};
static const int sysv_sem_defaults[] = {
	C_KEY, C_ID, C_OWNER, C_PERMS, C_NSEMS, C_NCNT, C_ZCNT, C_OP_TIME, C_CHANGE_TIME,
	C_IPC_NS, C_STALE, C_SEMS, END
};
static const int posix_mq_cols[] = {
	C_NAME, C_INODE, C_DEV, C_OWNER, C_UID, C_GROUP, C_GID, C_MODE, C_PERMS,
	C_MQ_MESSAGES, C_MAX_MESSAGES, C_MSGSIZE_MAX, C_MQ_USED_BYTES, C_NOTIFY, C_NOTIFY_SIGNO,
	C_NOTIFY_PID, C_NOTIFY_CMD, C_MODIFY_TIME, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int posix_mq_defaults[] = {
	C_OWNER, C_PERMS, C_MQ_MESSAGES, C_MAX_MESSAGES, C_MSGSIZE_MAX, C_MQ_USED_BYTES,
	C_NOTIFY_PID, C_MODIFY_TIME, C_IPC_NS, C_STALE, C_NAME, C_HOLDERS, END
};
static const int posix_shm_cols[] = {
	C_NAME, C_INODE, C_DEV, C_OWNER, C_UID, C_GROUP, C_GID, C_MODE, C_PERMS, C_SIZE,
	C_ALLOCATED, C_ACCESS_TIME, C_MODIFY_TIME, C_CHANGE_TIME, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int posix_shm_defaults[] = {
	C_INODE, C_OWNER, C_PERMS, C_SIZE, C_ALLOCATED, C_MODIFY_TIME, C_IPC_NS, C_STALE, C_NAME, C_HOLDERS, END
};
static const int posix_sem_cols[] = {
	C_NAME, C_INODE, C_DEV, C_OWNER, C_UID, C_GROUP, C_GID, C_MODE, C_PERMS, C_VALUE,
	C_WAITERS, C_ACCESS_TIME, C_MODIFY_TIME, C_CHANGE_TIME, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int posix_sem_defaults[] = {
	C_INODE, C_OWNER, C_PERMS, C_VALUE, C_WAITERS, C_MODIFY_TIME, C_IPC_NS, C_STALE, C_NAME, C_HOLDERS, END
};
static const int pipe_cols[] = {
	C_INODE, C_FILL, C_CAPACITY, C_READERS, C_WRITERS, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int pipe_defaults[] = {
	C_INODE, C_FILL, C_CAPACITY, C_READERS, C_WRITERS, C_HOLDERS, END
};
static const int fifo_cols[] = {
	C_PATH, C_INODE, C_DEV, C_OWNER, C_UID, C_GROUP, C_GID, C_MODE, C_PERMS,
	C_FILL, C_CAPACITY, C_READERS, C_WRITERS, C_ACCESS_TIME, C_MODIFY_TIME, C_CHANGE_TIME,
	C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int fifo_defaults[] = {
	C_INODE, C_OWNER, C_PERMS, C_FILL, C_CAPACITY, C_READERS, C_WRITERS, C_PATH, C_HOLDERS, END
};
static const int unix_cols[] = {
	C_INODE, C_SOCK_TYPE, C_SOCK_STATE, C_PATH, C_ABSTRACT, C_FILE_INODE, C_FILE_DEV,
	C_PEER, C_PEER_HOLDERS, C_RQUEUE, C_WQUEUE, C_PENDING_CONN, C_BACKLOG, C_PENDING,
	C_BUS_NAME, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int unix_defaults[] = {
	C_INODE, C_SOCK_TYPE, C_SOCK_STATE, C_RQUEUE, C_WQUEUE, C_PENDING_CONN, C_PEER, C_PATH,
	C_BUS_NAME, C_HOLDERS, END
};
static const int eventfd_cols[] = {
	C_EVENTFD_ID, C_EVENTFD_COUNT, C_SEMAPHORE_MODE, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int eventfd_defaults[] = { C_EVENTFD_ID, C_EVENTFD_COUNT, C_HOLDERS, END };
static const int signalfd_cols[] = { C_SIGNALS, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END };
static const int signalfd_defaults[] = { C_SIGNALS, C_HOLDERS, END };
static const int inotify_cols[] = { C_WATCHES, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END };
static const int inotify_defaults[] = { C_HOLDERS, C_WATCHES, END };
static const int timerfd_cols[] = {
	C_CLOCK, C_TICKS, C_NEXT_EXPIRY, C_INTERVAL, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int timerfd_defaults[] = { C_CLOCK, C_TICKS, C_NEXT_EXPIRY, C_INTERVAL, C_HOLDERS, END };
static const int pidfd_cols[] = { C_TARGET_PID, C_TARGET_CMD, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END };
static const int pidfd_defaults[] = { C_TARGET_PID, C_TARGET_CMD, C_HOLDERS, END };
static const int signal_cols[] = {
	C_PID, C_PID_CMD, C_SIG_PENDING, C_SIG_SHARED, C_SIG_BLOCKED, C_SIG_IGNORED, C_SIG_CAUGHT,
	C_SIGQ, C_SIGQ_LIMIT, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_STALE, END
};
static const int signal_defaults[] = {
	C_PID, C_PID_CMD, C_SIG_PENDING, C_SIG_SHARED, C_SIG_BLOCKED, C_SIGQ, C_SIGQ_LIMIT, END
};
static const int lock_cols[] = {
	C_LOCK_NUM, C_LOCK_TYPE, C_LOCK_ACCESS, C_LOCK_MANDATORY, C_LOCK_WAITING, C_PID, C_PID_CMD,
	C_INODE, C_DEV, C_LOCK_START, C_LOCK_END, C_PATH, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int lock_defaults[] = {
	C_LOCK_NUM, C_LOCK_TYPE, C_LOCK_ACCESS, C_LOCK_WAITING, C_PID, C_PID_CMD, C_LOCK_START,
	C_LOCK_END, C_INODE, C_PATH, END
};
static const int epoll_cols[] = { C_EPOLL_NTARGETS, C_EPOLL_TARGETS, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END };
static const int epoll_defaults[] = { C_EPOLL_NTARGETS, C_HOLDERS, C_EPOLL_TARGETS, END };
static const int pty_cols[] = {
	C_PTY_INDEX, C_PTY_TTY, C_MASTERS, C_SLAVES, C_DEV, C_IPC_NS, C_CONTAINER, C_PERSISTENCE,
	C_HOLDERS, C_STALE, END
};
static const int pty_defaults[] = { C_PTY_INDEX, C_PTY_TTY, C_MASTERS, C_SLAVES, C_HOLDERS, END };
static const int memfd_cols[] = {
	C_MAP_NAME, C_INODE, C_DEV, C_MAP_SIZE, C_STAT_OWNER, C_STAT_UID, C_STAT_MODE,
	C_STAT_MODIFY_TIME, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int memfd_defaults[] = { C_MAP_NAME, C_INODE, C_MAP_SIZE, C_STAT_OWNER, C_HOLDERS, END };
static const int shared_anon_cols[] = {
	C_INODE, C_DEV, C_MAP_NAME, C_MAP_SIZE, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int shared_anon_defaults[] = { C_INODE, C_MAP_NAME, C_MAP_SIZE, C_HOLDERS, END };
static const int shared_file_cols[] = {
	C_PATH, C_INODE, C_DEV, C_MAP_SIZE, C_STAT_OWNER, C_STAT_UID, C_STAT_MODE,
	C_STAT_MODIFY_TIME, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int dbus_cols[] = {
	C_DBUS_BUS, C_DBUS_UNIQUE, C_DBUS_NAMES, C_DBUS_QUEUED, C_PID, C_PID_CMD, C_DBUS_USER,
	C_DBUS_UID, C_DBUS_SOCKET, C_DBUS_DAEMON_SOCKET, C_DBUS_SOCKETS, C_DBUS_MATCHES,
	C_DBUS_IN_MSGS, C_DBUS_OUT_MSGS, C_DBUS_IN_BYTES, C_DBUS_OUT_BYTES, C_DBUS_RULES,
	C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS, C_STALE, END
};
static const int dbus_defaults[] = {
	C_DBUS_BUS, C_DBUS_UNIQUE, C_PID, C_PID_CMD, C_DBUS_USER, C_DBUS_SOCKET, C_DBUS_MATCHES,
	C_DBUS_OUT_MSGS, C_DBUS_NAMES, C_DBUS_QUEUED, END
};
static const int shared_file_defaults[] = { C_PATH, C_INODE, C_MAP_SIZE, C_STAT_OWNER, C_HOLDERS, END };

static const int inet_cols[] = {
	C_INODE, C_PROTO, C_SOCK_STATE, C_LOCAL, C_REMOTE, C_OWNER, C_UID, C_PEER, C_PEER_HOLDERS,
	C_RQUEUE, C_WQUEUE, C_PENDING_CONN, C_BACKLOG, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS,
	C_STALE, END
};
static const int inet_defaults[] = {
	C_INODE, C_PROTO, C_SOCK_STATE, C_RQUEUE, C_WQUEUE, C_PENDING_CONN, C_PEER, C_LOCAL,
	C_REMOTE, C_HOLDERS, END
};
static const int netlink_cols[] = {
	C_INODE, C_PROTO, C_SOCK_TYPE, C_SOCK_STATE, C_PORTID, C_DST_PORTID, C_DST_GROUP, C_PEER,
	C_PEER_HOLDERS, C_MEM_RECV, C_MEM_SEND, C_IPC_NS, C_CONTAINER, C_PERSISTENCE, C_HOLDERS,
	C_STALE, END
};
static const int netlink_defaults[] = {
	C_INODE, C_PROTO, C_PORTID, C_DST_PORTID, C_MEM_RECV, C_MEM_SEND, C_HOLDERS, END
};

const struct kind_class kind_classes[KIND_COUNT] = {
	[KIND_SYSV_MSG] = { "sysv_msg", N_("SysV message queues"), N_("SysV msg"),
			    sysv_msg_cols, sysv_msg_defaults, C_ID },
	[KIND_SYSV_SHM] = { "sysv_shm", N_("SysV shared memory segments"), N_("SysV shm"),
			    sysv_shm_cols, sysv_shm_defaults, C_ID },
	[KIND_SYSV_SEM] = { "sysv_sem", N_("SysV semaphore sets"), N_("SysV sem"),
			    sysv_sem_cols, sysv_sem_defaults, C_ID },
	[KIND_POSIX_MQ] = { "posix_mq", N_("POSIX message queues"), N_("POSIX mq"),
			    posix_mq_cols, posix_mq_defaults, C_NAME },
	[KIND_POSIX_SHM] = { "posix_shm", N_("POSIX shared memory"), N_("POSIX shm"),
			     posix_shm_cols, posix_shm_defaults, C_NAME },
	[KIND_POSIX_SEM] = { "posix_sem", N_("POSIX named semaphores"), N_("POSIX sem"),
			     posix_sem_cols, posix_sem_defaults, C_NAME },
	[KIND_PIPE] = { "pipe", N_("Pipes"), N_("pipes"), pipe_cols, pipe_defaults, C_INODE },
	[KIND_FIFO] = { "fifo", N_("FIFOs (named pipes)"), N_("FIFOs"), fifo_cols, fifo_defaults, C_PATH },
	[KIND_UNIX] = { "unix", N_("UNIX sockets"), N_("UNIX sockets"), unix_cols, unix_defaults, C_INODE },
	[KIND_EVENTFD] = { "eventfd", N_("eventfd counters"), N_("eventfd"),
			   eventfd_cols, eventfd_defaults, C_EVENTFD_ID },
	[KIND_SIGNALFD] = { "signalfd", N_("signalfd descriptors"), N_("signalfd"),
			    signalfd_cols, signalfd_defaults, C_HOLDERS },
	[KIND_INOTIFY] = { "inotify", N_("inotify instances"), N_("inotify"),
			   inotify_cols, inotify_defaults, C_HOLDERS },
	[KIND_TIMERFD] = { "timerfd", N_("timerfd timers"), N_("timerfd"),
			   timerfd_cols, timerfd_defaults, C_HOLDERS },
	[KIND_PIDFD] = { "pidfd", N_("pidfd descriptors"), N_("pidfd"),
			 pidfd_cols, pidfd_defaults, C_TARGET_PID },
	[KIND_SIGNAL] = { "signal", N_("Signals pending"), N_("signals"), signal_cols, signal_defaults, C_PID },
	[KIND_LOCK] = { "lock", N_("File locks"), N_("locks"), lock_cols, lock_defaults, C_LOCK_NUM },
	[KIND_INET] = { "inet", N_("TCP and UDP sockets between local processes"), N_("local TCP/UDP"),
			inet_cols, inet_defaults, C_LOCAL },
	[KIND_NETLINK] = { "netlink", N_("Netlink sockets"), N_("netlink"),
			   netlink_cols, netlink_defaults, C_PROTO },
	[KIND_EPOLL] = { "epoll", N_("epoll instances"), N_("epoll"), epoll_cols, epoll_defaults, C_HOLDERS },
	[KIND_PTY] = { "pty", N_("Pseudo-terminals"), N_("ptys"), pty_cols, pty_defaults, C_PTY_INDEX },
	[KIND_MEMFD] = { "memfd", N_("memfd files"), N_("memfd"), memfd_cols, memfd_defaults, C_MAP_NAME },
	[KIND_SHARED_ANON] = { "shared_anon", N_("Shared anonymous mappings"), N_("shared anon"),
			       shared_anon_cols, shared_anon_defaults, C_INODE },
	[KIND_SHARED_FILE] = { "shared_file", N_("Shared file mappings"), N_("shared files"),
			       shared_file_cols, shared_file_defaults, C_PATH },
	[KIND_DBUS] = { "dbus", N_("D-Bus connections"), N_("D-Bus"), dbus_cols, dbus_defaults, C_DBUS_UNIQUE },
};

int column_by_name(const char *name)
{
	for (size_t i = 0; i < ncolumns; i++)
		if (strcmp(columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

int kind_column_by_name(enum ipc_kind kind, const char *name)
{
	for (const int *c = kind_classes[kind].columns; *c != END; c++)
		if (strcmp(columns[*c].name, name) == 0)
			return *c;
	return -1;
}

bool kind_has_column(enum ipc_kind kind, int col)
{
	for (const int *c = kind_classes[kind].columns; *c != END; c++)
		if (*c == col)
			return true;
	return false;
}

int kind_by_name(const char *name)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (strcmp(kind_classes[k].name, name) == 0)
			return k;
	return -1;
}

const char *persistence_name(enum persistence p)
{
	switch (p) {
	case PERSIST_PROCESS:
		return "process";
	case PERSIST_KERNEL:
		return "kernel";
	case PERSIST_FILESYSTEM:
		return "filesystem";
	}
	return "unknown";
}

static bool column_valid(const struct column *c, const struct ipc_object *o)
{
	switch (c->cond) {
	case CC_ALWAYS:
		return true;
	case CC_CREATOR:
		return o->has_creator;
	case CC_ATTR:
		return o->has_attr;
	case CC_RSS:
		return o->has_rss;
	case CC_VALUE:
		return o->has_value;
	case CC_SEMS:
		return o->has_sems;
	case CC_NOTIFY:
		return o->notify_pid != 0;
	case CC_STATUS:
		return o->has_status;
	case CC_FILL:
		return o->has_fill;
	case CC_PEER:
		return o->peer != 0;
	case CC_QUEUES:
		return o->has_queues && o->sock_state != TCP_LISTEN;
	case CC_LISTEN:
		return o->has_queues && o->sock_state == TCP_LISTEN;
	case CC_NAMED:
		return o->name != NULL;
	case CC_FILE:
		return o->file_inode != 0;
	case CC_SIGQ:
		return o->has_attr;
	case CC_REMOTE:
		return o->remote != NULL;
	case CC_SIZE:
		return o->has_size;
	case CC_STAT:
		return o->has_stat;
	case CC_INODE:
		return o->inode != 0;
	case CC_DBUS_STATS:
		return o->has_dbus_stats;
	case CC_DBUS_RULES:
		return o->has_dbus_rules;
	case CC_NS:
		return o->ipc_ns != 0;
	}
	return false;
}

static void perms_string(unsigned int mode, char *buf)
{
	static const char rwx[] = "rwxrwxrwx";

	for (int i = 0; i < 9; i++)
		buf[i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	buf[9] = '\0';
}

void column_value(int col, const struct ipc_object *o, struct cell *out)
{
	const struct column *c = &columns[col];
	const char *field = (const char *)o + c->offset;

	memset(out, 0, sizeof(*out));
	out->type = CELL_NULL;
#ifdef IPCTOP_CHECKED
	/* kind-specific fields share memory: a column is read only for the kinds that
	 * list it (checked in the sanitizer build) */
	if (!kind_has_column(o->kind, col))
		abort();
#endif
	if (!column_valid(c, o))
		return;

	switch (c->type) {
	case CT_INT:
		out->type = CELL_INT;
		out->i = *(const int *)field;
		break;
	case CT_U64:
		out->type = CELL_UINT;
		out->u = *(const uint64_t *)field;
		break;
	case CT_U32:
		out->type = CELL_UINT;
		out->u = *(const uint32_t *)field;
		break;
	case CT_I64:
		out->type = CELL_INT;
		out->i = *(const int64_t *)field;
		break;
	case CT_PID: {
		pid_t pid = *(const pid_t *)field;

		if (pid > 0) {
			out->type = CELL_INT;
			out->i = pid;
		}
		break;
	}
	case CT_KEY:
		out->type = CELL_UINT;
		out->u = (uint32_t)*(const int32_t *)field;
		break;
	case CT_NAME:
		if (o->name) {
			out->type = CELL_BYTES;
			out->s = o->name;
			out->len = o->name_len;
		}
		break;
	case CT_USER:
	case CT_GROUP: {
		unsigned int id = *(const unsigned int *)field;
		const char *name = c->type == CT_USER ? user_name(id) : group_name(id);

		out->type = CELL_STR;
		if (name) {
			out->s = name;
		} else {
			/* no name: show the number, as ls does */
			snprintf(out->buf, sizeof(out->buf), "%u", id);
			out->s = out->buf;
		}
		break;
	}
	case CT_ID:
		out->type = CELL_UINT;
		out->u = *(const unsigned int *)field;
		break;
	case CT_MODE:
		out->type = CELL_STR;
		snprintf(out->buf, sizeof(out->buf), "%04o", *(const unsigned int *)field & 0777);
		out->s = out->buf;
		break;
	case CT_PERMS:
		out->type = CELL_STR;
		perms_string(*(const unsigned int *)field, out->buf);
		out->s = out->buf;
		break;
	case CT_TIME: {
		int64_t t = *(const int64_t *)field;

		if (t != 0) {
			out->type = CELL_INT;
			out->i = t;
		}
		break;
	}
	case CT_DEV: {
		uint64_t dev = *(const uint64_t *)field;

		out->type = CELL_STR;
		snprintf(out->buf, sizeof(out->buf), "%u:%u", major(dev), minor(dev));
		out->s = out->buf;
		out->u = dev;
		out->by_u = true;
		break;
	}
	case CT_FLAG:
		out->type = CELL_BOOL;
		out->b = (*(const unsigned int *)field & c->aux) != 0;
		break;
	case CT_PERSIST:
		out->type = CELL_STR;
		out->s = persistence_name(*(const enum persistence *)field);
		break;
	case CT_NOTIFY:
		out->type = CELL_STR;
		switch (*(const int *)field) {
		case SIGEV_SIGNAL:
			out->s = "signal";
			break;
		case SIGEV_NONE:
			out->s = "none";
			break;
		case SIGEV_THREAD:
			out->s = "thread";
			break;
		default:
			snprintf(out->buf, sizeof(out->buf), "%d", *(const int *)field);
			out->s = out->buf;
		}
		break;
	case CT_SEMS:
		out->type = CELL_SEMS;
		out->obj = o;
		break;
	case CT_COMM:
	case CT_STRPTR: {
		const char *comm = *(const char *const *)field;

		if (comm) {
			out->type = CELL_BYTES;
			out->s = comm;
			out->len = strlen(comm);
		}
		break;
	}
	case CT_HOLDERS:
		out->type = CELL_HOLDERS;
		out->holders = o->holders;
		out->nholders = o->nholders;
		break;
	case CT_PEER_HOLDERS:
		out->type = CELL_HOLDERS;
		out->holders = o->peer_obj ? o->peer_obj->holders : NULL;
		out->nholders = o->peer_obj ? o->peer_obj->nholders : 0;
		break;
	case CT_STALE:
		out->type = CELL_STALE;
		out->obj = o;
		break;
	case CT_SOCKTYPE:
		if (*(const int *)field == 0)
			break;          /* a socket file with no socket: no type */
		out->type = CELL_STR;
		out->s = sock_type_name(*(const int *)field);
		if (!out->s) {
			snprintf(out->buf, sizeof(out->buf), "%d", *(const int *)field);
			out->s = out->buf;
		}
		break;
	case CT_SOCKSTATE:
		out->type = CELL_STR;
		out->s = sock_state_name(*(const int *)field);
		if (!out->s) {
			snprintf(out->buf, sizeof(out->buf), "%d", *(const int *)field);
			out->s = out->buf;
		}
		break;
	case CT_SIGSET:
		out->type = CELL_SIGSET;
		out->u = *(const uint64_t *)field;
		break;
	case CT_CLOCK:
		out->type = CELL_STR;
		out->s = clock_name(*(const int *)field);
		if (!out->s) {
			snprintf(out->buf, sizeof(out->buf), "%d", *(const int *)field);
			out->s = out->buf;
		}
		break;
	case CT_INODES:
		out->type = CELL_INODES;
		out->obj = o;
		break;
	case CT_WATCHES:
		out->type = CELL_WATCHES;
		out->obj = o;
		break;
	case CT_BOOLFIELD:
		out->type = CELL_BOOL;
		out->b = *(const bool *)field;
		break;
	case CT_STRFIELD:
		out->type = CELL_STR;
		out->s = field;
		break;
	case CT_OFFSET:
		if (*(const uint64_t *)field != UINT64_MAX) {
			out->type = CELL_UINT;
			out->u = *(const uint64_t *)field;
		}
		break;
	case CT_PROTO: {
		int proto = *(const int *)field;

		out->type = CELL_STR;
		out->s = o->kind == KIND_NETLINK ? netlink_protocol_name(proto) :
			 proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : NULL;
		if (!out->s) {
			snprintf(out->buf, sizeof(out->buf), "%d", proto);
			out->s = out->buf;
		}
		break;
	}
	case CT_TARGETS:
		out->type = CELL_TARGETS;
		out->obj = o;
		break;
	case CT_STRLIST:
		out->type = CELL_STRLIST;
		out->list = (const struct strlist *)field;
		break;
	}
}

const char *netlink_protocol_name(int protocol)
{
	static const char *const names[] = {
		[NETLINK_ROUTE] = "route", [NETLINK_USERSOCK] = "usersock",
		[NETLINK_FIREWALL] = "firewall", [NETLINK_SOCK_DIAG] = "sock_diag",
		[NETLINK_NFLOG] = "nflog", [NETLINK_XFRM] = "xfrm", [NETLINK_SELINUX] = "selinux",
		[NETLINK_ISCSI] = "iscsi", [NETLINK_AUDIT] = "audit",
		[NETLINK_FIB_LOOKUP] = "fib_lookup", [NETLINK_CONNECTOR] = "connector",
		[NETLINK_NETFILTER] = "netfilter", [NETLINK_IP6_FW] = "ip6_fw",
		[NETLINK_DNRTMSG] = "dnrtmsg", [NETLINK_KOBJECT_UEVENT] = "kobject_uevent",
		[NETLINK_GENERIC] = "generic", [NETLINK_SCSITRANSPORT] = "scsitransport",
		[NETLINK_ECRYPTFS] = "ecryptfs", [NETLINK_RDMA] = "rdma", [NETLINK_CRYPTO] = "crypto",
		[NETLINK_SMC] = "smc",
	};

	if (protocol < 0 || (size_t)protocol >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[protocol];
}

const char *signal_name(int signo, char *buf, size_t len)
{
	const char *abbrev;

	if (signo < 1 || signo > 64)
		return NULL;
	if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
		snprintf(buf, len, "RT%d", signo - SIGRTMIN);
		return buf;
	}
	abbrev = sigabbrev_np(signo);
	if (abbrev)
		return abbrev;
	snprintf(buf, len, "%d", signo);
	return buf;
}

const char *sock_type_name(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_DGRAM:
		return "dgram";
	case SOCK_SEQPACKET:
		return "seqpacket";
	case SOCK_RAW:
		return "raw";
	}
	return NULL;
}

/* UNIX sockets borrow the TCP state numbers (include/net/tcp_states.h) */
const char *sock_state_name(int state)
{
	static const char *const names[] = {
		[TCP_ESTABLISHED] = "established", [TCP_SYN_SENT] = "connecting",
		[TCP_SYN_RECV] = "syn-recv", [TCP_FIN_WAIT1] = "fin-wait1",
		[TCP_FIN_WAIT2] = "fin-wait2", [TCP_TIME_WAIT] = "time-wait",
		[TCP_CLOSE] = "unconnected", [TCP_CLOSE_WAIT] = "close-wait",
		[TCP_LAST_ACK] = "last-ack", [TCP_LISTEN] = "listen",
		[TCP_CLOSING] = "disconnecting", [UNIX_STATE_NO_SOCKET] = "no-socket",
	};

	if (state < 0 || (size_t)state >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[state];
}

const char *clock_name(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
		return "realtime";
	case CLOCK_MONOTONIC:
		return "monotonic";
	case CLOCK_BOOTTIME:
		return "boottime";
	case CLOCK_REALTIME_ALARM:
		return "realtime-alarm";
	case CLOCK_BOOTTIME_ALARM:
		return "boottime-alarm";
	}
	return NULL;
}

const char *access_name(unsigned int access)
{
	static const char *const names[] = { "-", "r", "w", "rw" };

	return names[access & 3];
}

const char *end_name(enum holder_end role)
{
	switch (role) {
	case END_MASTER:
		return "master";
	case END_SLAVE:
		return "slave";
	case END_NONE:
		break;
	}
	return NULL;
}

int cell_compare(const struct cell *a, const struct cell *b)
{
	/* unknown values sort first */
	if (a->type == CELL_NULL || b->type == CELL_NULL)
		return (a->type != CELL_NULL) - (b->type != CELL_NULL);
	switch (a->type) {
	case CELL_INT:
		return (a->i > b->i) - (a->i < b->i);
	case CELL_UINT:
		return (a->u > b->u) - (a->u < b->u);
	case CELL_BOOL:
		return (int)a->b - (int)b->b;
	case CELL_STR:
		if (a->by_u && b->by_u)
			return (a->u > b->u) - (a->u < b->u);
		return strcmp(a->s, b->s);
	case CELL_BYTES: {
		size_t n = a->len < b->len ? a->len : b->len;
		int r = memcmp(a->s, b->s, n);

		return r ? r : (a->len > b->len) - (a->len < b->len);
	}
	case CELL_HOLDERS: {
		/* by the first holder: who has it */
		pid_t pa = a->nholders ? a->holders[0].pid : 0, pb = b->nholders ? b->holders[0].pid : 0;

		return (pa > pb) - (pa < pb);
	}
	case CELL_STALE:
		return (int)a->obj->stale - (int)b->obj->stale;
	case CELL_SIGSET:
		return (a->u > b->u) - (a->u < b->u);
	case CELL_INODES:
		return (a->obj->npending > b->obj->npending) - (a->obj->npending < b->obj->npending);
	case CELL_WATCHES:
		return (a->obj->nwatches > b->obj->nwatches) - (a->obj->nwatches < b->obj->nwatches);
	case CELL_TARGETS:
		return (a->obj->ntargets > b->obj->ntargets) - (a->obj->ntargets < b->obj->ntargets);
	case CELL_STRLIST:
		if (a->list->n != b->list->n)
			return (a->list->n > b->list->n) - (a->list->n < b->list->n);
		return a->list->n ? strcmp(a->list->v[0], b->list->v[0]) : 0;
	case CELL_SEMS:
	case CELL_NULL:
		break;
	}
	return 0;
}

bool column_sortable(int col)
{
	return columns[col].type != CT_SEMS;
}

/* A row and its sort value, computed once: the comparisons then only compare. The
 * keys stay in place (a cell may point into its own buffer); their addresses are
 * sorted. */
struct kind_row_key {
	const struct ipc_object *o;
	struct cell v;
};

static int row_compare(const void *pa, const void *pb, void *arg)
{
	const struct kind_row_key *ka = *(const struct kind_row_key *const *)pa;
	const struct kind_row_key *kb = *(const struct kind_row_key *const *)pb;
	const struct ipc_object *a = ka->o, *b = kb->o;
	int r = cell_compare(&ka->v, &kb->v);

	/* ties keep a stable, meaningful order: by id, then name */
	if (r == 0)
		r = (a->id > b->id) - (a->id < b->id);
	if (r == 0 && a->name && b->name)
		r = strcmp(a->name, b->name);
	return *(const bool *)arg ? -r : r;
}

bool object_involves(const struct ipc_object *o, pid_t pid)
{
	for (size_t i = 0; i < o->nholders; i++)
		if (o->holders[i].pid == pid)
			return true;
	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
		return o->cpid == pid || o->lpid == pid;
	case KIND_SYSV_SEM:
		for (uint64_t i = 0; o->sems && i < o->count; i++)
			if (o->sems[i].pid == pid)
				return true;
		return false;
	case KIND_POSIX_MQ:
		return o->notify_pid == pid;
	case KIND_SIGNAL:
	case KIND_LOCK:
	case KIND_DBUS:
		return o->cpid == pid;
	default:
		return false;
	}
}

static bool involves_any(const struct ipc_object *o, const pid_t *pids, size_t npids)
{
	for (size_t i = 0; i < npids; i++)
		if (object_involves(o, pids[i]))
			return true;
	return npids == 0;
}

const struct ipc_object **kind_rows(const struct snapshot *snap, enum ipc_kind kind,
				    int sort_col, bool reverse, const pid_t *pids, size_t npids,
				    size_t *n)
{
	/* the link phase grouped the objects by kind; an unlinked snapshot is walked */
	size_t first = snap->by_kind ? snap->kind_first[kind] : 0;
	size_t last = snap->by_kind ? snap->kind_first[kind + 1] : snap->nobjects;
	size_t nkeys = last - first + 1;
	struct kind_row_key *keys = xbigcalloc(nkeys, sizeof(*keys));
	struct kind_row_key **order = xcalloc(nkeys, sizeof(*order));
	size_t count = 0;

	if (sort_col < 0)
		sort_col = kind_classes[kind].default_sort;
	for (size_t i = first; i < last; i++) {
		const struct ipc_object *o = &snap->objects[snap->by_kind ? snap->by_kind[i] : i];

		if (o->kind != kind || !involves_any(o, pids, npids))
			continue;
		keys[count].o = o;
		column_value(sort_col, o, &keys[count].v);
		order[count] = &keys[count];
		count++;
	}
	qsort_r(order, count, sizeof(*order), row_compare, &reverse);

	const struct ipc_object **rows = xcalloc(count + 1, sizeof(*rows));

	for (size_t i = 0; i < count; i++)
		rows[i] = order[i]->o;
	free(order);
	xbigarray_free(keys, nkeys, sizeof(*keys));
	*n = count;
	return rows;
}
