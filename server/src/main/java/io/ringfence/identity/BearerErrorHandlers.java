package io.ringfence.identity;

import io.ringfence.error.ApiError;
import io.ringfence.platform.ErrorWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/**
 * 401 and 403 in the contract's error body. A 401 always carries a {@code WWW-Authenticate: Bearer} challenge
 * that points at the protected resource metadata.
 */
@Component
public class BearerErrorHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ErrorWriter errors;
    private final String resourceMetadata;

    public BearerErrorHandlers(ErrorWriter errors, IdentityProperties properties) {
        this.errors = errors;
        this.resourceMetadata = properties.publicUrl() + "/.well-known/openid-protected-resource";
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException exception) throws IOException {
        boolean tokenPresented = exception instanceof InvalidBearerTokenException
                || request.getHeader("Authorization") != null;
        String challenge = tokenPresented
                ? "Bearer error=\"invalid_token\", error_description=\"the access token is invalid or expired\", "
                        + "resource_metadata=\"" + resourceMetadata + "\""
                : "Bearer resource_metadata=\"" + resourceMetadata + "\"";
        response.setHeader("WWW-Authenticate", challenge);
        errors.write(request, response, ApiError.UNAUTHENTICATED, null);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       AccessDeniedException exception) throws IOException {
        errors.write(request, response, ApiError.FORBIDDEN, null);
    }
}
