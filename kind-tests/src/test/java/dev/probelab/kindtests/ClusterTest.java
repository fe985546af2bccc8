package dev.probelab.kindtests;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs a real cluster. It runs when {@link ClusterCheck} says so (a reachable kind
 * context, or any reachable context with PROBE_LAB_CLUSTER_TESTS=1), is skipped with one printed line
 * naming why otherwise, and fails when PROBE_LAB_CLUSTER_TESTS=1 but no cluster answers. Its test
 * methods may take a {@code KubernetesClient} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ClusterExtension.class)
public @interface ClusterTest {
}
