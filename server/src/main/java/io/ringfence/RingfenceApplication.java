package io.ringfence;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class RingfenceApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(RingfenceApplication.class);
        String format = logFormat();
        if (!format.equals("text")) {
            application.setDefaultProperties(java.util.Map.of("logging.structured.format.console", format));
        }
        application.run(args);
    }

    /**
     * {@code RINGFENCE_LOG_FORMAT}: {@code text}, {@code ecs} or {@code logstash}. Unset, a terminal gets
     * readable text and anything else (a container, a pipe) gets ECS JSON lines.
     */
    static String logFormat() {
        String chosen = System.getenv("RINGFENCE_LOG_FORMAT");
        if (chosen == null || chosen.isBlank()) {
            chosen = System.console() != null ? "text" : "ecs";
        }
        return chosen;
    }
}
