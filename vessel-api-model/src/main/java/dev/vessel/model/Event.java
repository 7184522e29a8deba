package dev.vessel.model;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened, as the event stream carries it: a sequence number to resume after, the time, what
 * happened ({@code started}, {@code stopped}, {@code image-pulled}, ...), the kind and name of what it happened to,
 * and details.
 */
public record Event(long seq, Instant at, String type, String kind, String name, Map<String, Object> data) {}
