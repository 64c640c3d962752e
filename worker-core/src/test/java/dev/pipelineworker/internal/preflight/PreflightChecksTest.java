package dev.pipelineworker.internal.preflight;

import static dev.pipelineworker.internal.preflight.PreflightWireMock.ACCOUNT;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.CALLER_ARN;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.GET_ACTION_TYPE;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.SERVICE_TIME;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.awsError;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.check;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.clockAt;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.declaration;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.listed;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.oneClient;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.stsError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The checks around the registration: the caller's identity (STS), the region, the worker's job timeout against
 * the one the service applies (the registered executor's, else the declared one, else CodePipeline's default) and
 * the third-party client tokens; each queue checked in its own region, the worker-wide checks once.
 */
class PreflightChecksTest extends PreflightWireMockTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.DEPLOY, "Rollout", "2");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.DEPLOY, "Rollout", "2");
    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(TYPE)
            .executorJobTimeout(Duration.ofMinutes(30)).build();
    private static final JobQueue QUEUE = JobQueue.of(TYPE, Region.US_EAST_1);

    @BeforeEach
    void registered() {
        aws.stubGetActionType(declaration(DEFINITION));
    }

    private PreflightReport run(ActionTypeDefinition definition, Duration jobTimeout, ClientTokenProvider tokens,
                                JobQueue... queues) {
        return aws.run(List.of(queues), definition, jobTimeout, tokens, clockAt(SERVICE_TIME));
    }

    @Test
    void eachQueueIsCheckedInItsRegionAndTheWorkerOnce() {
        JobQueue ireland = JobQueue.of(TYPE, Region.EU_WEST_1);

        PreflightReport report = run(DEFINITION, Duration.ofMinutes(25), oneClient(), QUEUE, ireland);

        List<String> perQueue = List.of("identity", "region", "registration", "registration.properties",
                "registration.artifacts", "registration.urls", "registration.executorTimeout", "jobTimeout", "clock");
        assertThat(report.checks().subList(0, 9)).extracting(Check::name).containsExactlyElementsOf(perQueue);
        assertThat(report.checks().subList(0, 9)).extracting(Check::queue).containsOnly(QUEUE.id());
        assertThat(report.checks().subList(9, 18)).extracting(Check::name).containsExactlyElementsOf(perQueue);
        assertThat(report.checks().subList(9, 18)).extracting(Check::queue).containsOnly(ireland.id());
        assertThat(report.checks().subList(18, 20)).extracting(Check::name).containsExactly("clientTokens", "journal");
        assertThat(report.checks().subList(18, 20)).extracting(Check::queue).containsOnly((String) null);
        assertThat(aws.codePipelineRegions()).containsExactly(Region.US_EAST_1, Region.EU_WEST_1);
        assertThat(aws.stsRegions()).containsExactly(Region.US_EAST_1, Region.EU_WEST_1);
        assertThat(report.checks().get(10).message()).isEqualTo("eu-west-1");
        assertThat(report.passed()).as(report.render()).isTrue();
        assertThat(report.withStatus(Status.WARN)).extracting(Check::name).containsExactly("journal");
    }

    @Test
    void theIdentityNamesTheAccountAndTheCaller() {
        Check identity = check(run(DEFINITION, Duration.ofMinutes(25), oneClient(), QUEUE), "identity");

        assertThat(identity.status()).isEqualTo(Status.PASS);
        assertThat(identity.message()).isEqualTo("account " + ACCOUNT + " as " + CALLER_ARN);
    }

    @Test
    void expiredCredentialsFailTheIdentityWithTheServicesCodeAndTheCredentialsFix() {
        aws.stubSts(stsError(400, "ExpiredToken", "The security token included in the request is expired"));

        PreflightReport report = run(DEFINITION, Duration.ofMinutes(25), oneClient(), QUEUE);

        Check identity = check(report, "identity");
        assertThat(identity.status()).isEqualTo(Status.FAIL);
        assertThat(identity.message()).startsWith("ExpiredToken: The security token included in the request is "
                + "expired");
        assertThat(identity.fix()).isEqualTo("give the worker AWS credentials (environment, profile, web identity or "
                + "instance role) that can call sts:GetCallerIdentity");
        assertThat(check(report, "registration").status()).as("the other checks still run").isEqualTo(Status.PASS);
    }

    @Test
    void aRefusedAccessKeyOrSignatureIsACredentialsProblemNotAMissingPermission() {
        String credentialsFix = "give the worker AWS credentials (environment, profile, web identity or instance "
                + "role) that can call sts:GetCallerIdentity";
        aws.stubSts(stsError(403, "InvalidClientTokenId", "The security token included in the request is invalid."));
        Check unknownKey = check(run(DEFINITION, Duration.ofMinutes(25), oneClient(), QUEUE), "identity");
        assertThat(unknownKey.status()).isEqualTo(Status.FAIL);
        assertThat(unknownKey.message()).startsWith("InvalidClientTokenId: The security token included in the "
                + "request is invalid.");
        assertThat(unknownKey.fix()).isEqualTo(credentialsFix);

        aws.stubSts(stsError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match"));
        Check wrongSecret = check(run(DEFINITION, Duration.ofMinutes(25), oneClient(), QUEUE), "identity");
        assertThat(wrongSecret.message()).startsWith("SignatureDoesNotMatch: The request signature");
        assertThat(wrongSecret.fix()).isEqualTo(credentialsFix);
    }

    @Test
    void anAccessDeniedIdentityNamesTheIamAction() {
        aws.stubSts(stsError(403, "AccessDenied", "User is not authorized to perform: sts:GetCallerIdentity"));

        Check identity = check(run(DEFINITION, Duration.ofMinutes(25), oneClient(), QUEUE), "identity");

        assertThat(identity.status()).isEqualTo(Status.FAIL);
        assertThat(identity.message()).isEqualTo("access denied: the caller may not call sts:GetCallerIdentity");
        assertThat(identity.fix()).isEqualTo("allow the IAM action sts:GetCallerIdentity to the worker's role");
    }

    @Test
    void aRegionTheSdkDoesNotKnowWarnsButIsUsed() {
        JobQueue moon = JobQueue.of(TYPE, Region.of("moon-east-1"));

        PreflightReport report = run(DEFINITION, Duration.ofMinutes(25), oneClient(), moon);

        Check region = check(report, "region");
        assertThat(region.status()).isEqualTo(Status.WARN);
        assertThat(region.message()).isEqualTo("moon-east-1 is not a region this SDK knows");
        assertThat(region.fix()).isEqualTo("check the spelling of the region (AWS_REGION or --regions); a region "
                + "newer than the SDK works");
        assertThat(aws.codePipelineRegions()).containsExactly(Region.of("moon-east-1"));
        assertThat(report.passed()).isTrue();
    }

    @Test
    void theWorkersJobTimeoutMustBeShorterThanTheRegisteredExecutors() {
        ObjectNode registered = declaration(DEFINITION);
        ((ObjectNode) registered.get("executor")).put("jobTimeout", 1200);
        aws.stubGetActionType(registered);

        Check shorter = check(run(DEFINITION, Duration.ofSeconds(1199), oneClient(), QUEUE), "jobTimeout");
        assertThat(shorter.status()).isEqualTo(Status.PASS);
        assertThat(shorter.message()).isEqualTo("the worker's 1199 s is shorter than the registered executor's 1200 s");
        assertThat(shorter.fix()).isEmpty();

        Check equal = check(run(DEFINITION, Duration.ofSeconds(1200), oneClient(), QUEUE), "jobTimeout");
        assertThat(equal.status()).isEqualTo(Status.FAIL);
        assertThat(equal.message()).isEqualTo("the worker's job timeout 1200 s is not shorter than the registered "
                + "executor's 1200 s: the service times the job out before the worker can say why");
        assertThat(equal.fix()).isEqualTo("set JobWorker.Builder.jobTimeout (--job-timeout) below 1200 s, leaving "
                + "time to report");
    }

    @Test
    void withoutARegisteredExecutorTimeoutTheDeclaredOneApplies() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "ActionTypeNotFoundException", "no such type"));
        aws.stubListActionTypes(List.of(List.of()));

        Check timeout = check(run(DEFINITION, Duration.ofMinutes(30), oneClient(), QUEUE), "jobTimeout");

        assertThat(timeout.status()).isEqualTo(Status.FAIL);
        assertThat(timeout.message()).contains("1800 s is not shorter than the declared 1800 s");
        assertThat(check(run(DEFINITION, Duration.ofMinutes(29), oneClient(), QUEUE), "jobTimeout").message())
                .isEqualTo("the worker's 1740 s is shorter than the declared 1800 s");
    }

    @Test
    void anUndeclaredThirdPartyTypeIsHeldToTheDefaultHourWhenItsRegistrationCannotBeRead() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "ThrottlingException", "Rate exceeded"));

        Check timeout = check(run(null, Duration.ofMinutes(60), oneClient(), QUEUE), "jobTimeout");

        assertThat(timeout.status()).isEqualTo(Status.FAIL);
        assertThat(timeout.message()).contains("3600 s is not shorter than CodePipeline's default 3600 s");
        assertThat(check(run(null, Duration.ofMinutes(59), oneClient(), QUEUE), "jobTimeout").status())
                .isEqualTo(Status.PASS);
    }

    @Test
    void anUndeclaredCustomTypeIsHeldToCodePipelinesTwentyFourHours() {
        aws.stubListActionTypes(List.of(List.of(listed(ActionTypeDefinition.builder(CUSTOM).build()))));
        JobQueue custom = JobQueue.of(CUSTOM, Region.US_EAST_1);

        Check timeout = check(run(null, Duration.ofHours(24), null, custom), "jobTimeout");

        assertThat(timeout.status()).isEqualTo(Status.FAIL);
        assertThat(timeout.message()).contains("86400 s is not shorter than CodePipeline's default 86400 s");
        assertThat(check(run(null, Duration.ofHours(23), null, custom), "jobTimeout").status())
                .isEqualTo(Status.PASS);
    }

    @Test
    void aDefinitionOfAnotherTypeIsNotTheQueuesDeclaration() {
        ActionTypeId other = ActionTypeId.thirdParty(ActionCategory.DEPLOY, "Rollout", "1");
        ActionTypeDefinition ofOther = ActionTypeDefinition.builder(other).executorJobTimeout(Duration.ofMinutes(10))
                .build();

        PreflightReport report = run(ofOther, Duration.ofMinutes(25), oneClient(), QUEUE);

        assertThat(check(report, "registration.compared").status()).isEqualTo(Status.WARN);
        assertThat(check(report, "jobTimeout").message()).isEqualTo("the worker's 1500 s is shorter than the "
                + "registered executor's 1800 s");
    }

    @Test
    void aThirdPartyWorkerWithoutAClientTokenProviderFails() {
        Check tokens = check(run(DEFINITION, Duration.ofMinutes(25), null, QUEUE), "clientTokens");

        assertThat(tokens.status()).isEqualTo(Status.FAIL);
        assertThat(tokens.message()).isEqualTo("no client token provider for a ThirdParty type");
        assertThat(tokens.fix()).isEqualTo("give the worker clientTokens(...) (--client-tokens): the clientId to "
                + "clientToken mapping");
    }

    @Test
    void aProviderThatKnowsNoClientFails() {
        Check tokens = check(run(DEFINITION, Duration.ofMinutes(25), ClientTokenProvider.fromMap(Map.of()), QUEUE),
                "clientTokens");

        assertThat(tokens.status()).isEqualTo(Status.FAIL);
        assertThat(tokens.message()).isEqualTo("the client token provider knows no client: every third-party job "
                + "would fail its GetThirdPartyJobDetails");
        assertThat(tokens.fix()).isEqualTo("add the clientId and clientToken registered for the action type "
                + "(--client-tokens)");
    }

    @Test
    void aProviderPassesWithTheNumberOfClientsItKnowsOrWithoutIt() {
        ClientTokenProvider two = ClientTokenProvider.fromMap(Map.of("a", "token-a", "b", "token-b"));
        assertThat(check(run(DEFINITION, Duration.ofMinutes(25), two, QUEUE), "clientTokens"))
                .satisfies(c -> assertThat(c.status()).isEqualTo(Status.PASS))
                .satisfies(c -> assertThat(c.message()).isEqualTo("2 client(s)"));

        ClientTokenProvider secretsManager = clientId -> Optional.of("looked-up");
        assertThat(check(run(DEFINITION, Duration.ofMinutes(25), secretsManager, QUEUE), "clientTokens"))
                .satisfies(c -> assertThat(c.status()).isEqualTo(Status.PASS))
                .satisfies(c -> assertThat(c.message()).isEqualTo("a provider is configured; its clients are looked "
                        + "up per job"));
    }

    @Test
    void aCustomTypeHasNoClientTokensToCheck() {
        aws.stubListActionTypes(List.of(List.of(listed(ActionTypeDefinition.builder(CUSTOM).build()))));

        PreflightReport report = run(null, Duration.ofMinutes(25), null, JobQueue.of(CUSTOM, Region.US_EAST_1));

        assertThat(report.checks()).extracting(Check::name).doesNotContain("clientTokens");
    }
}
