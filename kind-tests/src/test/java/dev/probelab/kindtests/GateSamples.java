package dev.probelab.kindtests;

import static dev.probelab.kindtests.PodTimeline.secs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The readiness claim "while the pod is not ready the Service has no ready endpoint, and requests
 * through it get no answer", from requests made while watching the EndpointSlice.
 *
 * <p>Each sample reads the EndpointSlice, sends {@code GET /}, and reads the slice again; only samples
 * where both reads show no ready endpoint count as "closed" (an endpoint turning ready between the reads
 * would make the answer legitimately arrive). Through a LoadBalancer, a closed sample must not carry the
 * app's page (only a pod sends {@code hostname: ...}): whether the client sees a refusal, a closed
 * connection, a time-out or a proxy's own error page depends on the LoadBalancer implementation, and none
 * of those is an answer from the app. Through a port-forward the request goes straight to the pod, so the
 * answers prove nothing about the Service and only the EndpointSlice is checked.
 */
public final class GateSamples {

    /** At least this many closed samples, or the check is vacuous. Sampling every 2 s over ~60 s gives ~25. */
    public static final int MIN_CLOSED_SAMPLES = 5;

    public record Sample(Duration uptime, EndpointState before, Answer answer, EndpointState after) {
        boolean closed() {
            return before.ready() == 0 && after.ready() == 0;
        }

        @Override
        public String toString() {
            return "+" + secs(uptime) + " [" + before + "] " + answer;
        }
    }

    private GateSamples() {
    }

    public static List<String> check(List<Sample> samples, ServiceRoute route) {
        List<String> problems = new ArrayList<>();
        List<Sample> closed = samples.stream().filter(Sample::closed).toList();
        if (closed.size() < MIN_CLOSED_SAMPLES) {
            problems.add("only " + closed.size() + " requests while the Service had no ready endpoint (want >= "
                    + MIN_CLOSED_SAMPLES + "); samples: " + samples);
        }
        if (samples.stream().noneMatch(s -> s.before().notReady() > 0 || s.after().notReady() > 0)) {
            problems.add("the pod never showed in the EndpointSlice as a not-ready endpoint; samples: " + samples);
        }
        if (route.honoursReadiness()) {
            for (Sample s : closed) {
                if (s.answer().isAppPage()) {
                    problems.add("the app answered through the LoadBalancer while no endpoint was ready: " + s);
                }
            }
        }
        return problems;
    }
}
