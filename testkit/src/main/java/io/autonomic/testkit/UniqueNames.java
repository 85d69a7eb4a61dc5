package io.autonomic.testkit;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names that do not collide between test classes sharing one broker or one registry:
 * {@code prefix-<counter>-<random>}, restricted to the characters legal in a Kafka topic name
 * ({@code [a-zA-Z0-9._-]}).
 */
public final class UniqueNames {

    private static final AtomicLong COUNTER = new AtomicLong();

    private UniqueNames() {
    }

    /** A fresh name starting with {@code prefix} (illegal characters become {@code _}). */
    public static String next(String prefix) {
        String clean = prefix == null || prefix.isBlank()
                ? "t"
                : prefix.replaceAll("[^a-zA-Z0-9._-]", "_");
        String suffix = COUNTER.incrementAndGet() + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36)
                .toLowerCase(Locale.ROOT);
        // Kafka topic names are limited to 249 characters.
        int max = 249 - suffix.length() - 1;
        if (clean.length() > max) {
            clean = clean.substring(0, max);
        }
        return clean + "-" + suffix;
    }
}
