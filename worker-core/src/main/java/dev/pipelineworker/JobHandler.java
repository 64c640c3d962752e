package dev.pipelineworker;

/**
 * The integrator's code: does the work of one job and returns how it ended. The same handler runs
 * unchanged under the polling {@link JobWorker}, as a Lambda function ({@code worker-lambda}'s
 * {@code JobHandlerLambda}) and in the testkit's {@code HandlerTestEnvironment}. All three hand it
 * the same {@link JobContext} and turn what it returns or throws into the reported outcome with the
 * same code, so a handler ends a job the same way in a unit test as in production.
 *
 * <h2>Threads</h2>
 * A worker calls one handler instance for all of its jobs, from up to
 * {@link JobWorker.Builder#maxConcurrentJobs(int) maxConcurrentJobs} threads at once. A handler must
 * therefore be thread-safe: keep what belongs to one job in local variables (or in the continuation
 * state), never in fields, and share only clients and caches that are safe for concurrent use. The
 * {@link JobContext} belongs to one call: use it, and its {@linkplain JobContext#artifacts() artifact
 * store}, only until {@code handle} returns, when the store is closed.
 *
 * <h2>Deadline</h2>
 * {@link JobContext#deadline()} is when the job runs out of time: the claim plus the
 * {@link JobWorker.Builder#jobTimeout(java.time.Duration) jobTimeout} under the worker, the
 * invocation's remaining time less the safety margin under Lambda; {@link JobContext#remaining()}
 * is what is left of it. If the handler is still running when the deadline passes, the job is
 * reported as failed ({@link FailureType#JOB_FAILED}, "the job timed out: ...") and the handler's
 * thread is interrupted; whatever the handler returns or throws after that is dropped. Work that
 * needs longer than one job should return {@link JobOutcome#continueWithState(Object)} and go on in
 * the next job of the same action execution.
 *
 * <h2>Interrupts</h2>
 * The handler's thread is interrupted at the job's deadline and at the end of the worker's
 * {@link JobWorker.Builder#shutdownGrace(java.time.Duration) shutdown grace period}, when the jobs
 * still running are reported as failed with {@link FailureType#SYSTEM_UNAVAILABLE}, "worker
 * shutting down". The shutdown itself interrupts nothing: it only stops polling, and running
 * handlers get the grace period to finish. Either way the job has already been reported when the
 * interrupt comes, so the handler should stop: let {@link InterruptedException} end it (this method
 * may throw it), and check {@link Thread#isInterrupted()} in long loops that do not block. A
 * handler that swallows the interrupt keeps its thread, and under the worker its concurrency slot,
 * busy until it returns.
 *
 * <h2>Outcomes</h2>
 * <ul>
 *   <li>A returned {@link JobOutcome} is checked against the CodePipeline limits and reported (see
 *       {@link JobOutcome} for what is truncated and what becomes a failure).</li>
 *   <li>Returning {@code null} fails the job as {@link FailureType#JOB_FAILED}, "handler returned no
 *       outcome".</li>
 *   <li>A {@link JobFailureException}, thrown by the handler or by the SDK on its behalf (a missing
 *       configuration value, an unreadable artifact), fails the job with the exception's type and
 *       message, also when it arrives wrapped in an {@link java.util.concurrent.ExecutionException}
 *       or a {@link java.util.concurrent.CompletionException}.</li>
 *   <li>Anything else thrown, errors included, fails the job as {@link FailureType#JOB_FAILED},
 *       "handler failed: &lt;simple class name&gt;: &lt;message&gt;".</li>
 * </ul>
 * Only the exception's message reaches the console, never its stack trace or causes, so messages
 * must carry no secrets.
 *
 * <h2>Where it runs</h2>
 * <ul>
 *   <li>{@link JobWorker}: on the job executor, under the deadline, up to {@code maxConcurrentJobs}
 *       jobs at once.</li>
 *   <li>Lambda: one invocation at a time per execution environment, each on a thread of its own,
 *       under the deadline. A handler that ignores its interrupt keeps running after the result was
 *       returned, into the next invocation. The artifact credentials cannot be refreshed.</li>
 *   <li>{@code HandlerTestEnvironment}: on the calling thread, against a test clock. The deadline is
 *       there to read but not enforced: nothing interrupts the handler. An {@link AssertionError}
 *       the handler throws fails the test rather than the job.</li>
 * </ul>
 */
@FunctionalInterface
public interface JobHandler {
    /**
     * Runs one job and returns how it ended; see the class documentation for the threads it is
     * called on, its deadline and what throwing means.
     *
     * @param context the job: its configuration, artifacts, continuation and deadline
     * @return the outcome to report; {@code null} fails the job
     * @throws Exception to fail the job: a {@link JobFailureException} with its type, anything else as
     *                   {@link FailureType#JOB_FAILED}
     */
    JobOutcome handle(JobContext context) throws Exception;
}
