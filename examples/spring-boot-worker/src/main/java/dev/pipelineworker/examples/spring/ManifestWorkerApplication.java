package dev.pipelineworker.examples.spring;

import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.examples.ManifestHandler;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The example's manifest handler as a Spring Boot application: the bean {@code manifest} runs the worker that
 * {@code application.yaml} configures under {@code pipeline-worker.workers.manifest}, in two regions, with
 * readiness at {@code /actuator/health/readiness} and its meters at {@code /actuator/prometheus}.
 */
@SpringBootApplication
public class ManifestWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ManifestWorkerApplication.class, args);
    }

    /** The handler; its bean name is the worker's name. */
    @Bean
    JobHandler manifest() {
        return new ManifestHandler();
    }

    /**
     * The client token the integrator registered with AWS for its client id, from the environment (in production,
     * a secret store). Tokens are secrets: never logged, never in a property file.
     */
    @Bean
    ClientTokenProvider clientTokens(@Value("${MANIFEST_CLIENT_ID:}") String clientId,
                                     @Value("${MANIFEST_CLIENT_TOKEN:}") String clientToken) {
        return ClientTokenProvider.fromMap(clientId.isEmpty() ? Map.of() : Map.of(clientId, clientToken));
    }
}
