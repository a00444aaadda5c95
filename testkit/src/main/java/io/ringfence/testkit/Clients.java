package io.ringfence.testkit;

import io.ringfence.client.ApiClient;
import io.ringfence.client.api.OperatorApi;
import io.ringfence.client.api.PlacementServersApi;
import io.ringfence.client.api.PlacementsApi;
import io.ringfence.client.api.ReservationUnitsApi;
import io.ringfence.client.api.ReservationsApi;
import io.ringfence.client.api.TopologyApi;
import io.ringfence.client.api.VersionApi;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/** The generated Java client of the Reservation API, wired to a service and a bearer token. */
public final class Clients {

    private Clients() {
    }

    /** Every API of the contract, sharing one configured {@link ApiClient}. */
    public record Ringfence(ApiClient apiClient, ReservationUnitsApi units, ReservationsApi reservations,
                            PlacementsApi placements, PlacementServersApi servers, TopologyApi topology,
                            OperatorApi operator, VersionApi version) {
    }

    /** The client for {@code baseUrl}, sending {@code Authorization: Bearer <token>} on every request. */
    public static Ringfence connect(String baseUrl, String token) {
        return connect(apiClient(baseUrl, () -> token));
    }

    public static Ringfence connect(ApiClient client) {
        return new Ringfence(client, new ReservationUnitsApi(client), new ReservationsApi(client),
                new PlacementsApi(client), new PlacementServersApi(client), new TopologyApi(client),
                new OperatorApi(client), new VersionApi(client));
    }

    /**
     * A configured {@link ApiClient}: base URL, HTTP/1.1, timeouts, and the token {@code token} supplies, asked
     * for on every request (so a caller may renew it).
     */
    public static ApiClient apiClient(String baseUrl, Supplier<String> token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl);
        client.setHttpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)));
        client.setReadTimeout(Duration.ofSeconds(60));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token.get()));
        return client;
    }
}
