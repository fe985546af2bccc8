package dev.probelab.runner.kubelet;

/** The three probe kinds, with the result a worker publishes before its first probe (worker.go newWorker). */
public enum ProbeType {
    LIVENESS("Liveness", Result.SUCCESS),
    READINESS("Readiness", Result.FAILURE),
    STARTUP("Startup", Result.UNKNOWN);

    private final String title;
    private final Result initialValue;

    ProbeType(String title, Result initialValue) {
        this.title = title;
        this.initialValue = initialValue;
    }

    /** "Liveness", as in "Liveness probe failed: ...". */
    public String title() {
        return title;
    }

    public Result initialValue() {
        return initialValue;
    }
}
