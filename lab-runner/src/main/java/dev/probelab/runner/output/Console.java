package dev.probelab.runner.output;

import dev.probelab.runner.kubelet.PodEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the student reads: a line whenever a pod changes, as `kubectl get pods -w` prints them,
 * and each event as a row of `kubectl describe pod`'s Events table (indented, the pod's name first
 * when the run has more than one pod).
 */
public final class Console {

    private final PrintStream out;
    private final int nameWidth;
    private final boolean severalPods;
    private final Map<String, PodStatusLine> printed = new HashMap<>();
    private boolean podHeaderPrinted;
    private boolean eventHeaderPrinted;

    public Console(PrintStream out, List<String> podNames) {
        this.out = out;
        this.nameWidth = Math.max("NAME".length(), podNames.stream().mapToInt(String::length).max().orElse(4)) + 3;
        this.severalPods = podNames.size() > 1;
    }

    public synchronized void info(String line) {
        out.println(line);
        out.flush();
    }

    /** Prints the pod's row if READY, STATUS or RESTARTS changed since its last row; returns whether it did. */
    public synchronized boolean pod(PodStatusLine line) {
        if (line.sameState(printed.get(line.name()))) {
            return false;
        }
        printed.put(line.name(), line);
        if (!podHeaderPrinted) {
            out.println(podRow("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
            podHeaderPrinted = true;
        }
        out.println(podRow(line.name(), line.ready(), line.status(), line.restartsColumn(), HumanDuration.format(line.age())));
        out.flush();
        return true;
    }

    private String podRow(String name, String ready, String status, String restarts, String age) {
        // Fixed widths that fit the longest values (ContainerCreating, "12 (2m10s ago)"), so rows stay aligned.
        return pad(name, nameWidth) + pad(ready, 8) + pad(status, 20) + pad(restarts, 16) + age;
    }

    /** Prints one event row, the Age column as describe shows it right after the event. */
    public synchronized void event(String pod, PodEvent event, Duration now) {
        if (!eventHeaderPrinted) {
            out.println(eventRow(severalPods ? "Pod" : null, "Type", "Reason", "Age", "From", "Message"));
            out.println(eventRow(severalPods ? "---" : null, "----", "------", "----", "----", "-------"));
            eventHeaderPrinted = true;
        }
        out.println(eventRow(severalPods ? pod : null, event.type(), event.reason(), age(event, now), event.from(),
                event.message()));
        out.flush();
    }

    /** "0s", or "0s (x3 over 6s)" for an aggregated event. */
    static String age(PodEvent event, Duration now) {
        String last = HumanDuration.format(now.minus(event.lastSeen()));
        return event.count() == 1 ? last
                : last + " (x" + event.count() + " over " + HumanDuration.format(event.lastSeen().minus(event.firstSeen())) + ")";
    }

    private String eventRow(String pod, String type, String reason, String age, String from, String message) {
        return "  " + (pod == null ? "" : pad(pod, nameWidth)) + pad(type, 9) + pad(reason, 11) + pad(age, 20)
                + pad(from, 19) + message;
    }

    /** {@code s} and spaces up to {@code width}; at least two spaces, as kubectl's tabwriter keeps columns apart. */
    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(width - s.length(), 2));
    }
}
