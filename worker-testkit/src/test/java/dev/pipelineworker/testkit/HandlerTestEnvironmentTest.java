package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerTestEnvironmentTest {

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create();

    @TempDir
    Path temp;

    /** Extracts every input and reports its files, path to text, as the summary. */
    private final JobHandler listInputs = context -> {
        Map<String, String> files = new TreeMap<>();
        for (Artifact input : context.inputArtifacts()) {
            Path dir = context.artifacts().extractInput(input.name(), Files.createTempDirectory(temp, input.name()));
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path file : paths.filter(Files::isRegularFile).toList()) {
                    files.put(input.name() + ":" + dir.relativize(file), Files.readString(file));
                }
            }
        }
        return JobOutcome.success(files.toString());
    };

    @Test
    void inputFromRawBytesIsServedAsIs() {
        JobHandler echo = context -> {
            try (InputStream in = context.artifacts().openInput("raw")) {
                return JobOutcome.success(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        };

        JobResult result = env.run(echo, TestJob.builder().inputBytes("raw", "not a zip".getBytes(StandardCharsets.UTF_8)).build());

        assertThat(result.success().summary()).isEqualTo("not a zip");
    }

    @Test
    void inputFromAMapIsZipped() {
        TestJob job = TestJob.builder().inputZip("src", Map.of("a.txt", "alpha", "dir/b.txt", "beta")).build();

        assertThat(env.run(listInputs, job).summary()).isEqualTo("{src:a.txt=alpha, src:dir/b.txt=beta}");
    }

    @Test
    void inputFromADirectoryIsZippedAndFromAFileIsTakenAsIs() throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree/nested"));
        Files.writeString(tree.resolve("deep.txt"), "deep");
        Files.writeString(temp.resolve("tree/top.txt"), "top");
        Path zipFile = Files.write(temp.resolve("other.zip"), Zips.zipTexts(Map.of("x.txt", "ex")));

        TestJob job = TestJob.builder()
                .inputDirectory("dir", temp.resolve("tree"))
                .inputFile("file", zipFile)
                .build();

        assertThat(env.run(listInputs, job).summary())
                .isEqualTo("{dir:nested/deep.txt=deep, dir:top.txt=top, file:x.txt=ex}");
    }

    @Test
    void jobDataHasRealisticDefaultsAndTakesOverrides() {
        AtomicReference<JobContext> seen = new AtomicReference<>();
        JobHandler capture = context -> {
            seen.set(context);
            return JobOutcome.success();
        };

        env.run(capture, TestJob.builder().inputZip("src", Map.of()).inputRevision("src", "abc123").build());
        JobContext defaults = seen.get();
        assertThat(defaults.actionTypeId()).isEqualTo(ActionTypeId.thirdParty(ActionCategory.BUILD, "Test", "1"));
        assertThat(defaults.jobId()).isEqualTo(TestJob.DEFAULT_JOB_ID);
        assertThat(defaults.accountId()).contains("111111111111");
        assertThat(defaults.pipeline().pipelineName()).isEqualTo("test-pipeline");
        assertThat(defaults.pipeline().actionExecutionId()).isNotBlank();
        assertThat(defaults.configuration().asMap()).isEmpty();
        assertThat(defaults.inputArtifact("src").revision()).isEqualTo("abc123");
        assertThat(defaults.outputArtifacts()).isEmpty();
        assertThat(defaults.encryptionKey()).isEmpty();
        assertThat(defaults.continuationToken()).isEmpty();

        env.run(capture, TestJob.builder()
                .jobId("job-7").accountId(null)
                .actionType(ActionTypeId.custom(ActionCategory.DEPLOY, "Mine", "2"))
                .configuration(Map.of("A", "1", "B", "2")).configuration("B", "3")
                .outputArtifacts("out1", "out2")
                .encryptionKey(EncryptionKey.kms("alias/pipeline"))
                .build());
        JobContext custom = seen.get();
        assertThat(custom.jobId()).isEqualTo("job-7");
        assertThat(custom.accountId()).isEmpty();
        assertThat(custom.actionTypeId().toString()).isEqualTo("Deploy/Custom/Mine/2");
        assertThat(custom.configuration().asMap()).isEqualTo(Map.of("A", "1", "B", "3"));
        assertThat(custom.outputArtifacts()).extracting(Artifact::name).containsExactly("out1", "out2");
        assertThat(custom.encryptionKey()).contains(EncryptionKey.kms("alias/pipeline"));
    }

    @Test
    void outputsCanBeReadAsBytesOrUnzipped() {
        byte[] binary = {0, (byte) 0xff, 42};
        JobHandler write = context -> {
            Path dir = Files.createDirectories(temp.resolve("out/sub"));
            Files.writeString(temp.resolve("out/a.txt"), "alpha");
            Files.write(dir.resolve("b.bin"), binary);
            context.artifacts().writeOutputZip("zipped", temp.resolve("out"));
            context.artifacts().writeOutput("plain", new ByteArrayInputStream(binary), binary.length);
            return JobOutcome.success();
        };

        JobResult result = env.run(write, TestJob.builder().outputArtifacts("zipped", "plain").build());

        assertThat(result.outputNames()).containsExactly("zipped", "plain");
        assertThat(result.outputBytes("plain")).containsExactly(binary);
        assertThat(result.outputFiles("zipped")).containsOnlyKeys("a.txt", "sub/b.bin");
        assertThat(result.outputFiles("zipped").get("sub/b.bin")).containsExactly(binary);
        assertThat(result.outputTexts("zipped")).containsEntry("a.txt", "alpha");
        assertThatThrownBy(() -> result.outputFiles("plain"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("'plain' is not a zip archive");
        assertThatThrownBy(() -> result.outputBytes("missing"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no output artifact 'missing' was written");
    }

    @Test
    void writingAnUndeclaredOutputIsAConfigurationError() {
        JobHandler write = context -> {
            context.artifacts().writeOutput("elsewhere", new ByteArrayInputStream(new byte[1]), 1);
            return JobOutcome.success();
        };

        JobResult result = env.run(write, TestJob.builder().outputArtifacts("out").build());

        assertThat(result.failure().type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
        assertThat(result.failure().message()).contains("'elsewhere'", "[out]");
        assertThat(result.outputNames()).isEmpty();
    }

    @Test
    void anArtifactTheActionDoesNotDeclareIsAConfigurationErrorWhereverTheHandlerAsks() {
        TestJob job = TestJob.builder().inputZip("src", Map.of("a", "b")).outputArtifacts("out").build();

        assertThat(env.run(context -> JobOutcome.success(context.outputArtifact("report").name()), job).failure())
                .isEqualTo(new JobOutcome.Fail(FailureType.CONFIGURATION_ERROR,
                        "the job has no output artifact named 'report'; it has [out]", null));
        assertThat(env.run(context -> JobOutcome.success(context.inputArtifact("source").name()), job).failure())
                .isEqualTo(new JobOutcome.Fail(FailureType.CONFIGURATION_ERROR,
                        "the job has no input artifact named 'source'; it has [src]", null));
        assertThat(env.run(context -> {
            context.artifacts().openInput("source").close();
            return JobOutcome.success();
        }, job).failure().type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
    }

    @Test
    void aJobFailureExceptionBecomesAFailOfItsType() {
        JobResult result = env.run(context -> {
            throw new JobFailureException(FailureType.PERMISSION_ERROR, "no access");
        }, TestJob.builder().build());

        assertThat(result.outcome()).isEqualTo(JobOutcome.fail(FailureType.PERMISSION_ERROR, "no access"));
        assertThat(result.thrown()).containsInstanceOf(JobFailureException.class);
    }

    @Test
    void anyOtherExceptionBecomesJobFailedWithACleanMessage() {
        JobResult result = env.run(context -> {
            throw new IOException("disk full");
        }, TestJob.builder().build());

        assertThat(result.isFailure()).isTrue();
        assertThat(result.failure().type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(result.failure().message()).isEqualTo("handler failed: IOException: disk full");
    }

    @Test
    void aNullOutcomeBecomesJobFailed() {
        JobResult result = env.run(context -> null, TestJob.builder().build());

        assertThat(result.outcome()).isEqualTo(JobOutcome.fail(FailureType.JOB_FAILED, "handler returned no outcome"));
        assertThat(result.thrown()).isEmpty();
    }

    @Test
    void anAssertionInsideTheHandlerFailsTheTest() {
        JobHandler asserting = context -> {
            throw new AssertionError("handler expectation");
        };

        assertThatThrownBy(() -> env.run(asserting, TestJob.builder().build()))
                .isInstanceOf(AssertionError.class).hasMessage("handler expectation");
    }

    @Test
    void expectingTheWrongKindOfOutcomeSaysWhatHappened() {
        JobResult result = env.run(context -> {
            throw new IllegalStateException("boom");
        }, TestJob.builder().build());

        assertThatThrownBy(result::success).isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected a Success")
                .hasMessageContaining("handler failed: IllegalStateException: boom");
        assertThatThrownBy(result::nextJob).isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected a Continue");
    }

    /** The state a polling handler carries from job to job. */
    record Poll(int count, Instant started) {
    }

    /** Continues with a typed state until it has polled three times, then reports how long it took. */
    private JobHandler pollThreeTimes() {
        return context -> {
            Poll poll = context.continuationState(Poll.class).orElse(new Poll(0, env.clock().instant()));
            if (poll.count() < 2) {
                return JobOutcome.continueWithState(new Poll(poll.count() + 1, poll.started()));
            }
            return JobOutcome.success("polled 3 times in " + Duration.between(poll.started(), env.clock().instant()));
        };
    }

    @Test
    void aContinuationChainCanBeDrivenByHand() {
        TestJob first = TestJob.builder().inputZip("src", Map.of("a", "b")).configuration("K", "V").build();

        JobResult one = env.run(pollThreeTimes(), first);
        assertThat(one.continuationState(Poll.class)).isEqualTo(new Poll(1, HandlerTestEnvironment.DEFAULT_START));

        env.clock().advance(Duration.ofSeconds(45));
        TestJob second = one.nextJob();
        assertThat(second.jobId()).isNotEqualTo(first.jobId());
        assertThat(second.pipeline()).isEqualTo(first.pipeline());
        assertThat(second.configuration()).isEqualTo(first.configuration());
        assertThat(second.inputArtifacts()).isEqualTo(first.inputArtifacts());
        assertThat(second.continuationToken()).contains(one.continuationToken());

        JobResult two = env.run(pollThreeTimes(), second);
        env.clock().advance(Duration.ofSeconds(45));
        JobResult three = env.run(pollThreeTimes(), two.nextJob());

        assertThat(three.success().summary()).isEqualTo("polled 3 times in PT1M30S");
        assertThat(three.job().jobId()).isNotIn(first.jobId(), second.jobId());
    }

    @Test
    void runUntilDoneAdvancesTheClockBetweenJobs() {
        ChainResult chain = env.continuationDelay(Duration.ofSeconds(20)).runUntilDone(pollThreeTimes(), TestJob.builder().build(), 5);

        assertThat(chain.jobs()).hasSize(3);
        assertThat(chain.first().continuationState(Poll.class))
                .isEqualTo(new Poll(1, HandlerTestEnvironment.DEFAULT_START));
        assertThat(chain.last().success().summary()).isEqualTo("polled 3 times in PT40S");
        assertThat(env.clock().instant()).isEqualTo(HandlerTestEnvironment.DEFAULT_START.plusSeconds(40));
    }

    @Test
    void runUntilDoneStopsAtTheLimit() {
        JobHandler forever = context -> JobOutcome.continueWith("again");

        assertThatThrownBy(() -> env.runUntilDone(forever, TestJob.builder().build(), 4))
                .isInstanceOf(AssertionError.class).hasMessageContaining("still continues after 4 jobs");
        assertThat(env.clock().instant()).isEqualTo(HandlerTestEnvironment.DEFAULT_START.plusSeconds(90));
    }

    @Test
    void aRawTokenIsCarriedAsIs() {
        JobResult first = env.run(context -> JobOutcome.continueWith("opaque-42"), TestJob.builder().build());

        JobResult second = env.run(context -> JobOutcome.success(context.continuationToken().orElseThrow()), first.nextJob());

        assertThat(second.summary()).isEqualTo("opaque-42");
    }

    @Test
    void aJobCanStartFromTypedState() {
        TestJob job = TestJob.builder().continuationState(new Poll(2, Instant.EPOCH)).build();

        assertThat(env.run(pollThreeTimes(), job).summary()).startsWith("polled 3 times in ");
    }

    @Test
    void aTokenCodePipelineWouldRefuseFailsTheJobAsTheWorkerWould() {
        JobResult result = env.run(context -> JobOutcome.continueWith("x".repeat(2049)), TestJob.builder().build());

        assertThat(result.failure().type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(result.failure().message()).contains("2049 characters").contains("1-2048");
    }

    @Test
    void outputVariablesOnAThirdPartyJobFailTheJobAsTheWorkerWould() {
        JobResult result = env.run(context -> JobOutcome.success().withOutputVariables(Map.of("k", "v")),
                TestJob.builder().build());

        assertThat(result.failure().message()).contains("only allowed on custom actions");
    }

    @Test
    void aFailureWithoutMessageGetsTheMessageTheWorkerSends() {
        JobResult result = env.run(context -> JobOutcome.fail(FailureType.CONFIGURATION_ERROR, null),
                TestJob.builder().build());

        assertThat(result.outcome()).isEqualTo(JobOutcome.fail(FailureType.CONFIGURATION_ERROR,
                "Job failed (ConfigurationError)"));
    }

    @Test
    void textsTooLongForCodePipelineAreTruncatedAsTheWorkerTruncatesThem() {
        JobResult failed = env.run(context -> JobOutcome.fail(FailureType.JOB_FAILED, "m".repeat(6_000)),
                TestJob.builder().build());
        JobResult succeeded = env.run(context -> JobOutcome.success("s".repeat(3_000)), TestJob.builder().build());

        assertThat(failed.failure().message()).hasSize(5_000).endsWith("... [truncated]");
        assertThat(succeeded.success().summary()).hasSize(2_048).endsWith("... [truncated]");
    }

    @Test
    void aContinuationsStateIsTheTokenTheWorkerSends() {
        JobResult result = env.run(context -> JobOutcome.continueWithState(new Poll(1, Instant.EPOCH)),
                TestJob.builder().build());

        assertThat(result.continuation().token()).isEqualTo(result.continuationToken()).isNotBlank();
        assertThat(result.continuation().state()).isNull();
        assertThat(result.continuationState(Poll.class)).isEqualTo(new Poll(1, Instant.EPOCH));
    }

    @Test
    void theScratchDirectoryIsTheJobsOwnAndDeletedAfterTheRunWithWhatItHeldListed() {
        AtomicReference<Path> given = new AtomicReference<>();
        JobResult result = env.run(context -> {
            Path scratch = context.scratchDirectory();
            given.set(scratch);
            assertThat(scratch).isEmptyDirectory().isEqualTo(context.scratchDirectory());
            Files.writeString(Files.createDirectories(scratch.resolve("in/sub")).resolve("a.txt"), "alpha");
            Files.writeString(scratch.resolve("notes.txt"), "n");
            return JobOutcome.success();
        }, TestJob.builder().build());

        assertThat(result.scratchFiles()).containsExactly("in/sub/a.txt", "notes.txt");
        assertThat(given.get()).doesNotExist();
        assertThat(given.get().getParent()).as("the environment's root, emptied").doesNotExist();
    }

    @Test
    void aHandlerThatNeverAsksForAScratchDirectoryGetsNone() {
        JobResult result = env.run(context -> JobOutcome.success(), TestJob.builder().build());

        assertThat(result.scratchFiles()).isEmpty();
    }

    @Test
    void theScratchDirectoryIsDeletedWhenAnAssertionInTheHandlerFailsTheTest() {
        AtomicReference<Path> given = new AtomicReference<>();

        assertThatThrownBy(() -> env.run(context -> {
            given.set(Files.writeString(context.scratchDirectory().resolve("left.txt"), "x"));
            throw new AssertionError("handler expectation");
        }, TestJob.builder().build())).hasMessage("handler expectation");

        assertThat(given.get()).doesNotExist();
    }

    @Test
    void deadlineAndRemainingFollowTheClock() {
        JobHandler slow = context -> {
            env.clock().advance(Duration.ofMinutes(4));
            return JobOutcome.success(context.deadline() + " " + context.remaining());
        };

        JobResult result = env.jobTimeout(Duration.ofMinutes(10)).run(slow, TestJob.builder().build());

        assertThat(result.summary()).isEqualTo("2025-01-01T00:10:00Z PT6M");
    }
}
