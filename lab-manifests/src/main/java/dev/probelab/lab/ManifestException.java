package dev.probelab.lab;

/**
 * A manifest in k8s/ that the Kubernetes API would reject (or silently misread): the message is one
 * line naming the file and, where there is one, the field path, e.g.
 * {@code k8s/startup-probe.yaml: document 1 (Deployment nodeapp-startup): unknown field
 * spec.template.spec.containers[0].startupProbe.httpGet.periodSeconds}.
 */
public class ManifestException extends RuntimeException {

    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
