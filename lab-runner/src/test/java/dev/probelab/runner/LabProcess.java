package dev.probelab.runner;

import dev.probelab.runner.output.Summary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The real CLI, `java -jar target/lab-runner.jar ...`, as a child process whose stdout and stderr
 * lines are collected as they come (stderr is echoed to the test's own stderr too). Closing it stops the runner and anything it left running, even when a
 * test failed half way.
 */
final class LabProcess implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("probelab.home", "..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("probelab.runner.jar", "target/lab-runner.jar")).toAbsolutePath();
    private static final Pattern SERVICE_URL = Pattern.compile("-> http://localhost:(\\d+)");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> seenDescendants = new CopyOnWriteArrayList<>();
    private final List<String> errorLines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Thread errorReader;

    private LabProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    // Remember every process the runner started, to be sure none outlives the test.
                    process.descendants().forEach(seenDescendants::add);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "lab-output");
        reader.setDaemon(true);
        reader.start();
        this.errorReader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    errorLines.add(line);
                    System.err.println(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "lab-stderr");
        errorReader.setDaemon(true);
        errorReader.start();
    }

    /** The local runtime, the Service on any free port. */
    static LabProcess start(String manifest, String... options) throws IOException {
        return startWithRuntime("local", manifest, options);
    }

    static LabProcess startWithRuntime(String runtime, String manifest, String... options) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprobelab.home=" + HOME, "-jar", JAR.toString(), "k8s/" + manifest,
                "--runtime", runtime, "--service-port", "0"));
        argv.addAll(List.of(options));
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run `./mvnw -pl lab-runner -am verify`");
        }
        if (sigintIgnored()) {
            // A shell starts background jobs with SIGINT ignored, and a child inherits that, so the
            // runner would never see the Ctrl-C the tests send; coreutils' env gives it back its default.
            argv.addAll(0, List.of("env", "--default-signal=INT"));
        }
        Process p = new ProcessBuilder(argv).directory(HOME.toFile()).start();
        return new LabProcess(p);
    }

    /** Whether this JVM was started with SIGINT ignored (Linux's /proc; false where it cannot tell). */
    private static boolean sigintIgnored() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("SigIgn:"))
                    .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & 0x2) != 0);
        } catch (IOException e) {
            return false;
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** What the runner wrote on stderr (the kubelet thread's uncaught exceptions go there). */
    List<String> errorLines() {
        return List.copyOf(errorLines);
    }

    String output() {
        return String.join("\n", lines);
    }

    String awaitLine(Predicate<String> matching, Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> lines.stream().filter(matching).findFirst().orElse(null), l -> l != null);
    }

    int servicePort(Duration timeout) {
        Matcher m = SERVICE_URL.matcher(awaitLine(l -> SERVICE_URL.matcher(l).find(), timeout));
        m.find();
        return Integer.parseInt(m.group(1));
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runner did not exit within " + timeout + "; output:\n" + output());
        }
        reader.join(5000);
        errorReader.join(5000);
        return process.exitValue();
    }

    /** The last line: --summary json's object. */
    Summary summary() {
        return Summary.fromJson(lines.get(lines.size() - 1));
    }

    long pid() {
        return process.pid();
    }

    List<ProcessHandle> seenDescendants() {
        return List.copyOf(seenDescendants);
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(seenDescendants::add);
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: the runner's shutdown hook stops its containers
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (ProcessHandle h : seenDescendants) {
            h.destroyForcibly();
        }
    }
}
