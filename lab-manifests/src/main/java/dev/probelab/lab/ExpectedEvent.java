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

    static ExpectedEvent backOff(String container) {
        return new ExpectedEvent("Warning", "BackOff", "Back-off restarting failed container " + container + " in pod ");
    }
}
