package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * k8s/kind/*.sh run end to end in a copy of their directory, against the stand-ins of
 * src/test/resources/kind-stubs on a PATH of their own: kind, docker, kubectl, cloud-provider-kind
 * and the Maven wrapper record what they are asked to do. Nothing real is created or pulled.
 */
class KindScriptsTest {

    private static final Path KIND = ProjectDirs.k8s().resolve("kind");
    private static final Path STUBS = ProjectDirs.root().resolve("lab-manifests/src/test/resources/kind-stubs");
    /** The real commands the scripts use besides the stand-ins. */
    private static final List<String> TOOLS = List.of("bash", "env", "cat", "grep", "sed", "head", "tail", "mkdir",
            "mktemp", "rm", "mv", "cp", "ps", "sleep", "dirname", "basename", "tr", "awk", "touch", "nohup", "date");
    private static final String ENVOY = "envoyproxy/envoy:v1.33.2";
    /** The time lib/probe-lab.sh's say puts before the script's name. */
    private static final String SAY = "\\d\\d:\\d\\d:\\d\\d ";
    private static final Pattern STARTED = Pattern.compile("cloud-provider-kind started in the background \\(pid (\\d+)");

    @TempDir
    Path tmp;
    private Path repo;
    private Path stubs;
    private Path state;

