package dev.probelab.kindtests;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting for a condition on the cluster, with awaitility: poll {@code probe} until {@code done} holds.
 * A probe that throws (an API hiccup) counts as "not yet". On time-out the error says what was
 * awaited and what was last seen, which is what one needs to read a failed cluster test.
 */
public final class Waits {

    /** Thrown when the condition did not hold in time. */
    public static final class TimedOut extends AssertionError {
        TimedOut(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Waits() {
    }

    public static <T> T until(String what, Duration atMost, Duration poll, Callable<T> probe, Predicate<? super T> done) {
        AtomicReference<Object> last = new AtomicReference<>("nothing yet");
        Callable<T> recording = () -> {
            try {
                T value = probe.call();
                last.set(value);
                return value;
            } catch (Exception e) {
                last.set(e);
                throw e;
            }
        };
        try {
            return Awaitility.await(what)
                    .atMost(atMost)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(poll)
                    // Each probe has its own timeout; polling on the test's thread means a timed-out wait
                    // never leaves a probe running that still adds to the test's samples.
                    .pollInSameThread()
                    .ignoreExceptions()
                    .until(recording, done::test);
        } catch (ConditionTimeoutException e) {
            throw new TimedOut("timed out after " + atMost.toSeconds() + "s waiting for " + what + "; last seen: "
                    + last.get(), e);
        }
    }
}
