package dev.pipelineworker.internal.preflight;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.pipelineworker.it.CodePipelineWireMock.CONTENT_TYPE;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.GET_ACTION_TYPE;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.LIST_ACTION_TYPES;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.SERVICE_TIME;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.awsError;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.check;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.clockAt;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.declaration;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.listed;
import static dev.pipelineworker.internal.preflight.PreflightWireMock.oneClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.it.CodePipelineWireMock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The clock check: the local clock against the {@code Date} header of the registration call's answer, a pass up to
 * 30 seconds either way, a warning up to 5 minutes (deadlines drift) and a failure beyond (SigV4 refuses the
 * signatures); no usable header is a warning, and an error answer's header counts as well as a success's.
 */
class ClockSkewCheckTest extends PreflightWireMockTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.TEST, "Probe", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.TEST, "Probe", "1");
    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(TYPE).build();
    private static final JobQueue QUEUE = JobQueue.of(TYPE, Region.US_EAST_1);

    @BeforeEach
    void registered() {
        aws.stubGetActionType(declaration(DEFINITION));
    }

    /** The clock check of a worker whose clock reads the service's time plus {@code offset}. */
    private Check clockOff(Duration offset) {
        return check(aws.run(List.of(QUEUE), DEFINITION, Duration.ofMinutes(25), oneClient(),
                clockAt(SERVICE_TIME.plus(offset))), "clock");
    }

    @Test
    void upToThirtySecondsEitherWayPasses() {
        assertThat(clockOff(Duration.ZERO)).satisfies(c -> {
            assertThat(c.status()).isEqualTo(Status.PASS);
            assertThat(c.message()).isEqualTo("the local clock is 0 s off the service's (Date header)");
            assertThat(c.queue()).isEqualTo(QUEUE.id());
        });
        assertThat(clockOff(Duration.ofSeconds(30)).status()).isEqualTo(Status.PASS);
        assertThat(clockOff(Duration.ofSeconds(-30)).status()).isEqualTo(Status.PASS);
    }

    @Test
    void moreThanThirtySecondsWarns() {
        Check ahead = clockOff(Duration.ofSeconds(30).plusMillis(1));
        assertThat(ahead.status()).isEqualTo(Status.WARN);
        assertThat(ahead.fix()).isEqualTo("synchronise the clock (NTP, chrony)");

        Check behind = clockOff(Duration.ofSeconds(-95));
        assertThat(behind.status()).isEqualTo(Status.WARN);
        assertThat(behind.message()).isEqualTo("the local clock is 95 s off the service's (Date header)");
    }

    @Test
    void upToFiveMinutesIsAWarningAndBeyondAFailureSinceSignaturesAreRefused() {
        assertThat(clockOff(Duration.ofMinutes(5)).status()).isEqualTo(Status.WARN);
        assertThat(clockOff(Duration.ofMinutes(-5)).status()).isEqualTo(Status.WARN);

        Check ahead = clockOff(Duration.ofMinutes(5).plusMillis(1));
        assertThat(ahead.status()).isEqualTo(Status.FAIL);
        assertThat(ahead.message()).isEqualTo("the local clock is 300 s off the service's (Date header); AWS refuses "
                + "signatures more than 5 minutes off");
        assertThat(ahead.fix()).isEqualTo("synchronise the clock (NTP, chrony)");
        assertThat(clockOff(Duration.ofHours(-2)).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void anAnswerWithoutADateHeaderWarnsThatTheClockWasNotCompared() {
        wm.stubFor(CodePipelineWireMock.call(GET_ACTION_TYPE).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", CONTENT_TYPE)
                .withBody(CodePipelineWireMock.JSON.createObjectNode().set("actionType", declaration(DEFINITION))
                        .toString())));

        Check clock = clockOff(Duration.ofHours(1));
        assertThat(clock.status()).isEqualTo(Status.WARN);
        assertThat(clock.message()).isEqualTo("the service sent no Date header to compare with");
        assertThat(clock.fix()).isEqualTo("check the machine's clock is synchronised (NTP)");
    }

    @Test
    void anUnreadableDateHeaderIsNoFailureButLeavesTheClockUncompared() {
        wm.stubFor(CodePipelineWireMock.call(GET_ACTION_TYPE).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", CONTENT_TYPE).withHeader("Date", "yesterday, around noon")
                .withBody(CodePipelineWireMock.JSON.createObjectNode().set("actionType", declaration(DEFINITION))
                        .toString())));

        Check clock = clockOff(Duration.ofHours(1));
        assertThat(clock.status()).isEqualTo(Status.WARN);
        assertThat(clock.message()).isEqualTo("the service sent no Date header to compare with");
    }

    @Test
    void anErrorAnswersDateIsComparedToo() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "AccessDeniedException", "not authorized"));

        assertThat(clockOff(Duration.ofMinutes(10)).status()).isEqualTo(Status.FAIL);
        assertThat(clockOff(Duration.ZERO).status()).isEqualTo(Status.PASS);
    }

    @Test
    void aNotFoundAnswersDateIsComparedToo() {
        aws.stub(GET_ACTION_TYPE, awsError(400, "ActionTypeNotFoundException", "no such type"));
        // the look-up ignoring case fails without a Date of its own: only the not-found answer's is left
        aws.stub(LIST_ACTION_TYPES, aResponse().withStatus(500).withHeader("Content-Type", CONTENT_TYPE)
                .withBody("{\"__type\":\"InternalServiceError\",\"message\":\"try again\"}"));

        assertThat(clockOff(Duration.ofMinutes(10)).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aCustomTypesClockIsComparedWithTheListingsDate() {
        ActionTypeDefinition custom = ActionTypeDefinition.builder(CUSTOM).build();
        aws.stubListActionTypes(List.of(List.of(listed(custom))));
        JobQueue queue = JobQueue.of(CUSTOM, Region.US_EAST_1);

        Check clock = check(aws.run(List.of(queue), custom, Duration.ofMinutes(25), null,
                clockAt(SERVICE_TIME.plus(Duration.ofMinutes(10)))), "clock");

        assertThat(clock.status()).isEqualTo(Status.FAIL);
        assertThat(clock.message()).startsWith("the local clock is 600 s off");
    }
}
