package dev.pipelineworker.internal.preflight;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.GET_ACTION_TYPE;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.LIST_ACTION_TYPES;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.awsError;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.check;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.declaration;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.listed;
import static dev.pipelineworker.it.CodePipelineWireMock.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.it.CodePipelineWireMock;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;

/**
 * Finding a queue's action type: GetActionType by its identity for a third-party type, every page of
 * ListActionTypes for a custom one; a type not found is looked for again ignoring case; an error names the IAM
 * action when access was denied, else the service's code and the first line of its message. The happy paths and the
 * case mismatch against LocalCodePipeline are in worker-testkit's {@code PreflightTest}; here are the answers only a
 * stub gives: pages, refusals, throttling, a failing second look-up.
 */
class RegistrationLookupTest extends PreflightWireMockTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Compiler", "3");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Compiler", "3");
    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(TYPE).build();
    private static final ActionTypeDefinition CUSTOM_DEFINITION = ActionTypeDefinition.builder(CUSTOM).build();
    private static final JobQueue QUEUE = JobQueue.of(TYPE, Region.EU_CENTRAL_1);
    private static final JobQueue CUSTOM_QUEUE = JobQueue.of(CUSTOM, Region.EU_CENTRAL_1);

    private static List<String> names(PreflightReport report) {
        return report.checks().stream().map(Check::name).toList();
    }

    @Test
    void aThirdPartyTypeIsAskedForByItsIdentity() {
        aws.stubGetActionType(declaration(DEFINITION));

        Check registration = check(aws.run(QUEUE, DEFINITION), "registration");

        assertThat(registration.status()).isEqualTo(Status.PASS);
        assertThat(registration.message()).isEqualTo("Build/ThirdParty/Compiler/3 is registered");
        assertThat(registration.fix()).isEmpty();
        assertThat(aws.requests(GET_ACTION_TYPE)).singleElement().satisfies(body -> assertThat(parse(body))
                .isEqualTo(parse("{\"category\":\"Build\",\"owner\":\"ThirdParty\",\"provider\":\"Compiler\","
                        + "\"version\":\"3\"}")));
        assertThat(aws.requests(LIST_ACTION_TYPES)).isEmpty();
    }

    @Test
    void aCustomTypeIsFoundOnAnyPageOfTheCustomTypes() {
        ActionTypeId neighbour = ActionTypeId.custom(ActionCategory.BUILD, "Linter", "1");
        ActionTypeId otherVersion = ActionTypeId.custom(ActionCategory.BUILD, "Compiler", "2");
        aws.stubListActionTypes(List.of(List.of(listed(neighbour)), List.of(listed(otherVersion)),
                List.of(listed(CUSTOM_DEFINITION))));

        PreflightReport report = aws.run(CUSTOM_QUEUE, CUSTOM_DEFINITION);

        assertThat(check(report, "registration").status()).as(report.render()).isEqualTo(Status.PASS);
        assertThat(aws.requests(LIST_ACTION_TYPES)).extracting(body -> parse(body).toString()).containsExactly(
                "{\"actionOwnerFilter\":\"Custom\"}",
                "{\"actionOwnerFilter\":\"Custom\",\"nextToken\":\"page-1\"}",
                "{\"actionOwnerFilter\":\"Custom\",\"nextToken\":\"page-2\"}");
        assertThat(aws.requests(GET_ACTION_TYPE)).isEmpty();
        assertThat(check(report, "registration.properties").status()).isEqualTo(Status.PASS);
    }

    @Test
    void aCustomTypeOnNoPageIsNotRegistered() {
        aws.stubListActionTypes(List.of(List.of(listed(ActionTypeId.custom(ActionCategory.BUILD, "Linter", "1"))),
                List.of(listed(ActionTypeId.custom(ActionCategory.TEST, "Compiler", "3")))));

        PreflightReport report = aws.run(CUSTOM_QUEUE, CUSTOM_DEFINITION);

        Check registration = check(report, "registration");
        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).isEqualTo("Build/Custom/Compiler/3 is not registered in eu-central-1");
        assertThat(registration.fix()).isEqualTo("register it from the generated file (example-worker registration), "
                + "or make category, owner, provider and version match the registered type");
        assertThat(names(report)).as("nothing to compare").containsExactly("identity", "region", "registration",
                "jobTimeout", "clock", "journal");
    }

    @Test
    void aCustomTypeListedInAnotherCaseIsNamedOnAnyPage() {
        aws.stubListActionTypes(List.of(List.of(listed(ActionTypeId.custom(ActionCategory.BUILD, "Linter", "1"))),
                List.of(listed(ActionTypeId.custom(ActionCategory.BUILD, "compiler", "3")))));

        Check registration = check(aws.run(CUSTOM_QUEUE, CUSTOM_DEFINITION), "registration");

        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).isEqualTo("Build/Custom/Compiler/3 is not registered in eu-central-1; "
                + "Build/Custom/compiler/3 is, which differs in case");
        assertThat(aws.requests(LIST_ACTION_TYPES)).as("listed once to find it, once ignoring case").hasSize(4);
    }

    @Test
    void aThirdPartyTypeNotFoundIsLookedForAmongTheThirdPartyTypesIgnoringCase() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "ActionTypeNotFoundException", "Action type not found"));
        aws.stubListActionTypes(List.of(List.of(listed(ActionTypeId.thirdParty(ActionCategory.BUILD, "COMPILER",
                "3")))));

        Check registration = check(aws.run(QUEUE, DEFINITION), "registration");

        assertThat(registration.message()).isEqualTo("Build/ThirdParty/Compiler/3 is not registered in "
                + "eu-central-1; Build/ThirdParty/COMPILER/3 is, which differs in case");
        assertThat(aws.requests(LIST_ACTION_TYPES)).extracting(body -> parse(body).toString())
                .containsExactly("{\"actionOwnerFilter\":\"ThirdParty\"}");
    }

    @Test
    void aFailingSecondLookUpLeavesTheNotFoundAsItIs() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "ActionTypeNotFoundException", "Action type not found"));
        aws.stub(LIST_ACTION_TYPES, awsError(400, "AccessDeniedException", "not authorized to list"));

        Check registration = check(aws.run(QUEUE, DEFINITION), "registration");

        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).isEqualTo("Build/ThirdParty/Compiler/3 is not registered in "
                + "eu-central-1");
    }

    @Test
    void anAccessDeniedGetActionTypeNamesTheIamAction() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "AccessDeniedException", "User: arn:aws:sts::123456789012:"
                + "assumed-role/worker is not authorized to perform: codepipeline:GetActionType"));

        PreflightReport report = aws.run(QUEUE, DEFINITION);

        Check registration = check(report, "registration");
        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).isEqualTo("access denied: the caller may not call "
                + "codepipeline:GetActionType");
        assertThat(registration.fix()).isEqualTo("allow the IAM action codepipeline:GetActionType to the worker's "
                + "role");
        assertThat(names(report)).containsExactly("identity", "region", "registration", "jobTimeout", "clock",
                "clientTokens", "journal");
    }

    @Test
    void anAccessDeniedListActionTypesNamesItsIamAction() {
        aws.stub(LIST_ACTION_TYPES, awsError(400, "AccessDeniedException", "not authorized"));

        Check registration = check(aws.run(CUSTOM_QUEUE, CUSTOM_DEFINITION), "registration");

        assertThat(registration.message()).isEqualTo("access denied: the caller may not call "
                + "codepipeline:ListActionTypes");
        assertThat(registration.fix()).isEqualTo("allow the IAM action codepipeline:ListActionTypes to the worker's "
                + "role");
    }

    @Test
    void anUnauthorizedOperationIsAnAccessDeniedToo() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "UnauthorizedOperation", "explicit deny in a service control policy"));

        assertThat(check(aws.run(QUEUE, DEFINITION), "registration").message())
                .isEqualTo("access denied: the caller may not call codepipeline:GetActionType");
    }

    @Test
    void anotherErrorGivesTheServicesCodeAndTheFirstLineOfItsMessage() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "ThrottlingException", "Rate exceeded\nretry after a while"));

        Check registration = check(aws.run(QUEUE, DEFINITION), "registration");

        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).isEqualTo("ThrottlingException: Rate exceeded");
        assertThat(registration.fix()).isEqualTo("check the endpoint, region and credentials the worker uses");
    }

    @Test
    void anErrorWithoutACodeGivesTheExceptionsType() {
        aws.stub(GET_ACTION_TYPE, aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html>Bad Gateway</html>"));

        Check registration = check(aws.run(QUEUE, DEFINITION), "registration");

        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).startsWith("CodePipelineException: ");
        assertThat(registration.fix()).isEqualTo("check the endpoint, region and credentials the worker uses");
    }

    @Test
    void anUnreachableEndpointFailsWithTheClientsError() {
        wm.stubFor(CodePipelineWireMock.call(GET_ACTION_TYPE).willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Check registration = check(aws.run(QUEUE, DEFINITION), "registration");

        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).startsWith("SdkClientException: Unable to execute HTTP request");
    }

    @Test
    void withoutADefinitionTheRegistrationIsFoundButNotCompared() {
        aws.stubGetActionType(declaration(DEFINITION));

        PreflightReport report = aws.run(QUEUE, null);

        Check compared = check(report, "registration.compared");
        assertThat(compared.status()).isEqualTo(Status.WARN);
        assertThat(compared.message()).isEqualTo("no ActionTypeDefinition is declared for Build/ThirdParty/Compiler/3: "
                + "the registration is not compared");
        assertThat(compared.fix()).isEqualTo("declare the action type (JobWorker.builder(definition, handler))");
        assertThat(names(report)).containsExactly("identity", "region", "registration", "registration.compared",
                "jobTimeout", "clock", "clientTokens", "journal");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void aServiceErrorWithoutErrorDetailsFailsTheCheckInsteadOfThePreflight() {
        // what a user's interceptor that rewrites errors may hand back: the SDK's type, without the wire's details
        rewriteErrors(CodePipelineException.builder().message("rewritten by the user's interceptor").build());

        PreflightReport report = aws.run(QUEUE, DEFINITION);

        Check registration = check(report, "registration");
        assertThat(registration.status()).isEqualTo(Status.FAIL);
        assertThat(registration.message()).isEqualTo("CodePipelineException: rewritten by the user's interceptor");
        assertThat(registration.fix()).isEqualTo("check the endpoint, region and credentials the worker uses");
        assertThat(check(report, "clock").status()).as("no Date to compare with").isEqualTo(Status.WARN);
    }

    @Test
    void aRewrittenErrorWithoutAMessageOrAnHttpResponseStillNamesWhatFailed() {
        rewriteErrors(CodePipelineException.builder().build());
        assertThat(check(aws.run(QUEUE, DEFINITION), "registration").message()).isEqualTo("CodePipelineException: ");

        rewriteErrors(CodePipelineException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build());
        PreflightReport report = aws.run(QUEUE, DEFINITION);
        assertThat(check(report, "registration").message())
                .isEqualTo("access denied: the caller may not call codepipeline:GetActionType");
        assertThat(check(report, "clock").status()).isEqualTo(Status.WARN);
    }

    /** GetActionType fails, and the client's interceptor hands back {@code rewritten} instead of the SDK's error. */
    private void rewriteErrors(AwsServiceException rewritten) {
        aws.stub(GET_ACTION_TYPE, awsError(400, "ThrottlingException", "Rate exceeded"));
        aws.interceptCodePipeline(new ExecutionInterceptor() {
            @Override
            public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
                return rewritten;
            }
        });
    }
}
