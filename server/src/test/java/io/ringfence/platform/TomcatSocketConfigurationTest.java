package io.ringfence.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.support.RingfenceTestBase;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** The running connector writes to its sockets through the larger buffer. */
class TomcatSocketConfigurationTest extends RingfenceTestBase {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void theConnectorWritesThroughA64KilobyteBuffer() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize")))
                .isEqualTo(String.valueOf(TomcatSocketConfiguration.WRITE_BUFFER_BYTES));
        assertThat(TomcatSocketConfiguration.WRITE_BUFFER_BYTES).isEqualTo(64 * 1024);
    }
}
