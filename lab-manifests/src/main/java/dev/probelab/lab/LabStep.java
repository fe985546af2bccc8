package dev.probelab.lab;

import static dev.probelab.lab.ExpectedEvent.backOff;
import static dev.probelab.lab.ExpectedEvent.killing;
import static dev.probelab.lab.ExpectedEvent.unhealthy;

import dev.probelab.lab.kubelet.CrashLoopBackOff;
import dev.probelab.lab.kubelet.KubeletVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every lab step: its manifest in k8s/, the app it runs, and what it must show.
 *
 * <p>The time bounds follow the kubelet's own rules, each constant below citing the Kubernetes source
 * it comes from, and were held against a real kubelet (v1.20.2, k8s/offline-cluster):
 * <ul>
 *   <li>probing (pkg/kubelet/prober/worker.go, {@code run} and {@code doProbe}): a worker ticks every
 *       periodSeconds, on a phase set when it starts, and skips while fewer than initialDelaySeconds whole
 *       seconds have passed since the container started; so the first probe comes between initialDelay and
 *       initialDelay + period; the result flips after failureThreshold (successThreshold) equal results;</li>
 *   <li>restarts (pkg/kubelet/kuberuntime/kuberuntime_manager.go, {@code computePodActions} and
 *       {@code doBackOff}): a liveness kill and the next start happen in one sync whose pod status still
 *       shows the run before the killed one as the newest exited container. The start waits only while
 *       less than the current back-off has passed since that container finished; otherwise it goes at once
 *       and the back-off doubles (10 s, 20 s, ... 300 s). So restarts 1 and 2 come at once, and the
 *       first wait comes at the first restart whose previous run was shorter than the back-off;</li>
 *   <li>a held restart starts at the first pod sync after its back-off ends (pkg/kubelet/pod_workers.go);</li>
 *   <li>events (client-go tools/record/events_cache.go): the kubelet lets {@link #KUBELET_EVENT_BURST}
 *       events per pod through, then one per 5 minutes, so long steps see counts freeze.</li>
 * </ul>
 * Each bound is computed from the manifest's probe numbers plus the allowances below, never tuned by trial.
 */
public enum LabStep {

    /** k8s/liveness1.yaml: an httpGet liveness probe sending the header health: check. */
    LIVENESS_HTTP("liveness1.yaml", "liveness-app", "FAIL_AFTER", Duration.ofSeconds(20),
            Map.of("livenessProbe", new StepProbe("httpGet", 3, 3, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration failAfter, KubeletVersion kubelet) {
            StepProbe liveness = probe("livenessProbe");
            // /healthz fails once uptime > FAIL_AFTER; the kill needs failureThreshold failures one period apart.
            Duration earliestKill = failAfter.plus(liveness.period().multipliedBy(liveness.failureThreshold() - 1));
            // Latest: the app listens within APP_LISTENS_WITHIN, the first failing probe comes at most one
            // period later, then failureThreshold - 1 more; the app stops within APP_STOPS_WITHIN, the first
            // restart is immediate (restartCount counts once the new container exists), and the status
            // reaches the API within STATUS_LAG.
            Duration latestRestart = liveness.lastOfFailures(failAfter.plus(APP_LISTENS_WITHIN))
                    .plus(APP_STOPS_WITHIN).plus(CONTAINER_CREATE).plus(STATUS_LAG);
            return new LabOutcome(
                    "The pod is restarted once /healthz answers 500 to the probe's 'health: check' header",
                    latestRestart, 1, LabOutcome.UNBOUNDED, earliestKill, Duration.ZERO, null,
                    List.of(unhealthy("Liveness", HTTP_500), killing("liveness1", "liveness")));
        }
    },

    /** k8s/liveness2.yaml: an exec liveness probe, `cat /tmp/healthy`, on busybox. */
    LIVENESS_EXEC("liveness2.yaml", null, null, null,
            Map.of("livenessProbe", new StepProbe("exec", 5, 5, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration ignored, KubeletVersion kubelet) {
            StepProbe liveness = probe("livenessProbe");
            // The command removes /tmp/healthy 30 s after the container starts.
            Duration fileRemoved = Duration.ofSeconds(30);
            Duration earliestKill = fileRemoved.plus(liveness.period().multipliedBy(liveness.failureThreshold() - 1));
            // `sh -c` runs as PID 1 and ignores SIGTERM, so the kubelet waits the pod's whole grace period
            // (30 s by default) before SIGKILL.
            Duration latestRestart = liveness.lastOfFailures(fileRemoved)
                    .plus(PodSpecs.DEFAULT_GRACE_PERIOD).plus(CONTAINER_CREATE).plus(STATUS_LAG);
            return new LabOutcome(
                    "The pod is restarted once `cat /tmp/healthy` fails, about 30 s after it started",
                    latestRestart, 1, LabOutcome.UNBOUNDED, earliestKill, Duration.ZERO, null,
                    List.of(unhealthy("Liveness", "cat: can't open '/tmp/healthy': No such file or directory"),
                            killing("liveness2", "liveness")));
        }
    },

    /** k8s/readiness.yaml: an httpGet readiness probe. */
    READINESS("readiness.yaml", "readiness-app", "READY_AFTER", Duration.ofSeconds(60),
            Map.of("readinessProbe", new StepProbe("httpGet", 5, 5, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration readyAfter, KubeletVersion kubelet) {
            StepProbe readiness = probe("readinessProbe");
            // No probe can succeed before uptime reaches READY_AFTER; one success (successThreshold 1)
            // makes it Ready at the next probe after that.
            Duration readyBy = readiness.firstProbeAfter(readyAfter.plus(APP_LISTENS_WITHIN)).plus(STATUS_LAG);
            return new LabOutcome(
                    "The pod runs but stays READY 0/1, out of its Service, until /healthz answers 200",
                    readyBy.plus(readiness.period().multipliedBy(2)), 0, 0, null, readyAfter, readyBy,
                    List.of(unhealthy("Readiness", HTTP_500)));
        }
    },

    /** k8s/startup.yaml: a liveness probe only, on a 60 s starter. */
    STARTUP_LIVENESS_ONLY("startup.yaml", "startup-app", "STARTUP_DELAY", Duration.ofSeconds(60),
            Map.of("livenessProbe", new StepProbe("httpGet", 3, 3, 2))) {
        @Override
        public LabOutcome expectedOutcome(Duration startupDelay, KubeletVersion kubelet) {
            StepProbe liveness = probe("livenessProbe");
            // Every run is killed by its failureThreshold-th failure, long before STARTUP_DELAY (which must
            // exceed that, see requireLonger), and the next container is created right after it stopped.
            // The first failure may come a little before initialDelay: see START_TRUNCATION.
            Duration runAtMost = liveness.lastOfFailures(Duration.ZERO).plus(APP_STOPS_WITHIN);
            requireLonger(startupDelay, liveness.lastOfFailures(Duration.ZERO), "STARTUP_DELAY");
            Duration cycle = runAtMost.plus(CONTAINER_CREATE);
            // doBackOff: restarts 1 and 2 come at once. Restart 3 waits unless run 1 finished FIRST_BACK_OFF
            // or more before run 2's kill, restart 4 unless run 2 finished twice that before run 3's kill:
            // runs this short make one of the two wait (a BackOff event, CrashLoopBackOff), at the latest
            // at run 3's kill, after which the held restart goes once its back-off has passed.
            requireLonger(FIRST_BACK_OFF.multipliedBy(2), cycle, "twice the kubelet's first back-off");
            Duration runThreeKilledBy = cycle.multipliedBy(3).plus(liveness.lastOfFailures(Duration.ZERO));
            // Restart 3, at the latest: held, 10 s after run 2 finished (at most 3 cycles less the create),
            // plus the re-sync of a held pod; or at once after 3 cycles.
            Duration thirdRestart = cycle.multipliedBy(3).plus(FIRST_BACK_OFF).plus(BACK_OFF_RESYNC).plus(STATUS_LAG);
            Duration earliestKill = liveness.initialDelay().plus(liveness.period().multipliedBy(liveness.failureThreshold() - 1))
                    .minus(START_TRUNCATION);
            // The expected events (BackOff at the latest at run 3's kill) must come before the pod's event
            // budget is spent: each run records Pulled, Created, Started, its failures and Killing.
            int eventsPerRun = 3 + liveness.failureThreshold() + 1;
            requireAtMost(4 * eventsPerRun + 1, KUBELET_EVENT_BURST, "kubelet events up to the first BackOff");
            // No readiness probe: the pod counts as Ready whenever its container runs, so Ready comes and
            // goes with each restart (the course's `1/1 Running 6`); the claim is the restart loop.
            return new LabOutcome(
                    "Without a startup probe the slow starter is killed before it is up: restarts keep growing, then CrashLoopBackOff",
                    max(thirdRestart, runThreeKilledBy.plus(STATUS_LAG)), 3, LabOutcome.UNBOUNDED, earliestKill, Duration.ZERO, null,
                    List.of(unhealthy("Liveness", HTTP_500), killing("startup1", "liveness"), backOff()));
        }
    },

    /** k8s/startup-probe.yaml: the same liveness probe plus a startup probe. */
    STARTUP_PROBE("startup-probe.yaml", "startup-app", "STARTUP_DELAY", Duration.ofSeconds(60),
            Map.of("livenessProbe", new StepProbe("httpGet", 3, 3, 2), "startupProbe", new StepProbe("httpGet", 0, 10, 10))) {
        @Override
        public LabOutcome expectedOutcome(Duration startupDelay, KubeletVersion kubelet) {
            StepProbe startup = probe("startupProbe");
            // Liveness waits until the startup probe succeeds; that needs uptime >= STARTUP_DELAY and comes
            // at the next startup probe. With no readiness probe the pod is then Ready: at once, or on 1.20
            // at the pod's next periodic sync (KubeletVersion.latestReadyAfterStartup).
            Duration startedBy = startup.firstProbeAfter(startupDelay.plus(APP_LISTENS_WITHIN));
            Duration startupGivesUp = startup.period().multipliedBy(startup.failureThreshold());
            requireLonger(startupGivesUp, startedBy, "the startup probe's failureThreshold x periodSeconds");
            Duration readyBy = startedBy.plus(readyAfterStartup(kubelet)).plus(STATUS_LAG);
            StepProbe liveness = probe("livenessProbe");
            // Watch on until liveness has probed past its failureThreshold: still no restart.
            Duration observeFor = readyBy.plus(liveness.lastOfFailures(Duration.ZERO));
            return new LabOutcome(
                    "With a startup probe the slow starter is left alone until it is up: no restart, Ready after STARTUP_DELAY",
                    observeFor, 0, 0, null, startupDelay, readyBy,
                    List.of(unhealthy("Startup", HTTP_500)));
        }
    },

    /**
     * k8s/tcp-socket.yaml: readiness-app with tcpSocket readiness and liveness probes: a TCP check
     * only sees that the port accepts connections.
     */
    TCP_SOCKET("tcp-socket.yaml", "readiness-app", "READY_AFTER", Duration.ofSeconds(60),
            Map.of("readinessProbe", new StepProbe("tcpSocket", 5, 5, 3),
                    "livenessProbe", new StepProbe("tcpSocket", 15, 10, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration readyAfter, KubeletVersion kubelet) {
            StepProbe readiness = probe("readinessProbe");
            Duration readyBy = readiness.firstProbeAfter(APP_LISTENS_WITHIN).plus(STATUS_LAG);
            return new LabOutcome(
                    "A tcpSocket probe passes as soon as the port is open: Ready within seconds although /healthz still answers 500",
                    readyBy.plus(readiness.period().multipliedBy(2)), 0, 0, null, Duration.ZERO, readyBy, List.of());
        }
    };

    /** Our apps listen about 1 s after their container starts (JVM start); 5 s leaves room for a busy node. */
    public static final Duration APP_LISTENS_WITHIN = Duration.ofSeconds(5);
    /** Our apps stop gracefully in well under a second on SIGTERM (ProbeServer.STOP_TIMEOUT caps it at 5 s). */
    public static final Duration APP_STOPS_WITHIN = Duration.ofSeconds(5);
    /**
     * How much earlier than initialDelaySeconds a first probe may come: the worker counts the delay from the
     * container's start time as the status manager keeps it, truncated to the second (normalizeStatus in
     * pkg/kubelet/status/status_manager.go; worker.go doProbe). Seen on v1.20.2: a probe 2.7 s after start.
     */
    public static final Duration START_TRUNCATION = Duration.ofSeconds(1);
    /** Creating and starting the next container once the old one is gone (about 1 s on a real kubelet). */
    public static final Duration CONTAINER_CREATE = Duration.ofSeconds(2);
    /** Kubelet status sync (PLEG relist 1 s, status manager) until the API server and a watch see the change. */
    public static final Duration STATUS_LAG = Duration.ofSeconds(5);
    /** The kubelet's first CrashLoopBackOff delay, then doubled up to 300 s ({@link CrashLoopBackOff}). */
    public static final Duration FIRST_BACK_OFF = CrashLoopBackOff.INITIAL;
    /**
     * How long after its back-off ends a held restart may start, on any kubelet this project meets: the
     * pod worker re-syncs a held pod after a jittered delay ({@link KubeletVersion#latestResyncAfterBackOff}).
     */
    public static final Duration BACK_OFF_RESYNC = java.util.Arrays.stream(KubeletVersion.values())
            .map(v -> v.latestResyncAfterBackOff(FIRST_BACK_OFF)).max(Duration::compareTo).orElseThrow();
    /**
     * Events per pod the kubelet's recorder lets through at once, then one per 5 minutes: client-go
     * tools/record/events_cache.go, {@code defaultSpamBurst} and {@code defaultSpamQPS}, keyed by the
     * event's source and involved object. Repeats that kubectl shows as (xN) use it up too.
     */
    public static final int KUBELET_EVENT_BURST = 25;

    private static final String HTTP_500 = "HTTP probe failed with statuscode: 500";

    private final String manifest;
    private final String app;
    private final String timingVariable;
    private final Duration courseTiming;
    private final Map<String, StepProbe> probes;

    LabStep(String manifest, String app, String timingVariable, Duration courseTiming, Map<String, StepProbe> probes) {
        this.manifest = manifest;
        this.app = app;
        this.timingVariable = timingVariable;
        this.courseTiming = courseTiming;
        this.probes = probes;
    }

    /** The file name under k8s/. */
    public String manifest() {
        return manifest;
    }

    /** The module/image the step runs (liveness-app...), or null for the busybox step. */
    public String app() {
        return app;
    }

    /** The environment variable holding the app's timing (FAIL_AFTER...), or null for the busybox step. */
    public String timingVariable() {
        return timingVariable;
    }

    /**
     * The probes the step's container has, by field (livenessProbe...): what the time bounds are
     * computed from, and what the manifest must set (LabStepManifestTest checks it does).
     */
    public Map<String, StepProbe> probes() {
        return probes;
    }

    /** The probe of {@code field} (livenessProbe...). Not private: the constants' bodies call it. */
    StepProbe probe(String field) {
        return probes.get(field);
    }

    /** The course's timing (20 s or 60 s), or null for the busybox step. */
    public Duration courseTiming() {
        return courseTiming;
    }

    /**
     * What the step shows with the app's timing set to {@code appTiming} (ignored by the busybox step), on
     * a kubelet of {@code kubelet}'s version; null: on any kubelet this project meets.
     */
    public abstract LabOutcome expectedOutcome(Duration appTiming, KubeletVersion kubelet);

    /** What the step shows with the app's timing set to {@code appTiming}, on any kubelet this project meets. */
    public LabOutcome expectedOutcome(Duration appTiming) {
        return expectedOutcome(appTiming, null);
    }

    /** What the step shows with the course's own timings, as on a cluster running the default images. */
    public LabOutcome expectedOutcome() {
        return expectedOutcome(courseTiming);
    }

    /** The latest a started container with no readiness probe turns Ready, on {@code kubelet} (null: any). */
    private static Duration readyAfterStartup(KubeletVersion kubelet) {
        return kubelet != null ? kubelet.latestReadyAfterStartup() : java.util.Arrays.stream(KubeletVersion.values())
                .map(KubeletVersion::latestReadyAfterStartup).max(Duration::compareTo).orElseThrow();
    }

    private static void requireLonger(Duration longer, Duration shorter, String what) {
        if (longer.compareTo(shorter) <= 0) {
            throw new IllegalArgumentException(what + " must exceed " + shorter.toSeconds() + "s for this lab step to show its point");
        }
    }

    private static void requireAtMost(int count, int limit, String what) {
        if (count > limit) {
            throw new IllegalStateException(what + " (" + count + ") exceed the kubelet's event budget of " + limit);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * One probe as a step's manifest sets it; timeoutSeconds and successThreshold are left at the
     * API's defaults (1 s, 1) in every step.
     *
     * @param handler httpGet, exec or tcpSocket
     */
    public record StepProbe(String handler, int initialDelaySeconds, int periodSeconds, int failureThreshold) {

        Duration initialDelay() {
            return Duration.ofSeconds(initialDelaySeconds);
        }

        Duration period() {
            return Duration.ofSeconds(periodSeconds);
        }

        /** Latest time of the first probe at or after {@code t}: probes start by initialDelay + period, then tick every period. */
        Duration firstProbeAfter(Duration t) {
            Duration earliest = t.compareTo(initialDelay()) > 0 ? t : initialDelay();
            return earliest.plus(period());
        }

        /** Latest time of the failureThreshold-th consecutive failure when every probe from {@code t} on fails. */
        Duration lastOfFailures(Duration t) {
            return firstProbeAfter(t).plus(period().multipliedBy(failureThreshold - 1));
        }
    }
}
