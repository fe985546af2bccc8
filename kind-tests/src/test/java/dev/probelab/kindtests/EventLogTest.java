package dev.probelab.kindtests;

import static dev.probelab.kindtests.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.ExpectedEvent;
import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.OutcomeCheck;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events as the API server stores them (mock server, crud mode), with the kubelet's exact texts. */
@EnableKubernetesMockClient(crud = true)
class EventLogTest {

    static final String NS = "probe-lab-test";
    KubernetesClient client;

    @BeforeEach
    void namespace() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    private void store(Event... events) {
        for (Event e : events) {
            client.v1().events().inNamespace(NS).resource(e).create();
        }
    }

    private static ExpectedEvent expected(LabStep step, String reason) {
        return step.expectedOutcome().events().stream().filter(e -> e.reason().equals(reason)).findFirst().orElseThrow();
    }

    /** The events with a container that restarted {@code restarts} times, as the checks read them. */
    private static ObservedRun withRestarts(EventLog log, int restarts) {
        List<ObservedRun.Run> runs = java.util.stream.IntStream.rangeClosed(0, restarts)
                .mapToObj(i -> new ObservedRun.Run(i * 30, i < restarts ? i * 30 + 29.0 : null, i < restarts ? "Error" : null,
                        i < restarts ? 143 : null))
                .toList();
        return new ObservedRun("p", 1.0, 300, runs, List.of(), log.observed(Fixtures.T0), List.of());
    }

    @Test
    void liveness1TextsMatchAndAnAggregatedEventMatchesOnceWithItsCount() {
        String pod = "nodeapp-liveness-5cc89fd495-wtq4x";
        store(
                // kubectl: Warning Unhealthy 2s (x3 over 9s) kubelet Liveness probe failed: HTTP probe failed with statuscode: 500
                event(pod, "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 21, 27),
                event(pod, "Normal", "Killing", "Container liveness1 failed liveness probe, will be restarted", 1, 27, 27),
                event(pod, "Normal", "Started", "Started container liveness1", 2, 0, 28),
                // another pod's events in the same namespace are not this pod's
                event("other", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 9, 0, 40));

        EventLog log = EventLog.forPod(client, NS, pod);

        assertThat(log.all()).hasSize(3);
        ExpectedEvent unhealthy = expected(LabStep.LIVENESS_HTTP, "Unhealthy");
        assertThat(log.matching(unhealthy)).singleElement().extracting(EventLog.SeenEvent::count).isEqualTo(3);
        assertThat(log.occurrences(unhealthy)).isEqualTo(3);
        assertThat(log.matching(expected(LabStep.LIVENESS_HTTP, "Killing"))).hasSize(1);
        LabOutcome outcome = LabStep.LIVENESS_HTTP.expectedOutcome();
        assertThat(OutcomeCheck.events(outcome, withRestarts(log, 1))).isEmpty();
        assertThat(OutcomeCheck.events(outcome, withRestarts(log, 2))).singleElement().asString().contains("Killing happened 1 times");
    }

    @Test
    void theExecProbesOutputKeepsItsNewlineAndStillMatches() {
        // exec probe messages are cat's stderr as it is, trailing newline included
        store(event("liveness2", "Warning", "Unhealthy",
                        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n", 13, 35, 300),
                event("liveness2", "Normal", "Killing", "Container liveness2 failed liveness probe, will be restarted", 3, 45, 200));

        EventLog log = EventLog.forPod(client, NS, "liveness2");

        assertThat(OutcomeCheck.events(LabStep.LIVENESS_EXEC.expectedOutcome(), withRestarts(log, 3))).isEmpty();
        assertThat(log.occurrences(expected(LabStep.LIVENESS_EXEC, "Unhealthy"))).isEqualTo(13);
    }

    @Test
    void backOffEndsInThePodsNameAndUid() {
        String pod = "nodeapp-startup-799c4cfbd7-fbcc9";
        store(event(pod, "Warning", "BackOff", "Back-off restarting failed container startup1 in pod " + pod
                + "_probe-lab-test(c1226908-b3ce-4070-9235-4efbe8ae96f5)", 4, 18, 40));
        EventLog log = EventLog.forPod(client, NS, pod);
        assertThat(log.matching(expected(LabStep.STARTUP_LIVENESS_ONLY, "BackOff"))).singleElement()
                .extracting(EventLog.SeenEvent::count).isEqualTo(4);
        // the same text for another container is not this step's
        assertThat(log.matching(new ExpectedEvent("Warning", "BackOff", "Back-off restarting failed container liveness1 in pod ")))
                .isEmpty();
    }

    @Test
    void anEventWrittenThroughTheNewApiCountsItsSeries() {
        Event e = new EventBuilder(event("p", "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500", 0, 6, 6))
                .withCount(null).withNewSeries().withCount(11).withLastObservedTime(new io.fabric8.kubernetes.api.model.MicroTime("2026-03-01T10:01:00.000000Z")).endSeries()
                .build();
        store(e);
        EventLog log = EventLog.forPod(client, NS, "p");
        assertThat(log.occurrences(expected(LabStep.READINESS, "Unhealthy"))).isEqualTo(11);
    }

    @Test
    void typeAndReasonMustMatchToo() {
        EventLog log = new EventLog(List.of(EventLog.seen(
                event("p", "Normal", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 1, 0, 0))));
        assertThat(log.matching(expected(LabStep.LIVENESS_HTTP, "Unhealthy"))).isEmpty();
    }

    @Test
    void eventsKeepTheirCountsSourcesAndTimes() {
        EventLog log = new EventLog(List.of(EventLog.seen(
                event("p", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28))));
        assertThat(log.observed(Fixtures.T0)).containsExactly(new ObservedRun.Event("Warning", "Unhealthy",
                "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28, ObservedRun.KUBELET));
    }
}
