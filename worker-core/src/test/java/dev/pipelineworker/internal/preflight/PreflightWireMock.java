package dev.pipelineworker.internal.preflight;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.pipelineworker.it.CodePipelineWireMock.CONTENT_TYPE;
import static dev.pipelineworker.it.CodePipelineWireMock.JSON;
import static dev.pipelineworker.it.CodePipelineWireMock.TARGET_PREFIX;
import static dev.pipelineworker.it.CodePipelineWireMock.call;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ArtifactCount;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The preflight tests' stand-ins for CodePipeline (AWS JSON 1.1) and STS (the AWS Query protocol: a form in, XML
 * out) on WireMock, with real SDK clients that do not retry (the preflight asks once), the answers' {@code Date}
 * header fixed at {@link #SERVICE_TIME}, and the JSON of a registered action type built from a definition, field by
 * field as the service sends it. Matching, JSON and parsing come from the job operations' {@link CodePipelineWireMock}; this one holds only
 * what preflight calls.
 */
final class PreflightWireMock implements AutoCloseable {

    static final String GET_ACTION_TYPE = "GetActionType";
    static final String LIST_ACTION_TYPES = "ListActionTypes";
    static final String ACCOUNT = "123456789012";
    static final String CALLER_ARN = "arn:aws:sts::123456789012:assumed-role/worker/i-0abc";
    /** The time every answer's Date header gives, unless a test sends another. */
    static final Instant SERVICE_TIME = Instant.parse("2026-03-02T10:15:30Z");

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

    private final WireMockExtension wm;
    private CodePipelineClient codePipeline;
    private final StsClient sts;
    private final List<Region> codePipelineRegions = new CopyOnWriteArrayList<>();
    private final List<Region> stsRegions = new CopyOnWriteArrayList<>();

    PreflightWireMock(WireMockExtension wm) {
        this.wm = wm;
        this.codePipeline = CodePipelineClient.builder().endpointOverride(URI.create(wm.baseUrl()))
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        this.sts = StsClient.builder().endpointOverride(URI.create(wm.baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        wm.stubFor(stsCall("GetCallerIdentity").atPriority(10).willReturn(callerIdentity(ACCOUNT, CALLER_ARN)));
    }

    // ---------------------------------------------------------------- running the preflight

    /** The preflight of {@code queues} declaring {@code definition}, with a disabled journal. */
    PreflightReport run(List<JobQueue> queues, ActionTypeDefinition definition, Duration jobTimeout,
                        ClientTokenProvider clientTokens, Clock clock) {
        return new Preflight(queues, region -> {
            codePipelineRegions.add(region);
            return codePipeline;
        }, region -> {
            stsRegions.add(region);
            return sts;
        }, definition, jobTimeout, clientTokens, OutcomeJournal.disabled(), clock).run();
    }

    /** The preflight of one queue declaring {@code definition}: a 25-minute job timeout, one client, no skew. */
    PreflightReport run(JobQueue queue, ActionTypeDefinition definition) {
        return run(List.of(queue), definition, Duration.ofMinutes(25), oneClient(), clockAt(SERVICE_TIME));
    }

    static ClientTokenProvider oneClient() {
        return ClientTokenProvider.fromMap(Map.of("client-a", "token-of-client-a"));
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** The check named {@code name}, the only one of that name in the report. */
    static Check check(PreflightReport report, String name) {
        List<Check> named = report.checks().stream().filter(c -> c.name().equals(name)).toList();
        if (named.size() != 1) {
            throw new AssertionError(named.size() + " checks named " + name + " in\n" + report.render());
        }
        return named.get(0);
    }

    /** From now on the CodePipeline client runs {@code interceptor}, as a user's client may. */
    void interceptCodePipeline(ExecutionInterceptor interceptor) {
        codePipeline.close();
        codePipeline = CodePipelineClient.builder().endpointOverride(URI.create(wm.baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(interceptor)).build();
    }

    /** The regions the preflight asked a CodePipeline client for, in order. */
    List<Region> codePipelineRegions() {
        return codePipelineRegions;
    }

    /** The regions the preflight asked an STS client for, in order. */
    List<Region> stsRegions() {
        return stsRegions;
    }

    @Override
    public void close() {
        codePipeline.close();
        sts.close();
    }

    // ---------------------------------------------------------------- CodePipeline

    /** GetActionType answers {@code actionType} (a {@link #declaration}). */
    void stubGetActionType(ObjectNode actionType) {
        stub(GET_ACTION_TYPE, ok(JSON.createObjectNode().set("actionType", actionType)));
    }

    void stub(String operation, ResponseDefinitionBuilder response) {
        wm.stubFor(call(operation).willReturn(response));
    }

    /**
     * ListActionTypes answers these pages in turn, each but the last with a nextToken the next request must send
     * back; a request with an unexpected token matches no stub (WireMock answers 404).
     */
    void stubListActionTypes(List<List<ObjectNode>> pages) {
        for (int i = 0; i < pages.size(); i++) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode types = body.putArray("actionTypes");
            pages.get(i).forEach(types::add);
            if (i + 1 < pages.size()) {
                body.put("nextToken", "page-" + (i + 1));
            }
            wm.stubFor(call(LIST_ACTION_TYPES).withRequestBody(i == 0 ? matchingJsonPath("$.nextToken", absent())
                    : matchingJsonPath("$.nextToken", equalTo("page-" + i))).willReturn(ok(body)));
        }
    }

    /** The bodies of the calls to {@code operation}, as sent. */
    List<String> requests(String operation) {
        return wm.findAll(postRequestedFor(urlEqualTo("/"))
                        .withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation)))
                .stream().map(r -> r.getBodyAsString()).toList();
    }

    /** A 200 with {@code body} and the Date header of {@link #SERVICE_TIME}. */
    static ResponseDefinitionBuilder ok(ObjectNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", CONTENT_TYPE)
                .withHeader("Date", httpDate(SERVICE_TIME)).withBody(body.toString());
    }

    /** A CodePipeline error: {@code status} with {@code __type} and {@code message}, dated {@link #SERVICE_TIME}. */
    static ResponseDefinitionBuilder awsError(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", CONTENT_TYPE)
                .withHeader("Date", httpDate(SERVICE_TIME))
                .withBody(JSON.createObjectNode().put("__type", type).put("message", message).toString());
    }

    static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** A third-party type as GetActionType returns it (an ActionTypeDeclaration) for {@code definition}. */
    static ObjectNode declaration(ActionTypeDefinition definition) {
        ObjectNode type = JSON.createObjectNode();
        type.putObject("executor").put("type", "JobWorker")
                .put("jobTimeout", definition.executorJobTimeout().toSeconds())
                .putObject("configuration").putObject("jobWorkerExecutorConfiguration");
        id(type.putObject("id"), definition.id());
        counts(type.putObject("inputArtifactDetails"), definition.inputArtifacts());
        counts(type.putObject("outputArtifactDetails"), definition.outputArtifacts());
        ArrayNode properties = type.putArray("properties");
        for (ConfigurationProperty p : definition.properties()) {
            properties.addObject().put("name", p.name()).put("optional", !p.required()).put("noEcho", p.secret())
                    .put("key", p.key()).put("queryable", p.queryable());
        }
        ObjectNode urls = type.putObject("urls");
        definition.configurationUrl().ifPresent(u -> urls.put("configurationUrl", u));
        definition.entityUrlTemplate().ifPresent(u -> urls.put("entityUrlTemplate", u));
        definition.executionUrlTemplate().ifPresent(u -> urls.put("executionUrlTemplate", u));
        definition.revisionUrlTemplate().ifPresent(u -> urls.put("revisionUrlTemplate", u));
        return type;
    }

    /** A custom type as ListActionTypes lists it (an ActionType) for {@code definition}. */
    static ObjectNode listed(ActionTypeDefinition definition) {
        ObjectNode type = JSON.createObjectNode();
        id(type.putObject("id"), definition.id());
        ObjectNode settings = type.putObject("settings");
        definition.configurationUrl().ifPresent(u -> settings.put("thirdPartyConfigurationUrl", u));
        definition.entityUrlTemplate().ifPresent(u -> settings.put("entityUrlTemplate", u));
        definition.executionUrlTemplate().ifPresent(u -> settings.put("executionUrlTemplate", u));
        definition.revisionUrlTemplate().ifPresent(u -> settings.put("revisionUrlTemplate", u));
        ArrayNode properties = type.putArray("actionConfigurationProperties");
        for (ConfigurationProperty p : definition.properties()) {
            properties.addObject().put("name", p.name()).put("required", p.required()).put("secret", p.secret())
                    .put("key", p.key()).put("queryable", p.queryable());
        }
        counts(type.putObject("inputArtifactDetails"), definition.inputArtifacts());
        counts(type.putObject("outputArtifactDetails"), definition.outputArtifacts());
        return type;
    }

    /** A listed type of another identity, as another team's type in the same account. */
    static ObjectNode listed(ActionTypeId id) {
        ObjectNode type = JSON.createObjectNode();
        id(type.putObject("id"), id);
        type.putArray("actionConfigurationProperties");
        counts(type.putObject("inputArtifactDetails"), ArtifactCount.none());
        counts(type.putObject("outputArtifactDetails"), ArtifactCount.none());
        return type;
    }

    private static void id(ObjectNode node, ActionTypeId id) {
        node.put("category", id.category().apiName()).put("owner", id.owner().apiName())
                .put("provider", id.provider()).put("version", id.version());
    }

    private static void counts(ObjectNode node, ArtifactCount count) {
        node.put("minimumCount", count.minimum()).put("maximumCount", count.maximum());
    }

    // ---------------------------------------------------------------- STS

    static MappingBuilder stsCall(String action) {
        return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action));
    }

    void stubSts(ResponseDefinitionBuilder response) {
        wm.stubFor(stsCall("GetCallerIdentity").atPriority(1).willReturn(response));
    }

    static ResponseDefinitionBuilder callerIdentity(String account, String arn) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<GetCallerIdentityResult><Arn>" + arn + "</Arn><UserId>AROAEXAMPLE:i-0abc</UserId>"
                        + "<Account>" + account + "</Account></GetCallerIdentityResult>"
                        + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
                        + "</GetCallerIdentityResponse>");
    }

    /** An STS error as the Query protocol sends it. */
    static ResponseDefinitionBuilder stsError(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                .withBody("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                        + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                        + "<RequestId>req-2</RequestId></ErrorResponse>");
    }
}
