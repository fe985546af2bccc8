package dev.probelab.runner.kubelet;

import dev.probelab.lab.LabStep;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The events of one pod as the kubelet's recorder writes them (client-go tools/record/events_cache.go,
 * EventCorrelate): repeats of the same source, type, reason and message become one event with a count
 * and first/last times; then the spam filter lets {@link LabStep#KUBELET_EVENT_BURST} events per source
 * through, refilled one per 5 minutes. A repeat spends a token too, and is counted even when the filter
 * drops it, so the next one that passes shows the count jump.
 */
public final class EventRecorder {

    /** defaultSpamQPS: one token per 300 s once the burst is spent. */
    static final Duration REFILL_EVERY = Duration.ofMinutes(5);

    private final Supplier<Duration> clock;
    private final Consumer<PodEvent> published;
    private final Map<String, PodEvent> counted = new HashMap<>();
    private final Map<String, PodEvent> shown = new LinkedHashMap<>();
    private final Map<String, Bucket> buckets = new HashMap<>();

    /** One source's token bucket. */
    private static final class Bucket {
        double tokens = LabStep.KUBELET_EVENT_BURST;
        Duration last;
    }

    /** {@code published} is told of every event that gets through, as it then stands. */
    public EventRecorder(Supplier<Duration> clock, Consumer<PodEvent> published) {
        this.clock = clock;
        this.published = published;
    }

    public void record(String type, String reason, String from, String message) {
        Duration now = clock.get();
        String key = from + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
        PodEvent before = counted.get(key);
        PodEvent event = before == null
                ? new PodEvent(type, reason, from, message, 1, now, now)
                : new PodEvent(type, reason, from, message, before.count() + 1, before.firstSeen(), now);
        counted.put(key, event);
        if (takeToken(from, now)) {
            shown.put(key, event);
            published.accept(event);
        }
    }

    private boolean takeToken(String source, Duration now) {
        Bucket b = buckets.computeIfAbsent(source, s -> new Bucket());
        if (b.last != null) {
            double refill = (double) now.minus(b.last).toMillis() / REFILL_EVERY.toMillis();
            b.tokens = Math.min(LabStep.KUBELET_EVENT_BURST, b.tokens + refill);
        }
        b.last = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** The events as the API server holds them (what `kubectl describe pod` lists), in first-recorded order. */
    public List<PodEvent> shown() {
        return List.copyOf(shown.values());
    }
}
