package dev.vessel.engine.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A VM's serial console and a container's output: the log, followed or not, and a VM's live console. */
public interface Consoles {
    /** Writes the log to {@code out}; with {@code follow}, goes on until the instance stops or the client leaves. */
    interface LogCopy {
        void writeTo(OutputStream out) throws IOException, InterruptedException;
    }

    /**
     * @param tail the last lines only, or -1 for all (a container's rotated logs included)
     */
    LogCopy log(String name, boolean follow, int tail);

    /** A live byte stream to and from a running VM's serial console; one client at a time. */
    interface Session extends AutoCloseable {
        /** Joins {@code in} and {@code out} to the console until either side ends. */
        void join(InputStream in, OutputStream out) throws InterruptedException;

        @Override
        void close();
    }

    /** Checks that the instance has a live console now (it runs), without opening it. */
    void requireConsole(String name);

    /**
     * A fresh one-time password for a running VM's screen (its VNC server), good for a console ticket's life; refused
     * for a VM without a display.
     */
    String screenPassword(String name);

    /** What a running VM's screen shows now, as a PNG image; refused for a VM without a display. */
    byte[] screenshot(String name);

    /** A byte stream to and from a running VM's VNC server (RFB), for the web UI's noVNC; several may watch. */
    Session screen(String name);

    /** Checks that the console can be had (running, not attached elsewhere) and opens it. */
    Session console(String name);
}
