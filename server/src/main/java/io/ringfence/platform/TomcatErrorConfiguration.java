package io.ringfence.platform;

import org.apache.catalina.Host;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat's own refusals answer in the contract's error body too ({@link JsonErrorReportValve}). */
@Configuration(proxyBeanMethods = false)
public class TomcatErrorConfiguration {

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports(ErrorWriter errors) {
        return factory -> factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            // the host adds a valve of its error report class at start unless one is there already
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
            host.getPipeline().addValve(new JsonErrorReportValve(errors));
        });
    }
}
