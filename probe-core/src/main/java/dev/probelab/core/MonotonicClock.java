package dev.probelab.core;

/**
 * A source of monotonic time. The apps measure uptime with it, so a wall-clock jump
 * (NTP, a laptop waking up) never changes a probe answer; tests inject a fake one.
 */
@FunctionalInterface
public interface MonotonicClock {

    long nanoTime();

    static MonotonicClock system() {
        return System::nanoTime;
    }
}
