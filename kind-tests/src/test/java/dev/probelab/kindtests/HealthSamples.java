package dev.probelab.kindtests;

import static dev.probelab.kindtests.PodTimeline.secs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * liveness1's curl claim: {@code GET /healthz} with {@code health: check} through the Service answers
 * 200 {@link #OK_BODY} before FAIL_AFTER and 500 {@link #FAIL_BODY} after it.
 *
 * <p>Each sample's uptime is (local clock at send / at completion) minus the kubelet's startedAt of the
 * first container: this assumes the test machine's clock agrees with the node's (on kind they are the
 * same kernel clock). The app counts FAIL_AFTER from the moment it listens, after the container started,
 * and startedAt is truncated to whole seconds, so computed uptime = real container uptime + [0, 1 s) =
 * app uptime + listen delay + [0, 1 s). Hence, exactly:
 * <ul>
 *   <li>a response completed at computed uptime &lt; FAIL_AFTER was decided at app uptime &lt; FAIL_AFTER: must be 200;</li>
 *   <li>a 500 means app uptime &gt; FAIL_AFTER, so its computed uptime at completion is &gt;= FAIL_AFTER;</li>
 *   <li>a request sent at computed uptime &gt; FAIL_AFTER + APP_LISTENS_WITHIN + 1 s reaches an app already
 *       past FAIL_AFTER: must be 500.</li>
 * </ul>
 */
public final class HealthSamples {

    /** The Node.js apps' bodies, byte for byte (course text; our apps send the same). */
    public static final String OK_BODY = "{\"status\":\"ok\",\"message\":\"server : available.\"}";
    public static final String FAIL_BODY = "{\"status\":\"fail\",\"message\":\"server : not available\"}";
    /** startedAt is truncated to the second. */
    static final Duration TRUNCATION = Duration.ofSeconds(1);

    /** One request: computed container uptime when sent and when the answer (or failure) came. */
    public record Sample(Duration sentAt, Duration doneAt, Answer answer) {
        @Override
        public String toString() {
            return "+" + secs(sentAt) + ".." + secs(doneAt) + " " + answer;
        }
    }

    private HealthSamples() {
    }

    public static List<String> check(List<Sample> samples, Duration failAfter, Duration listensWithin) {
        List<String> problems = new ArrayList<>();
        Optional<Sample> first500 = samples.stream().filter(s -> s.answer().isStatus(500)).findFirst();
        List<Sample> beforeFirst500 = first500.map(f -> samples.subList(0, samples.indexOf(f))).orElse(samples);

        boolean early200 = false;
        for (Sample s : beforeFirst500) {
            if (!(s.answer() instanceof Answer.Response r)) {
                continue;
            }
            boolean ok = r.status() == 200 && OK_BODY.equals(r.body().strip());
            if (s.doneAt().compareTo(failAfter) < 0) {
                if (ok) {
                    early200 = true;
                } else {
                    problems.add("before +" + secs(failAfter) + " expected 200 " + OK_BODY + ", got " + s);
                }
            } else if (r.status() == 200 && s.sentAt().compareTo(failAfter.plus(listensWithin).plus(TRUNCATION)) > 0) {
                problems.add("still 200 after +" + secs(failAfter.plus(listensWithin).plus(TRUNCATION)) + ": " + s);
            }
        }
        if (!early200) {
            problems.add("no 200 " + OK_BODY + " before +" + secs(failAfter) + "; samples: " + samples);
        }
        if (first500.isEmpty()) {
            problems.add("no 500 after +" + secs(failAfter) + "; samples: " + samples);
        } else {
            Sample s = first500.get();
            Answer.Response r = (Answer.Response) s.answer();
            if (!FAIL_BODY.equals(r.body().strip())) {
                problems.add("the 500 did not carry " + FAIL_BODY + ": " + s);
            }
            if (s.doneAt().compareTo(failAfter) < 0) {
                problems.add("500 came before +" + secs(failAfter) + ": " + s);
            }
        }
        return problems;
    }
}
