package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.CurrentRevision;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.OutcomeValidator;
import dev.pipelineworker.internal.channel.Report;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashMap;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any outcome a handler can return (any texts, unicode included, revisions, output variables, continuation
 * tokens and state of any size) becomes a report that fits every limit of the API, and the emulator, which checks
 * requests against the API model on its own, accepts it as the worker sends it. The outcomes come from a seeded
 * generator, 40 of them, biased towards each limit; a failing case names its seed, and
 * {@code -Doutcome.seed=<n>} runs another series.
 */
class AnyOutcomeFitsTheApiPropertyTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.BUILD, "Property", "1");
    private static final OutcomeValidator VALIDATOR = new OutcomeValidator(ActionOwner.CUSTOM,
            ContinuationCodec.defaults());
    private static final Map<String, CompletableFuture<JobOutcome>> OUTCOMES = new ConcurrentHashMap<>();
    private static LocalCodePipeline codePipeline;
    private static JobWorker worker;

    record State(String note, List<Integer> steps) {
    }

    @BeforeAll
    static void startWorker() {
        codePipeline = LocalCodePipeline.builder().actionType(TYPE).continuationDelay(Duration.ofHours(1)).start();
        worker = codePipeline.workerFor(TYPE, context -> OUTCOMES.computeIfAbsent(context.jobId(),
                id -> new CompletableFuture<>()).get()).build().start();
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
        codePipeline.close();
    }

    private static final long SEED = Long.getLong("outcome.seed", 20L);

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> SEED * 1000 + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theReportFitsTheApiAndTheEmulatorAcceptsIt(long seed) {
        JobOutcome outcome = new Outcomes(new Random(seed)).any();
        Report report = VALIDATOR.validate(outcome);

        assertFitsTheApi(report);
        JobInfo job = codePipeline.enqueue(JobSpec.builder(TYPE).build());
        OUTCOMES.computeIfAbsent(job.jobId(), id -> new CompletableFuture<>()).complete(outcome);
        RecordedResult recorded = codePipeline.awaitResult(job.jobId(), Duration.ofSeconds(20));
        if (report instanceof Report.Success success) {
            assertThat(recorded).isInstanceOfSatisfying(RecordedResult.Success.class, s -> {
                assertThat(s.continuationToken()).isEqualTo(success.continuationToken());
                assertThat(s.outputVariables()).isEqualTo(success.outputVariables());
            });
        } else {
            Report.Failure failure = (Report.Failure) report;
            assertThat(recorded).isInstanceOfSatisfying(RecordedResult.Failure.class, f -> {
                assertThat(f.type()).isEqualTo(failure.type());
                assertThat(f.message()).isEqualTo(failure.message());
            });
        }
    }

    private static void assertFitsTheApi(Report report) {
        if (report instanceof Report.Success s) {
            assertAtMost(s.summary(), 2048);
            assertAtMost(s.externalExecutionId(), 1500);
            if (s.percentComplete() != null) {
                assertThat(s.percentComplete()).isBetween(0, 100);
            }
            if (s.continuationToken() != null) {
                assertThat(s.continuationToken()).isNotEmpty().hasSizeLessThanOrEqualTo(2048);
            }
            if (s.currentRevision() != null) {
                assertThat(s.currentRevision().revision()).isNotEmpty().hasSizeLessThanOrEqualTo(1500);
                assertThat(s.currentRevision().changeIdentifier()).isNotEmpty().hasSizeLessThanOrEqualTo(100);
                assertAtMost(s.currentRevision().revisionSummary(), 2048);
            }
            long bytes = 0;
            for (Map.Entry<String, String> variable : s.outputVariables().entrySet()) {
                assertThat(variable.getKey()).matches("[A-Za-z0-9@\\-_]+");
                bytes += utf8(variable.getKey()) + utf8(variable.getValue());
            }
            assertThat(bytes).isLessThanOrEqualTo(122_880);
        } else {
            Report.Failure f = (Report.Failure) report;
            assertThat(f.message()).isNotBlank().hasSizeLessThanOrEqualTo(5000);
            assertAtMost(f.externalExecutionId(), 1500);
        }
    }

    private static void assertAtMost(String text, int max) {
        if (text != null) {
            assertThat(text).isNotBlank().hasSizeLessThanOrEqualTo(max);
        }
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Outcomes a handler can return, each member absent, ordinary, at its limit or past it. */
    private record Outcomes(Random random) {

        JobOutcome any() {
            return switch (random.nextInt(3)) {
                case 0 -> success();
                case 1 -> continuation();
                default -> JobOutcome.fail(FailureType.values()[random.nextInt(FailureType.values().length)],
                        text(5000)).withExternalExecutionId(text(1500));
            };
        }

        private JobOutcome success() {
            JobOutcome.Success success = JobOutcome.success(text(2048)).withExternalExecutionId(text(1500))
                    .withPercentComplete(percent());
            if (random.nextBoolean()) {
                success = success.withCurrentRevision(new CurrentRevision(orEmpty(text(1500)), orEmpty(text(100)),
                        random.nextBoolean() ? Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE)) : null,
                        text(2048)));
            }
            return success.withOutputVariables(random.nextInt(4) == 0
                    ? Map.of("big", "v".repeat(122_880 - 3 + random.nextInt(7) - 3))
                    : variables());
        }

        private Map<String, String> variables() {
            Map<String, String> variables = new HashMap<>();
            int count = random.nextInt(5);
            for (int n = 0; n < count; n++) {
                int i = n;
                String key = pick(() -> "key" + i, () -> "k-@_" + i, () -> "bad key " + i, () -> "",
                        () -> "cl\u00e9" + i);
                variables.put(key, orEmpty(text(300)));
            }
            return variables;
        }

        private JobOutcome continuation() {
            JobOutcome.Continue next = random.nextBoolean()
                    ? JobOutcome.continueWith(orEmpty(text(2048)))
                    : JobOutcome.continueWithState(new State(text(2048),
                            random.ints(random.nextInt(400), -1000, 1000).boxed().toList()));
            return next.withSummary(text(2048)).withExternalExecutionId(text(1500)).withPercentComplete(percent());
        }

        private Integer percent() {
            return random.nextInt(4) == 0 ? null : random.nextInt(201) - 50;
        }

        /** Absent, blank, short, or of a length around {@code limit} (just below, at, just past, far past). */
        private String text(int limit) {
            int length = switch (random.nextInt(6)) {
                case 0 -> -1;
                case 1 -> random.nextInt(20);
                case 2 -> limit - 1 - random.nextInt(3);
                case 3 -> limit;
                case 4 -> limit + 1 + random.nextInt(3);
                default -> random.nextInt(limit * 3);
            };
            if (length < 0) {
                return random.nextBoolean() ? null : " \t\n";
            }
            StringBuilder text = new StringBuilder(length);
            while (text.length() < length) {
                text.append(pick(() -> String.valueOf((char) (' ' + random.nextInt(95))),
                        () -> String.valueOf((char) (0xa0 + random.nextInt(0x760))),
                        () -> "\uD83D\uDE00", () -> "\uD834\uDD1E", () -> "e\u0301", () -> "\u65e5\u672c"));
            }
            return text.toString();
        }

        @SafeVarargs
        private <T> T pick(Supplier<T>... choices) {
            return choices[random.nextInt(choices.length)].get();
        }

        private static String orEmpty(String text) {
            return text == null ? "" : text;
        }
    }
}
