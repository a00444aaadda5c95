package io.ringfence.platform;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat writes an answer to its socket whenever its 8 KB write buffer fills: a list of 10,000 reservations (about
 * 10 MB) took about 1,260 write calls. With 64 KB, about 165. Each connection has one such buffer, kept with the
 * channels Tomcat pools, so a few hundred connections hold some tens of MB of heap.
 */
@Configuration(proxyBeanMethods = false)
public class TomcatSocketConfiguration {

    static final int WRITE_BUFFER_BYTES = 64 * 1024;

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> socketWriteBuffer() {
        return factory -> factory.addConnectorCustomizers(connector ->
                connector.setProperty("socket.appWriteBufSize", Integer.toString(WRITE_BUFFER_BYTES)));
    }
}
