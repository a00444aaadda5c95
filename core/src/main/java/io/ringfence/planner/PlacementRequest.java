package io.ringfence.planner;

/**
 * What a placement asks of the planner.
 *
 * @param count hosts wanted
 * @param policy pack or spread
 * @param maxSkew spread only: the largest allowed difference in hosts between two eligible domains (null: 1)
 * @param minDomains spread only: domains that must each get at least one host (null: 1)
 * @param failWhenUnsatisfiable true for {@code fail}, false for {@code bestEffort}
 * @param readiness which hosts may be used
 */
public record PlacementRequest(int count, Policy policy, Integer maxSkew, Integer minDomains,
                               boolean failWhenUnsatisfiable, Readiness readiness) {

    public PlacementRequest {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1");
        }
        if (policy == Policy.PACK && (maxSkew != null || minDomains != null)) {
            throw new IllegalArgumentException("maxSkew and minDomains apply to the spread policy only");
        }
        if (maxSkew != null && maxSkew < 1) {
            throw new IllegalArgumentException("maxSkew must be >= 1");
        }
        if (minDomains != null && (minDomains < 1 || minDomains > count)) {
            throw new IllegalArgumentException("minDomains must be between 1 and count");
        }
    }

    public int effectiveMaxSkew() {
        return maxSkew == null ? 1 : maxSkew;
    }

    public int effectiveMinDomains() {
        return minDomains == null ? 1 : minDomains;
    }

    public enum Policy { PACK, SPREAD }

    /** {@code Require}: ready hosts only; {@code Prefer}: ready first; {@code Ignore}: readiness does not matter. */
    public enum Readiness { REQUIRE, PREFER, IGNORE }
}
