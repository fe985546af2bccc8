package dev.probelab.runner.kubelet;

/** A probe worker's published result (pkg/kubelet/prober/results). */
public enum Result {
    SUCCESS, FAILURE, UNKNOWN;

    /** As the kubelet prints it in "errored and resulted in unknown state". */
    public String lowerCase() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
