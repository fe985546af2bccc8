package dev.probelab.runner;

import dev.probelab.lab.ManifestException;
import dev.probelab.lab.kubelet.KubeletVersion;
import dev.probelab.runner.kubelet.ContainerPlan;
import dev.probelab.runner.kubelet.ContainerRuntime;
import dev.probelab.runner.kubelet.PodPlan;
import dev.probelab.runner.kubelet.ThreadScheduler;
import dev.probelab.runner.manifest.LabManifest;
import dev.probelab.runner.output.Console;
import dev.probelab.runner.probe.Probers;
import dev.probelab.runner.runtime.Busybox;
import dev.probelab.runner.runtime.DockerRuntime;
import dev.probelab.runner.runtime.ImageCatalog;
import dev.probelab.runner.runtime.LocalRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `./lab k8s/liveness1.yaml`: runs a lab manifest on this machine by the kubelet's probe rules. */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a lab manifest (a Deployment or Pod, and its Service) on this machine by the kubelet's probe rules:",
                "with Docker the real images, otherwise our apps' jars and busybox's shell as local processes.",
                "Prints pod lines as `kubectl get pods -w` and events as `kubectl describe pod`. Ctrl-C stops everything."})
public final class LabCommand implements Callable<Integer> {

    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_CANNOT_RUN = 1;
    /** How long a container gets between SIGTERM and SIGKILL when the run ends (a Ctrl-C should be quick). */
    static final Duration END_OF_RUN_GRACE = Duration.ofSeconds(2);

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "e.g. k8s/liveness1.yaml")
    Path manifest;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Adds an environment variable to every container, e.g. --env FAIL_AFTER=5s (repeatable).")
    List<String> env = List.of();

    @Option(names = "--for", paramLabel = "DURATION", description = "Runs this long, then stops and exits: 90s, 2m, 1500ms.")
    String runFor;

    @Option(names = "--summary", paramLabel = "json", description = "Prints one JSON object last: each pod's container runs, Ready changes, events and pod lines.")
    String summary;

    @Option(names = "--runtime", paramLabel = "auto|docker|local", defaultValue = "auto",
            description = "auto (default): Docker when it runs and has every image, else local.")
    String runtime;

    @Option(names = "--kubelet-version", paramLabel = "current|1.20", defaultValue = "current",
            description = "Plays this kubelet: current (1.35, default) or 1.20 (event wording, re-sync of a held restart, RESTARTS column).")
    String kubeletVersion;

    @Option(names = "--service-port", paramLabel = "PORT",
            description = "Serve the Service on this localhost port (0: any free port). Default: the Service's own port, or 8080 and up when that needs root.")
    Integer servicePort;

    private final PrintStream out;
    private final PrintStream err;

    LabCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The whole command, for tests: the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new LabCommand(out, err));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("lab: " + e.getMessage() + " (./lab --help shows the options)");
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> extraEnv;
        Duration duration;
        try {
            extraEnv = parseEnv(env);
            duration = runFor == null ? null : parseDuration(runFor);
            if (summary != null && !summary.equals("json")) {
                throw new IllegalArgumentException("--summary: only json is supported, not " + summary);
            }
            if (!List.of("auto", "docker", "local").contains(runtime)) {
                throw new IllegalArgumentException("--runtime: auto, docker or local, not " + runtime);
            }
            version = kubeletVersion(kubeletVersion);
        } catch (IllegalArgumentException e) {
            err.println("lab: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        LabManifest lab;
        try {
            lab = LabManifest.read(manifest, extraEnv, new SecureRandom());
        } catch (ManifestException e) {
            err.println("lab: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        Path home = Path.of(System.getProperty("probelab.home", ".")).toAbsolutePath().normalize();
        ImageCatalog images = new ImageCatalog(home);
        boolean useDocker;
        try {
            useDocker = chooseDocker(lab);
        } catch (CannotRun e) {
            err.println("lab: " + e.getMessage());
            return EXIT_CANNOT_RUN;
        }
        if (useDocker) {
            return runWith(lab, new DockerRuntime(runId()), null, duration);
        }
        String problem = localProblem(lab, images);
        if (problem != null) {
            err.println("lab: " + problem);
            return EXIT_CANNOT_RUN;
        }
        Path workDir = Files.createTempDirectory("lab-runner-");
        Busybox busybox = Busybox.find(workDir).orElse(null);
        return runWith(lab, new LocalRuntime(images, busybox, workDir), workDir, duration);
    }

    private String reasonForLocal = "";
    private KubeletVersion version;

    static KubeletVersion kubeletVersion(String text) {
        if (text.equals("current")) {
            return KubeletVersion.CURRENT;
        }
        try {
            return KubeletVersion.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kubelet-version " + text + ": current or 1.20");
        }
    }

    /** The manifest is fine but cannot run here as asked. */
    private static final class CannotRun extends RuntimeException {
        CannotRun(String message) {
            super(message);
        }
    }

    private boolean chooseDocker(LabManifest lab) {
        if (runtime.equals("local")) {
            reasonForLocal = "--runtime local";
            return false;
        }
        boolean docker = DockerRuntime.available();
        if (!docker) {
            reasonForLocal = "no Docker";
            if (runtime.equals("docker")) {
                throw new CannotRun("--runtime docker: Docker is not running (docker info failed)");
            }
            return false;
        }
        for (PodPlan pod : lab.pods()) {
            for (ContainerPlan c : pod.containers()) {
                if (!DockerRuntime.hasImage(c.image())) {
                    if (runtime.equals("docker")) {
                        throw new CannotRun("--runtime docker: image " + c.image() + " is not in Docker (nothing is pulled):"
                                + " build it (docs/images.md) or use --runtime local");
                    }
                    reasonForLocal = "Docker has no image " + c.image();
                    return false;
                }
            }
        }
        return true;
    }

    /** A container the local runtime cannot run: one line saying which and why; null if all can run. */
    private String localProblem(LabManifest lab, ImageCatalog images) {
        for (PodPlan pod : lab.pods()) {
            for (ContainerPlan c : pod.containers()) {
                ImageCatalog.Image image = images.resolve(c.image());
                if (image instanceof ImageCatalog.Unknown) {
                    return lab.file() + ": container " + c.name() + ": image " + c.image()
                            + " runs only with Docker (without it: probe-lab's apps and busybox)";
                }
                if (image instanceof ImageCatalog.App app && images.jarMissing(app)) {
                    return app.jar() + " is missing: build it with ./mvnw -B -q -pl " + app.module()
                            + " -am package -DskipTests (./lab does this itself)";
                }
            }
        }
        return null;
    }

    private int runWith(LabManifest lab, ContainerRuntime containers, Path workDir, Duration duration) {
        Console console = new Console(out, lab.pods().stream().map(PodPlan::name).toList());
        String how = containers instanceof LocalRuntime local
                ? local.describe() + (reasonForLocal.isEmpty() ? "" : " [" + reasonForLocal + "]")
                : ((DockerRuntime) containers).describe();
        console.info("lab: runtime: " + how);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // Ctrl-C (or SIGTERM to the runner): the main thread stops every container before the JVM goes.
        Thread hook = new Thread(() -> {
            interrupted.countDown();
            try {
                // Every cleanup step is bounded (proxies, LabRun.stop, docker rm -f): wait for all of them,
                // so an interrupted run never leaves a container behind.
                cleanedUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lab-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ThreadScheduler scheduler = new ThreadScheduler(); Probers probes = new Probers(version.probeUserAgent())) {
            LabRun run = new LabRun(lab, containers, probes, scheduler, console, version);
            try {
                run.openServices(servicePort);
            } catch (IOException e) {
                err.println("lab: cannot listen for the Service: " + e.getMessage());
                return EXIT_CANNOT_RUN;
            }
            run.start();
            try {
                if (duration == null) {
                    interrupted.await();
                } else {
                    interrupted.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            run.stop(END_OF_RUN_GRACE);
            if ("json".equals(summary)) {
                out.println(run.summary().toJson());
            }
            out.flush();
            return 0;
        } finally {
            // The safety net behind every graceful stop: whatever still runs is killed, or removed.
            containers.close();
            if (workDir != null) {
                LocalRuntime.deleteTree(workDir);
            }
            // Only now may a Ctrl-C'd JVM end.
            cleanedUp.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and waits for cleanedUp
            }
        }
    }

    static Map<String, String> parseEnv(List<String> pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("--env " + pair + ": expected NAME=VALUE");
            }
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    /** "90s", "2m", "1500ms", "1h", or plain seconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--for " + text + ": expected a duration like 90s, 2m or 1500ms");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static String runId() {
        return Long.toString(new SecureRandom().nextLong() & 0xffffffL, 36);
    }

}
