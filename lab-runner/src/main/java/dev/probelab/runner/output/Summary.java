package dev.probelab.runner.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.probelab.runner.kubelet.PodEvent;
import dev.probelab.runner.kubelet.PodKubelet;
import java.time.Duration;
import java.util.List;

/**
 * The one JSON object `--summary json` prints last. Times are seconds after the pod's first
 * container started (the origin of LabOutcome's bounds), one decimal.
 *
 * @param pods every pod of the run
 */
public record Summary(List<PodSummary> pods) {

    /**
     * @param readyAfterSeconds   when the pod first became Ready, or null if it never did
     * @param restartAfterSeconds when each restart's new container started
     * @param events              the events recorded, aggregated as `kubectl describe pod` shows them
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PodSummary(String name, int restarts, boolean ready, Double readyAfterSeconds,
            List<Double> restartAfterSeconds, List<EventSummary> events) {
    }

    public record EventSummary(String type, String reason, String message, int count, double firstSeenSeconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    public static Summary of(List<PodKubelet> pods) {
        return new Summary(pods.stream().map(Summary::pod).toList());
    }

    private static PodSummary pod(PodKubelet pod) {
        Duration origin = pod.firstStartedAt();
        return new PodSummary(pod.name(), pod.restarts(), pod.ready(),
                pod.firstReadyAt() == null || origin == null ? null : seconds(pod.firstReadyAt().minus(origin)),
                pod.restartTimes().stream().map(t -> seconds(t.minus(origin))).toList(),
                pod.events().stream().map(e -> event(e, origin)).toList());
    }

    private static EventSummary event(PodEvent e, Duration origin) {
        return new EventSummary(e.type(), e.reason(), e.message(), e.count(),
                origin == null ? 0 : seconds(e.firstSeen().minus(origin)));
    }

    private static double seconds(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
