package dev.pipelineworker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.model.ActionType;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What {@link JobWorker#preflight()} is handed by the worker (its job timeout, journal, definition and STS
 * clients) as its report shows it, and {@link JobWorker.Builder#preflightAtStart(boolean)}: a failed preflight
 * keeps the worker from starting, with the report as the reason. STS answers from WireMock through the real SDK
 * client; CodePipeline is {@link CustomJobsFake}.
 */
class JobWorkerPreflightTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.BUILD, "Preflight", "1");
    private static final JobHandler HANDLER = context -> JobOutcome.success();
    private static final String ARN = "arn:aws:iam::111122223333:role/worker";

    @RegisterExtension
    static final WireMockExtension WIREMOCK = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .build();

    private final CustomJobsFake codePipeline = new CustomJobsFake();
    private StsClient sts;
    private JobWorker worker;

    @BeforeEach
    void stubIdentity() {
        WIREMOCK.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=GetCallerIdentity"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                                + "<GetCallerIdentityResult><Arn>" + ARN + "</Arn><UserId>AROAEXAMPLE</UserId>"
                                + "<Account>111122223333</Account></GetCallerIdentityResult>"
                                + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
                                + "</GetCallerIdentityResponse>")));
        sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(WIREMOCK.baseUrl()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        sts.close();
    }

    private JobWorker.Builder builder() {
        return JobWorker.builder(TYPE, HANDLER).codePipelineClient(codePipeline).stsClients(region -> sts)
                .outcomeJournal(OutcomeJournal.disabled())
                .idleBackoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(20)).withJitter(0));
    }

    private void register(ActionTypeId id) {
        codePipeline.registered.add(ActionType.builder()
                .id(i -> i.category(id.category().apiName()).owner(id.owner().apiName()).provider(id.provider())
                        .version(id.version()))
                .inputArtifactDetails(a -> a.minimumCount(0).maximumCount(0))
                .outputArtifactDetails(a -> a.minimumCount(0).maximumCount(0)).build());
    }

    private static Check check(PreflightReport report, String name) {
        return report.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aWorkerWhosePreflightFailsDoesNotStartAndSaysWhy() {
        worker = builder().preflightAtStart(true).build();

        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the worker does not start: its preflight failed" + System.lineSeparator())
                .hasMessageContaining("Build/Custom/Preflight/1 is not registered in us-east-1")
                .hasMessageContaining("FAILED: ");
        assertThat(worker.isRunning()).isFalse();
        assertThat(codePipeline.polls).isEmpty();
    }

    @Test
    void aWorkerWhosePreflightPassesStartsAndPolls() {
        register(TYPE);
        worker = builder().preflightAtStart(true).build();

        worker.start();

        assertThat(worker.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !codePipeline.polls.isEmpty());
    }

    @Test
    void withoutPreflightAtStartAnUnregisteredTypeStillPolls() {
        worker = builder().build();

        worker.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> !codePipeline.polls.isEmpty());
    }

    @Test
    void theIdentityComesFromTheGivenStsClientWhichStaysOpen() {
        register(TYPE);
        worker = builder().build();

        PreflightReport report = worker.preflight();

        assertThat(check(report, "identity")).satisfies(identity -> {
            assertThat(identity.status()).isEqualTo(Status.PASS);
            assertThat(identity.message()).isEqualTo("account 111122223333 as " + ARN);
            assertThat(identity.queue()).isEqualTo("Custom/Build/Preflight/1@us-east-1");
        });
        assertThat(report.passed()).isTrue();
        assertThat(sts.getCallerIdentity().account()).as("the given client is left open").isEqualTo("111122223333");
    }

    @Test
    void anStsClientFactoryThatGivesNoClientIsNamed() {
        worker = builder().stsClients(region -> null).build();

        assertThatThrownBy(worker::preflight).isInstanceOf(NullPointerException.class)
                .hasMessage("stsClients gave no client for us-east-1");
    }

    @Test
    void aCustomWorkersDefaultJobTimeoutIsFiveMinutesShortOfTheServicesDay() {
        worker = builder().build();

        Check timeout = check(worker.preflight(), "jobTimeout");

        assertThat(timeout.status()).isEqualTo(Status.PASS);
        assertThat(timeout.message()).isEqualTo("the worker's 86100 s is shorter than CodePipeline's default 86400 s");
    }

    @Test
    void aJobTimeoutAsLongAsTheServicesFailsThePreflight() {
        worker = builder().jobTimeout(Duration.ofHours(24)).build();

        Check timeout = check(worker.preflight(), "jobTimeout");

        assertThat(timeout.status()).isEqualTo(Status.FAIL);
        assertThat(timeout.message()).startsWith("the worker's job timeout 86400 s is not shorter than");
    }

    @Test
    void aThirdPartyWorkersDefaultJobTimeoutIsFiveMinutesShortOfTheServicesHour() {
        worker = JobWorker.builder(ActionTypeId.thirdParty(ActionCategory.BUILD, "Preflight", "1"), HANDLER)
                .codePipelineClient(codePipeline).stsClients(region -> sts).outcomeJournal(OutcomeJournal.disabled())
                .clientTokens(ClientTokenProvider.fromMap(Map.of("client", "token"))).build();

        PreflightReport report = worker.preflight();

        assertThat(check(report, "jobTimeout").message())
                .isEqualTo("the worker's 3300 s is shorter than CodePipeline's default 3600 s");
        assertThat(check(report, "clientTokens").message()).isEqualTo("1 client(s)");
    }

    @Test
    void aDeclaredDefinitionIsComparedWithTheRegistration() {
        register(TYPE);
        worker = builder().build();
        assertThat(check(worker.preflight(), "registration.compared").status()).isEqualTo(Status.WARN);
        worker.close();

        worker = JobWorker.builder(ActionTypeDefinition.builder(TYPE).build(), HANDLER)
                .codePipelineClient(codePipeline).stsClients(region -> sts).outcomeJournal(OutcomeJournal.disabled())
                .build();
        PreflightReport report = worker.preflight();

        assertThat(report.checks()).extracting(Check::name).doesNotContain("registration.compared")
                .contains("registration.properties");
        assertThat(check(report, "jobTimeout").message()).endsWith("shorter than the declared 86400 s");
    }

    @Test
    void theDefaultJournalIsUnderTheTemporaryDirectoryNamedForTheActionType() {
        worker = JobWorker.builder(TYPE, HANDLER).codePipelineClient(codePipeline).stsClients(region -> sts).build();

        Check journal = check(worker.preflight(), "journal");

        Path expected = Path.of(System.getProperty("java.io.tmpdir"), "pipeline-worker", "journal",
                "Custom-Build-Preflight-1");
        assertThat(journal.message()).startsWith(expected + " is writable and fsync works");
    }
}
