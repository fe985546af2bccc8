package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.OutcomeCheck;
import dev.probelab.lab.kubelet.KubeletVersion;
import dev.probelab.lab.ProjectDirs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each lab step of k8s/ on a real cluster, checked against {@code LabStep.X.expectedOutcome()}: the
 * course's timings, derived from the kubelet's probe rules in LabStep (nothing is restated here).
 *
 * <p>Steps run one after another, each in its own fresh namespace that is deleted at its end, pass or
 * fail. Sequential on purpose: each step watches for 25 to 90 s (about 7 minutes in all); in parallel
 * six JVM pods starting at once on a 2-4 core CI runner could push a 1 s probe timeout or the app's
 * start past the bounds, which would make the tests flaky rather than faster.
 */
@ClusterTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabStepsIT {

    private static final Logger LOG = LoggerFactory.getLogger(LabStepsIT.class);
    /**
     * After the pod turns Ready, the endpoint-slice controller marks its endpoint ready and kube-proxy
     * reprograms the node (each typically well under a second); the LoadBalancer in front forwards to
     * the nodes and needs no change. 15 s covers a slow CI node several times over.
     */
    private static final Duration ENDPOINT_PROPAGATION = Duration.ofSeconds(15);
    /** Requests through the Service once a second: the app flips at a whole second, the probe every 3 s. */
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    /** While waiting for readiness: a request plus two EndpointSlice reads every 2 s (~30 samples in 60 s). */
    private static final Duration GATE_SAMPLE_EVERY = Duration.ofSeconds(2);

    private static Path root;

    @BeforeAll
    static void repo() {
        root = ProjectDirs.root();
    }

    // ---------------------------------------------------------------- liveness1

    @Test
    @Order(1)
    void liveness1RestartsThePodOnceHealthzAnswers500ToTheProbesHeader(KubernetesClient client) {
        LabStep step = LabStep.LIVENESS_HTTP;
        LabOutcome outcome = step.expectedOutcome(step.courseTiming(), kubeletVersion(client));
        try (ClusterRun run = ClusterRun.start(client, step, root)) {
            run.awaitStarted();
            String container = run.container();

            // The course's curl -H "health: check" through the Service: 200 until FAIL_AFTER, then 500.
            ServiceAccess access = run.access();
            List<HealthSamples.Sample> samples = new ArrayList<>();
            sampleUntil(step + ": a 500 from /healthz with 'health: check'", outcome.observeFor(), SAMPLE_EVERY, () -> {
                Duration sent = run.uptime();
                Answer answer = access.get("/healthz", Map.of("health", "check"));
                HealthSamples.Sample s = new HealthSamples.Sample(sent, run.uptime(), answer);
                samples.add(s);
                return s.answer().isStatus(500);
            });
            LOG.info("{}: /healthz through the Service ({}): {}", step, access.route().describe(), samples);
            assertThat(HealthSamples.check(samples, step.courseTiming(), LabStep.APP_LISTENS_WITHIN)).isEmpty();

            run.awaitWindow(outcome);
            assertOutcome(client, run, outcome, container);
        }
    }

    // ---------------------------------------------------------------- liveness2

    @Test
    @Order(2)
    void liveness2RestartsThePodOnceCatTmpHealthyFails(KubernetesClient client) {
        LabStep step = LabStep.LIVENESS_EXEC;
        LabOutcome outcome = step.expectedOutcome(step.courseTiming(), kubeletVersion(client));
        try (ClusterRun run = ClusterRun.start(client, step, root)) {
            run.awaitStarted();
            run.awaitWindow(outcome);
            assertOutcome(client, run, outcome, run.container());
        }
    }

    // ---------------------------------------------------------------- readiness

    @Test
    @Order(3)
    void readinessKeepsThePodOutOfItsServiceUntilHealthzAnswers200(KubernetesClient client) {
        LabStep step = LabStep.READINESS;
        LabOutcome outcome = step.expectedOutcome(step.courseTiming(), kubeletVersion(client));
        try (ClusterRun run = ClusterRun.start(client, step, root)) {
            run.awaitStarted();
            String container = run.container();
            Instant seenRunning = run.timeline().firstSeenRunning(container).orElseThrow();

            // Not ready: the pod is in the EndpointSlice with ready=false, and (LoadBalancer path) nothing answers.
            List<GateSamples.Sample> gate = gateUntilReady(client, run, outcome);
            assertThat(GateSamples.check(gate, run.route().orElseThrow())).isEmpty();

            // Running all along, only not Ready ("0/1 Running").
            assertThat(run.timeline().snapshots()).filteredOn(s -> !s.seenAt().isBefore(seenRunning))
                    .allSatisfy(s -> assertThat(s.pod().getStatus().getPhase()).isEqualTo("Running"));

            // Ready: `/` through the Service answers with this pod's hostname.
            assertServicePageNamesThePod(client, run);

            run.awaitWindow(outcome);
            assertOutcome(client, run, outcome, container);
        }
    }

    // ---------------------------------------------------------------- startup (liveness only)

    /**
     * startup.yaml has a liveness probe and no readiness probe, so Kubernetes counts the pod Ready
     * whenever its container runs (the course's own output: {@code 1/1 Running 6}). "Never Ready" is
     * therefore not asserted. What the step shows, and what is asserted: restarts keep coming (as many as
     * LabOutcome says, in its window, each one a liveness kill), and no container run lives to
     * STARTUP_DELAY, the uptime at which the app would first answer 200; accordingly, whatever /healthz
     * answer gets through the Service is 500, never 200.
     */
    @Test
    @Order(4)
    void startupWithoutAStartupProbeKillsTheSlowStarterOverAndOver(KubernetesClient client) {
        LabStep step = LabStep.STARTUP_LIVENESS_ONLY;
        LabOutcome outcome = step.expectedOutcome(step.courseTiming(), kubeletVersion(client));
        try (ClusterRun run = ClusterRun.start(client, step, root)) {
            run.awaitStarted();
            String container = run.container();
            ServiceAccess access = run.access();
            List<Answer> answers = new ArrayList<>();
            sampleUntil(step + ": the observation window", outcome.observeFor().plus(ClusterRun.ARRIVAL_GRACE), SAMPLE_EVERY, () -> {
                answers.add(access.get("/healthz"));
                return run.windowOver(outcome);
            });
            run.awaitWindow(outcome);
            LOG.info("{}: /healthz through the Service: {}", step, tally(answers));

            assertOutcome(client, run, outcome, container);
            assertThat(run.timeline().runs(container)).filteredOn(r -> r.finishedAt() != null)
                    .as("every finished run of %s lived less than %s (STARTUP_DELAY)", container, step.courseTiming())
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.lifetime().orElseThrow()).isLessThan(step.courseTiming()));
            assertThat(answers).as("/healthz through the Service").noneMatch(a -> a.isStatus(200)).anyMatch(a -> a.isStatus(500));
        }
    }

    // ---------------------------------------------------------------- startup-probe

    @Test
    @Order(5)
    void startupProbeLeavesTheSlowStarterAloneUntilItIsUp(KubernetesClient client) {
        LabStep step = LabStep.STARTUP_PROBE;
        LabOutcome outcome = step.expectedOutcome(step.courseTiming(), kubeletVersion(client));
        try (ClusterRun run = ClusterRun.start(client, step, root)) {
            run.awaitStarted();
            String container = run.container();

            // The course: "no answer (cannot reach the site) for 60 s", "0/1 Running" meanwhile.
            List<GateSamples.Sample> gate = gateUntilReady(client, run, outcome);
            assertThat(GateSamples.check(gate, run.route().orElseThrow())).isEmpty();
            assertServicePageNamesThePod(client, run);

            run.awaitWindow(outcome);
            assertOutcome(client, run, outcome, container);
        }
    }

    // ---------------------------------------------------------------- tcp-socket

    /**
     * A tcpSocket probe only sees that the port accepts connections: readiness-app is Ready within
     * seconds, and traffic reaches it through the Service, while its own /healthz still answers 500
     * (READY_AFTER has not passed). That is what the example is there to show.
     */
    @Test
    @Order(6)
    void tcpSocketProbePassesAsSoonAsThePortIsOpen(KubernetesClient client) {
        LabStep step = LabStep.TCP_SOCKET;
        LabOutcome outcome = step.expectedOutcome(step.courseTiming(), kubeletVersion(client));
        try (ClusterRun run = ClusterRun.start(client, step, root)) {
            run.awaitStarted();
            String container = run.container();
            Waits.until(step + ": pod Ready", outcome.readyBy().plus(ClusterRun.ARRIVAL_GRACE), ClusterRun.POLL,
                    () -> PodTimeline.describe(run.timeline().latest().orElseThrow()), d -> run.timeline().isReadyNow());

            ServiceAccess access = run.access();
            Answer health = Waits.until(step + ": /healthz through the Service", ENDPOINT_PROPAGATION, SAMPLE_EVERY,
                    () -> access.get("/healthz"), a -> a.isStatus(500));
            Duration uptime = run.uptime();
            LOG.info("{}: at +{}s the pod is Ready and /healthz through the Service answers {}", step, uptime.toSeconds(), health);
            assertThat(run.timeline().isReadyNow()).isTrue();
            assertThat(uptime).as("checked before READY_AFTER").isLessThan(step.courseTiming());
            assertThat(health).isEqualTo(new Answer.Response(500, HealthSamples.FAIL_BODY));
            assertServicePageNamesThePod(client, run);

            run.awaitWindow(outcome);
            assertOutcome(client, run, outcome, container);
        }
    }

    // ---------------------------------------------------------------- shared

    /** Every claim of the outcome, judged by OutcomeCheck on what the cluster showed; logs the events either way. */
    private static void assertOutcome(KubernetesClient client, ClusterRun run, LabOutcome outcome, String container) {
        ObservedRun observed = run.observed(run.events(outcome), List.of());
        LOG.info("events of pod {}: {}", observed.pod(), OutcomeCheck.describeEvents(observed.events()));
        List<String> problems = new ArrayList<>();
        if (run.timeline().restartCountWhenFirstRunning(container).orElse(0) != 0) {
            problems.add("the watch first saw " + container + " already restarted: the step's start was missed");
        }
        problems.addAll(OutcomeCheck.check(outcome, observed, kubeletVersion(client)));
        assertThat(problems).as("%s: %s", run.namespace(), outcome.claim()).isEmpty();
    }

    /** The cluster's kubelet profile, or null for a version between 1.20 and 1.35 (the checks then allow either). */
    static KubeletVersion kubeletVersion(KubernetesClient client) {
        try {
            return KubeletVersion.of(client.getKubernetesVersion().getGitVersion());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Samples the Service (EndpointSlice, GET /, EndpointSlice) every 2 s until the pod is Ready. */
    private static List<GateSamples.Sample> gateUntilReady(KubernetesClient client, ClusterRun run, LabOutcome outcome) {
        ServiceAccess access = run.access();
        String service = access.route().service();
        List<GateSamples.Sample> samples = new ArrayList<>();
        sampleUntil(run.namespace() + ": pod Ready", outcome.readyBy().plus(ClusterRun.ARRIVAL_GRACE), GATE_SAMPLE_EVERY, () -> {
            EndpointState before = EndpointState.of(client, run.namespace(), service);
            Answer answer = access.get("/");
            EndpointState after = EndpointState.of(client, run.namespace(), service);
            samples.add(new GateSamples.Sample(run.uptime(), before, answer, after));
            return run.timeline().isReadyNow();
        });
        LOG.info("{}: before Ready, {} requests through the Service ({}): {}", run.namespace(), samples.size(),
                access.route().describe(), tally(samples.stream().map(GateSamples.Sample::answer).toList()));
        if (!access.route().honoursReadiness()) {
            LOG.info("{}: a port-forward reaches the pod directly, bypassing readiness: 'the Service answers nothing' "
                    + "is checked on the EndpointSlice only", run.namespace());
        }
        return samples;
    }

    private static void assertServicePageNamesThePod(KubernetesClient client, ClusterRun run) {
        Pod pod = run.pod();
        String name = pod.getMetadata().getName();
        Answer page = Waits.until(run.namespace() + ": GET / through the Service naming pod " + name, ENDPOINT_PROPAGATION,
                SAMPLE_EVERY, () -> run.access().get("/"), a -> a.isAppPageOf(name));
        LOG.info("{}: GET / through the Service: {}", run.namespace(), page);
        assertThat(EndpointState.of(client, run.namespace(), run.access().route().service()).ready()).isEqualTo(1);
    }

    /** Polls {@code sample} until it returns true or {@code atMost} passes; the samples it kept are judged by the caller. */
    private static void sampleUntil(String what, Duration atMost, Duration every, java.util.concurrent.Callable<Boolean> sample) {
        try {
            Waits.until(what, atMost, every, sample, done -> done);
        } catch (Waits.TimedOut e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private static String tally(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(
                        a -> a instanceof Answer.Response r ? "HTTP " + r.status() : a.toString(),
                        java.util.LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining(", "));
    }

}
