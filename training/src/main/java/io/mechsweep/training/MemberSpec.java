package io.mechsweep.training;

import java.io.Serializable;

/** One run inside a pack: what differs between members of equal shapes. */
public record MemberSpec(String runId, long seed, double gamma, double peakLr, double weightDecay)
    implements Serializable {}
