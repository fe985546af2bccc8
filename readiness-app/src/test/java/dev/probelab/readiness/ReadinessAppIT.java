package dev.probelab.readiness;

import dev.probelab.core.AppJarContract;

/** The built jar with READY_AFTER shortened: 500, then 200. */
class ReadinessAppIT extends AppJarContract {

    @Override
    protected String module() {
        return "readiness-app";
    }

    @Override
    protected String timingVariable() {
        return "READY_AFTER";
    }
}
