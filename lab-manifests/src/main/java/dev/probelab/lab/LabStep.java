package dev.probelab.lab;

import static dev.probelab.lab.ExpectedEvent.backOff;
import static dev.probelab.lab.ExpectedEvent.killing;
import static dev.probelab.lab.ExpectedEvent.unhealthy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every lab step: its manifest in k8s/, the app it runs, and what it must show.
 *
 * <p>The time bounds follow the kubelet's probe rules (shared/kubelet-probes.md): a worker probes
 * first between initialDelaySeconds and initialDelaySeconds + periodSeconds after the container
 * starts, then every periodSeconds; the result flips after failureThreshold (successThreshold)
 * consecutive results; the first restart is immediate, the next waits a 10 s back-off, then 20 s...
 * Each bound is computed from the manifest's probe numbers plus the allowances below, never tuned by trial.
 */
public enum LabStep {

    /** k8s/liveness1.yaml: an httpGet liveness probe sending the header health: check. */
    LIVENESS_HTTP("liveness1.yaml", "liveness-app", "FAIL_AFTER", Duration.ofSeconds(20),
            Map.of("livenessProbe", new ProbeSettings("httpGet", 3, 3, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration failAfter) {
            ProbeSettings liveness = probe("livenessProbe");
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
            Map.of("livenessProbe", new ProbeSettings("exec", 5, 5, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration ignored) {
            ProbeSettings liveness = probe("livenessProbe");
            // The command removes /tmp/healthy 30 s after the container starts.
            Duration fileRemoved = Duration.ofSeconds(30);
            Duration earliestKill = fileRemoved.plus(liveness.period().multipliedBy(liveness.failureThreshold() - 1));
            // `sh -c` runs as PID 1 and ignores SIGTERM, so the kubelet waits the pod's whole grace period
            // (30 s by default) before SIGKILL.
            Duration latestRestart = liveness.lastOfFailures(fileRemoved)
                    .plus(DEFAULT_GRACE_PERIOD).plus(CONTAINER_CREATE).plus(STATUS_LAG);
            return new LabOutcome(
                    "The pod is restarted once `cat /tmp/healthy` fails, about 30 s after it started",
                    latestRestart, 1, LabOutcome.UNBOUNDED, earliestKill, Duration.ZERO, null,
                    List.of(unhealthy("Liveness", "cat: can't open '/tmp/healthy': No such file or directory"),
                            killing("liveness2", "liveness")));
        }
    },

    /** k8s/readiness.yaml: an httpGet readiness probe. */
    READINESS("readiness.yaml", "readiness-app", "READY_AFTER", Duration.ofSeconds(60),
            Map.of("readinessProbe", new ProbeSettings("httpGet", 5, 5, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration readyAfter) {
            ProbeSettings readiness = probe("readinessProbe");
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
            Map.of("livenessProbe", new ProbeSettings("httpGet", 3, 3, 2))) {
        @Override
        public LabOutcome expectedOutcome(Duration startupDelay) {
            ProbeSettings liveness = probe("livenessProbe");
            // Every run is killed by the second failure, at most initialDelay + 2 periods in, long before
            // STARTUP_DELAY (which must exceed that, see requireSlowerThan). The first restart is immediate,
            // the second waits the 10 s back-off.
            Duration oneRun = liveness.lastOfFailures(Duration.ZERO).plus(APP_STOPS_WITHIN).plus(CONTAINER_CREATE);
            Duration secondRestart = oneRun.multipliedBy(2).plus(FIRST_BACK_OFF).plus(BACK_OFF_RESYNC).plus(STATUS_LAG);
            Duration earliestKill = liveness.initialDelay().plus(liveness.period().multipliedBy(liveness.failureThreshold() - 1));
            // The app must still answer 500 at the last failing probe, or the loop would end.
            requireSlowerThan(startupDelay, liveness.lastOfFailures(Duration.ZERO), "STARTUP_DELAY");
            // No readiness probe: the pod counts as Ready whenever its container runs, so Ready comes and
            // goes with each restart (the course's `1/1 Running 6`); the claim is the restart loop.
            return new LabOutcome(
                    "Without a startup probe the slow starter is killed before it is up: restarts keep growing",
                    secondRestart, 2, LabOutcome.UNBOUNDED, earliestKill, Duration.ZERO, null,
                    List.of(unhealthy("Liveness", HTTP_500), killing("startup1", "liveness"), backOff("startup1")));
        }
    },

    /** k8s/startup-probe.yaml: the same liveness probe plus a startup probe. */
    STARTUP_PROBE("startup-probe.yaml", "startup-app", "STARTUP_DELAY", Duration.ofSeconds(60),
            Map.of("livenessProbe", new ProbeSettings("httpGet", 3, 3, 2), "startupProbe", new ProbeSettings("httpGet", 0, 10, 10))) {
        @Override
        public LabOutcome expectedOutcome(Duration startupDelay) {
            ProbeSettings startup = probe("startupProbe");
            // Liveness waits until the startup probe succeeds; that needs uptime >= STARTUP_DELAY and comes
            // at the next startup probe. With no readiness probe the pod is Ready as soon as it has started.
            Duration readyBy = startup.firstProbeAfter(startupDelay.plus(APP_LISTENS_WITHIN)).plus(STATUS_LAG);
            Duration startupGivesUp = startup.period().multipliedBy(startup.failureThreshold());
            requireSlowerThan(startupGivesUp, readyBy, "the startup probe's failureThreshold x periodSeconds");
            ProbeSettings liveness = probe("livenessProbe");
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
            Map.of("readinessProbe", new ProbeSettings("tcpSocket", 5, 5, 3),
                    "livenessProbe", new ProbeSettings("tcpSocket", 15, 10, 3))) {
        @Override
        public LabOutcome expectedOutcome(Duration readyAfter) {
            ProbeSettings readiness = probe("readinessProbe");
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
    /** Creating and starting the next container once the old one is gone. */
    public static final Duration CONTAINER_CREATE = Duration.ofSeconds(2);
    /** Kubelet status sync (PLEG relist 1 s, status manager) until the API server and a watch see the change. */
    public static final Duration STATUS_LAG = Duration.ofSeconds(5);
    /** The kubelet's first CrashLoopBackOff delay (then 20 s, 40 s... up to 300 s). */
    public static final Duration FIRST_BACK_OFF = Duration.ofSeconds(10);
    /**
     * A pod in back-off is restarted when the kubelet next syncs it, not at the instant the back-off
     * expires: older kubelets requeue a failed sync after 10 s with 0.5 jitter (pod_workers.go), so the
     * restart can come up to 5 s late.
     */
    public static final Duration BACK_OFF_RESYNC = Duration.ofSeconds(5);
    /** terminationGracePeriodSeconds when a pod does not set it. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);

    private static final String HTTP_500 = "HTTP probe failed with statuscode: 500";

    private final String manifest;
    private final String app;
    private final String timingVariable;
    private final Duration courseTiming;
    private final Map<String, ProbeSettings> probes;

    LabStep(String manifest, String app, String timingVariable, Duration courseTiming, Map<String, ProbeSettings> probes) {
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
    public Map<String, ProbeSettings> probes() {
        return probes;
    }

    /** The probe of {@code field} (livenessProbe...). Not private: the constants' bodies call it. */
    ProbeSettings probe(String field) {
        return probes.get(field);
    }

    /** The course's timing (20 s or 60 s), or null for the busybox step. */
    public Duration courseTiming() {
        return courseTiming;
    }

    /** What the step shows with the app's timing set to {@code appTiming} (ignored by the busybox step). */
    public abstract LabOutcome expectedOutcome(Duration appTiming);

    /** What the step shows with the course's own timings, as on a cluster running the default images. */
    public LabOutcome expectedOutcome() {
        return expectedOutcome(courseTiming);
    }

    private static void requireSlowerThan(Duration slow, Duration fast, String what) {
        if (slow.compareTo(fast) <= 0) {
            throw new IllegalArgumentException(what + " must exceed " + fast.toSeconds() + "s for this lab step to show its point");
        }
    }

    /**
     * One probe as a step's manifest sets it; timeoutSeconds and successThreshold are left at the
     * API's defaults (1 s, 1) in every step.
     *
     * @param handler httpGet, exec or tcpSocket
     */
    public record ProbeSettings(String handler, int initialDelaySeconds, int periodSeconds, int failureThreshold) {

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
