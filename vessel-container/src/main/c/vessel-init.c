/*
 * vessel-init: the first process of every Vessel container, and the launcher that hands it its status file.
 *
 * Why it exists: containers are detached (`runc create`), so the daemon is never the parent of a container's process
 * and cannot wait(2) for it; after a daemon restart nobody that cares is. This init is the container's PID 1. It runs
 * the image's process as its child, forwards signals to it, reaps zombies, and when the child ends it writes how it
 * ended ("exit N" or "signal N") to a file descriptor that the daemon's launcher opened on a host file outside the
 * container, then exits the same way. The daemon reads that file whenever it notices the init is gone, even if it
 * was down while the container ended.
 *
 * With a terminal it also owns the container's pty: it allocates it inside the container, gives the slave to the
 * child, and copies between the master and its own stdio (a fifo in, the container log out). Because the init holds
 * the master, a terminal session survives a daemon restart.
 *
 *   vessel-init launch STATUS_FILE -- PROG ARGS...
 *       (host) open STATUS_FILE as fd 3 and exec PROG, which is `runc create --preserve-fds 1 ...`
 *   vessel-init [--status-fd N] [--tty ROWS COLS] [--stdin] -- PROG ARGS...
 *       (container) run PROG as a child and supervise it as described above
 *
 * Statically linked: it runs in any image, with or without a libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void die(const char *what) {
    dprintf(2, "vessel-init: %s: %s\n", what, strerror(errno));
    _exit(125);
}

static int launch(int argc, char **argv) {
    /* argv: launch FILE -- PROG ARGS... */
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        dprintf(2, "usage: vessel-init launch STATUS_FILE -- PROG ARGS...\n");
        return 2;
    }
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        die("cannot open the status file");
    }
    if (fd != 3) {
        if (dup2(fd, 3) < 0) {
            die("dup2");
        }
        close(fd);
    }
    execv(argv[4], &argv[4]);
    die("cannot exec the runtime");
    return 125;
}

static int write_all(int fd, const char *buf, ssize_t n) {
    while (n > 0) {
        ssize_t w = write(fd, buf, (size_t) n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        buf += w;
        n -= w;
    }
    return 0;
}

/* Copies what is waiting on the master to stdout; returns 0 when the slave side is gone for good. */
static int pump_master(int master) {
    char buf[16384];
    for (;;) {
        ssize_t n = read(master, buf, sizeof buf);
        if (n > 0) {
            /* A full log disk must not stop the workload: output that cannot be written is dropped. */
            write_all(1, buf, n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return 1;
        }
        return 0; /* EIO: every slave fd is closed */
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "launch") == 0) {
        return launch(argc, argv);
    }
    int status_fd = -1, tty = 0, want_stdin = 0;
    unsigned short rows = 24, cols = 80;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--status-fd") == 0 && i + 1 < argc) {
            status_fd = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--tty") == 0 && i + 2 < argc) {
            tty = 1;
            rows = (unsigned short) atoi(argv[++i]);
            cols = (unsigned short) atoi(argv[++i]);
        } else if (strcmp(argv[i], "--stdin") == 0) {
            want_stdin = 1;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            dprintf(2, "vessel-init: unknown argument '%s'\n", argv[i]);
            return 125;
        }
    }
    if (i >= argc) {
        dprintf(2, "usage: vessel-init [--status-fd N] [--tty ROWS COLS] [--stdin] -- PROG ARGS...\n");
        return 125;
    }
    char **child_argv = &argv[i];
    if (status_fd >= 0 && fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0) {
        status_fd = -1; /* not handed over: the daemon falls back to what it knows */
    }

    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    /* Blocked signals are never ignored, even for a PID 1, so they queue for the signalfd and are forwarded. */
    if (sigprocmask(SIG_BLOCK, &all, NULL) < 0) {
        die("sigprocmask");
    }
    int sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        die("signalfd");
    }

    int master = -1, in = -1;
    char *slave_name = NULL;
    if (tty) {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || (slave_name = ptsname(master)) == NULL) {
            die("cannot allocate a pty");
        }
        struct winsize ws = {.ws_row = rows, .ws_col = cols};
        ioctl(master, TIOCSWINSZ, &ws);
        if (want_stdin) {
            struct stat st;
            /* A fifo reopened read-write never reports end of input: the session outlives any one client. */
            if (fstat(0, &st) == 0 && S_ISFIFO(st.st_mode)) {
                in = open("/proc/self/fd/0", O_RDWR | O_CLOEXEC);
            }
            if (in < 0) {
                in = 0;
            }
        }
    }

    pid_t child = fork();
    if (child < 0) {
        die("fork");
    }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (tty) {
            if (setsid() < 0) {
                die("setsid");
            }
            int slave = open(slave_name, O_RDWR);
            if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
                die("cannot open the pty");
            }
            dup2(slave, 0);
            dup2(slave, 1);
            dup2(slave, 2);
            if (slave > 2) {
                close(slave);
            }
        }
        execvp(child_argv[0], child_argv);
        int err = errno;
        dprintf(2, "vessel-init: cannot run '%s': %s\n", child_argv[0], strerror(err));
        _exit(err == ENOENT ? 127 : 126);
    }

    int child_status = 0, child_done = 0, master_open = tty;
    if (tty) {
        fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    }
    while (!child_done || master_open) {
        if (child_done) {
            /* The child is gone: take what it left on the pty, then stop (grandchildren die with the namespace). */
            pump_master(master);
            break;
        }
        struct pollfd p[3];
        int n = 0;
        p[n++] = (struct pollfd){.fd = sfd, .events = POLLIN};
        int mi = -1, ii = -1;
        if (master_open) {
            mi = n;
            p[n++] = (struct pollfd){.fd = master, .events = POLLIN};
        }
        if (in >= 0) {
            ii = n;
            p[n++] = (struct pollfd){.fd = in, .events = POLLIN};
        }
        if (poll(p, (nfds_t) n, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("poll");
        }
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == (ssize_t) sizeof si) {
                if (si.ssi_signo == SIGCHLD) {
                    int st;
                    pid_t w;
                    while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
                        if (w == child) {
                            child_status = st;
                            child_done = 1;
                        }
                    }
                } else {
                    kill(child, (int) si.ssi_signo);
                }
                if (child_done) {
                    break;
                }
            }
        }
        if (mi >= 0 && (p[mi].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (!pump_master(master)) {
                master_open = 0;
            }
        }
        if (ii >= 0 && (p[ii].revents & (POLLIN | POLLHUP | POLLERR))) {
            char buf[4096];
            ssize_t r = read(in, buf, sizeof buf);
            if (r > 0) {
                write_all(master, buf, r);
            } else if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) {
                in = -1;
            }
        }
    }
    int code = WIFEXITED(child_status) ? WEXITSTATUS(child_status) : 128 + WTERMSIG(child_status);
    if (status_fd >= 0) {
        dprintf(status_fd, WIFEXITED(child_status) ? "exit %d\n" : "signal %d\n",
                WIFEXITED(child_status) ? WEXITSTATUS(child_status) : WTERMSIG(child_status));
    }
    return code;
}
