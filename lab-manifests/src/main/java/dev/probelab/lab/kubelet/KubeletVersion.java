package dev.probelab.lab.kubelet;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a student sees that depends on the kubelet's version, for the two versions this project meets:
 * {@link #CURRENT}, Kubernetes 1.35 (kind's default node image), which {@code ./lab} follows unless told
 * otherwise; and {@link #V1_20}, the real kubelet of k8s/offline-cluster that CI holds {@code ./lab} to.
 * Each difference is one method here, citing the change in Kubernetes; nothing else in the project
 * branches on the version.
 */
public enum KubeletVersion {

    /** Kubernetes 1.20 (k8s/offline-cluster). */
    V1_20("v1.20"),
    /** Kubernetes 1.35: what ./lab plays by default. */
    CURRENT("v1.35");

    /** pkg/kubelet/kubelet.go plegRelistPeriod: a container's death is seen, and the pod synced, within 1 s. */
    public static final Duration PLEG_RELIST = Duration.ofSeconds(1);
    /** pkg/kubelet/kubelet.go syncFrequency's default: the longest a pod waits for its next sync. */
    private static final Duration SYNC_FREQUENCY = Duration.ofMinutes(1);
    /** pkg/kubelet/pod_workers.go workerBackOffPeriodJitterFactor: a requeue comes up to 50 % late. */
    private static final double REQUEUE_JITTER = 0.5;

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\..*)?");

    private final String label;

    KubeletVersion(String label) {
        this.label = label;
    }

    /** "v1.20" or "v1.35". */
    public String label() {
        return label;
    }

    /**
     * The profile of a cluster's version ("v1.20.2", "1.35.0"...): 1.20 and 1.35 or later. Versions in
     * between mix the two (each change came in its own release), so they have none.
     */
    public static KubeletVersion of(String version) {
        Matcher m = VERSION.matcher(version.trim());
        if (m.matches() && m.group(1).equals("1")) {
            int minor = Integer.parseInt(m.group(2));
            if (minor == 20) {
                return V1_20;
            }
            if (minor >= 35) {
                return CURRENT;
            }
        }
        throw new IllegalArgumentException("kubelet version " + version + ": ./lab knows 1.20 and current (1.35 or later)");
    }

    /**
     * The Pulled event of an image that is there already (pkg/kubelet/images/image_manager.go
     * EnsureImageExists). 1.35 adds "and can be accessed by the pod" (the KubeletEnsureSecretPulledImages
     * feature, on by default from 1.35).
     */
    public String pulledMessage(String image) {
        String present = "Container image \"" + image + "\" already present on machine";
        return this == V1_20 ? present : present + " and can be accessed by the pod";
    }

    /**
     * The Created event (pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer). 1.35 drops the
     * container's name from it (kubernetes/kubernetes#134043; kubectl 1.35 prints the field path instead).
     */
    public String createdMessage(String container) {
        return this == V1_20 ? "Created container " + container : "Container created";
    }

    /** The Started event, as {@link #createdMessage}. */
    public String startedMessage(String container) {
        return this == V1_20 ? "Started container " + container : "Container started";
    }

    /**
     * The BackOff event of a held restart (kuberuntime_manager.go doBackOff). 1.26 added the container
     * and the pod (kubernetes/kubernetes#113216); {@code podFullName} is name_namespace(uid).
     */
    public String backOffMessage(String container, String podFullName) {
        String held = "Back-off restarting failed container";
        return this == V1_20 ? held : held + " " + container + " in pod " + podFullName;
    }

    /**
     * When the pod worker syncs a pod again after a sync that found its restart held, at {@code heldAt},
     * with the back-off ending at {@code backOffEnds}. The sync fails with the back-off error, and
     * pkg/kubelet/pod_workers.go requeues the pod: up to 1.34 after {@code wait.Jitter(backOffPeriod, 0.5)},
     * 10 to 15 s; from 1.35 after the back-off's remaining time, at most syncFrequency, with the same
     * jitter (kubernetes/kubernetes#133066). The model takes the jitter's middle.
     */
    public Duration nextSyncOfHeldPod(Duration heldAt, Duration backOffEnds) {
        if (this == V1_20) {
            return heldAt.plus(CrashLoopBackOff.INITIAL.multipliedBy(5).dividedBy(4));
        }
        Duration remaining = backOffEnds.minus(heldAt);
        if (remaining.isNegative()) {
            remaining = Duration.ZERO;
        }
        if (remaining.compareTo(SYNC_FREQUENCY) > 0) {
            remaining = SYNC_FREQUENCY;
        }
        return heldAt.plus(remaining.multipliedBy(5).dividedBy(4));
    }

    /**
     * How late after its back-off ends a held restart may start on a real kubelet of this version: the
     * whole requeue jitter past the last held sync, plus the sync loop's 1 s tick. The held syncs come
     * at most {@code backOff} apart from the back-off's end.
     */
    public Duration latestResyncAfterBackOff(Duration backOff) {
        Duration tick = Duration.ofSeconds(1);
        if (this == V1_20) {
            return Duration.ofMillis(Math.round(CrashLoopBackOff.INITIAL.toMillis() * (1 + REQUEUE_JITTER))).plus(tick);
        }
        Duration longest = backOff.compareTo(SYNC_FREQUENCY) > 0 ? SYNC_FREQUENCY : backOff;
        return Duration.ofMillis(Math.round(longest.toMillis() * REQUEUE_JITTER)).plus(tick);
    }

    /**
     * How late after a successful startup probe a container with no readiness probe may turn Ready. From
     * 1.21 the kubelet syncs the pod on every startup result (syncLoopIteration's handleProbeSync in
     * pkg/kubelet/kubelet.go), so Ready comes with it. 1.20 only records the result
     * (statusManager.SetContainerStartup): Ready is computed at the pod's next sync
     * (prober_manager UpdatePodStatus), and with nothing else happening that is the periodic one,
     * syncFrequency after the last sync with up to 50 % jitter (pod_workers.go wrapUp).
     */
    public Duration latestReadyAfterStartup() {
        return this == V1_20
                ? Duration.ofMillis(Math.round(SYNC_FREQUENCY.toMillis() * (1 + REQUEUE_JITTER))).plusSeconds(1)
                : Duration.ZERO;
    }

    /** Whether a successful startup probe syncs the pod at once (see {@link #latestReadyAfterStartup}). */
    public boolean syncsPodOnStartupResult() {
        return this != V1_20;
    }

    /** When the pod worker syncs a pod again after a sync that went well: syncFrequency, the jitter's middle. */
    public Duration periodicPodSync() {
        return SYNC_FREQUENCY.multipliedBy(5).dividedBy(4);
    }

    /** The User-Agent of its httpGet probes: kube-probe/&lt;major&gt;.&lt;minor&gt; (pkg/kubelet/prober/prober.go). */
    public String probeUserAgent() {
        return "kube-probe/" + label.substring(1);
    }

    /**
     * Whether {@code kubectl get pods} shows how long ago the last restart was, "2 (5s ago)": printPod
     * in pkg/printers/internalversion/printers.go, from Kubernetes 1.22 (kubernetes/kubernetes#100142).
     * The API server prints the columns, so the server's version decides.
     */
    public boolean showsLastRestartAge() {
        return this != V1_20;
    }
}
