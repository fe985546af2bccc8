package dev.probelab.runner.kubelet;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's results managers (pkg/kubelet/prober/results), one map per probe type keyed by
 * container ID. {@link #set} reports only real changes, as setInternal does.
 */
public final class ProbeResults {

    /** Told about every change of a published result. */
    @FunctionalInterface
    public interface Listener {
        void changed(ProbeType type, String containerId, Result result);
    }

    private record Key(ProbeType type, String containerId) {
    }

    private final Map<Key, Result> cache = new HashMap<>();
    private final Listener listener;

    public ProbeResults(Listener listener) {
        this.listener = listener;
    }

    public Optional<Result> get(ProbeType type, String containerId) {
        return Optional.ofNullable(cache.get(new Key(type, containerId)));
    }

    public void set(ProbeType type, String containerId, Result result) {
        Result previous = cache.put(new Key(type, containerId), result);
        if (previous != result) {
            listener.changed(type, containerId, result);
        }
    }

    public void remove(ProbeType type, String containerId) {
        cache.remove(new Key(type, containerId));
    }
}
