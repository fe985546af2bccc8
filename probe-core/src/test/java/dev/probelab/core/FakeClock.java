package dev.probelab.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock that moves only when a test says so. */
public final class FakeClock implements MonotonicClock {

    // Not zero: real nanoTime values are arbitrary, and uptime must only depend on differences.
    private final AtomicLong now = new AtomicLong(123_456_789_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    public void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
