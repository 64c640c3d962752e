package dev.pipelineworker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.testkit.ChainResult;
import dev.pipelineworker.testkit.HandlerTestEnvironment;
import dev.pipelineworker.testkit.JobResult;
import dev.pipelineworker.testkit.TestJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HandlerTestEnvironment env = HandlerTestEnvironment.create();
    private final ManifestHandler handler = new ManifestHandler(env.clock());

    /** A job with one output artifact, "out", and one input, "source", holding two files. */
    private static TestJob.Builder job() {
        return TestJob.builder()
                .inputZip("source", Map.of("a.txt", "alpha", "src/b.md", "beta"))
                .outputArtifacts("out");
    }

    @Test
    void oneInputIsCopiedToTheRootWithAManifest() {
        JobResult result = env.run(handler, job().build());

        Map<String, String> out = result.outputTexts("out");
        assertEquals(Set.of("a.txt", "src/b.md", "manifest.json"), out.keySet());
        assertEquals("alpha", out.get("a.txt"));
        assertEquals("beta", out.get("src/b.md"));
    }

    @Test
    void severalInputsGoIntoFoldersNamedAfterTheirArtifacts() {
        TestJob job = job().inputZip("config", Map.of("a.txt", "other alpha")).build();

        Map<String, String> out = env.run(handler, job).outputTexts("out");

        assertEquals(Set.of("source/a.txt", "source/src/b.md", "config/a.txt", "manifest.json"), out.keySet());
        assertEquals("other alpha", out.get("config/a.txt"));
    }

    @Test
    void includeKeepsOnlyMatchingFiles() {
        JobResult result = env.run(handler, job().configuration("Include", "src/**").build());

        assertEquals(Set.of("src/b.md", "manifest.json"), result.outputTexts("out").keySet());
        assertEquals("1 file, 4 bytes", result.summary());
    }

    @Test
    void theManifestListsPathSizeHashArtifactAndRevision() throws IOException {
        TestJob job = job().inputRevision("source", "commit-1").inputZip("config", Map.of("c.txt", "gamma")).build();

        JsonNode manifest = JSON.readTree(env.run(handler, job).outputTexts("out").get("manifest.json"));

        assertEquals(JSON.readTree("""
                {"files": [
                  {"path": "config/c.txt", "size": 5, "sha256": "%s", "artifact": "config", "revision": null},
                  {"path": "source/a.txt", "size": 5, "sha256": "%s", "artifact": "source", "revision": "commit-1"},
                  {"path": "source/src/b.md", "size": 4, "sha256": "%s", "artifact": "source", "revision": "commit-1"}
                ]}""".formatted(sha256("gamma"), sha256("alpha"), sha256("beta"))), manifest);
    }

    @Test
    void theSummaryCountsFilesAndBytesAndTheExternalIdNamesTheExecution(@TempDir Path dir) throws IOException {
        byte[] big = new byte[3_400_000];
        new Random(7).nextBytes(big); // random bytes do not compress, so the zip bomb guard stays quiet
        Files.write(dir.resolve("big.bin"), big);
        Files.writeString(dir.resolve("small.txt"), "x");

        JobResult result = env.run(handler, TestJob.builder().inputDirectory("source", dir).outputArtifacts("out").build());

        assertEquals("2 files, 3.4 MB", result.success().summary());
        assertEquals("manifest-" + TestJob.DEFAULT_PIPELINE.actionExecutionId(), result.success().externalExecutionId());
    }

    @Test
    void sizesReadWell() {
        assertEquals(List.of("0 bytes", "1 byte", "999 bytes", "1.0 kB", "1.0 MB", "3.4 MB", "12.3 GB"),
                Stream.of(0L, 1L, 999L, 1000L, 999_950L, 3_449_999L, 12_345_678_901L).map(ManifestHandler::size).toList());
    }

    @Test
    void waitSecondsContinuesWithTypedStateUntilTheTimeIsUp() {
        TestJob first = job().configuration("WaitSeconds", "90").build();

        JobResult waiting = env.run(handler, first);
        assertEquals(new ManifestHandler.Waiting(HandlerTestEnvironment.DEFAULT_START,
                HandlerTestEnvironment.DEFAULT_START.plusSeconds(90)), waiting.continuationState(ManifestHandler.Waiting.class));
        assertTrue(waiting.outputNames().isEmpty());

        ChainResult chain = env.runUntilDone(handler, first, 10); // CodePipeline's 30 s between jobs: 0, 30, 60, 90
        assertEquals(4, chain.jobs().size());
        assertEquals("2 files, 9 bytes", chain.last().success().summary());
        assertTrue(chain.last().outputTexts("out").containsKey("manifest.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "3601", "soon"})
    void anInvalidWaitSecondsIsAConfigurationError(String value) {
        JobOutcome.Fail failure = env.run(handler, job().configuration("WaitSeconds", value).build()).failure();

        assertEquals(FailureType.CONFIGURATION_ERROR, failure.type());
        assertTrue(failure.message().contains("'WaitSeconds'"), failure.message());
    }

    @Test
    void workSecondsWorksThatLongInsideTheJobBeforeItPacks() {
        List<Duration> paused = new ArrayList<>();
        ManifestHandler working = new ManifestHandler(env.clock(), paused::add);

        JobResult result = env.run(working, job().configuration("WorkSeconds", "5").build());

        assertEquals(List.of(Duration.ofSeconds(5)), paused);
        assertEquals("2 files, 9 bytes", result.success().summary());
        assertTrue(env.run(working, job().build()).isSuccess());
        assertEquals(1, paused.size(), "no WorkSeconds, no pause");
    }

    @Test
    void workInterruptedByATimeoutOrShutdownFailsTheJobAndKeepsTheInterrupt() {
        ManifestHandler interrupted = new ManifestHandler(env.clock(), duration -> {
            throw new InterruptedException();
        });

        JobOutcome.Fail failure = env.run(interrupted, job().configuration("WorkSeconds", "60").build()).failure();

        assertEquals(FailureType.JOB_FAILED, failure.type());
        assertTrue(failure.message().contains("WorkSeconds"), failure.message());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the worker to see");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "3601", "a while"})
    void anInvalidWorkSecondsIsAConfigurationError(String value) {
        JobOutcome.Fail failure = env.run(handler, job().configuration("WorkSeconds", value).build()).failure();

        assertEquals(FailureType.CONFIGURATION_ERROR, failure.type());
        assertTrue(failure.message().contains("'WorkSeconds'"), failure.message());
    }

    @ParameterizedTest
    @EnumSource(FailureType.class)
    void failWithFailsWithThatType(FailureType type) {
        JobResult result = env.run(handler, job().configuration("FailWith", type.apiName()).build());

        assertEquals(type, result.failure().type());
        assertTrue(result.failure().message().contains("requested by configuration"), result.failure().message());
        assertTrue(result.outputNames().isEmpty());
    }

    @Test
    void anUnknownFailWithIsAConfigurationError() {
        JobOutcome.Fail failure = env.run(handler, job().configuration("FailWith", "PermissionsError").build()).failure();

        assertEquals(FailureType.CONFIGURATION_ERROR, failure.type());
        assertTrue(failure.message().contains("'FailWith'"), failure.message());
    }

    @Test
    void anInvalidIncludeIsAConfigurationError() {
        JobOutcome.Fail failure = env.run(handler, job().configuration("Include", "src/[a").build()).failure();

        assertEquals(FailureType.CONFIGURATION_ERROR, failure.type());
        assertTrue(failure.message().contains("'Include'"), failure.message());
    }

    @Test
    void anInputThatIsNotAZipFailsNamingTheArtifact() {
        TestJob job = job().inputBytes("notes", "plain text".getBytes(StandardCharsets.UTF_8)).build();

        JobOutcome.Fail failure = env.run(handler, job).failure();

        assertEquals(FailureType.JOB_FAILED, failure.type());
        assertTrue(failure.message().contains("'notes'"), failure.message());
    }

    @Test
    void anActionWithoutOutputArtifactIsAConfigurationError() {
        TestJob job = TestJob.builder().inputZip("source", Map.of("a.txt", "alpha")).build();

        assertEquals(FailureType.CONFIGURATION_ERROR, env.run(handler, job).failure().type());
    }

    @Test
    void anInputHoldingItsOwnManifestFails() {
        TestJob job = TestJob.builder().inputZip("source", Map.of("manifest.json", "{}")).outputArtifacts("out").build();

        JobOutcome.Fail failure = env.run(handler, job).failure();

        assertEquals(FailureType.JOB_FAILED, failure.type());
        assertTrue(failure.message().contains("manifest.json"), failure.message());
    }

    @Test
    void itWorksInTheJobsScratchDirectoryWhichTheEngineDeletesWhetherTheJobSucceedsOrFails() {
        List<Path> given = new ArrayList<>();
        JobHandler recording = context -> {
            given.add(context.scratchDirectory());
            return handler.handle(context);
        };

        JobResult success = env.run(recording, job().build());
        JobResult failure = env.run(recording, job().inputBytes("bad", new byte[] {1, 2, 3}).build());

        assertTrue(success.isSuccess());
        assertEquals(Set.of("in/source/a.txt", "in/source/src/b.md", "out/a.txt", "out/src/b.md", "out/manifest.json"),
                success.scratchFiles());
        assertTrue(failure.isFailure());
        assertEquals(2, given.size());
        assertTrue(given.stream().noneMatch(Files::exists), "deleted after each run: " + given);
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
