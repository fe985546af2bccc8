package dev.probelab.kindtests;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether the cluster tests run, and against what.
 *
 * <ul>
 *   <li>{@code PROBE_LAB_CLUSTER_TESTS=0} (or false): never run.</li>
 *   <li>unset: run only when the current kube context is a kind one ({@code kind-*}, the name kind
 *       gives its contexts) and its API server answers; otherwise skip. So `./mvnw verify` on a
 *       machine whose kubeconfig points at a real cluster never deploys there by surprise.</li>
 *   <li>{@code PROBE_LAB_CLUSTER_TESTS=1} (or true): run against the current context whatever it is,
 *       and FAIL (not skip) when there is no kubeconfig or the API server does not answer: e2e.sh sets
 *       it, and a CI run that silently skipped every cluster test would prove nothing.</li>
 * </ul>
 * The whole check is bounded by {@link #DEFAULT_TIMEOUT}: loading a kubeconfig may run an exec
 * credential plugin, and an API server behind a dead address may never answer.
 */
public final class ClusterCheck {

    public static final String OPT_IN = "PROBE_LAB_CLUSTER_TESTS";
    /** Connect 3 s + request 5 s, no retries: a live API server answers /version in milliseconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(8);
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    private static final int REQUEST_TIMEOUT_MS = 5_000;

    /** What to do with the cluster tests. */
    public sealed interface Verdict {
        /** Run them with {@code config} (context {@code context}, server {@code version}). */
        record Run(Config config, String context, String version) implements Verdict {
        }

        /** Skip them; {@code reason} is one line. */
        record Skip(String reason) implements Verdict {
        }

        /** The user asked for them ({@value #OPT_IN}=1) but they cannot run; {@code reason} is one line. */
        record Fail(String reason) implements Verdict {
        }
    }

    private ClusterCheck() {
    }

    public static Verdict check() {
        return check(Map.copyOf(System.getenv()), DEFAULT_TIMEOUT);
    }

    static Verdict check(Map<String, String> env, Duration timeout) {
        String optIn = env.getOrDefault(OPT_IN, "").trim().toLowerCase(Locale.ROOT);
        if (optIn.equals("0") || optIn.equals("false")) {
            return new Verdict.Skip(OPT_IN + "=" + env.get(OPT_IN) + " turns them off");
        }
        boolean required = optIn.equals("1") || optIn.equals("true");

        List<Path> kubeconfigs = kubeconfigFiles(env);
        if (kubeconfigs.isEmpty()) {
            String where = env.containsKey("KUBECONFIG")
                    ? "KUBECONFIG=" + env.get("KUBECONFIG") + " names no existing file"
                    : "KUBECONFIG is unset and " + defaultKubeconfig(env) + " does not exist";
            return notThere("no kubeconfig (" + where + ")", required);
        }

        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cluster-check");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Verdict> answer = executor.submit(() -> checkContext(kubeconfigs, required));
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                answer.cancel(true);
                return notThere("the API server of the current kube context did not answer within "
                        + timeout.toSeconds() + "s", required);
            } catch (ExecutionException e) {
                return notThere("cannot use the kubeconfig " + kubeconfigs + ": " + oneLine(e.getCause()), required);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return notThere("interrupted while checking the cluster", required);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static Verdict checkContext(List<Path> kubeconfigs, boolean required) throws Exception {
        Config config = kubeconfigs.size() == 1
                ? Config.fromKubeconfig(null, kubeconfigs.get(0).toFile())
                // Several files in KUBECONFIG: let fabric8 merge them as kubectl does (reads the real environment).
                : Config.autoConfigure(null);
        NamedContext current = config.getCurrentContext();
        String context = current == null ? "" : current.getName();
        if (!required && !isKind(context)) {
            return new Verdict.Skip("the current kube context '" + context + "' is not a kind cluster (kind-*); set "
                    + OPT_IN + "=1 to run them against it");
        }
        Config probeConfig = new ConfigBuilder(config).withConnectionTimeout(CONNECT_TIMEOUT_MS)
                .withRequestTimeout(REQUEST_TIMEOUT_MS).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(probeConfig).build()) {
            VersionInfo version = client.getKubernetesVersion();
            return new Verdict.Run(config, context, version.getGitVersion());
        } catch (RuntimeException e) {
            return notThere("the API server of kube context '" + context + "' (" + config.getMasterUrl()
                    + ") does not answer: " + oneLine(e), required);
        }
    }

    static boolean isKind(String context) {
        return context != null && context.startsWith("kind-");
    }

    private static Verdict notThere(String why, boolean required) {
        return required
                ? new Verdict.Fail(OPT_IN + "=1 asks for the cluster tests, but " + why)
                : new Verdict.Skip(why);
    }

    static List<Path> kubeconfigFiles(Map<String, String> env) {
        List<Path> found = new ArrayList<>();
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) { // an empty KUBECONFIG means the default file, as for kubectl
            for (String part : list.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(Path.of(part))) {
                    found.add(Path.of(part));
                }
            }
            return found;
        }
        Path def = defaultKubeconfig(env);
        if (Files.isRegularFile(def)) {
            found.add(def);
        }
        return found;
    }

    private static Path defaultKubeconfig(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".kube", "config");
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return msg.replaceAll("\\s+", " ").trim();
    }
}
