package dev.probelab.runner.runtime;

import dev.probelab.runner.kubelet.ContainerInstance;
import dev.probelab.runner.kubelet.ContainerPlan;
import dev.probelab.runner.kubelet.ContainerRuntime;
import dev.probelab.runner.kubelet.PodPlan;
import dev.probelab.runner.kubelet.ProbeOutcome;
import dev.probelab.runner.kubelet.RunningContainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Containers as local processes: our apps' jars with {@code java -jar}, each replica and restart on
 * a free port of its own (PORT), and busybox's shell commands with busybox (or the system's sh).
 *
 * <p>A container's /tmp is its own directory: "/tmp" in its command and exec probes is rewritten to
 * it, and back in probe messages, so replicas and restarts never share files (a restarted container
 * starts with an empty /tmp, as a new container's writable layer does). The shell runs with SIGINT
 * and SIGTERM ignored, as PID 1 of a container ignores signals it has no handler for: the kubelet's
 * SIGTERM does nothing and the SIGKILL after the grace period ends it, as on a cluster.
 */
public final class LocalRuntime implements ContainerRuntime {

    /** Lets the shell's children inherit "ignore SIGINT/SIGTERM", then runs the container's command. */
    static final String PID1_WRAPPER = "trap '' INT TERM; exec \"$@\"";

    private static final Pattern TMP = Pattern.compile("(?<![\\w.~-])/tmp(?=/|\\s|$|[;&|)'\"])");

    private final ImageCatalog images;
    private final Busybox busybox;
    private final Path workDir;
    private final List<String> jvmOptions;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-runtime");
        t.setDaemon(true);
        return t;
    });
    // Exec probes block on a process and on its output: threads of their own, so a slow command never
    // holds up the kubelet thread or the other probes.
    private final java.util.concurrent.ExecutorService execThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "exec-probe");
        t.setDaemon(true);
        return t;
    });

    public LocalRuntime(ImageCatalog images, Busybox busybox, Path workDir) {
        this.images = images;
        this.busybox = busybox;
        this.workDir = workDir;
        // A lab app is a small server: a quick-starting JVM keeps 2-core laptops (and CI) responsive.
        this.jvmOptions = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }

    /** How this runtime runs things, for the runner's first line. */
    public String describe() {
        String shell = busybox != null
                ? "busybox commands with " + busybox.binary()
                : "busybox commands with the system's sh (no busybox installed: messages read as GNU tools write them)";
        return "local (apps as java -jar <module>/target/<module>.jar on a free port each; " + shell
                + "; each container has its own /tmp)";
    }

    @Override
    public CompletionStage<RunningContainer> start(PodPlan pod, ContainerPlan container, int instance) {
        try {
            return CompletableFuture.completedFuture(launch(pod, container, instance));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RunningContainer launch(PodPlan pod, ContainerPlan container, int instance) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve(pod.name()).resolve(container.name() + "-" + instance));
        Path log = dir.resolve("output.log");
        Map<String, String> env = new LinkedHashMap<>(container.env());
        env.put("HOSTNAME", pod.name());
        ImageCatalog.Image image = images.resolve(container.image());
        List<String> argv;
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        Path tmp = null;
        if (image instanceof ImageCatalog.App app) {
            int port = freePort();
            // The app listens on PORT; the manifest's containerPort (8080) is reached there.
            int containerPort = container.containerPorts().isEmpty() ? 8080 : container.containerPorts().get(0);
            ports.put(containerPort, port);
            env.put("PORT", Integer.toString(port));
            argv = new ArrayList<>();
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.addAll(jvmOptions);
            argv.add("-jar");
            argv.add(app.jar().toString());
            argv.addAll(container.args());
        } else if (image instanceof ImageCatalog.Busybox) {
            tmp = Files.createDirectories(dir.resolve("tmp"));
            List<String> command = new ArrayList<>(container.command());
            command.addAll(container.args());
            if (command.isEmpty()) {
                command.add("sh"); // the busybox image's CMD
            }
            argv = new ArrayList<>();
            argv.add(busybox != null ? busybox.command("/bin/sh") : "/bin/sh");
            argv.addAll(List.of("-c", PID1_WRAPPER, "sh"));
            argv.addAll(Busybox.withApplets(busybox, rewriteTmp(command, tmp)));
            if (busybox != null) {
                env.put("PATH", busybox.path(System.getenv("PATH")));
            }
        } else {
            throw new IllegalStateException("image " + container.image() + " cannot run locally");
        }
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        live.add(process);
        process.onExit().thenRun(() -> live.remove(process));
        String id = "local://" + pod.name() + "/" + container.name() + "/" + instance + "/pid-" + process.pid();
        return new LocalContainer(id, process, ports, env, dir, tmp);
    }

    static List<String> rewriteTmp(List<String> args, Path tmp) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(TMP.matcher(a).replaceAll(Matcher.quoteReplacement(tmp.toString())));
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Kills whatever is still running: the safety net behind every graceful stop. */
    @Override
    public void close() {
        for (Process p : List.copyOf(live)) {
            killTree(p);
        }
        killer.shutdownNow();
        execThreads.shutdownNow();
    }

    /** Deletes {@code dir} and everything under it, as far as it can: a leftover temp directory is harmless. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // what is left stays
        }
    }

    static void killTree(Process p) {
        // Children first: once the parent is gone they are re-parented and out of reach.
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private final class LocalContainer extends ContainerInstance {
        private final Process process;
        private final Map<Integer, Integer> ports;
        private final Map<String, String> env;
        private final Path dir;
        private final Path tmp;

        LocalContainer(String id, Process process, Map<Integer, Integer> ports, Map<String, String> env, Path dir,
                Path tmp) {
            super(id, process.onExit().thenApply(Process::exitValue));
            this.process = process;
            this.ports = ports;
            this.env = env;
            this.dir = dir;
            this.tmp = tmp;
        }

        @Override
        public CompletionStage<Integer> stop(Duration grace) {
            if (process.isAlive()) {
                List<ProcessHandle> children = process.descendants().toList();
                process.destroy(); // SIGTERM
                killer.schedule(() -> {
                    if (process.isAlive()) {
                        killTree(process);
                    }
                }, grace.toMillis(), TimeUnit.MILLISECONDS);
                // Whatever the container's main process leaves behind goes with it, as in a container.
                exit.whenComplete((code, e) -> children.stream().filter(ProcessHandle::isAlive)
                        .forEach(ProcessHandle::destroyForcibly));
            }
            return exit;
        }

        @Override
        public InetSocketAddress address(int containerPort) {
            return new InetSocketAddress("127.0.0.1", ports.getOrDefault(containerPort, containerPort));
        }

        @Override
        public CompletionStage<ProbeOutcome> exec(List<String> command, Duration timeout) {
            return CompletableFuture.supplyAsync(() -> runExec(command, timeout), execThreads);
        }

        private ProbeOutcome runExec(List<String> command, Duration timeout) {
            List<String> argv = tmp == null ? command : Busybox.withApplets(busybox, rewriteTmp(command, tmp));
            ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process p;
            try {
                p = builder.start();
            } catch (IOException e) {
                return ProbeOutcome.failure("exec: \"" + command.get(0) + "\": executable file not found in $PATH");
            }
            try {
                CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                    try {
                        return p.getInputStream().readNBytes(10 * 1024);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, execThreads);
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    killTree(p);
                    return ProbeOutcome.failure("command \"" + String.join(" ", command) + "\" timed out");
                }
                String text = new String(output.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8);
                if (tmp != null) {
                    text = text.replace(tmp.toString(), "/tmp");
                }
                return p.exitValue() == 0 ? ProbeOutcome.success() : ProbeOutcome.failure(text.strip());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killTree(p);
                return ProbeOutcome.error("interrupted");
            } catch (Exception e) {
                return ProbeOutcome.error(String.valueOf(e.getMessage()));
            }
        }

        /** Drops the container's /tmp; its output.log stays until the run's directory goes. */
        @Override
        public void remove() {
            if (process.isAlive() || tmp == null) {
                return;
            }
            deleteTree(tmp);
        }
    }
}
