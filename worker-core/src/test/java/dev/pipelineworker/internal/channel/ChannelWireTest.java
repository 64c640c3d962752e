package dev.pipelineworker.internal.channel;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.pipelineworker.it.CodePipelineWireMock.JSON;
import static dev.pipelineworker.it.CodePipelineWireMock.ok;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.internal.Sleeper;
import dev.pipelineworker.it.CodePipelineWireMock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/**
 * Base of the channel tests: the real SDK client against WireMock speaking CodePipeline's protocol ({@link #cp}),
 * and an {@link Acknowledgement} with the worker's report-retry settings scaled down: {@link #ACK_CALLS} calls,
 * a backoff without jitter from {@link #FIRST_BACKOFF}, and a sleeper that records each wait instead of sleeping.
 */
abstract class ChannelWireTest {

    static final int ACK_CALLS = 2;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
    static final int SDK_ATTEMPTS = CodePipelineWireMock.SDK_ATTEMPTS;

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    CodePipelineWireMock cp;

    /** The waits the acknowledgement asked for, in order. */
    final List<Duration> slept = new CopyOnWriteArrayList<>();

    /** What the sleeper answers: false stands for an interrupted sleep. */
    volatile boolean sleepCompletes = true;

    final Sleeper sleeper = duration -> {
        slept.add(duration);
        return sleepCompletes;
    };

    @BeforeEach
    final void stubCodePipeline() {
        cp = new CodePipelineWireMock(wm);
    }

    @AfterEach
    final void closeClientAndCheckResults() {
        cp.close();
        cp.assertAllReportsWithinModelLimits();
    }

    /** An acknowledgement's answer with this status. */
    static ResponseDefinitionBuilder status(String status) {
        return ok(JSON.createObjectNode().put("status", status));
    }

    static ResponseDefinitionBuilder[] answers(ResponseDefinitionBuilder... answers) {
        return answers;
    }

    static ResponseDefinitionBuilder[] times(int n, ResponseDefinitionBuilder answer) {
        return Stream.generate(() -> answer).limit(n).toArray(ResponseDefinitionBuilder[]::new);
    }

    static ResponseDefinitionBuilder[] concat(ResponseDefinitionBuilder[]... parts) {
        return Stream.of(parts).flatMap(Stream::of).toArray(ResponseDefinitionBuilder[]::new);
    }

    /** The refusals a poll can get; each reaches the runtime as the SDK's exception of that name. */
    static Stream<Class<? extends CodePipelineException>> pollRefusals() {
        return Stream.of(ActionTypeNotFoundException.class, ValidationException.class);
    }

    /**
     * A gate that admits every claim and records it, with how many acknowledgements ({@code operation}) had been
     * sent when it was asked: none, if the claim is journaled before it is sent.
     */
    final class RecordingGate implements ClaimGate {
        final List<PendingClaim> claims = new ArrayList<>();
        final List<Integer> acknowledgementsBefore = new ArrayList<>();
        private final String operation;

        RecordingGate(String operation) {
            this.operation = operation;
        }

        @Override
        public boolean beforeAcknowledge(PendingClaim claim) {
            claims.add(claim);
            acknowledgementsBefore.add(cp.requests(operation).size());
            return true;
        }
    }

    Acknowledgement acknowledgement(int maxCalls) {
        return new Acknowledgement(maxCalls, Backoff.exponential(FIRST_BACKOFF, Duration.ofSeconds(1)).withJitter(0),
                new Random(7), sleeper);
    }
}
