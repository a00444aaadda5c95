package io.ringfence.identity;

/**
 * A failed sign-in, published for the audit trail: a wrong client secret ({@code token-refused}, the actor is the
 * client ID attempted) or a wrong password ({@code login-refused}, the actor is the user name attempted).
 *
 * @param actor the client ID or user name attempted
 * @param kind {@code client} or {@code user}
 * @param verb {@code token-refused} or {@code login-refused}
 * @param status the HTTP status answered
 * @param traceId the request's trace ID
 * @param detail the source address, and whether the attempt was throttled
 */
public record SignInRefused(String actor, String kind, String verb, int status, String traceId, String detail) {
}
