package dev.probelab.kindtests;

import dev.probelab.lab.ExpectedEvent;
import dev.probelab.lab.ObservedRun;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The events recorded about one pod, as `kubectl describe pod` lists them.
 *
 * <p>The kubelet's recorder aggregates repeats: the N-th identical event (same reason, message, source,
 * object) does not create an Event object but raises the existing one's {@code count} and
 * {@code lastTimestamp}; kubectl prints it as {@code (xN over T)}. So one Event object may stand for
 * many occurrences: {@link #matching} finds it once, {@link #occurrences} adds the counts up. Events
 * written through events.k8s.io/v1 show in core/v1 with {@code series.count} instead; both are read.
 * The recorder's spam filter lets {@link dev.probelab.lab.LabStep#KUBELET_EVENT_BURST} events per pod
 * and source through, then one per 5 minutes: the startup step's restart loop spends that within its
 * window, and from then on the counts here stop growing ({@link ObservedRun#eventBudgetSpent}).
 */
public final class EventLog {

    /** One Event object: {@code count} occurrences of the same type/reason/message. */
    public record SeenEvent(String type, String reason, String message, int count, String firstTimestamp, String lastTimestamp,
            String source) {

        @Override
        public String toString() {
            return type + " " + reason + (count > 1 ? " (x" + count + ")" : "") + " " + (message == null ? "" : message.strip());
        }
    }

    private final List<SeenEvent> events;

    public EventLog(List<SeenEvent> events) {
        this.events = List.copyOf(events);
    }

    /**
     * The namespace's events about pod {@code podName}. Filtered here, not with a field selector
     * (involvedObject.*), so the same code reads a recorded or mocked event list; a lab step's
     * namespace is fresh, so the list is short.
     */
    public static EventLog forPod(KubernetesClient client, String namespace, String podName) {
        List<SeenEvent> seen = client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> isAboutPod(e, podName))
                .map(EventLog::seen)
                .toList();
        return new EventLog(seen);
    }

    static boolean isAboutPod(Event e, String podName) {
        ObjectReference o = e.getInvolvedObject();
        return o != null && "Pod".equals(o.getKind()) && podName.equals(o.getName());
    }

    static SeenEvent seen(Event e) {
        int count = e.getCount() == null ? 0 : e.getCount();
        if (e.getSeries() != null && e.getSeries().getCount() != null) {
            count = Math.max(count, e.getSeries().getCount());
        }
        String first = e.getFirstTimestamp() != null ? e.getFirstTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : null;
        String last = e.getLastTimestamp() != null ? e.getLastTimestamp() : first;
        String source = e.getSource() != null && e.getSource().getComponent() != null ? e.getSource().getComponent()
                : e.getReportingComponent();
        return new SeenEvent(e.getType(), e.getReason(), e.getMessage(), Math.max(count, 1), first, last, source);
    }

    public List<SeenEvent> all() {
        return events;
    }

    /** Event objects that match {@code expected} (type, reason, message start), each once whatever its count. */
    public List<SeenEvent> matching(ExpectedEvent expected) {
        return events.stream().filter(e -> expected.matches(e.type(), e.reason(), e.message())).toList();
    }

    /** How many times a matching event happened: the counts of the matching objects, added up. */
    public int occurrences(ExpectedEvent expected) {
        return matching(expected).stream().mapToInt(SeenEvent::count).sum();
    }

    /** The events as seconds after t0 (the first container's start). */
    public List<ObservedRun.Event> observed(Instant t0) {
        return events.stream().map(e -> new ObservedRun.Event(e.type(), e.reason(), e.message(), e.count(),
                PodTimeline.seconds(t0, PodTimeline.time(e.firstTimestamp())), PodTimeline.seconds(t0, PodTimeline.time(e.lastTimestamp())),
                e.source())).toList();
    }

    @Override
    public String toString() {
        return events.stream().map(SeenEvent::toString).collect(Collectors.joining("; ", "[", "]"));
    }
}
