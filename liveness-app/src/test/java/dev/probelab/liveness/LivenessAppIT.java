package dev.probelab.liveness;

import dev.probelab.core.AppJarContract;
import java.util.Map;

/** The built jar with FAIL_AFTER shortened: healthy for the probe's header, then 500. */
class LivenessAppIT extends AppJarContract {

    @Override
    protected String module() {
        return "liveness-app";
    }

    @Override
    protected String timingVariable() {
        return "FAIL_AFTER";
    }

    @Override
    protected Map<String, String> probeHeaders() {
        return Map.of(LivenessApp.HEADER, LivenessApp.HEADER_VALUE);
    }

    @Override
    protected int statusBefore() {
        return 200;
    }

    @Override
    protected int statusAfter() {
        return 500;
    }
}
