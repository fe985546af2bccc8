package dev.probelab.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** client-go flowcontrol.Backoff as the kubelet configures it: 10 s, doubling, 300 s cap, expiry after 2 x 300 s. */
class CrashLoopBackOffTest {

    /** A clock the test moves by hand. */
    private static final class Clock {
        private Duration now = Duration.ZERO;

        Duration now() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void advanceSeconds(double s) {
            advance(Duration.ofNanos(Math.round(s * 1e9)));
        }
    }

    private final Clock clock = new Clock();
    private final CrashLoopBackOff backOff = new CrashLoopBackOff(clock::now);

    @Test
    void startsAt10sAndDoublesUpTo300s() {
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            backOff.next("c", clock.now());
            seen.add(backOff.get("c").toSeconds());
            clock.advanceSeconds(1);
        }
        assertThat(seen).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L);
    }

    @Test
    void isInBackOffUntilTheBackOffHasPassedSinceTheEvent() {
        assertThat(backOff.isInBackOffSince("c", clock.now())).as("no entry, no back-off").isFalse();
        backOff.next("c", clock.now());
        Duration finished = clock.now();
        clock.advanceSeconds(9.999);
        assertThat(backOff.isInBackOffSince("c", finished)).isTrue();
        clock.advanceSeconds(0.001);
        assertThat(backOff.isInBackOffSince("c", finished)).isFalse();
        assertThat(backOff.backOffEnds("c", finished)).isEqualTo(finished.plusSeconds(10));
    }

    @Test
    void resetsWhenTheEventComesMoreThan10MinutesAfterTheLastUpdate() {
        for (int i = 0; i < 4; i++) {
            backOff.next("c", clock.now());
        }
        assertThat(backOff.get("c")).isEqualTo(Duration.ofSeconds(80));
        clock.advance(Duration.ofMinutes(10)); // exactly 2 x max: not yet expired
        backOff.next("c", clock.now());
        assertThat(backOff.get("c")).isEqualTo(Duration.ofSeconds(160));
        clock.advance(Duration.ofMinutes(10).plusMillis(1));
        assertThat(backOff.isInBackOffSince("c", clock.now())).isFalse();
        backOff.next("c", clock.now());
        assertThat(backOff.get("c")).isEqualTo(Duration.ofSeconds(10));
    }
}
