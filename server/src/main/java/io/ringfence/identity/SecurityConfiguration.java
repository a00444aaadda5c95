package io.ringfence.identity;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import com.nimbusds.jose.jwk.JWKSet;
import io.micrometer.core.instrument.MeterRegistry;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.ringfence.storage.StorageProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Four filter chains: the embedded authorization server's endpoints under {@code /oauth2/v2}, the API under
 * {@code /api} (bearer tokens only, no sessions), the management endpoints under {@code /actuator} (health public,
 * the rest for operators and the metrics client), and everything else (documents, metadata), which is public.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    @Order(1)
    public SecurityFilterChain authorizationServerChain(HttpSecurity http, AccessBindings bindings) throws Exception {
        OAuth2AuthorizationServerConfigurer authorizationServer = new OAuth2AuthorizationServerConfigurer();
        RequestMatcher endpoints = authorizationServer.getEndpointsMatcher();
        AuthenticationEntryPoint loginPage = new LoginUrlAuthenticationEntryPoint("/login");
        http.securityMatcher(endpoints)
                .with(authorizationServer, server -> server.oidc(Customizer.withDefaults())
                        // a client may introspect its own tokens only; platform administrators any token
                        .tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(
                                providers -> providers.replaceAll(provider ->
                                        provider instanceof OAuth2TokenIntrospectionAuthenticationProvider
                                                ? new IntrospectionOfOwnTokens(provider, bindings) : provider))))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers(endpoints))
                // a client without credentials gets the RFC 6749 401; a person who is not signed in is sent to the
                // login page, then back to the authorization request
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint((request, response, failure) -> {
                    if (CredentialThrottleFilter.CLIENT_ENDPOINTS.contains(request.getRequestURI())) {
                        response.setHeader("WWW-Authenticate", "Basic realm=\"ringfence\"");
                        OAuthErrorBody.write(response, 401, "invalid_client", "client authentication is required");
                    } else {
                        loginPage.commence(request, response, failure);
                    }
                }))
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()));
        return http.build();
    }

    /**
     * No observation per security filter: Spring Security would otherwise open one for every filter of every request
     * (about a tenth of a create's CPU in the profile in BENCHMARKS.md). Each request is still observed as a whole
     * ({@code http.server.requests}).
     */
    @Bean
    public SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(2)
    public SecurityFilterChain apiChain(HttpSecurity http, JwtDecoder jwtDecoder, BearerErrorHandlers errors)
            throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(new HeaderBearerTokenResolver())
                        .jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .addFilterAfter(CurrentCaller.subjectRecorder(), BearerTokenAuthenticationFilter.class)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                // no sign-out and no servlet-API view of the caller on a bearer-token API (CurrentCaller reads the
                // security context): two filters fewer on every request
                .logout(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /**
     * The management endpoints: health (with its liveness and readiness groups) is public, for probes; metrics
     * and everything else answer only to a bearer token of a platform administrator or of a metrics client
     * (401 without a token, 403 for anyone else), since they show fleet-wide state customers may not see.
     */
    @Bean
    @Order(3)
    public SecurityFilterChain managementChain(HttpSecurity http, JwtDecoder jwtDecoder, BearerErrorHandlers errors,
                                               CurrentCaller callers, IdentityProperties properties) throws Exception {
        http.securityMatcher("/actuator/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().access((authentication, context) -> {
                            if (!(authentication.get() instanceof JwtAuthenticationToken)) {
                                return new AuthorizationDecision(false);
                            }
                            Caller caller = callers.get();
                            // a client-credentials token of the embedded issuer names its client as the subject
                            String client = caller.clientId() != null ? caller.clientId() : caller.subject();
                            return new AuthorizationDecision(caller.platformAdministrator()
                                    || (client != null && properties.metricsClients().contains(client)));
                        }))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable);
        return http.build();
    }

    @Bean
    @Order(4)
    public SecurityFilterChain publicChain(HttpSecurity http) throws Exception {
        // documents, health, metadata and the login page; a session exists only while a person signs in
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(Customizer.withDefaults())
                // signing in and out are the only form posts here: both need the login page's CSRF token
                .csrf(csrf -> csrf.ignoringRequestMatchers(request -> !"/login".equals(request.getServletPath())
                        && !"/logout".equals(request.getServletPath())));
        return http.build();
    }

    /** The people of the login page: the demo people while the demo identities are on, and the clients file's. */
    @Bean
    public UserDetailsService users(Identities identities) {
        List<UserDetails> users = new ArrayList<>();
        for (Identities.Person person : identities.people()) {
            users.add(User.withUsername(person.username()).password(person.encodedPassword()).roles("PERSON").build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    public AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
        return AuthorizationServerSettings.builder()
                .issuer(properties.embeddedIssuer())
                .authorizationEndpoint("/oauth2/v2/authorization")
                .tokenEndpoint("/oauth2/v2/token")
                .jwkSetEndpoint("/oauth2/v2/jwks")
                .tokenRevocationEndpoint("/oauth2/v2/revoke")
                .tokenIntrospectionEndpoint("/oauth2/v2/introspect")
                .build();
    }

    /**
     * The client-credentials clients (the demo clients while the demo identities are on, and the clients file's;
     * with none, the token endpoint answers 401 {@code invalid_client} to every client) and the console.
     */
    @Bean
    public RegisteredClientRepository registeredClients(IdentityProperties properties, Identities identities) {
        List<RegisteredClient> clients = new ArrayList<>();
        for (Identities.Client client : identities.clients()) {
            clients.add(RegisteredClient.withId(UUID.nameUUIDFromBytes(client.id().getBytes()).toString())
                    .clientId(client.id())
                    .clientSecret(client.encodedSecret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.tokenTimeToLive()).build())
                    .build());
        }
        // the console and rfctl sign people in: a public client, authorization code with PKCE, loopback redirects
        clients.add(RegisteredClient.withId(UUID.nameUUIDFromBytes("ringfence-console".getBytes()).toString())
                .clientId("ringfence-console")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("http://127.0.0.1/cb")
                .redirectUri("http://[::1]/cb")
                .redirectUri(properties.publicUrl() + "/console/callback")
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.tokenTimeToLive()).build())
                .build());
        return new InMemoryRegisteredClientRepository(clients);
    }

    /**
     * Client secrets are checked with the encoder their prefix names and never re-encoded: re-hashing a
     * {@code {noop}} secret to bcrypt after first use would make every later token cost a bcrypt check.
     */
    @Bean
    public PasswordEncoder passwordEncoder() {
        PasswordEncoder delegate = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence rawPassword) {
                return delegate.encode(rawPassword);
            }

            @Override
            public boolean matches(CharSequence rawPassword, String encodedPassword) {
                return delegate.matches(rawPassword, encodedPassword);
            }

            @Override
            public boolean upgradeEncoding(String encodedPassword) {
                return false;
            }
        };
    }

    @Bean
    public OAuth2AuthorizationService authorizationService(TokenRevocations revocations,
                                                           RegisteredClientRepository clients,
                                                           JWKSource<SecurityContext> jwkSource,
                                                           IdentityProperties properties) {
        return new NonRetainingAuthorizationService(revocations, clients, jwkSource, properties.embeddedIssuer());
    }

    @Bean
    public JWKSource<SecurityContext> jwkSource(StorageProperties storage) {
        return new ImmutableJWKSet<>(new JWKSet(SigningKeys.loadOrCreate(storage.dataDir())));
    }

    @Bean
    public OAuth2TokenCustomizer<JwtEncodingContext> audienceCustomizer(IdentityProperties properties,
                                                                        MeterRegistry meters) {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return; // ID tokens keep the client as their audience
            }
            context.getClaims().audience(List.of(properties.audience()));
            // every access token can be named for revocation, and names the client it was issued to
            context.getClaims().claims(claims -> {
                claims.putIfAbsent("jti", UUID.randomUUID().toString());
                claims.put("client_id", context.getRegisteredClient().getClientId());
            });
            meters.counter("ringfence.tokens.issued", "grant_type",
                    context.getAuthorizationGrantType().getValue()).increment();
        };
    }

    @Bean
    public JwtDecoder jwtDecoder(IdentityProperties properties, JWKSource<SecurityContext> jwkSource,
                                 TokenRevocations revocations) {
        return new RingfenceJwtDecoder(properties, jwkSource, revocations);
    }
}
