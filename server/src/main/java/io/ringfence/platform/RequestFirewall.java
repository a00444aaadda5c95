package io.ringfence.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's default firewall with its default rules, only checked faster: the header and parameter name
 * and header value rules are {@link FirewallCharacters}' loops instead of regular expressions. Spring Security
 * takes the one {@link HttpFirewall} bean in the context for its filter chain.
 */
@Configuration(proxyBeanMethods = false)
public class RequestFirewall {

    @Bean
    public HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(FirewallCharacters::assignedAndNotControl);
        firewall.setAllowedHeaderValues(FirewallCharacters::headerValue);
        firewall.setAllowedParameterNames(FirewallCharacters::assignedAndNotControl);
        return firewall;
    }
}
