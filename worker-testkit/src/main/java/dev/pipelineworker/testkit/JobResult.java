package dev.pipelineworker.testkit;

import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.internal.ContinuationCodec;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * How one run of a handler ended: the outcome the worker would report, the exception behind it if
 * the handler threw, the output artifacts written, and the files left in the scratch directory, or that the job
 * was {@linkplain #isCancelled() cancelled} while it ran, so that nothing would be reported. Accessors that expect
 * a kind of outcome or an output throw {@link AssertionError} describing what happened instead, so they read as
 * assertions. A class rather than a record because it holds byte arrays, which it copies out.
 */
public final class JobResult {

    private final TestJob job;
    private final JobOutcome outcome;
    private final Throwable thrown;
    private final Map<String, byte[]> outputs;
    private final Set<String> scratchFiles;
    private final boolean cancelled;

    JobResult(TestJob job, JobOutcome outcome, Throwable thrown, Map<String, byte[]> outputs,
              Set<String> scratchFiles, boolean cancelled) {
        this.job = job;
        this.outcome = outcome;
        this.thrown = thrown;
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.scratchFiles = Collections.unmodifiableSet(new TreeSet<>(scratchFiles));
        this.cancelled = cancelled;
    }

    /** The job that was run. */
    public TestJob job() {
        return job;
    }

    /**
     * The outcome exactly as the worker would report it: an exception or a {@code null} mapped to
     * a failure, long texts truncated, an outcome CodePipeline would refuse turned into the failure
     * that says why, a failure without a message given the worker's, and a continuation's state
     * encoded into its {@link JobOutcome.Continue#token() token}. For a {@linkplain #isCancelled() cancelled} job,
     * what the handler's run came to, which the worker drops.
     */
    public JobOutcome outcome() {
        return outcome;
    }

    /** What the handler threw, if it threw. */
    public Optional<Throwable> thrown() {
        return Optional.ofNullable(thrown);
    }

    /**
     * Whether the job was cancelled while its handler ran ({@link HandlerTestEnvironment#cancelRunningJob()}): the
     * worker reports nothing for it, so it neither succeeded, continued nor failed, and {@link #success()},
     * {@link #continuation()} and {@link #failure()} throw AssertionErrors saying so.
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the job succeeded; false for a cancelled job. */
    public boolean isSuccess() {
        return !cancelled && outcome instanceof JobOutcome.Success;
    }

    /** Whether the job asked to continue; false for a cancelled job. */
    public boolean isContinue() {
        return !cancelled && outcome instanceof JobOutcome.Continue;
    }

    /** Whether the job failed; false for a cancelled job. */
    public boolean isFailure() {
        return !cancelled && outcome instanceof JobOutcome.Fail;
    }

    /** The success; an AssertionError if the outcome is anything else. */
    public JobOutcome.Success success() {
        return expect(JobOutcome.Success.class);
    }

    /** The continuation; an AssertionError if the outcome is anything else. */
    public JobOutcome.Continue continuation() {
        return expect(JobOutcome.Continue.class);
    }

    /** The failure; an AssertionError if the outcome is anything else. */
    public JobOutcome.Fail failure() {
        return expect(JobOutcome.Fail.class);
    }

    /** The outcome's summary (a failure's message), or {@code null}. */
    public String summary() {
        return outcome.summary();
    }

    /** The continuation token the worker would send: the token as returned, or the state encoded. */
    public String continuationToken() {
        return continuation().token();
    }

    /** The continuation state as the next job will read it: encoded and decoded again, as {@code type}. */
    public <T> T continuationState(Class<T> type) {
        return ContinuationCodec.defaults().decode(continuationToken(), type)
                .orElseThrow(() -> new AssertionError("the continuation state is null"));
    }

    /**
     * The job CodePipeline creates after this continuation: the same action execution, inputs and
     * configuration, a new job id, and this job's continuation token.
     */
    public TestJob nextJob() {
        String token = continuationToken();
        // Derived from the previous id so a chain of jobs is the same on every run, yet each id differs.
        String nextId = UUID.nameUUIDFromBytes(job.jobId().getBytes(StandardCharsets.UTF_8)).toString();
        return job.toBuilder().jobId(nextId).continuationToken(token).build();
    }

    /**
     * What the handler left in its {@link dev.pipelineworker.JobContext#scratchDirectory() scratch
     * directory} when it returned: every entry but directories, as paths relative to it with
     * {@code /} separators, sorted; empty when it never asked for one. The directory itself is
     * deleted after the run, as the worker deletes it after the report: to read a file's content,
     * assert inside the handler.
     */
    public Set<String> scratchFiles() {
        return scratchFiles;
    }

    /** The names of the output artifacts written, in the order first written. */
    public Set<String> outputNames() {
        return outputs.keySet();
    }

    /** The bytes written to the named output artifact; an AssertionError if none were. */
    public byte[] outputBytes(String artifactName) {
        byte[] bytes = outputs.get(artifactName);
        if (bytes == null) {
            throw new AssertionError("no output artifact '" + artifactName + "' was written; written: "
                    + outputs.keySet() + "; outcome: " + outcome);
        }
        return bytes.clone();
    }

    /** The named output artifact unzipped: path to content, sorted by path, directories left out. */
    public Map<String, byte[]> outputFiles(String artifactName) {
        return Zips.unzip(outputBytes(artifactName), artifactName);
    }

    /** The named output artifact unzipped, every file read as UTF-8. */
    public Map<String, String> outputTexts(String artifactName) {
        return Zips.unzipTexts(outputBytes(artifactName), artifactName);
    }

    @Override
    public String toString() {
        return "JobResult[job=" + job.jobId()
                + (cancelled ? ", cancelled, the handler's outcome dropped=" : ", outcome=") + outcome
                + ", outputs=" + outputs.keySet() + "]";
    }

    private <T extends JobOutcome> T expect(Class<T> kind) {
        if (cancelled) {
            throw new AssertionError("expected a " + kind.getSimpleName() + " but the job was cancelled while its "
                    + "handler ran, so the worker reports nothing; the handler's outcome, dropped: " + outcome
                    + (thrown != null ? "; the handler threw " + thrown : ""), thrown);
        }
        if (!kind.isInstance(outcome)) {
            throw new AssertionError("expected a " + kind.getSimpleName() + " but the outcome was " + outcome
                    + (thrown != null ? "; the handler threw " + thrown : ""), thrown);
        }
        return kind.cast(outcome);
    }
}
