package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the cluster tests run, skip or fail: against a mock API server, a closed port and a silent one (all on loopback). */
@EnableKubernetesMockClient(https = false, crud = true)
class ClusterCheckTest {

    KubernetesMockServer server;

    @TempDir
    Path home;

    private Path kubeconfig(String context, String serverUrl) throws IOException {
        Path file = home.resolve("kubeconfig-" + context);
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: %s
                contexts:
                - name: %s
                  context:
                    cluster: c
                    user: u
                current-context: %s
                users:
                - name: u
                  user:
                    token: t
                """.formatted(serverUrl, context, context));
        return file;
    }

    private String mockUrl() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @Test
    void aKindContextThatAnswersRuns() throws IOException {
        Path kc = kubeconfig("kind-probe-lab", mockUrl());
        ClusterCheck.Verdict v = ClusterCheck.check(env("KUBECONFIG", kc.toString()), Duration.ofSeconds(8));
        assertThat(v).isInstanceOf(ClusterCheck.Verdict.Run.class);
        assertThat(((ClusterCheck.Verdict.Run) v).context()).isEqualTo("kind-probe-lab");
    }

    @Test
    void noKubeconfigSkipsWithOneLine() {
        ClusterCheck.Verdict v = ClusterCheck.check(env("HOME", home.toString()), Duration.ofSeconds(8));
        assertThat(v).isEqualTo(new ClusterCheck.Verdict.Skip(
                "no kubeconfig (KUBECONFIG is unset and " + home.resolve(".kube/config") + " does not exist)"));
    }

    @Test
    void theDefaultKubeconfigIsFound() throws IOException {
        Files.createDirectories(home.resolve(".kube"));
        Files.copy(kubeconfig("kind-probe-lab", mockUrl()), home.resolve(".kube/config"));
        assertThat(ClusterCheck.check(env("HOME", home.toString()), Duration.ofSeconds(8)))
                .isInstanceOf(ClusterCheck.Verdict.Run.class);
    }

    @Test
    void aContextThatIsNotKindIsLeftAloneUnlessAskedFor() throws IOException {
        Path kc = kubeconfig("prod-eu-1", mockUrl());
        ClusterCheck.Verdict skipped = ClusterCheck.check(env("KUBECONFIG", kc.toString()), Duration.ofSeconds(8));
        assertThat(skipped).isInstanceOf(ClusterCheck.Verdict.Skip.class);
        assertThat(((ClusterCheck.Verdict.Skip) skipped).reason())
                .isEqualTo("the current kube context 'prod-eu-1' is not a kind cluster (kind-*); set PROBE_LAB_CLUSTER_TESTS=1 to run them against it");

        assertThat(ClusterCheck.check(env("KUBECONFIG", kc.toString(), "PROBE_LAB_CLUSTER_TESTS", "1"), Duration.ofSeconds(8)))
                .isInstanceOf(ClusterCheck.Verdict.Run.class);
    }

    @Test
    void zeroTurnsThemOff() throws IOException {
        Path kc = kubeconfig("kind-probe-lab", mockUrl());
        assertThat(ClusterCheck.check(env("KUBECONFIG", kc.toString(), "PROBE_LAB_CLUSTER_TESTS", "0"), Duration.ofSeconds(8)))
                .isEqualTo(new ClusterCheck.Verdict.Skip("PROBE_LAB_CLUSTER_TESTS=0 turns them off"));
    }

    @Test
    void anApiServerThatRefusesSkipsOrFailsWhenAskedFor() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path kc = kubeconfig("kind-probe-lab", "https://127.0.0.1:" + port);
        ClusterCheck.Verdict skipped = ClusterCheck.check(env("KUBECONFIG", kc.toString()), Duration.ofSeconds(8));
        assertThat(skipped).isInstanceOf(ClusterCheck.Verdict.Skip.class);
        assertThat(((ClusterCheck.Verdict.Skip) skipped).reason())
                .startsWith("the API server of kube context 'kind-probe-lab' (https://127.0.0.1:" + port + "/) does not answer")
                .doesNotContain("\n");

        ClusterCheck.Verdict failed = ClusterCheck.check(env("KUBECONFIG", kc.toString(), "PROBE_LAB_CLUSTER_TESTS", "1"), Duration.ofSeconds(8));
        assertThat(failed).isInstanceOf(ClusterCheck.Verdict.Fail.class);
        assertThat(((ClusterCheck.Verdict.Fail) failed).reason()).startsWith("PROBE_LAB_CLUSTER_TESTS=1 asks for the cluster tests, but");
    }

    @Test
    void anApiServerThatNeverAnswersDoesNotHangTheBuild() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path kc = kubeconfig("kind-probe-lab", "http://127.0.0.1:" + silent.getLocalPort());
            long start = System.nanoTime();
            ClusterCheck.Verdict v = ClusterCheck.check(env("KUBECONFIG", kc.toString()), Duration.ofSeconds(2));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(v).isEqualTo(new ClusterCheck.Verdict.Skip(
                    "the API server of the current kube context did not answer within 2s"));
            assertThat(millis).isLessThan(4_000);
        }
    }

    @Test
    void aKubeconfigListNamingNoFileSkips() {
        ClusterCheck.Verdict v = ClusterCheck.check(env("KUBECONFIG", home.resolve("nope").toString()), Duration.ofSeconds(8));
        assertThat(v).isInstanceOf(ClusterCheck.Verdict.Skip.class);
        assertThat(((ClusterCheck.Verdict.Skip) v).reason()).startsWith("no kubeconfig (KUBECONFIG=");
    }
}
