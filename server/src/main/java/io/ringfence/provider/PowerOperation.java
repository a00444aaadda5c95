package io.ringfence.provider;

/** What a customer can ask of a server's power. A reboot of a stopped server powers it on. */
public enum PowerOperation {
    SOFT_REBOOT, HARD_REBOOT, STOP
}
