package dev.probelab.core;

import java.time.Duration;
import java.util.Locale;

/** Time since the server started listening, as the original Node.js apps measure it. */
public final class Uptime {

    private static final long NOT_LISTENING = Long.MIN_VALUE;

    private final MonotonicClock clock;
    private volatile long listeningSince = NOT_LISTENING;

    public Uptime(MonotonicClock clock) {
        this.clock = clock;
    }

    void markListening() {
        listeningSince = clock.nanoTime();
    }

    /** Zero until the server listens (no request can arrive before that anyway). */
    public Duration elapsed() {
        long since = listeningSince;
        return since == NOT_LISTENING ? Duration.ZERO : Duration.ofNanos(clock.nanoTime() - since);
    }

    /** An uptime as logs and the info page show it: seconds with one decimal, e.g. 21.0s. */
    static String format(Duration uptime) {
        return String.format(Locale.ROOT, "%.1fs", uptime.toMillis() / 1000.0);
    }
}
