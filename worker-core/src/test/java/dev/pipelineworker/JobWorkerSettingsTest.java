package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.actiontype.ActionTypeDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * The limits {@link JobWorker.Builder}'s setters enforce, each at its boundary, and the combinations
 * {@link JobWorker.Builder#build()} refuses: every refusal names the setting and the limit.
 */
class JobWorkerSettingsTest {

    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Settings", "1");
    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "Settings", "1");
    private static final JobHandler HANDLER = context -> JobOutcome.success();
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(2));

    private static JobWorker.Builder builder() {
        return JobWorker.builder(CUSTOM, HANDLER);
    }

    @Test
    void maxConcurrentJobsIsAtLeastOne() {
        assertThatThrownBy(() -> builder().maxConcurrentJobs(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentJobs must be at least 1, got 0");
        assertThatCode(() -> builder().maxConcurrentJobs(1)).doesNotThrowAnyException();
    }

    @Test
    void reportRetriesMakeAtLeastOneAttemptWithABackoff() {
        assertThatThrownBy(() -> builder().reportRetries(0, BACKOFF)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("report maxAttempts must be at least 1, got 0");
        assertThatCode(() -> builder().reportRetries(1, BACKOFF)).doesNotThrowAnyException();
        assertThatThrownBy(() -> builder().reportRetries(3, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("backoff");
    }

    @Test
    void theJobTimeoutIsPositive() {
        assertThatThrownBy(() -> builder().jobTimeout(null)).hasMessage("jobTimeout must be positive");
        assertThatThrownBy(() -> builder().jobTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobTimeout must be positive");
        assertThatThrownBy(() -> builder().jobTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jobTimeout must be positive");
        assertThatCode(() -> builder().jobTimeout(Duration.ofNanos(1))).doesNotThrowAnyException();
    }

    @Test
    void theShutdownGraceMayBeZeroButNotNegative() {
        assertThatThrownBy(() -> builder().shutdownGrace(null)).hasMessage("shutdownGrace must not be negative");
        assertThatThrownBy(() -> builder().shutdownGrace(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shutdownGrace must not be negative");
        assertThatCode(() -> builder().shutdownGrace(Duration.ZERO)).doesNotThrowAnyException();
    }

    @Test
    void aQueryParamKeyIsOneToFiftyCharacters() {
        assertThatCode(() -> builder().customQueryParam("k".repeat(50), "v")).doesNotThrowAnyException();
        assertThatCode(() -> builder().customQueryParam("k", "v")).doesNotThrowAnyException();
        for (String key : new String[] {null, "", "k".repeat(51)}) {
            assertThatThrownBy(() -> builder().customQueryParam(key, "v")).as("key %s", key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("queryParam key must be 1-50 characters");
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "dot.ted", "ümlaut", "slash/ed"})
    void aQueryParamValueOutsideThePatternIsRefused(String value) {
        assertThatThrownBy(() -> builder().customQueryParam("Project", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queryParam value must be 1-50 characters of [a-zA-Z0-9_-]");
    }

    @Test
    void aQueryParamValueOfFiftyCharactersIsTheLongest() {
        assertThatCode(() -> builder().customQueryParam("Project", "aZ0_-".repeat(10))).doesNotThrowAnyException();
        assertThatThrownBy(() -> builder().customQueryParam("Project", "v".repeat(51)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-50 characters");
    }

    @Test
    void aQueryParamIsForCustomActionTypesOnly() {
        assertThatThrownBy(() -> JobWorker.builder(THIRD_PARTY, HANDLER)
                .clientTokens(ClientTokenProvider.fromMap(Map.of("client", "token")))
                .customQueryParam("Project", "p").regions("us-east-1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("customQueryParam applies to Custom action types only");
    }

    @Test
    void aThirdPartyTypeNeedsClientTokens() {
        assertThatThrownBy(() -> JobWorker.builder(THIRD_PARTY, HANDLER).regions("us-east-1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("a ThirdParty action type needs clientTokens(...)");
    }

    @Test
    void aDefinitionOfATypeTheWorkerDoesNotServeIsRefused() {
        ActionTypeDefinition other = ActionTypeDefinition.builder(
                ActionTypeId.custom(ActionCategory.BUILD, "Settings", "2")).build();

        assertThatThrownBy(() -> builder().regions("us-east-1").actionType(other).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the action type definition describes Build/Custom/Settings/2, which this "
                        + "worker does not serve");
    }

    @Test
    void aClientFactoryThatGivesNoClientIsNamed() {
        assertThatThrownBy(() -> builder().regions(Region.EU_WEST_1).codePipelineClients(region -> null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("codePipelineClients gave no client for eu-west-1");
    }

    @Test
    void aClientMayBeGivenWithItsOwnRegionNamed() {
        try (CodePipelineClient client = CodePipelineClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
             JobWorker worker = builder().outcomeJournal(OutcomeJournal.disabled()).codePipelineClient(client)
                     .regions("eu-west-1").build()) {
            assertThat(worker.queues()).containsExactly(JobQueue.of(CUSTOM, Region.EU_WEST_1));
        }
    }

    @Test
    void aClientFactoryIsAskedOnceForEachRegionAndItsClientsArePolled() {
        CustomJobsFake codePipeline = new CustomJobsFake();
        List<Region> asked = new CopyOnWriteArrayList<>();

        try (JobWorker worker = builder().outcomeJournal(OutcomeJournal.disabled()).regions("us-east-1", "eu-west-1")
                .codePipelineClients(region -> {
                    asked.add(region);
                    return codePipeline;
                }).build()) {
            worker.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> codePipeline.polls.size() >= 2);
        }
        assertThat(asked).containsExactly(Region.US_EAST_1, Region.EU_WEST_1);
    }

    @Test
    void withoutRegionsOrAClientTheSdksDefaultRegionIsServed() {
        String before = System.getProperty("aws.region");
        System.setProperty("aws.region", "eu-north-1");
        try (CodePipelineClient client = CodePipelineClient.builder().region(Region.EU_NORTH_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
             JobWorker worker = builder().outcomeJournal(OutcomeJournal.disabled()).codePipelineClients(r -> client)
                     .build()) {
            assertThat(worker.queues()).containsExactly(JobQueue.of(CUSTOM, Region.EU_NORTH_1));
        } finally {
            if (before == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", before);
            }
        }
    }

    @Test
    void requiredArgumentsAreNamedWhenMissing() {
        assertThatThrownBy(() -> JobWorker.builder((ActionTypeId) null, HANDLER)).hasMessage("actionType");
        assertThatThrownBy(() -> JobWorker.builder(CUSTOM, null)).hasMessage("handler");
        assertThatThrownBy(() -> builder().alsoServe((ActionTypeId) null)).hasMessage("actionType");
        assertThatThrownBy(() -> builder().idleBackoff(null)).hasMessage("backoff");
        assertThatThrownBy(() -> builder().errorBackoff(null)).hasMessage("backoff");
        assertThatThrownBy(() -> builder().throttleBackoff(null)).hasMessage("backoff");
        assertThatThrownBy(() -> builder().clientTokens(null)).hasMessage("clientTokens");
        assertThatThrownBy(() -> builder().codePipelineClient(null)).hasMessage("client");
        assertThatThrownBy(() -> builder().codePipelineClients(null)).hasMessage("clients");
        assertThatThrownBy(() -> builder().stsClients(null)).hasMessage("stsClients");
        assertThatThrownBy(() -> builder().actionType(null)).hasMessage("definition");
        assertThatThrownBy(() -> builder().executor(null)).hasMessage("executor");
        assertThatThrownBy(() -> builder().scheduler(null)).hasMessage("scheduler");
        assertThatThrownBy(() -> builder().observer(null)).hasMessage("observer");
        assertThatThrownBy(() -> builder().extension(null)).hasMessage("extension");
        assertThatThrownBy(() -> builder().listener(null)).hasMessage("listener");
        assertThatThrownBy(() -> builder().artifactStoreFactory(null)).hasMessage("factory");
        assertThatThrownBy(() -> builder().outcomeJournal(null)).hasMessage("journal");
        assertThatThrownBy(() -> builder().scratchRoot(null)).hasMessage("root");
        assertThatThrownBy(() -> builder().objectMapper(null)).hasMessage("objectMapper");
        assertThatThrownBy(() -> builder().clock(null)).hasMessage("clock");
        assertThatThrownBy(() -> builder().random(null)).hasMessage("random");
    }
}