    @BeforeEach
    void aCheckoutOfItsOwn() throws IOException {
        assumeThat(Path.of("/bin/bash")).as("bash (the scripts' shell)").isExecutable();
        repo = tmp.resolve("repo");
        stubs = tmp.resolve("stubs");
        state = tmp.resolve("stub-state");
        Path tools = tmp.resolve("tools");
        for (Path dir : List.of(repo.resolve("k8s/kind"), repo.resolve("lib"), repo.resolve("images"), stubs, state, tools,
                tmp.resolve("tmp"))) {
            Files.createDirectories(dir);
        }
        try (Stream<Path> files = Files.list(KIND)) {
            for (Path f : files.toList()) {
                Files.copy(f, repo.resolve("k8s/kind").resolve(f.getFileName()));
            }
        }
        // What the kind scripts share with every script, and the one image build e2e.sh calls.
        for (String shared : List.of("lib/probe-lab.sh", "images/lib.sh", "images/build-apps.sh")) {
            Files.copy(ProjectDirs.root().resolve(shared), repo.resolve(shared));
        }
        try (Stream<Path> files = Files.list(STUBS)) {
            for (Path f : files.toList()) {
                Path to = f.getFileName().toString().equals("mvnw") ? repo.resolve("mvnw") : stubs.resolve(f.getFileName());
                Files.copy(f, to);
                to.toFile().setExecutable(true);
            }
        }
        Files.writeString(repo.resolve("pom.xml"), "<project>\n  <version>1.0.0</version>\n</project>\n");
        for (String tool : TOOLS) {
            Path real = Stream.of("/usr/local/bin", "/usr/bin", "/bin").map(d -> Path.of(d, tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new IllegalStateException(tool + " is not installed: the kind scripts need it"));
            Files.createSymbolicLink(tools.resolve(tool), real);
        }
        // The app images are in docker (built); busybox and the load balancer image are not.
        Files.write(state.resolve("images"), List.of("probe-lab/liveness-app:1.0.0", "probe-lab/readiness-app:1.0.0",
                "probe-lab/startup-app:1.0.0"));
    }

    /**
     * The cloud-provider-kind stand-in that create-cluster.sh leaves serving on success (or a failed
     * assertion leaves behind) is stopped by its pid, which create-cluster.sh wrote.
     */
    @AfterEach
    void nothingLeftRunning() throws IOException {
        Path pidFile = cpkPidFile();
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroy);
        }
        // The links to the real tools go here, so that @TempDir does not warn about each one.
        try (Stream<Path> links = Files.list(tmp.resolve("tools"))) {
            for (Path link : links.toList()) {
                Files.delete(link);
            }
        }
    }

    // ------------------------------------------------------------------ e2e.sh

    @Test
    void e2eRunsOnThePinnedVersionsThroughTheLoadBalancerAndDeletesTheCluster() throws IOException {
        Run run = run("e2e.sh", Map.of());

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.calls()).contains("kind create cluster --name probe-lab-e2e --config " + repo.resolve("k8s/kind/kind-config.yaml")
                + " --image " + pinned("KIND_NODE_IMAGE") + " --retain --wait 180s");
        // The load balancer image is pulled before the cluster exists, so no lab step waits for it.
        assertThat(run.indexOf("docker pull " + ENVOY)).isNotNegative().isLessThan(run.indexOf("kind create cluster"));
        assertThat(run.calls()).contains("cloud-provider-kind --enable-log-dumping --logs-dir " + logDir().resolve("cloud-provider-kind")
                + " --gateway-channel disabled --enable-default-ingress=false");
        assertThat(run.call("mvnw -B -pl kind-tests")).hasValueSatisfying(tests ->
                assertThat(tests).contains("ROUTE=loadbalancer LB_WAIT=120 CLUSTER_TESTS=1"));
        assertThat(run.calls()).contains("kind delete cluster --name probe-lab-e2e").noneMatch(c -> c.startsWith("kind export logs"));
        assertThat(run.stderr()).contains("delete-cluster.sh: stopped cloud-provider-kind");
        assertClusterGoneAndNothingRunning(run);
    }

    @Test
    void e2eFailureExportsTheLogsIntoKindLogDirBeforeItDeletesTheCluster() throws IOException {
        Path logs = tmp.resolve("my-logs");
        Run run = run("e2e.sh", Map.of("STUB_TESTS_EXIT", "1", "KIND_LOG_DIR", logs.toString()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("e2e.sh: ERROR: cluster tests failed", "logs of the failed run: " + logs);
        assertThat(run.indexOf("kind export logs " + logs.resolve("kind") + " --name probe-lab-e2e"))
                .isNotNegative().isLessThan(run.indexOf("kind delete cluster"));
        assertThat(logs.resolve("kind/kind-version.txt")).hasContent("the node logs of probe-lab-e2e");
        assertThat(Files.readString(logs.resolve("cloud-provider-kind.log"))).contains("serving with: --enable-log-dumping --logs-dir "
                + logs.resolve("cloud-provider-kind"));
        assertThat(logs.resolve("cloud-provider-kind")).isDirectory();
        assertClusterGoneAndNothingRunning(run);
    }

    @Test
    void e2eWithoutALoadBalancerProviderTestsThroughPortForwards() throws IOException {
        Run run = run("e2e.sh", Map.of("LB_PROVIDER", "none"));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.call("mvnw -B -pl kind-tests")).hasValueSatisfying(tests -> assertThat(tests).contains("ROUTE=auto LB_WAIT=0"));
        assertThat(run.calls()).noneMatch(c -> c.startsWith("cloud-provider-kind"));
        assertClusterGoneAndNothingRunning(run);
    }

    // ------------------------------------------------------------------ bad input, both scripts

    /** Bad settings, each refused in one line before anything is created or pulled. */
    static Stream<Arguments> badSettings() {
        return Stream.of(
                // e2e.sh: these would let a step pass without the LoadBalancer
                Arguments.of("e2e.sh", "PROBE_LAB_SERVICE_ROUTE", "auto"),
                Arguments.of("e2e.sh", "PROBE_LAB_SERVICE_ROUTE", "nodeport"),
                Arguments.of("e2e.sh", "PROBE_LAB_LB_WAIT_SECONDS", "2m"),
                Arguments.of("create-cluster.sh", "KIND_NODE_IMAGE", "kindest/node:v1.35.0"),
                Arguments.of("create-cluster.sh", "KIND_VERSION", "0.31"),
                Arguments.of("create-cluster.sh", "LB_PROVIDER", "nginx"));
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @MethodSource("badSettings")
    void aBadSettingIsNamedInOneLineAndNothingIsCreated(String script, String name, String value) throws IOException {
        Run run = run(script, Map.of(name, value));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderrLines()).singleElement().asString().matches(SAY + Pattern.quote(script + ": ERROR: " + name + "=" + value) + ".*");
        assertThat(run.calls()).noneMatch(c -> c.startsWith("kind create") || c.startsWith("docker pull") || c.startsWith("mvnw"));
    }

    static Stream<Arguments> missingTools() {
        return Stream.of(
                Arguments.of("e2e.sh", "docker"), Arguments.of("e2e.sh", "kind"), Arguments.of("e2e.sh", "kubectl"),
                Arguments.of("e2e.sh", "java"), Arguments.of("create-cluster.sh", "docker"),
                Arguments.of("create-cluster.sh", "kind"), Arguments.of("create-cluster.sh", "kubectl"));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("missingTools")
    void aMissingToolIsNamedInOneLine(String script, String tool) throws IOException {
        Files.delete(stubs.resolve(tool));
        Run run = run(script, Map.of());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderrLines()).singleElement().asString().matches(SAY + Pattern.quote(script + ": ERROR: " + tool + " is not installed") + ".*");
    }

    // ------------------------------------------------------------------ create-cluster.sh

    @Test
    void aFailedPullStopsBeforeTheClusterExists() throws IOException {
        Run run = run("create-cluster.sh", Map.of("STUB_PULL_FAILS", "1"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("create-cluster.sh: ERROR: could not pull " + ENVOY);
        assertThat(run.calls()).noneMatch(c -> c.startsWith("kind create"));
    }

    @Test
    void anImageAlreadyInDockerIsNotPulledAgain() throws IOException {
        Files.writeString(state.resolve("images"), ENVOY + "\n", StandardOpenOption.APPEND);
        Run run = run("create-cluster.sh", Map.of());

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.calls()).contains("docker image inspect " + ENVOY).noneMatch(c -> c.startsWith("docker pull"));
    }

    static Stream<Arguments> failuresAfterTheClusterExists() {
        return Stream.of(
                Arguments.of("STUB_CREATE_FAILS", "1", "kind could not create cluster probe-lab"),
                Arguments.of("STUB_CPK_DIES", "1", "cloud-provider-kind stopped at once"),
                Arguments.of("STUB_NODES_READY", "0", "the nodes of probe-lab are not Ready"),
                Arguments.of("STUB_KUBELET_VERSION", "v1.34.2", "cluster probe-lab runs Kubernetes v1.34.2, not v1.35.0"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("failuresAfterTheClusterExists")
    void aCreateThatFailsExportsTheLogsAndLeavesNothingRunning(String name, String value, String says) throws IOException {
        Run run = run("create-cluster.sh", Map.of(name, value));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("create-cluster.sh: ERROR: " + says, "logs of the failed run: " + logDir());
        assertThat(run.indexOf("kind export logs " + logDir().resolve("kind") + " --name probe-lab"))
                .isNotNegative().isLessThan(run.indexOf("kind delete cluster --name probe-lab"));
        assertClusterGoneAndNothingRunning(run);
    }

    @Test
    void keepClusterKeepsAFailedCreatesClusterWithoutExporting() throws IOException {
        Run run = run("create-cluster.sh", Map.of("STUB_NODES_READY", "0", "KEEP_CLUSTER", "1"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("cluster probe-lab kept (KEEP_CLUSTER=1)");
        assertThat(Files.readAllLines(state.resolve("clusters"))).containsExactly("probe-lab");
        assertThat(run.calls()).noneMatch(c -> c.startsWith("kind export logs") || c.startsWith("kind delete"));
    }

    @Test
    void anOlderCloudProviderKindGetsOnlyTheFlagsItsUsageLists() throws IOException {
        Run run = run("create-cluster.sh", Map.of("STUB_CPK", "old"));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.calls()).contains("cloud-provider-kind --enable-log-dumping --logs-dir " + logDir().resolve("cloud-provider-kind"))
                .noneMatch(c -> c.equals("cloud-provider-kind list-images") || c.startsWith("docker pull"));
        assertThat(run.stderr()).contains("has no list-images", "has no --gateway-channel", "has no --enable-default-ingress");
    }

    @Test
    void anotherKindOnPathIsWarnedAboutAndThePinnedNodeImageStillUsed() throws IOException {
        Run run = run("create-cluster.sh", Map.of("STUB_KIND_VERSION", "v0.33.0"));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("WARNING: kind v0.33.0 is on PATH, but the lab pins kind " + pinned("KIND_VERSION"));
        assertThat(run.call("kind create cluster")).hasValueSatisfying(c -> assertThat(c).contains("--image " + pinned("KIND_NODE_IMAGE")));
    }

    @Test
    void theEnvironmentChoosesAnotherPair() throws IOException {
        String image = "kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed";
        Run run = run("create-cluster.sh", Map.of("KIND_VERSION", "v0.33.0", "STUB_KIND_VERSION", "v0.33.0",
                "KIND_NODE_IMAGE", image, "STUB_KUBELET_VERSION", "v1.36.4"));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stderr()).doesNotContain("WARNING").contains("ready (Kubernetes v1.36.4");
        assertThat(run.call("kind create cluster")).hasValueSatisfying(c -> assertThat(c).contains("--image " + image));
    }

    @Test
    void aReusedClusterOnAnotherKubernetesIsWarnedAbout() throws IOException {
        Files.writeString(state.resolve("clusters"), "probe-lab\n");
        Run run = run("create-cluster.sh", Map.of("STUB_KUBELET_VERSION", "v1.34.2"));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("WARNING: the existing cluster probe-lab runs Kubernetes v1.34.2, not v1.35.0");
        assertThat(run.calls()).noneMatch(c -> c.startsWith("kind create") || c.startsWith("kind delete"));
    }

    // ------------------------------------------------------------------ helpers

    private record Run(int exit, String stderr, List<String> calls) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        int indexOf(String prefix) {
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).startsWith(prefix)) {
                    return i;
                }
            }
            return -1;
        }

        Optional<String> call(String prefix) {
            return calls.stream().filter(c -> c.startsWith(prefix)).findFirst();
        }
    }

    private Run run(String script, Map<String, String> settings) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", repo.resolve("k8s/kind").resolve(script).toString())
                .directory(tmp.toFile())
                .redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", stubs + ":" + tmp.resolve("tools"));
        env.put("HOME", tmp.toString());
        env.put("TMPDIR", tmp.resolve("tmp").toString());
        env.put("STUB_DIR", state.toString());
        env.putAll(settings);
        try {
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not finish within 60 s");
            }
            Path calls = state.resolve("calls.log");
            return new Run(p.exitValue(), Files.readString(tmp.resolve("stderr")),
                    Files.exists(calls) ? Files.readAllLines(calls) : List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** KIND_LOG_DIR's default, under TMPDIR. */
    private Path logDir() {
        return tmp.resolve("tmp/probe-lab-kind/logs");
    }

    private Path cpkPidFile() {
        return tmp.resolve("tmp/probe-lab-kind/cloud-provider-kind.pid");
    }

    private static String pinned(String key) {
        try {
            return Files.readAllLines(KIND.resolve("versions.env")).stream().filter(l -> l.startsWith(key + "="))
                    .map(l -> l.substring(key.length() + 1)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** No kind cluster, no cloud-provider-kind that the run started, no e2e temp dir. */
    private void assertClusterGoneAndNothingRunning(Run run) throws IOException {
        assertThat(Files.readAllLines(state.resolve("clusters"))).as("kind clusters left").isEmpty();
        assertThat(cpkPidFile()).doesNotExist();
        Matcher started = STARTED.matcher(run.stderr());
        if (started.find()) {
            long pid = Long.parseLong(started.group(1));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (alive(pid) && System.nanoTime() < until) {
                sleep(50);
            }
            assertThat(alive(pid)).as("cloud-provider-kind (pid %d) still running", pid).isFalse();
        }
        assertThat(tmp.resolve("tmp")).isDirectoryNotContaining("glob:**/probe-lab-e2e.*");
    }
}
