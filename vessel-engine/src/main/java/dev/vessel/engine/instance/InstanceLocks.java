package dev.vessel.engine.instance;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One lifecycle operation per instance at a time; different instances never wait for each other. */
final class InstanceLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T with(String key, Supplier<T> work) {
        var lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void with(String key, Runnable work) {
        with(key, () -> {
            work.run();
            return null;
        });
    }
}
