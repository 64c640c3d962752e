package dev.pipelineworker.spring.boot;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The application's CodePipeline client for each region its workers serve, as a bean, for example to share an HTTP
 * client or set an endpoint. Without one (or a single {@code CodePipelineClient} bean, for workers of that client's
 * region), each worker builds and closes its own clients, on the AWS SDK's default credentials and region chains.
 * The clients given are the application's to close.
 */
@FunctionalInterface
public interface CodePipelineClients {

    /** The client for {@code region}; called once per worker and region while the workers are built. */
    CodePipelineClient client(Region region);
}
