package dev.probelab.readiness;

import dev.probelab.core.AppSpec;
import dev.probelab.core.UnhealthyUntilTimingContract;

class ReadinessAppTest extends UnhealthyUntilTimingContract {

    @Override
    protected AppSpec spec() {
        return ReadinessApp.SPEC;
    }
}
