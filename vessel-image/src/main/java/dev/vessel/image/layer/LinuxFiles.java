package dev.vessel.image.layer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Map;

/**
 * The few file-system calls the JDK lacks, through the FFM API: mknod(2) for device nodes, fifos and overlay
 * whiteouts, and lsetxattr/lgetxattr(2) for overlay's trusted.* attributes (the JDK's xattr view only reaches user.*).
 * Needs {@code --enable-native-access=ALL-UNNAMED}, like zstd-jni.
 */
public final class LinuxFiles {
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MKNOD =
            libc("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle LSETXATTR =
            libc("lsetxattr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LGETXATTR =
            libc("lgetxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final Map<Integer, String> ERRNO_NAMES = Map.of(
            1,
            "EPERM",
            2,
            "ENOENT",
            13,
            "EACCES",
            17,
            "EEXIST",
            22,
            "EINVAL",
            28,
            "ENOSPC",
            61,
            "ENODATA",
            95,
            "EOPNOTSUPP");

    private LinuxFiles() {}

    /** Creates a special file; {@code mode} includes the file type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
    public static void mknod(Path p, int mode, int major, int minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int rc = (int) MKNOD.invokeExact(state, arena.allocateFrom(p.toString()), mode, makedev(major, minor));
            check(rc, state, "mknod", p);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mknod call failed", t);
        }
    }

    /** Sets an extended attribute on {@code p} itself, never on a symlink's target. */
    public static void lsetxattr(Path p, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            v.copyFrom(MemorySegment.ofArray(value));
            int rc = (int) LSETXATTR.invokeExact(
                    state, arena.allocateFrom(p.toString()), arena.allocateFrom(name), v, (long) value.length, 0);
            check(rc, state, "lsetxattr " + name, p);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("lsetxattr call failed", t);
        }
    }

    /** The attribute's value, or null if {@code p} does not have it. */
    public static byte[] lgetxattr(Path p, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            MemorySegment buf = arena.allocate(4096);
            long n = (long) LGETXATTR.invokeExact(
                    state, arena.allocateFrom(p.toString()), arena.allocateFrom(name), buf, 4096L);
            if (n < 0 && (int) ERRNO.get(state, 0L) == 61) {
                return null;
            }
            check((int) Math.min(n, 0), state, "lgetxattr " + name, p);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("lgetxattr call failed", t);
        }
    }

    /** glibc's makedev: 12 bits of major and 20 of minor in the classic places, the rest above. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    private static void check(int rc, MemorySegment state, String call, Path p) throws IOException {
        if (rc < 0) {
            int errno = (int) ERRNO.get(state, 0L);
            throw new IOException(call + " " + p + ": " + ERRNO_NAMES.getOrDefault(errno, "errno " + errno));
        }
    }

    @SuppressWarnings("restricted") // Native access is the point; the JVM flag in the README grants it.
    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        MemorySegment symbol =
                LINKER.defaultLookup().find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, Linker.Option.captureCallState("errno"));
    }
}
