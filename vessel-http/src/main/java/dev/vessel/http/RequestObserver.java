package dev.vessel.http;

/** Sees every answered request, for metrics and access logs. Must be cheap and must not throw. */
@FunctionalInterface
public interface RequestObserver {
    void observe(String listener, String method, String path, int status, long nanos);

    RequestObserver NONE = (l, m, p, s, n) -> {};
}
