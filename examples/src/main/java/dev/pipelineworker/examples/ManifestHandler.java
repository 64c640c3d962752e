package dev.pipelineworker.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobContext;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ArtifactCount;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import dev.pipelineworker.actiontype.PropertyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * An example third-party Build action. It repackages every input artifact into its first output
 * artifact, adding a {@code manifest.json} that lists each file with its size, SHA-256, and the
 * input artifact and revision it came from. With one input its files sit at the root; with
 * several, each input's files sit in a folder named after the artifact.
 *
 * <p>Its action type is declared by {@link #actionType(ActionTypeId)}: the registration file is generated from it
 * ({@code example-worker registration}) and the worker checks jobs against it.
 *
 * <p>Configuration, all optional:
 * <ul>
 *   <li>{@code Include}: a glob ({@link java.nio.file.FileSystem#getPathMatcher "glob:"} syntax) of the
 *       files to keep, matched against paths inside each artifact; default everything.
 *   <li>{@code WaitSeconds}: 0-3600. Simulates work handed to an external system: the job continues,
 *       carrying a typed state, until that many seconds have passed.
 *   <li>{@code FailWith}: a failure type such as {@code JobFailed} or {@code PermissionError}; the job
 *       fails with it, to try out how a pipeline reacts.
 *   <li>{@code WorkSeconds}: 0-3600. Simulates work done inside the job: the handler sleeps that long
 *       before it packs, so you can watch a worker drain a running job on SIGTERM, or a job timeout
 *       interrupt it. Unlike {@code WaitSeconds}, the job holds a worker slot all that time.
 * </ul>
 */
public final class ManifestHandler implements JobHandler {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The action type the example registers by default: a third-party Build action, provider Manifest, version 1. */
    public static final ActionTypeId DEFAULT_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Manifest", "1");

    /** The manifest action declared as {@code id}, which may be a custom type or another version. */
    public static ActionTypeDefinition actionType(ActionTypeId id) {
        ActionTypeDefinition.Builder builder = ActionTypeDefinition.builder(id)
                .inputArtifacts(ArtifactCount.of(1, 5))
                .outputArtifacts(ArtifactCount.exactly(1))
                .properties(
                        ConfigurationProperty.optional("Include").withDescription(
                                "A glob of the files to keep, matched inside each artifact; default everything"),
                        ConfigurationProperty.optional("WaitSeconds").withType(PropertyType.NUMBER).withDescription(
                                "0-3600: continue the job, as for work handed to an external system, that long"),
                        ConfigurationProperty.optional("FailWith").withDescription(
                                "A failure type such as JobFailed: fail the job with it, to try a pipeline out"),
                        ConfigurationProperty.optional("WorkSeconds").withType(PropertyType.NUMBER).withDescription(
                                "0-3600: work inside the job that long before packing"));
        if (id.owner() == ActionOwner.THIRD_PARTY) {
            builder.description("Repackages the input artifacts into one output with a manifest.json of every file")
                    .executorJobTimeout(Duration.ofHours(1))
                    .policyStatementsTemplate("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                            + "[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}]}");
        }
        return builder.build();
    }

    private final Clock clock;
    private final Pause pause;

    /** A handler on the system clock. */
    public ManifestHandler() {
        this(Clock.systemUTC());
    }

    /** A handler reading the time from {@code clock}, so tests can move it. */
    public ManifestHandler(Clock clock) {
        this(clock, Pause.SLEEP);
    }

    /** A handler that also spends {@code WorkSeconds} in {@code pause}, so tests need not sleep. */
    ManifestHandler(Clock clock, Pause pause) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    /** How the handler spends {@code WorkSeconds}. */
    @FunctionalInterface
    interface Pause {
        /** Sleeps; an interrupt (the job timed out, or the worker stops) ends it early. */
        Pause SLEEP = duration -> Thread.sleep(duration.toMillis());

        void pause(Duration duration) throws InterruptedException;
    }

    /** What a waiting job hands to the next one: when the wait started and when it ends. */
    record Waiting(Instant started, Instant due) {
    }

    /** One line of the manifest. {@code revision} is {@code null} when CodePipeline sent none. */
    record ManifestEntry(String path, long size, String sha256, String artifact, String revision) {
    }

    /** The whole manifest.json. */
    record Manifest(List<ManifestEntry> files) {
    }

    @Override
    public JobOutcome handle(JobContext context) throws IOException {
        // Read all configuration first, so a typo fails the first job rather than one after a long wait.
        ActionConfiguration config = context.configuration();
        PathMatcher include = includeMatcher(config);
        int waitSeconds = config.optionalInt("WaitSeconds", 0, 3600).orElse(0);
        FailureType failWith = config.optionalEnum("FailWith", FailureType.class).orElse(null);
        int workSeconds = config.optionalInt("WorkSeconds", 0, 3600).orElse(0);
        String externalId = "manifest-"
                + Objects.requireNonNullElse(context.pipeline().actionExecutionId(), context.jobId());

        if (failWith != null) {
            throw new JobFailureException(failWith,
                    "failing with " + failWith.apiName() + " as requested by configuration (FailWith)");
        }
        if (waitSeconds > 0) {
            Instant now = clock.instant();
            Waiting waiting = context.continuationState(Waiting.class)
                    .orElse(new Waiting(now, now.plusSeconds(waitSeconds)));
            if (now.isBefore(waiting.due())) {
                return JobOutcome.continueWithState(waiting)
                        .withSummary("waiting for the external system until " + waiting.due())
                        .withExternalExecutionId(externalId);
            }
        }
        if (context.outputArtifacts().isEmpty()) {
            throw new JobFailureException(FailureType.CONFIGURATION_ERROR, "the action declares no output artifact");
        }
        if (workSeconds > 0) {
            try {
                pause.pause(Duration.ofSeconds(workSeconds));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobFailureException(FailureType.JOB_FAILED, "interrupted after less than "
                        + workSeconds + " s of work (WorkSeconds): the job timed out or the worker stopped");
            }
        }

        // The job's own directory, deleted by the worker after the report whether the job succeeds or fails.
        Path work = context.scratchDirectory();
        Manifest manifest = collect(context, include, work.resolve("in"), work.resolve("out"));
        context.artifacts().writeOutputZip(context.outputArtifacts().get(0).name(), work.resolve("out"));
        long bytes = manifest.files().stream().mapToLong(ManifestEntry::size).sum();
        return JobOutcome.success(count(manifest.files().size()) + ", " + size(bytes))
                .withExternalExecutionId(externalId);
    }

    /** Extracts each input, copies the files to keep into {@code out}, and writes the manifest there. */
    private static Manifest collect(JobContext context, PathMatcher include, Path in, Path out) throws IOException {
        boolean oneInput = context.inputArtifacts().size() == 1;
        List<ManifestEntry> entries = new ArrayList<>();
        for (Artifact input : context.inputArtifacts()) {
            Path extracted = context.artifacts().extractInput(input.name(), in.resolve(input.name()));
            Path target = oneInput ? out : out.resolve(input.name());
            for (Path file : regularFiles(extracted)) {
                Path relative = extracted.relativize(file);
                if (include.matches(relative)) {
                    Path copy = target.resolve(relative.toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES); // keeps executable bits
                    String path = out.relativize(copy).toString().replace('\\', '/');
                    entries.add(new ManifestEntry(path, Files.size(copy), sha256(copy),
                            input.name(), input.revision()));
                }
            }
        }
        Files.createDirectories(out);
        Path manifestFile = out.resolve("manifest.json");
        if (Files.exists(manifestFile)) {
            throw new JobFailureException(FailureType.JOB_FAILED,
                    "input artifact '" + context.inputArtifacts().get(0).name() + "' already holds a manifest.json");
        }
        entries.sort(Comparator.comparing(ManifestEntry::path));
        Manifest manifest = new Manifest(entries);
        JSON.writeValue(manifestFile.toFile(), manifest);
        return manifest;
    }

    private static PathMatcher includeMatcher(ActionConfiguration config) {
        String glob = config.optionalString("Include").orElse("**");
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) {
            throw new JobFailureException(FailureType.CONFIGURATION_ERROR,
                    "configuration key 'Include' is not a valid glob");
        }
    }

    // Symlinks and other special files are left out: the manifest describes content, not links.
    private static List<Path> regularFiles(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String count(int files) {
        return files == 1 ? "1 file" : files + " files";
    }

    /** A size for people: bytes up to 999, then kB, MB, GB with one decimal (powers of 1000). */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes / 1000.0;
        int unit = 0;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
