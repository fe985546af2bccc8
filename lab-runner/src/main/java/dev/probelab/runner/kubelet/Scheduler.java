package dev.probelab.runner.kubelet;

import java.time.Duration;

/**
 * Time and the one thread the kubelet logic runs on. Every state change happens in a task of this
 * scheduler, so the logic needs no locks; tests drive it with a fake clock.
 */
public interface Scheduler {

    /** Monotonic time since an arbitrary origin. */
    Duration now();

    /**
     * {@code t} truncated to the wall clock's second, as the kubelet's status manager keeps a container's
     * start time (normalizeStatus); a clock whose origin is a whole second truncates {@code t} itself.
     */
    default Duration truncatedToSecond(Duration t) {
        return Duration.ofSeconds(t.getSeconds());
    }

    /** Runs {@code task} on the logic thread after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} on the logic thread as soon as possible (hands results of other threads back). */
    void execute(Runnable task);
}
