package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ArtifactCount;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import dev.pipelineworker.actiontype.PropertyType;
import dev.pipelineworker.actiontype.RegistrationFiles;
import dev.pipelineworker.testkit.emulator.RecordedCall;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.GetActionTypeRequest;

/**
 * JobWorker.preflight() against the emulator: it passes with the generated registration and fails, check by check,
 * for each mismatch; it never polls.
 */
class PreflightTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1");
    private static final JobHandler HANDLER = context -> JobOutcome.success();

    @TempDir
    Path temp;

    private LocalCodePipeline cp;
    private JobWorker worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    private static ActionTypeDefinition.Builder declared(ActionTypeId id) {
        return ActionTypeDefinition.builder(id)
                .inputArtifacts(ArtifactCount.of(1, 5)).outputArtifacts(ArtifactCount.exactly(1))
                .properties(ConfigurationProperty.required("Project"), ConfigurationProperty.optional("Token")
                        .withSecret());
    }

    private static final ActionTypeDefinition DEFINITION = declared(TYPE)
            .executorJobTimeout(Duration.ofMinutes(30)).build();

    /** The report of a worker declaring {@code DEFINITION}, against an emulator holding {@code registered}. */
    private PreflightReport preflight(String registered, UnaryOperator<JobWorker.Builder> change) {
        cp = registered == null ? LocalCodePipeline.builder().start()
                : LocalCodePipeline.builder().registeredActionType(registered).start();
        worker = change.apply(cp.workerFor(DEFINITION, HANDLER)
                .jobTimeout(Duration.ofMinutes(25))
                .outcomeJournal(OutcomeJournal.inDirectory(temp.resolve("journal")))).build();
        return worker.preflight();
    }

    static Check check(PreflightReport report, String name) {
        return report.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in\n" + report.render()));
    }

    @Test
    void passesWithTheGeneratedRegistrationAndNeverPolls() {
        PreflightReport report = preflight(RegistrationFiles.of(DEFINITION), UnaryOperator.identity());

        assertThat(report.passed()).as(report.render()).isTrue();
        assertThat(report.withStatus(Status.WARN)).as(report.render()).isEmpty();
        assertThat(report.checks()).extracting(Check::name).containsExactly("identity", "region", "registration",
                "registration.properties", "registration.artifacts", "registration.urls",
                "registration.executorTimeout", "jobTimeout", "clock", "clientTokens", "journal");
        assertThat(check(report, "identity").message()).contains("account 111111111111");
        assertThat(cp.calls()).extracting(RecordedCall::operation).noneMatch(name -> name.startsWith("Poll"));
    }

    @Test
    void aTypeThatIsNotRegisteredFailsAndACaseMismatchIsNamed() {
        String lowerCase = RegistrationFiles.of(declared(ActionTypeId.thirdParty(ActionCategory.BUILD, "tool", "1"))
                .executorJobTimeout(Duration.ofMinutes(30)).build());
        PreflightReport report = preflight(lowerCase, UnaryOperator.identity());

        Check registration = check(report, "registration");
        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).contains("Build/ThirdParty/Tool/1 is not registered in us-east-1")
                .contains("Build/ThirdParty/tool/1 is, which differs in case");
        assertThat(registration.fix()).contains("example-worker registration");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void aMissingPropertyFails() {
        ActionTypeDefinition withoutToken = ActionTypeDefinition.builder(TYPE)
                .inputArtifacts(ArtifactCount.of(1, 5)).outputArtifacts(ArtifactCount.exactly(1))
                .executorJobTimeout(Duration.ofMinutes(30)).properties(ConfigurationProperty.required("Project"))
                .build();
        PreflightReport report = preflight(RegistrationFiles.of(withoutToken), UnaryOperator.identity());

        assertThat(check(report, "registration.properties").status()).as(report.render()).isEqualTo(Status.FAIL);
        assertThat(check(report, "registration.properties").message())
                .contains("'Token' is declared but not registered");
    }

    @Test
    void anExtraRequiredPropertyFailsAndRequiredNessIsCompared() {
        ActionTypeDefinition registered = ActionTypeDefinition.builder(TYPE)
                .inputArtifacts(ArtifactCount.of(1, 5)).outputArtifacts(ArtifactCount.exactly(1))
                .executorJobTimeout(Duration.ofMinutes(30))
                .properties(ConfigurationProperty.optional("Project"), ConfigurationProperty.optional("Token")
                        .withSecret(), ConfigurationProperty.required("Branch"))
                .build();
        PreflightReport report = preflight(RegistrationFiles.of(registered), UnaryOperator.identity());

        Check properties = check(report, "registration.properties");
        assertThat(properties.status()).isEqualTo(Status.FAIL);
        assertThat(properties.message())
                .contains("'Project' is required in the definition but optional as registered")
                .contains("'Branch' is registered (required) but not declared");
    }

    @Test
    void differentArtifactCountsFail() {
        PreflightReport report = preflight(RegistrationFiles.of(declared(TYPE).inputArtifacts(ArtifactCount.exactly(1))
                .executorJobTimeout(Duration.ofMinutes(30)).build()), UnaryOperator.identity());

        assertThat(check(report, "registration.artifacts").status()).isEqualTo(Status.FAIL);
        assertThat(check(report, "registration.artifacts").message())
                .isEqualTo("input artifacts 1-5 declared, 1 registered");
    }

    @Test
    void aDifferentExecutorTimeoutFailsAndTheWorkersTimeoutMustBeShorterThanTheRegisteredOne() {
        PreflightReport report = preflight(RegistrationFiles.of(declared(TYPE)
                .executorJobTimeout(Duration.ofMinutes(20)).build()), UnaryOperator.identity());

        assertThat(check(report, "registration.executorTimeout").status()).isEqualTo(Status.FAIL);
        assertThat(check(report, "registration.executorTimeout").message())
                .contains("1200 s as registered, 1800 s declared");
        Check timeout = check(report, "jobTimeout");
        assertThat(timeout.status()).isEqualTo(Status.FAIL);
        assertThat(timeout.message()).contains("1500 s is not shorter than the registered executor's 1200 s");
        assertThat(timeout.fix()).contains("below 1200 s");
    }

    @Test
    void aWorkerTimeoutAsLongAsTheExecutorsFails() {
        PreflightReport report = preflight(RegistrationFiles.of(DEFINITION),
                b -> b.jobTimeout(Duration.ofMinutes(30)));

        assertThat(check(report, "jobTimeout").status()).isEqualTo(Status.FAIL);
        assertThat(report.withStatus(Status.FAIL)).extracting(Check::name).containsExactly("jobTimeout");
    }

    @Test
    void noClientTokensFail() {
        PreflightReport report = preflight(RegistrationFiles.of(DEFINITION),
                b -> b.clientTokens(ClientTokenProvider.fromMap(Map.of())));

        assertThat(check(report, "clientTokens").status()).isEqualTo(Status.FAIL);
        assertThat(check(report, "clientTokens").fix()).contains("--client-tokens");
    }

    @Test
    void aJournalDirectoryThatCannotBeWrittenFails() throws IOException {
        Path notADirectory = Files.writeString(temp.resolve("file"), "x");
        PreflightReport report = preflight(RegistrationFiles.of(DEFINITION),
                b -> b.outcomeJournal(OutcomeJournal.inDirectory(notADirectory.resolve("journal"))));

        assertThat(check(report, "journal").status()).isEqualTo(Status.FAIL);
        assertThat(check(report, "journal").message()).contains("is not writable");
    }

    @Test
    void aDisabledJournalWarns() {
        PreflightReport report = preflight(RegistrationFiles.of(DEFINITION),
                b -> b.outcomeJournal(OutcomeJournal.disabled()));

        assertThat(check(report, "journal").status()).isEqualTo(Status.WARN);
        assertThat(report.passed()).isTrue();
    }

    @Test
    void aClockMinutesOffTheServicesFails() {
        PreflightReport report = preflight(RegistrationFiles.of(DEFINITION),
                b -> b.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10))));

        assertThat(check(report, "clock").status()).isEqualTo(Status.FAIL);
        assertThat(check(report, "clock").message()).contains("off the service's (Date header)");
    }

    @Test
    void anAccessDeniedNamesTheMissingIamAction() {
        cp = LocalCodePipeline.builder().registeredActionType(RegistrationFiles.of(DEFINITION)).start();
        try (CodePipelineClient denied = CodePipelineClient.builder().endpointOverride(cp.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(() -> AwsBasicCredentials.create("AKIDLOCAL", "secret"))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new DenyGetActionType())).build()) {
            worker = cp.workerFor(DEFINITION, HANDLER).codePipelineClients(region -> denied)
                    .jobTimeout(Duration.ofMinutes(25)).outcomeJournal(OutcomeJournal.disabled()).build();
            Check registration = check(worker.preflight(), "registration");

            assertThat(registration.status()).isEqualTo(Status.FAIL);
            assertThat(registration.message()).contains("codepipeline:GetActionType");
            assertThat(registration.fix()).isEqualTo("allow the IAM action codepipeline:GetActionType to the "
                    + "worker's role");
        }
    }

    @Test
    void aWorkerSetToPreflightAtStartRefusesToStartOnAFailure() {
        cp = LocalCodePipeline.builder().start();
        worker = cp.workerFor(DEFINITION, HANDLER).jobTimeout(Duration.ofMinutes(25)).preflightAtStart(true)
                .build();

        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its preflight failed").hasMessageContaining("is not registered");
        assertThat(worker.isRunning()).isFalse();
        assertThat(cp.calls()).extracting(RecordedCall::operation).noneMatch(name -> name.startsWith("Poll"));
    }

    @Test
    void aCustomTypeIsComparedThroughListActionTypes() {
        ActionTypeDefinition custom = ActionTypeDefinition.builder(ActionTypeId.custom(ActionCategory.BUILD,
                "Tool", "1")).properties(ConfigurationProperty.required("Project").withType(PropertyType.STRING))
                .build();
        cp = LocalCodePipeline.builder().registeredActionType(RegistrationFiles.of(custom)).start();
        worker = cp.workerFor(custom, HANDLER).outcomeJournal(OutcomeJournal.disabled()).build();
        PreflightReport report = worker.preflight();

        assertThat(report.withStatus(Status.FAIL)).as(report.render()).isEmpty();
        assertThat(check(report, "jobTimeout").message()).contains("shorter than the declared 86400 s");
        assertThat(report.checks()).extracting(Check::name).doesNotContain("clientTokens",
                "registration.executorTimeout");
    }

    /** Answers GetActionType as IAM does for a caller without the permission. */
    private static final class DenyGetActionType implements ExecutionInterceptor {
        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                ExecutionAttributes attributes) {
            return context.request() instanceof GetActionTypeRequest
                    ? context.httpResponse().toBuilder().statusCode(400).build() : context.httpResponse();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                ExecutionAttributes attributes) {
            if (!(context.request() instanceof GetActionTypeRequest)) {
                return context.responseBody();
            }
            return Optional.of(new ByteArrayInputStream(("{\"__type\":\"AccessDeniedException\",\"message\":"
                    + "\"User is not authorized to perform: codepipeline:GetActionType\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
    }
}
