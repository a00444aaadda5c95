package io.ringfence.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url}, Ringfence runs its own PostgreSQL in {@code <data dir>/postgres}, so a
 * fresh clone needs nothing installed. Data survives restarts, including a {@code kill -9} of the JVM.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresConfiguration {

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(StorageProperties storage) throws IOException {
        Path dataDirectory = storage.dataDir().resolve("postgres").toAbsolutePath();
        Files.createDirectories(dataDirectory);
        OrphanedPostmaster.stopIfRunning(dataDirectory, Duration.ofSeconds(20));
        String flush = storage.durable() ? "on" : "off";
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // stopped as this bean is destroyed, after everything that uses the database: with a JVM shutdown hook
                // of its own it stopped alongside the context's, under the reconciler's last passes and the pool
                .setRegisterShutdownHook(false)
                // the embedded default turns these off, which would lose committed reservations on a crash
                .setServerConfig("fsync", flush)
                .setServerConfig("synchronous_commit", flush)
                .setServerConfig("full_page_writes", flush)
                .setServerConfig("max_connections", "100")
                // a list of 10,000 reservations sorts about 5.5 MB of rows: with the default 4 MB the sort spilled
                // to disk (external merge) and took most of the query; at most one such sort per connection
                .setServerConfig("work_mem", "16MB")
                // its data is on a local disk and mostly in memory: fetching a page out of order costs about what
                // reading the next one does, not the 4x of PostgreSQL's default (which assumes spinning disks); at 4
                // the planner sorted a list of 10,000 rather than read it in order from an index (V21)
                .setServerConfig("random_page_cost", "1.1")
                // the churn tables are vacuumed after a fixed number of dead rows (V22): looked for once a minute, as
                // by default, they still gathered a minute of dead rows under load
                .setServerConfig("autovacuum_naptime", "5s")
                // a new cluster is the same on every host (UTF-8 either way): initdb otherwise takes its locale from
                // the environment, and a host's language would decide the order of text. "C" orders by code point, as
                // C.UTF-8 does, without the C library's collation; no query depends on a language's case rules
                .setLocaleConfig("locale", "C")
                .start();
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("ringfence");
        return dataSource;
    }

    /** Exposed so that tools and tests can talk to the same PostgreSQL (the benchmark's database baseline). */
    @Bean
    public EmbeddedDatabaseInfo embeddedDatabaseInfo(EmbeddedPostgres postgres) {
        return new EmbeddedDatabaseInfo(postgres.getJdbcUrl("postgres", "postgres"), "postgres");
    }

    /** Where the embedded database listens. */
    public record EmbeddedDatabaseInfo(String jdbcUrl, String user) {
    }

}
