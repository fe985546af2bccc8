package dev.probelab.runner.output;

import java.time.Duration;

/** apimachinery's duration.HumanDuration, which kubectl uses for AGE and event times. */
public final class HumanDuration {

    private HumanDuration() {
    }

    public static String format(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            return twoUnits(minutes, "m", seconds % 60, "s");
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            return twoUnits(hours, "h", minutes % 60, "m");
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            return twoUnits(hours / 24, "d", hours % 24, "h");
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            return twoUnits(hours / 24 / 365, "y", hours / 24 % 365, "d");
        }
        return hours / 24 / 365 + "y";
    }

    /** "3m" or "3m20s": the smaller unit only when it is not zero. */
    private static String twoUnits(long big, String bigUnit, long small, String smallUnit) {
        return small == 0 ? big + bigUnit : big + bigUnit + small + smallUnit;
    }
}
