package dev.probelab.kindtests;

import dev.probelab.lab.ManifestLoader;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh namespace for one lab step, deleted by {@link #close()}: the manifests carry no namespace,
 * so each step's objects (Deployment, Pod, Service nodeapp-lb) land here and vanish with it.
 * Leftovers of an interrupted run: {@code kubectl delete namespace -l probe-lab.dev/kind-tests=true}.
 */
public final class LabNamespace implements AutoCloseable {

    /** On every namespace this creates; the cleanup selector. */
    public static final String LABEL = "probe-lab.dev/kind-tests";
    public static final String STEP_LABEL = "probe-lab.dev/step";

    private static final Logger LOG = LoggerFactory.getLogger(LabNamespace.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String name;

    private LabNamespace(KubernetesClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /** Creates {@code probe-lab-<step>-<random>}, labelled for cleanup. */
    public static LabNamespace create(KubernetesClient client, String step) {
        String name = name(step);
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of(LABEL, "true", STEP_LABEL, label(step))).endMetadata().build();
        client.namespaces().resource(ns).create();
        LOG.info("namespace {} created for {}", name, step);
        return new LabNamespace(client, name);
    }

    static String name(String step) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        // At most 10 + 40 + 1 + 6 = 57 characters: inside a namespace name's 63.
        return "probe-lab-" + label(step) + "-" + HexFormat.of().formatHex(suffix);
    }

    private static String label(String step) {
        String s = step.toLowerCase(Locale.ROOT).replaceAll("\\.ya?ml$", "").replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        return s.length() <= 40 ? s : s.substring(0, 40).replaceAll("-+$", "");
    }

    public String name() {
        return name;
    }

    /**
     * The objects of a manifest file, read strictly by the lab's own loader (the one the manifest tests
     * and the local runner use). A manifest object that names a namespace is refused: the lab's files
     * must not pin one, or a step would leave its own.
     */
    public static List<HasMetadata> load(Path manifest) {
        List<HasMetadata> items = ManifestLoader.load(manifest);
        for (HasMetadata item : items) {
            String ns = item.getMetadata() == null ? null : item.getMetadata().getNamespace();
            if (ns != null && !ns.isBlank()) {
                throw new IllegalStateException(manifest.getFileName() + ": " + item.getKind() + " "
                        + item.getMetadata().getName() + " names namespace '" + ns
                        + "'; the lab manifests must leave it out");
            }
        }
        return items;
    }

    /** Creates the objects in this namespace. */
    public void apply(List<HasMetadata> items) {
        if (items.isEmpty()) {
            return;
        }
        client.resourceList(items).inNamespace(name).create();
        LOG.info("{}: created {}", name, items.stream().map(i -> i.getKind() + "/" + i.getMetadata().getName()).toList());
    }

    /** Deletes the namespace (and so everything in it) without waiting for it to go. */
    @Override
    public void close() {
        try {
            client.namespaces().withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            LOG.info("namespace {} deleted", name);
        } catch (RuntimeException e) {
            LOG.warn("could not delete namespace {} (delete it by hand: kubectl delete namespace {}): {}", name, name,
                    e.toString());
        }
    }
}
