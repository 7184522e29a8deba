package dev.vessel.http;

/** One API resource: it registers its few routes; each route parses, calls the engine and maps the result. */
public interface HttpService {
    void routing(Router router);
}
