package dev.pipelineworker.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.testkit.LocalCodePipeline;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire protocol as the emulator's HTTP side speaks it, call by call: which header picks the operation and the
 * region, what an unusable target or body is answered with, and the STS query calls on the same endpoint.
 */
class EmulatorWireTest {

    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String SIGNED_EU_WEST_1 = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20300101/eu-west-1/codepipeline/"
            + "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0c7f3ad2";

    private static LocalCodePipeline emulator;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        emulator = LocalCodePipeline.builder().build().start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void forgetCalls() {
        emulator.reset();
    }

    private static HttpResponse<String> post(String target, String authorization, String contentType, String body)
            throws IOException, InterruptedException {
        return HTTP.send(RawRequests.post(emulator.endpoint(), target, authorization, contentType,
                body.getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(String operation, String body) throws IOException, InterruptedException {
        return post("CodePipeline_20150709." + operation, null, JSON_11, body);
    }

    @Test
    void aGoodCallIsAnsweredWithJsonAndARequestId() throws Exception {
        HttpResponse<String> answer = call("ListActionTypes", "{}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(JSON_11);
        assertThat(answer.headers().firstValue("x-amzn-RequestId")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
        assertThat(answer.body()).startsWith("{\"actionTypes\":");
        assertThat(emulator.calls()).singleElement().satisfies(recorded -> {
            assertThat(recorded.operation()).isEqualTo("ListActionTypes");
            assertThat(recorded.status()).isEqualTo(200);
            assertThat(recorded.errorType()).isNull();
            assertThat(recorded.region()).isEqualTo(LocalCodePipeline.DEFAULT_REGION);
        });
    }

    @Test
    void anEmptyBodyIsAnEmptyRequest() throws Exception {
        assertThat(call("ListActionTypes", "").statusCode()).isEqualTo(200);
        assertThat(call("ListActionTypes", "  ").statusCode()).isEqualTo(200);
    }

    @Test
    void theSignaturesScopePicksTheRegionAndAnUnparsableOneIsTheDefault() throws Exception {
        post("CodePipeline_20150709.ListActionTypes", SIGNED_EU_WEST_1, JSON_11, "{}");
        post("CodePipeline_20150709.ListActionTypes", "AWS4-HMAC-SHA256 Credential=AKIDTEST/2030/eu-west-1", JSON_11,
                "{}");

        assertThat(emulator.calls()).extracting(RecordedCall::region)
                .containsExactly("eu-west-1", LocalCodePipeline.DEFAULT_REGION);
    }

    @Test
    void aMissingOrForeignTargetIsAnUnknownOperation() throws Exception {
        HttpResponse<String> missing = post(null, null, JSON_11, "{}");
        HttpResponse<String> unprefixed = post("ListActionTypes", null, JSON_11, "{}");
        HttpResponse<String> unknown = call("ListPipelines", "{}");

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo(
                "{\"__type\":\"UnknownOperationException\",\"message\":\"Missing X-Amz-Target header\"}");
        assertThat(unprefixed.statusCode()).isEqualTo(400);
        assertThat(unprefixed.body()).isEqualTo(
                "{\"__type\":\"UnknownOperationException\",\"message\":\"Unknown operation ListActionTypes\"}");
        assertThat(unknown.body()).isEqualTo("{\"__type\":\"UnknownOperationException\","
                + "\"message\":\"Unknown operation CodePipeline_20150709.ListPipelines\"}");
        assertThat(emulator.calls()).extracting(RecordedCall::operation, RecordedCall::errorType).containsExactly(
                org.assertj.core.groups.Tuple.tuple("", "UnknownOperationException"),
                org.assertj.core.groups.Tuple.tuple("ListActionTypes", "UnknownOperationException"),
                org.assertj.core.groups.Tuple.tuple("ListPipelines", "UnknownOperationException"));
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsASerializationError() throws Exception {
        HttpResponse<String> notJson = call("ListActionTypes", "{\"nextToken\": ");
        HttpResponse<String> array = call("ListActionTypes", "[]");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValue(JSON_11);
        assertThat(notJson.body()).isEqualTo(
                "{\"__type\":\"SerializationException\",\"message\":\"The request body is not valid JSON\"}");
        assertThat(array.body()).isEqualTo(
                "{\"__type\":\"SerializationException\",\"message\":\"The request body must be a JSON object\"}");
    }

    @Test
    void stsGetCallerIdentityIsAnsweredInXml() throws Exception {
        HttpResponse<String> identity = post(null, null, FORM, "Action=GetCallerIdentity&Version=2011-06-15");

        assertThat(identity.statusCode()).isEqualTo(200);
        assertThat(identity.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(identity.body()).contains("<Account>111111111111</Account>");
        assertThat(emulator.calls()).singleElement().satisfies(recorded -> assertThat(recorded.status()).isEqualTo(200));
    }

    @Test
    void anotherStsActionIsInvalidAction() throws Exception {
        HttpResponse<String> assume = post(null, null, FORM, "Action=AssumeRole&Version=2011-06-15");

        assertThat(assume.statusCode()).isEqualTo(400);
        assertThat(assume.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(assume.body()).contains("<Code>InvalidAction</Code>");
        assertThat(emulator.calls()).singleElement()
                .satisfies(recorded -> assertThat(recorded.errorType()).isEqualTo("InvalidAction"));
    }

    @Test
    void onlyAFormBodyWithAnActionAndNoTargetIsAnStsCall() throws Exception {
        HttpResponse<String> noAction = post(null, null, FORM, "Version=2011-06-15");
        HttpResponse<String> jsonWithAction = post(null, null, JSON_11, "Action=GetCallerIdentity");
        HttpResponse<String> noContentType = post(null, null, null, "Action=GetCallerIdentity");
        HttpResponse<String> targeted = post("CodePipeline_20150709.ListActionTypes", null, FORM,
                "Action=GetCallerIdentity");

        assertThat(noAction.body()).contains("Missing X-Amz-Target header");
        assertThat(jsonWithAction.body()).contains("Missing X-Amz-Target header");
        assertThat(noContentType.body()).contains("Missing X-Amz-Target header");
        assertThat(targeted.body()).contains("SerializationException");
    }

    @Test
    void injectedServerErrorsAreTheServicesOwn() throws Exception {
        emulator.injectFault(FaultRule.nextCalls(1, Fault.serverError(500), Operation.LIST_ACTION_TYPES));
        HttpResponse<String> internal = call("ListActionTypes", "{}");
        emulator.injectFault(FaultRule.nextCalls(1, Fault.serverError(503), Operation.LIST_ACTION_TYPES));
        HttpResponse<String> unavailable = call("ListActionTypes", "{}");
        emulator.injectFault(FaultRule.nextCalls(1, Fault.throttling(), Operation.LIST_ACTION_TYPES));
        HttpResponse<String> throttled = call("ListActionTypes", "{}");

        assertThat(internal.statusCode()).isEqualTo(500);
        assertThat(internal.body()).contains("\"__type\":\"InternalFailure\"");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.body()).contains("\"__type\":\"ServiceUnavailableException\"");
        assertThat(throttled.statusCode()).isEqualTo(400);
        assertThat(throttled.body()).contains("\"__type\":\"ThrottlingException\"");
        assertThat(call("ListActionTypes", "{}").statusCode()).isEqualTo(200);
    }
}
