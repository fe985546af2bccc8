package dev.probelab.core;

/** A bad environment setting; its message is the one line printed before the app exits. */
public final class SettingException extends IllegalArgumentException {

    public SettingException(String message) {
        super(message);
    }
}
