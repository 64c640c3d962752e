package dev.pipelineworker.testkit.emulator;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClientBuilder;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeId;

/** Real AWS SDK clients pointed at the emulator, as the tests use them. */
final class Sdk {

    private Sdk() {
    }

    /** The SDK's own default retry behaviour: what a worker gets out of the box. */
    static CodePipelineClient client(URI endpoint) {
        return base(endpoint).build();
    }

    /** The SDK's standard retry classification with short fixed backoffs, to keep retry tests fast. */
    static CodePipelineClient fastRetryClient(URI endpoint) {
        return base(endpoint)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(4)
                        .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                        .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                        .build()))
                .build();
    }

    /** A client that never retries, to see single answers. */
    static CodePipelineClient noRetryClient(URI endpoint) {
        return base(endpoint).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    /** A client that never retries and signs for this region, as a worker's client for that region would. */
    static CodePipelineClient noRetryClient(URI endpoint, String region) {
        return base(endpoint).region(Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static CodePipelineClientBuilder base(URI endpoint) {
        return CodePipelineClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDTEST", "test-secret")));
    }

    /** The SDK's form of a worker-core action type id. */
    static ActionTypeId sdkType(dev.pipelineworker.ActionTypeId type) {
        return ActionTypeId.builder()
                .category(type.category().apiName())
                .owner(type.owner().apiName())
                .provider(type.provider())
                .version(type.version())
                .build();
    }
}
