package dev.probelab.kindtests;

import dev.probelab.lab.ObservedRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code kubectl get pods -w} in a namespace, as a student runs it: every line it prints, with the local
 * time it came. The real kubectl, because the API server prints those columns (printPod), and its
 * version decides what they show. {@code KUBECTL} names the binary (k8s/offline-cluster's matching one),
 * else {@code kubectl} on PATH.
 */
final class PodWatch implements AutoCloseable {

    /** One printed line and when it came. */
    record Line(Instant at, String text) {
    }

    private final Process process;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private PodWatch(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(new Line(Instant.now(), line));
                }
            } catch (IOException e) {
                // the watch ends with the process
            }
        }, "kubectl-get-pods-w");
        reader.setDaemon(true);
        reader.start();
    }

    static String kubectl() {
        String named = System.getenv("KUBECTL");
        return named == null || named.isBlank() ? "kubectl" : named;
    }

    /**
     * Starts the watch and returns once it is listening: kubectl's request log (-v=6) shows the watch
     * request answered, so nothing created after this returns can be missed (a Pending line included).
     */
    static PodWatch start(String namespace) {
        PodWatch watch;
        try {
            watch = new PodWatch(new ProcessBuilder(kubectl(), "get", "pods", "-w", "--namespace", namespace, "-v=6")
                    .redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kubectl() + " (set KUBECTL to the kubectl matching the cluster): " + e.getMessage(), e);
        }
        try {
            Waits.until("kubectl get pods -w listening", Duration.ofSeconds(15), Duration.ofMillis(100),
                    () -> watch.lines.stream().anyMatch(l -> l.text().contains("watch=true") && l.text().contains(" 200 OK")),
                    listening -> listening);
        } catch (Waits.TimedOut e) {
            watch.close();
            throw e;
        }
        return watch;
    }

    /** The pod's lines as the checks read them: READY, STATUS, the RESTARTS number, seconds after {@code t0}. */
    List<ObservedRun.PodLine> podLines(String pod, Instant t0) {
        List<ObservedRun.PodLine> out = new ArrayList<>();
        for (Line l : lines) {
            ObservedRun.PodLine parsed = parse(l.text(), pod, ObservedRun.seconds(Duration.between(t0, l.at())));
            if (parsed != null) {
                out.add(parsed);
            }
        }
        return out;
    }

    /** "nodeapp-x-y   0/1   CrashLoopBackOff   2 (5s ago)   27s": null for the header and other pods. */
    static ObservedRun.PodLine parse(String text, String pod, double at) {
        String[] cols = text.trim().split("\\s+");
        if (cols.length < 5 || !cols[0].equals(pod) || !cols[3].matches("\\d+")) {
            return null;
        }
        return new ObservedRun.PodLine(at, cols[1], cols[2], Integer.parseInt(cols[3]));
    }

    /** Every line kubectl printed on its output, for the log (its request log left out). */
    List<String> text() {
        return lines.stream().map(Line::text).filter(t -> !KLOG.matcher(t).lookingAt()).toList();
    }

    /** The start of a line of kubectl's own log: severity, month and day ("I1202 "). */
    private static final java.util.regex.Pattern KLOG = java.util.regex.Pattern.compile("[IWEF]\\d{4} ");

    @Override
    public void close() {
        process.destroy();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
