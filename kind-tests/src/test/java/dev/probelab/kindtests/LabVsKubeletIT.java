package dev.probelab.kindtests;

import static dev.probelab.lab.OutcomeCheck.secs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.OutcomeCheck;
import dev.probelab.lab.ProjectDirs;
import dev.probelab.lab.RunComparison;
import dev.probelab.lab.kubelet.KubeletVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./lab} held to a real kubelet: each lab step runs on the cluster and under
 * {@code ./lab --runtime docker} at the same time, for the same time, with the course's timings; then,
 * two steps at a time, under {@code ./lab --runtime local} for the same time. {@link RunComparison}
 * compares what each showed with the kubelet's run (restarts, Ready, {@code kubectl get pods -w} lines,
 * events), and {@link OutcomeCheck} judges all of them against the step's outcome. {@code ./lab} plays
 * the cluster's kubelet version.
 *
 * <p>The local runs come after, not beside, the cluster's: three JVMs starting at once on a 2-core
 * machine push a probe past its 1 s timeout now and then, an event no kubelet run shows.
 *
 * <p>Runs when {@code PROBE_LAB_DIFFERENTIAL=1} (.ci/run sets it with k8s/offline-cluster up): it needs
 * Docker with the lab's images on the cluster's own machine, and {@code KUBECTL} naming a kubectl that
 * matches the server. It writes its tables to {@code kind-tests/target/lab-vs-kubelet.md}, and with
 * {@code PROBE_LAB_UPDATE_DOCS=1} into docs/local-lab.md.
 */
@ClusterTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabVsKubeletIT {

    private static final Logger LOG = LoggerFactory.getLogger(LabVsKubeletIT.class);
    /**
     * How long each step is watched, at least its outcome's window: liveness1 to its second restart,
     * liveness2 past its first, the startup step for 110 s, up to its second held restart.
     */
    private static final Map<LabStep, Duration> WATCH = Map.of(
            LabStep.LIVENESS_HTTP, Duration.ofSeconds(60),
            LabStep.LIVENESS_EXEC, Duration.ofSeconds(100),
            LabStep.READINESS, Duration.ofSeconds(90),
            LabStep.STARTUP_LIVENESS_ONLY, Duration.ofSeconds(110),
            LabStep.STARTUP_PROBE, Duration.ofSeconds(100),
            LabStep.TCP_SOCKET, Duration.ofSeconds(40));
    private static final String DOCS_BEGIN = "<!-- lab-vs-kubelet: begin (written by docs/lab-vs-kubelet.sh) -->";
    private static final String DOCS_END = "<!-- lab-vs-kubelet: end -->";

    private static final Map<LabStep, ObservedRun> KUBELET_RUNS = new EnumMap<>(LabStep.class);
    private static final Map<LabStep, Map<String, ObservedRun>> LAB_RUNS = new EnumMap<>(LabStep.class);
    private static Path root;
    private static KubeletVersion version;
    private static String kubeletLabel;

    @BeforeAll
    static void onlyWhenAsked(KubernetesClient client) {
        boolean asked = "1".equals(System.getenv("PROBE_LAB_DIFFERENTIAL"));
        if (!asked) {
            System.out.println("[kind-tests] ./lab against the real kubelet skipped: PROBE_LAB_DIFFERENTIAL is not 1");
        }
        Assumptions.assumeTrue(asked, "PROBE_LAB_DIFFERENTIAL=1 runs it");
        root = ProjectDirs.root();
        String serverVersion = client.getKubernetesVersion().getGitVersion();
        version = KubeletVersion.of(serverVersion);
        kubeletLabel = "kubelet " + serverVersion;
    }

    @Order(1)
    @ParameterizedTest
    @EnumSource(LabStep.class)
    void onTheKubeletAndUnderLabWithDocker(LabStep step, KubernetesClient client) throws Exception {
        LabOutcome outcome = step.expectedOutcome(step.courseTiming(), version);
        Duration watch = watch(step, outcome);
        LabCli[] lab = new LabCli[1];
        PodWatch[] podWatch = new PodWatch[1];
        // The watch listens before the pod exists, as a student's does; ./lab starts with the workload, and
        // its clock a moment before the pod's container, so it runs a little longer to cover the window.
        try (ClusterRun run = ClusterRun.start(client, step, root, ServiceRoute.Policy.fromEnvironment(), namespace -> {
            podWatch[0] = PodWatch.start(namespace);
            lab[0] = LabCli.start(root, step, "docker", version, watch.plusSeconds(3));
        })) {
            Instant t0 = run.awaitStarted();
            Waits.until(step + ": the window", watch.plusSeconds(5), ClusterRun.POLL, () -> "", x -> !Instant.now().isBefore(t0.plus(watch)));
            ObservedRun kubelet = run.observed(run.events(outcome), podWatch[0].podLines(run.pod().getMetadata().getName(), t0));
            LOG.info("{}: kubectl get pods -w on the cluster: {}", step, podWatch[0].text());
            LOG.info("{}: observed on the kubelet: {}", step, kubelet);
            KUBELET_RUNS.put(step, kubelet);
            List<String> problems = new ArrayList<>(prefixed("kubelet", OutcomeCheck.check(outcome, kubelet, version)));
            problems.addAll(judge(step, outcome, kubelet, lab[0], watch));
            assertThat(problems).as("%s: ./lab against %s", step, kubeletLabel).isEmpty();
        } finally {
            if (lab[0] != null) {
                lab[0].close();
            }
            if (podWatch[0] != null) {
                podWatch[0].close();
            }
        }
    }

    @Order(2)
    @Test
    void underLabWithTheLocalRuntimeTwoStepsAtATime() {
        List<String> problems = new ArrayList<>();
        List<LabStep> steps = List.of(LabStep.values());
        for (int i = 0; i < steps.size(); i += 2) {
            List<LabStep> pair = steps.subList(i, Math.min(i + 2, steps.size()));
            Map<LabStep, LabCli> running = new LinkedHashMap<>();
            try {
                for (LabStep step : pair) {
                    Duration watch = watch(step, step.expectedOutcome(step.courseTiming(), version));
                    running.put(step, LabCli.start(root, step, "local", version, watch.plusSeconds(3)));
                }
                running.forEach((step, lab) -> {
                    ObservedRun kubelet = KUBELET_RUNS.get(step);
                    LabOutcome outcome = step.expectedOutcome(step.courseTiming(), version);
                    if (kubelet == null) {
                        problems.add(step + ": no kubelet run to compare with (it failed above)");
                        lab.close();
                    } else {
                        problems.addAll(prefixed(step.toString(), judge(step, outcome, kubelet, lab, watch(step, outcome))));
                    }
                });
            } finally {
                running.values().forEach(LabCli::close);
            }
        }
        assertThat(problems).as("./lab --runtime local against %s", kubeletLabel).isEmpty();
    }

    /** Waits for one ./lab run, judges it against the outcome and the kubelet's run, and keeps it for the tables. */
    private static List<String> judge(LabStep step, LabOutcome outcome, ObservedRun kubelet, LabCli lab, Duration watch) {
        ObservedRun observed = lab.await(watch.plusSeconds(60));
        LOG.info("{}: ./lab --runtime {} printed:\n{}", step, lab.runtime(), lab.output());
        LOG.info("{}: observed under ./lab --runtime {}: {}", step, lab.runtime(), observed);
        LAB_RUNS.computeIfAbsent(step, s -> new LinkedHashMap<>()).put(lab.runtime(), observed);
        String who = "./lab " + lab.runtime();
        List<String> problems = new ArrayList<>(prefixed(who, OutcomeCheck.check(outcome, observed, version)));
        RunComparison.Result diff = RunComparison.compare(step, version, kubelet, observed);
        problems.addAll(prefixed(who + " against the kubelet", diff.problems()));
        diff.notes().forEach(n -> LOG.info("{}: {}: {}", step, who, n));
        return problems;
    }

    /** At least the step's own window, so that every run can be held to its bounds too. */
    private static Duration watch(LabStep step, LabOutcome outcome) {
        Duration own = outcome.observeFor().plusSeconds(5);
        return WATCH.get(step).compareTo(own) >= 0 ? WATCH.get(step) : own;
    }

    private static List<String> prefixed(String who, List<String> problems) {
        return problems.stream().map(p -> who + ": " + p).toList();
    }

    /** One Markdown table: what the kubelet and each ./lab runtime did. */
    static String table(LabStep step, String kubeletLabel, ObservedRun kubelet, Map<String, ObservedRun> labs) {
        StringBuilder sb = new StringBuilder();
        sb.append("#### ").append(step.manifest()).append(" (").append(secs(kubelet.watchedFor())).append(")\n\n");
        sb.append("| | restarts at | Ready at | READY STATUS RESTARTS lines | events |\n| --- | --- | --- | --- | --- |\n");
        sb.append(row(kubeletLabel, kubelet));
        labs.forEach((runtime, run) -> sb.append(row("./lab, " + runtime, run)));
        return sb.toString();
    }

    private static String row(String who, ObservedRun run) {
        String restarts = run.runs().size() < 2 ? "none" : run.runs().subList(1, run.runs().size()).stream()
                .map(r -> secs(r.startedAt())).collect(Collectors.joining(", "));
        String ready = run.readyChanges().isEmpty() ? "never" : run.readyChanges().stream()
                .map(c -> (c.ready() ? "" : "not ") + secs(c.at())).collect(Collectors.joining(", "));
        String lines = run.podLines().stream().map(ObservedRun.PodLine::state).distinct().collect(Collectors.joining(" → "));
        String events = run.events().stream().map(e -> e.reason() + " x" + e.count()).collect(Collectors.joining(", "));
        return "| " + who + " | " + restarts + " | " + ready + " | " + lines + " | " + events + " |\n";
    }

    @AfterAll
    static void writeTables() throws IOException {
        if (KUBELET_RUNS.isEmpty()) {
            return;
        }
        String all = KUBELET_RUNS.entrySet().stream()
                .map(e -> table(e.getKey(), kubeletLabel, e.getValue(), LAB_RUNS.getOrDefault(e.getKey(), Map.of())))
                .collect(Collectors.joining("\n"));
        Path out = root.resolve("kind-tests/target/lab-vs-kubelet.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, all);
        LOG.info("wrote {}:\n{}", out, all);
        if ("1".equals(System.getenv("PROBE_LAB_UPDATE_DOCS")) && KUBELET_RUNS.size() == LabStep.values().length) {
            for (String name : List.of("docs/local-lab.md", "docs/local-lab.ko.md")) {
                Path doc = root.resolve(name);
                if (!Files.exists(doc)) {
                    continue;
                }
                String text = Files.readString(doc);
                int begin = text.indexOf(DOCS_BEGIN);
                int end = text.indexOf(DOCS_END);
                if (begin < 0 || end < begin) {
                    throw new IllegalStateException(doc + " has no " + DOCS_BEGIN + " ... " + DOCS_END + " section");
                }
                Files.writeString(doc, text.substring(0, begin + DOCS_BEGIN.length()) + "\n\n" + all + "\n" + text.substring(end));
                LOG.info("updated {}", doc);
            }
        }
    }
}
