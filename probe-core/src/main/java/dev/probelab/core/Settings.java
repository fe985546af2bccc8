package dev.probelab.core;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting an app reads, from the environment, in one place: {@code PORT} and the
 * app's one timing variable ({@code FAIL_AFTER}, {@code READY_AFTER} or {@code STARTUP_DELAY}).
 */
public record Settings(int port, Duration timing) {

    public static final String PORT = "PORT";
    public static final int DEFAULT_PORT = 8080;

    static final String DURATION_FORM = "a whole number with ms, s or m (1500ms, 20s, 2m) or plain seconds (20)";
    static final String PORT_FORM = "a whole number from 1 to 65535";

    // Up to 9 digits keeps every accepted value far inside Duration's and long's range.
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");
    private static final Pattern PORT_NUMBER = Pattern.compile("\\d{1,5}");

    /** Reads the settings of {@code app}; unset variables take their defaults. */
    public static Settings from(AppSpec app, Map<String, String> env) {
        String port = env.get(PORT);
        String timing = env.get(app.timingVariable());
        return new Settings(
                port == null ? DEFAULT_PORT : parsePort(port),
                timing == null ? app.timingDefault() : parseDuration(app.timingVariable(), timing));
    }

    public static Duration parseDuration(String name, String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new SettingException(name + "=\"" + value + "\" is not a duration: use " + DURATION_FORM);
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    public static int parsePort(String value) {
        String trimmed = value.trim();
        if (PORT_NUMBER.matcher(trimmed).matches()) {
            int port = Integer.parseInt(trimmed);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw new SettingException(PORT + "=\"" + value + "\" is not a port: use " + PORT_FORM);
    }

    /** Human form of a duration for log lines: 20s, 1.5s, 2m. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) {
            return (ms / 60_000) + "m";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0).replaceAll("0+s$", "s");
    }
}
