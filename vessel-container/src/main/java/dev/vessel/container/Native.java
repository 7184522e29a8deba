package dev.vessel.container;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux calls the JDK has no API for, through FFM: {@code pidfd_open} (to learn at once that a process we
 * are not the parent of is gone), {@code poll} and {@code eventfd}. Every call returns -errno on failure.
 */
final class Native {
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final short POLLIN = 0x1;
    private static final long SYS_PIDFD_OPEN = 434;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LIBC.find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(1),
            CAPTURE);
    private static final MethodHandle POLL = LINKER.downcallHandle(
            LIBC.find("poll").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE);
    private static final MethodHandle EVENTFD = LINKER.downcallHandle(
            LIBC.find("eventfd").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle READ = LINKER.downcallHandle(
            LIBC.find("read").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE);
    private static final MethodHandle WRITE = LINKER.downcallHandle(
            LIBC.find("write").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE);
    private static final MethodHandle CLOSE =
            LINKER.downcallHandle(LIBC.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE);

    private static final MethodHandle MKFIFO = LINKER.downcallHandle(
            LIBC.find("mkfifo").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE);

    private static final MethodHandle MOUNT = LINKER.downcallHandle(
            LIBC.find("mount").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS),
            CAPTURE);
    private static final MethodHandle UMOUNT2 = LINKER.downcallHandle(
            LIBC.find("umount2").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE);
    static final int MNT_DETACH = 2;

    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;

    private Native() {}

    /** A pidfd for {@code pid} (close-on-exec), or -errno (-ESRCH: already gone). */
    static int pidfdOpen(long pid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            long r = (long) SYSCALL.invokeExact(st, SYS_PIDFD_OPEN, (int) pid, 0);
            return r < 0 ? -errno(st) : (int) r;
        } catch (Throwable t) {
            throw new IllegalStateException("pidfd_open failed", t);
        }
    }

    static int eventfd() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int r = (int) EVENTFD.invokeExact(st, 0, EFD_CLOEXEC | EFD_NONBLOCK);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("eventfd failed", t);
        }
    }

    /** Polls {@code fds} for input; fills {@code ready} with whether each has input or hung up. Returns -errno or the count. */
    static int pollIn(int[] fds, boolean[] ready, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment p = a.allocate(8L * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                p.set(JAVA_INT, 8L * i, fds[i]);
                p.set(ValueLayout.JAVA_SHORT, 8L * i + 4, POLLIN);
                p.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
            }
            int r = (int) POLL.invokeExact(st, p, (long) fds.length, timeoutMillis);
            if (r < 0) {
                return -errno(st);
            }
            for (int i = 0; i < fds.length; i++) {
                ready[i] = p.get(ValueLayout.JAVA_SHORT, 8L * i + 6) != 0;
            }
            return r;
        } catch (Throwable t) {
            throw new IllegalStateException("poll failed", t);
        }
    }

    /** Adds 1 to an eventfd's counter, waking a poll on it. */
    static void signal(int eventFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            long r = (long) WRITE.invokeExact(st, eventFd, one, 8L);
            if (r < 0) {
                throw new IllegalStateException("eventfd write failed: errno " + errno(st));
            }
        } catch (Throwable t) {
            throw t instanceof IllegalStateException e ? e : new IllegalStateException("eventfd write failed", t);
        }
    }

    /** Resets an eventfd's counter (non-blocking). */
    static void drain(int eventFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment buf = a.allocate(JAVA_LONG);
            long r = (long) READ.invokeExact(st, eventFd, buf, 8L);
            if (r < 0 && errno(st) != 11) { // EAGAIN: nothing to drain
                throw new IllegalStateException("eventfd read failed: errno " + errno(st));
            }
        } catch (Throwable t) {
            throw t instanceof IllegalStateException e ? e : new IllegalStateException("eventfd read failed", t);
        }
    }

    /** Makes a fifo; returns 0 or -errno. */
    static int mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int r = (int) MKFIFO.invokeExact(st, a.allocateFrom(path), mode);
            return r < 0 ? -errno(st) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("mkfifo failed", t);
        }
    }

    /** mount(2) of a file system with its data string; returns 0 or -errno. */
    static int mount(String source, String target, String type, String data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int r = (int) MOUNT.invokeExact(
                    st, a.allocateFrom(source), a.allocateFrom(target), a.allocateFrom(type), 0L, a.allocateFrom(data));
            return r < 0 ? -errno(st) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("mount failed", t);
        }
    }

    /** umount2(2); returns 0 or -errno. */
    static int umount(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int r = (int) UMOUNT2.invokeExact(st, a.allocateFrom(target), flags);
            return r < 0 ? -errno(st) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("umount2 failed", t);
        }
    }

    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int r = (int) CLOSE.invokeExact(st, fd);
            if (r < 0) {
                throw new IllegalStateException("close(" + fd + ") failed: errno " + errno(st));
            }
        } catch (Throwable t) {
            throw t instanceof IllegalStateException e ? e : new IllegalStateException("close failed", t);
        }
    }

    private static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }
}
