package io.ringfence.testkit;

/**
 * The demo world every Ringfence service starts with, written down once. The values are those of the service's
 * own defaults: organizations and projects from {@code identity/demo-access.yaml}, regions and networks from
 * {@code fleet/demo-fleet.yaml} (the test fleet repeats them), clients and people from {@code application.yaml}.
 * {@code FixturesTest} reads those files and fails when they drift apart.
 */
public final class Fixtures {

    /** The organization of the public docs' examples; the demo client and alice, bob, carol, dave belong to it. */
    public static final String DEMO_ORG = "161b9d5a-701d-4fea-848d-0e345edf16e9";
    /** bob's project in the demo organization, the project of the docs' examples. */
    public static final String DEMO_PROJECT = "f113be96-4dd2-4c14-9c0e-e96c500f21e0";
    /** A second organization (the other client and erin), for isolation checks. */
    public static final String OTHER_ORG = "9a8c6370-4065-4d4a-9da0-7678df40cd9d";
    /** The project of {@link #OTHER_ORG} (the demo access file places it there), with its own network. */
    public static final String OTHER_PROJECT = "e36c058a-8eba-4f5b-91f4-f6ffb983795c";
    /** The network of {@link #OTHER_PROJECT} in the docs' region. */
    public static final String OTHER_NETWORK = "3c1f2a9e-5b7d-4e08-9f61-0d2c8a4b7e15";
    /** The region of the docs' examples (eu-demo-1). */
    public static final String DOCS_REGION = "c7568e2d-f9ab-453d-9a3a-51375f78426b";
    /** The second demo region (us-demo-1). */
    public static final String SECOND_REGION = "0f5a3c9e-6b1d-4e27-9a84-2d7c5e1b3f60";
    /** The network of the demo project in the docs' region, the one of the docs' placement example. */
    public static final String DOCS_NETWORK = "61f0ad85-3001-41cb-824a-e6a047668dfe";

    public static final String ACCELERATOR = "GB300";
    public static final String UNIT = "NVL72";

    /** A client of the embedded authorization server (client credentials). */
    public record Client(String id, String secret) {
    }

    /** Administrator of {@link #DEMO_ORG}. */
    public static final Client DEMO_CLIENT = new Client("ringfence-demo", "ringfence-demo-secret");
    /** Administrator of {@link #OTHER_ORG}. */
    public static final Client OTHER_CLIENT = new Client("ringfence-other", "ringfence-other-secret");
    /** Platform administrator (the operator API). */
    public static final Client OPERATOR_CLIENT = new Client("ringfence-operator", "ringfence-operator-secret");
    /** The metrics scraper's client: it may read the management endpoints and nothing else. */
    public static final Client METRICS_CLIENT = new Client("ringfence-metrics", "ringfence-metrics-secret");

    /** A person who signs in on the login page (authorization code with PKCE). */
    public record Person(String username, String password) {
    }

    /** Administrator of {@link #DEMO_ORG}. */
    public static final Person ALICE = person("alice");
    /** User in {@link #DEMO_PROJECT}. */
    public static final Person BOB = person("bob");
    /** Reader of {@link #DEMO_ORG}. */
    public static final Person CAROL = person("carol");
    /** Auditor of {@link #DEMO_ORG}. */
    public static final Person DAVE = person("dave");
    /** Administrator of {@link #OTHER_ORG}. */
    public static final Person ERIN = person("erin");

    /** A demo person by name: the demo passwords are the name followed by {@code -password}. */
    public static Person person(String username) {
        return new Person(username, username + "-password");
    }

    private Fixtures() {
    }
}
