package dev.probelab.kindtests;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link ClusterTest}. The check runs once per test JVM and takes at most ClusterCheck.DEFAULT_TIMEOUT. */
final class ClusterExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClusterExtension.class);
    private static ClusterCheck.Verdict verdict;
    private static boolean announced;

    private static synchronized ClusterCheck.Verdict verdict() {
        if (verdict == null) {
            verdict = ClusterCheck.check();
        }
        return verdict;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        ClusterCheck.Verdict v = verdict();
        if (v instanceof ClusterCheck.Verdict.Skip skip) {
            announce("[kind-tests] cluster tests skipped: " + skip.reason());
            return ConditionEvaluationResult.disabled(skip.reason());
        }
        if (v instanceof ClusterCheck.Verdict.Run run) {
            announce("[kind-tests] cluster tests run against kube context '" + run.context() + "' (Kubernetes "
                    + run.version() + ")");
        }
        return ConditionEvaluationResult.enabled("cluster available or required");
    }

    private static synchronized void announce(String line) {
        if (!announced) {
            announced = true;
            System.out.println(line);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ClusterCheck.Verdict v = verdict();
        if (v instanceof ClusterCheck.Verdict.Fail fail) {
            throw new IllegalStateException(fail.reason());
        }
        if (v instanceof ClusterCheck.Verdict.Run run) {
            context.getStore(NS).put(KubernetesClient.class, new KubernetesClientBuilder().withConfig(run.config()).build());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KubernetesClient client = context.getStore(NS).remove(KubernetesClient.class, KubernetesClient.class);
        if (client != null) {
            client.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KubernetesClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        KubernetesClient client = context.getStore(NS).get(KubernetesClient.class, KubernetesClient.class);
        if (client == null) {
            throw new IllegalStateException("no cluster client: " + verdict());
        }
        return client;
    }
}
