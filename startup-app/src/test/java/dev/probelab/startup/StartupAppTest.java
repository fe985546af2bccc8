package dev.probelab.startup;

import dev.probelab.core.AppSpec;
import dev.probelab.core.UnhealthyUntilTimingContract;

class StartupAppTest extends UnhealthyUntilTimingContract {

    @Override
    protected AppSpec spec() {
        return StartupApp.SPEC;
    }
}
