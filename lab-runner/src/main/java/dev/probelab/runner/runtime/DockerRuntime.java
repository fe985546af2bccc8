package dev.probelab.runner.runtime;

import dev.probelab.runner.kubelet.ContainerInstance;
import dev.probelab.runner.kubelet.ContainerPlan;
import dev.probelab.runner.kubelet.ContainerRuntime;
import dev.probelab.runner.kubelet.PodPlan;
import dev.probelab.runner.kubelet.ProbeHandler;
import dev.probelab.runner.kubelet.ProbeOutcome;
import dev.probelab.runner.kubelet.ProbeSettings;
import dev.probelab.runner.kubelet.RunningContainer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Containers in Docker, from the manifest's real images: `docker run -d` with the container's
 * ports published on 127.0.0.1, `docker exec` for exec probes, `docker stop -t <grace>` (SIGTERM,
 * then SIGKILL) to kill, `docker wait` to see it exit, `docker rm -f` to clean up.
 */
public final class DockerRuntime implements ContainerRuntime {

    private final String runId;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "docker");
        t.setDaemon(true);
        return t;
    });

    /** For the checks before any runtime exists: a daemon thread per blocking read. */
    private static final Executor NEW_THREAD = r -> {
        Thread t = new Thread(r, "docker-check");
        t.setDaemon(true);
        t.start();
    };

    public DockerRuntime(String runId) {
        this.runId = runId;
    }

    /** `docker info` answers within a few seconds. */
    public static boolean available() {
        try {
            return run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), Duration.ofSeconds(5), NEW_THREAD).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The image is in Docker's local store (nothing is pulled: the lab must work offline). */
    public static boolean hasImage(String image) {
        try {
            return run(List.of("docker", "image", "inspect", image), Duration.ofSeconds(10), NEW_THREAD).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public String describe() {
        return "docker (real images, ports published on 127.0.0.1)";
    }

    @Override
    public CompletionStage<RunningContainer> start(PodPlan pod, ContainerPlan container, int instance) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return launch(pod, container, instance);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
    }

    private RunningContainer launch(PodPlan pod, ContainerPlan container, int instance) throws IOException {
        String name = ("probelab-" + runId + "-" + pod.name() + "-" + container.name() + "-" + instance)
                .replaceAll("[^a-zA-Z0-9_.-]", "-");
        List<String> argv = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--hostname", pod.name(),
                "--label", "dev.probelab.runner=" + runId));
        for (Map.Entry<String, String> e : container.env().entrySet()) {
            argv.add("-e");
            argv.add(e.getKey() + "=" + e.getValue());
        }
        Set<Integer> ports = publishedPorts(container);
        for (int port : ports) {
            argv.add("-p");
            argv.add("127.0.0.1::" + port);
        }
        if (!container.command().isEmpty()) {
            argv.add("--entrypoint");
            argv.add(container.command().get(0));
        }
        argv.add(container.image());
        if (!container.command().isEmpty()) {
            argv.addAll(container.command().subList(1, container.command().size()));
        }
        argv.addAll(container.args());
        Result run = run(argv, Duration.ofSeconds(60));
        if (run.exitCode != 0) {
            throw new IOException("docker run " + container.image() + ": " + run.output.strip());
        }
        String id = run.output.strip();
        id = id.substring(id.lastIndexOf('\n') + 1);
        created.add(id);
        Map<Integer, Integer> mapped = new LinkedHashMap<>();
        for (int port : ports) {
            Result p = run(List.of("docker", "port", id, port + "/tcp"), Duration.ofSeconds(10));
            String first = p.output.lines().filter(l -> l.startsWith("127.0.0.1:")).findFirst().orElse("");
            if (!first.isEmpty()) {
                mapped.put(port, Integer.parseInt(first.substring(first.lastIndexOf(':') + 1).strip()));
            }
        }
        Process wait = new ProcessBuilder("docker", "wait", id).redirectErrorStream(true).start();
        CompletableFuture<Integer> exit = wait.onExit().thenApply(w -> {
            try {
                return Integer.parseInt(new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            } catch (IOException | NumberFormatException e) {
                return 255;
            }
        });
        return new DockerContainer("docker://" + id, id, mapped, exit);
    }

    /** Declared containerPorts plus every port a probe reaches on the pod's address. */
    static Set<Integer> publishedPorts(ContainerPlan container) {
        Set<Integer> ports = new TreeSet<>(container.containerPorts());
        for (ProbeSettings probe : container.probes().values()) {
            if (probe.handler() instanceof ProbeHandler.HttpGet get && (get.host() == null || get.host().isEmpty())) {
                ports.add(get.port());
            } else if (probe.handler() instanceof ProbeHandler.TcpSocket tcp && (tcp.host() == null || tcp.host().isEmpty())) {
                ports.add(tcp.port());
            }
        }
        return ports;
    }

    @Override
    public void close() {
        if (!created.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("docker", "rm", "-f"));
            argv.addAll(created);
            try {
                run(argv, Duration.ofSeconds(30));
            } catch (IOException e) {
                System.err.println("lab: could not remove containers " + created + ": " + e.getMessage());
            }
        }
        threads.shutdownNow();
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a docker command on this runtime's threads (its output is read on one of them, never the common pool). */
    private Result run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, timeout, threads);
    }

    private static Result run(List<String> argv, Duration timeout, Executor readers) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, readers);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeout.toSeconds() + "s");
            }
            return new Result(p.exitValue(), new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            return new Result(p.isAlive() ? -1 : p.exitValue(), "");
        }
    }

    private final class DockerContainer extends ContainerInstance {
        private final String dockerId;
        private final Map<Integer, Integer> ports;

        DockerContainer(String id, String dockerId, Map<Integer, Integer> ports, CompletableFuture<Integer> exit) {
            super(id, exit);
            this.dockerId = dockerId;
            this.ports = ports;
        }

        @Override
        public CompletionStage<Integer> stop(Duration grace) {
            threads.execute(() -> {
                try {
                    run(List.of("docker", "stop", "-t", Long.toString(grace.toSeconds()), dockerId),
                            grace.plusSeconds(30));
                } catch (IOException e) {
                    // docker wait still reports the exit, or close() removes it
                }
            });
            return exit;
        }

        @Override
        public InetSocketAddress address(int containerPort) {
            Integer port = ports.get(containerPort);
            // An unpublished port: nothing listens there on this machine, as nothing would answer on a cluster.
            return new InetSocketAddress("127.0.0.1", port == null ? containerPort : port);
        }

        @Override
        public CompletionStage<ProbeOutcome> exec(List<String> command, Duration timeout) {
            return CompletableFuture.supplyAsync(() -> {
                List<String> argv = new ArrayList<>(List.of("docker", "exec", dockerId));
                argv.addAll(command);
                try {
                    Result r = run(argv, timeout);
                    if (r.exitCode == -1) {
                        return ProbeOutcome.failure("command \"" + String.join(" ", command) + "\" timed out");
                    }
                    return r.exitCode == 0 ? ProbeOutcome.success() : ProbeOutcome.failure(r.output.strip());
                } catch (IOException e) {
                    return ProbeOutcome.error(e.getMessage());
                }
            }, threads);
        }

        @Override
        public void remove() {
            threads.execute(() -> {
                try {
                    if (run(List.of("docker", "rm", "-f", dockerId), Duration.ofSeconds(30)).exitCode == 0) {
                        created.remove(dockerId);
                    }
                } catch (IOException e) {
                    // close() tries again
                }
            });
        }
    }
}
