package dev.probelab.lab.kubelet;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The kubelet's restart back-off: client-go's flowcontrol.Backoff as the kubelet builds it
 * ({@code flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff)} in pkg/kubelet/kubelet.go:
 * initial 10 s, doubling, capped at 300 s, no jitter). The runner's pod worker and {@link RestartReplay}
 * both decide with it; times are on whatever clock {@code now} reads. An entry expires, so the next restart starts
 * over at 10 s, when the event it is asked about comes more than 2 x 300 s = 10 minutes after the
 * entry's last update: a container that ran 10 minutes without trouble.
 */
public final class CrashLoopBackOff {

    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofSeconds(300);

    private static final class Entry {
        Duration backoff;
        Duration lastUpdate;
    }

    private final Map<String, Entry> perItem = new HashMap<>();
    private final Supplier<Duration> now;
    private final Duration initial;
    private final Duration max;

    public CrashLoopBackOff(Supplier<Duration> now) {
        this(now, INITIAL, MAX);
    }

    CrashLoopBackOff(Supplier<Duration> now, Duration initial, Duration max) {
        this.now = now;
        this.initial = initial;
        this.max = max;
    }

    /** The current back-off of {@code key}, zero if none. */
    public Duration get(String key) {
        Entry e = perItem.get(key);
        return e == null ? Duration.ZERO : e.backoff;
    }

    /** Moves {@code key} to its next back-off: the initial one if new or expired, else double, capped. */
    public void next(String key, Duration eventTime) {
        Entry e = perItem.get(key);
        if (e == null || hasExpired(eventTime, e.lastUpdate)) {
            e = new Entry();
            e.backoff = initial;
            perItem.put(key, e);
        } else {
            Duration doubled = e.backoff.multipliedBy(2);
            e.backoff = doubled.compareTo(max) > 0 ? max : doubled;
        }
        e.lastUpdate = now.get();
    }

    /** True while less than the current back-off has passed since {@code eventTime}. */
    public boolean isInBackOffSince(String key, Duration eventTime) {
        Entry e = perItem.get(key);
        if (e == null || hasExpired(eventTime, e.lastUpdate)) {
            return false;
        }
        return now.get().minus(eventTime).compareTo(e.backoff) < 0;
    }

    /** When the back-off since {@code eventTime} ends. */
    public Duration backOffEnds(String key, Duration eventTime) {
        return eventTime.plus(get(key));
    }

    private boolean hasExpired(Duration eventTime, Duration lastUpdate) {
        return eventTime.minus(lastUpdate).compareTo(max.multipliedBy(2)) > 0;
    }
}
