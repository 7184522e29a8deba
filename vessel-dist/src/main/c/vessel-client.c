/*
 * vessel-client: the thin `vessel` command. A CLI call in a JVM of its own costs hundreds of milliseconds before it
 * says anything; this client instead hands the call (arguments, working directory, environment, whether its streams
 * are terminals) to the daemon over its unix socket, where the same Java CLI runs it, and copies the answer back:
 * standard output, standard error and the exit code (see dev.vessel.cli.CliRelay for the protocol).
 *
 * It runs the JVM CLI instead (exec of $VESSEL_FALLBACK, else bin/vessel beside the build, with VESSEL_JVM=1) when:
 * the call is `vessel daemon`; the endpoint is not a unix socket; the daemon cannot be reached or does not relay
 * (an older daemon); or the daemon answers that the call needs this process's own terminal or stdin (`run -it`,
 * `exec -i`, `attach`, `vm console`, `login --password-stdin`). So every call behaves exactly as the JVM CLI's would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;

#define DEFAULT_HOST "unix:///run/vessel/vessel.sock"

static char **saved_argv;

/* Runs the JVM CLI with the same arguments; returns only if that is impossible. */
static void fallback(void) {
    char path[PATH_MAX];
    const char *f = getenv("VESSEL_FALLBACK");
    if (f == NULL || *f == '\0') {
        /* <repo>/vessel-dist/target/vessel-client -> <repo>/bin/vessel */
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
        if (n <= 0) {
            dprintf(2, "vessel: cannot find the JVM CLI: set VESSEL_FALLBACK\n");
            exit(1);
        }
        path[n] = '\0';
        char *slash = strrchr(path, '/');
        if (slash == NULL) {
            exit(1);
        }
        strcpy(slash, "/../../bin/vessel");
        f = path;
    }
    setenv("VESSEL_JVM", "1", 1);
    saved_argv[0] = (char *) f;
    execv(f, saved_argv);
    dprintf(2, "vessel: cannot run %s: %s\n", f, strerror(errno));
    exit(1);
}

/* A growing buffer for the request. */
struct buf {
    char *p;
    size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap) {
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            dprintf(2, "vessel: out of memory\n");
            exit(1);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s) {
    put(b, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control characters escaped; other bytes as they are (UTF-8). */
static void put_json(struct buf *b, const char *s, size_t n) {
    put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char) c};
            put(b, e, 2);
        } else if (c < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", c);
            put(b, e, 6);
        } else {
            put(b, (const char *) &s[i], 1);
        }
    }
    put(b, "\"", 1);
}

/* The endpoint the call names: -H/--host anywhere among the arguments, else $VESSEL_HOST, else the default. */
static const char *endpoint(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "-H") == 0 || strcmp(a, "--host") == 0) && i + 1 < argc) {
            return argv[i + 1];
        }
        if (strncmp(a, "--host=", 7) == 0) {
            return a + 7;
        }
        if (strncmp(a, "-H", 2) == 0 && a[2] != '\0') {
            return a + 2;
        }
    }
    const char *env = getenv("VESSEL_HOST");
    return env != NULL && *env != '\0' ? env : DEFAULT_HOST;
}

static int read_full(int fd, void *p, size_t n) {
    char *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        c += r;
        n -= (size_t) r;
    }
    return 0;
}

static int write_full(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

int main(int argc, char **argv) {
    saved_argv = argv;
    if ((argc > 1 && strcmp(argv[1], "daemon") == 0) || getenv("VESSEL_JVM") != NULL) {
        fallback();
    }
    const char *host = endpoint(argc, argv);
    if (strncmp(host, "unix://", 7) != 0) {
        fallback(); /* TCP with a token: the JVM CLI */
    }
    const char *socket_path = host + 7;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof addr.sun_path) {
        fallback();
    }
    strcpy(addr.sun_path, socket_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
        fallback(); /* it says why the daemon is unreachable, with the usual exit code */
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL) {
        fallback();
    }

    struct buf body = {0};
    puts_(&body, "{\"args\":[");
    for (int i = 1; i < argc; i++) {
        if (i > 1) {
            puts_(&body, ",");
        }
        put_json(&body, argv[i], strlen(argv[i]));
    }
    puts_(&body, "],\"cwd\":");
    put_json(&body, cwd, strlen(cwd));
    puts_(&body, ",\"socket\":");
    put_json(&body, socket_path, strlen(socket_path));
    puts_(&body, isatty(0) && isatty(1) ? ",\"terminal\":true" : ",\"terminal\":false");
    puts_(&body, isatty(2) ? ",\"errTerminal\":true" : ",\"errTerminal\":false");
    puts_(&body, ",\"env\":{");
    int first = 1;
    for (char **e = environ; *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq == NULL) {
            continue;
        }
        if (!first) {
            puts_(&body, ",");
        }
        first = 0;
        put_json(&body, *e, (size_t) (eq - *e));
        puts_(&body, ":");
        put_json(&body, eq + 1, strlen(eq + 1));
    }
    puts_(&body, "}}");

    struct buf req = {0};
    char head[256];
    snprintf(head, sizeof head,
             "POST /api/v1/cli HTTP/1.1\r\nHost: vessel\r\nConnection: Upgrade\r\nUpgrade: vessel-cli\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
             body.len);
    puts_(&req, head);
    put(&req, body.p, body.len);
    if (write_full(fd, req.p, req.len) < 0) {
        fallback();
    }

    /* The answer's head, a byte at a time: the frames that follow it must stay unread. */
    char line[4096];
    size_t n = 0;
    int status = 0;
    for (;;) {
        char c;
        if (read_full(fd, &c, 1) < 0) {
            fallback();
        }
        if (n + 1 >= sizeof line) {
            fallback();
        }
        line[n++] = c;
        if (n >= 4 && memcmp(line + n - 4, "\r\n\r\n", 4) == 0) {
            break;
        }
    }
    line[n] = '\0';
    if (sscanf(line, "HTTP/1.%*d %d", &status) != 1 || status != 101) {
        /* 200 {"run":"local"}: the call needs this terminal or stdin; anything else (an older daemon, a refusal):
           the JVM CLI does it, or says properly why not */
        fallback();
    }

    for (;;) {
        unsigned char h[8];
        if (read_full(fd, h, sizeof h) < 0) {
            dprintf(2, "vessel: the daemon closed the connection before the command ended\n");
            return 6;
        }
        uint32_t len = (uint32_t) h[4] << 24 | (uint32_t) h[5] << 16 | (uint32_t) h[6] << 8 | h[7];
        char *payload = malloc(len + 1);
        if (payload == NULL || read_full(fd, payload, len) < 0) {
            dprintf(2, "vessel: the daemon's answer broke off\n");
            return 6;
        }
        payload[len] = '\0';
        switch (h[0]) {
        case 1:
        case 2:
            write_full(h[0], payload, len);
            break;
        case 3:
            return atoi(payload);
        default:
            dprintf(2, "vessel: unknown frame %d from the daemon\n", h[0]);
            return 1;
        }
        free(payload);
    }
}
