package dev.probelab.lab;

/**
 * An event `kubectl describe pod` must show during a lab step.
 *
 * @param type          Normal or Warning
 * @param reason        e.g. Unhealthy, Killing, BackOff
 * @param messagePrefix the kubelet's message text, or its start where it ends in a pod name or UID
 */
public record ExpectedEvent(String type, String reason, String messagePrefix) {

    public boolean matches(String type, String reason, String message) {
        return this.type.equals(type) && this.reason.equals(reason) && message != null && message.startsWith(messagePrefix);
    }

    static ExpectedEvent unhealthy(String probe, String failure) {
        return new ExpectedEvent("Warning", "Unhealthy", probe + " probe failed: " + failure);
    }

    static ExpectedEvent killing(String container, String probe) {
        return new ExpectedEvent("Normal", "Killing", "Container " + container + " failed " + probe + " probe, will be restarted");
    }

    /**
     * doBackOff (pkg/kubelet/kuberuntime/kuberuntime_manager.go) writes "Back-off restarting failed
     * container" up to Kubernetes 1.25 and adds " &lt;container&gt; in pod &lt;pod&gt;" from 1.26 on
     * (kubernetes/kubernetes#113216): the prefix both share.
     */
    static ExpectedEvent backOff() {
        return new ExpectedEvent("Warning", "BackOff", "Back-off restarting failed container");
    }
}
