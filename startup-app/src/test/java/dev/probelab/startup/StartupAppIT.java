package dev.probelab.startup;

import dev.probelab.core.AppJarContract;

/** The built jar with STARTUP_DELAY shortened: 500, then 200. */
class StartupAppIT extends AppJarContract {

    @Override
    protected String module() {
        return "startup-app";
    }

    @Override
    protected String timingVariable() {
        return "STARTUP_DELAY";
    }
}
