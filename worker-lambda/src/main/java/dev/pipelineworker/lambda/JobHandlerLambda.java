package dev.pipelineworker.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.lambda.internal.LambdaJobRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Runs a {@link JobHandler} as the Lambda function of a CodePipeline action type with a Lambda
 * executor: the same handler a {@code JobWorker} polls for, unchanged. Subclass it with a public
 * no-argument constructor and point the function's handler setting at that class:
 *
 * <pre>{@code
 * public class MyFunction extends JobHandlerLambda {
 *     public MyFunction() {
 *         super(new ManifestHandler());
 *     }
 * }
 * }</pre>
 *
 * <p>Each invocation reads the event ({@code jobId}, {@code accountId}, {@code data.*}), builds the
 * same {@code JobContext} the polling worker builds, opens artifacts through the
 * {@link dev.pipelineworker.ArtifactStoreFactory} (discovered, or from {@link LambdaOptions}) with
 * the event's action credentials and KMS key, and runs the handler on its own thread until the
 * Lambda's remaining time less the {@linkplain LambdaOptions#withSafetyMargin safety margin}, when
 * it is interrupted. The outcome is fitted to the same limits as on the polling worker and written
 * as {@code {"result": "success" | "continue" | "fail", ...}}. The handler runs through the same
 * code as under the polling worker, so the same handler reports the same outcome under both: it
 * sees the job's identity in the SLF4J MDC under the {@link dev.pipelineworker.MdcKeys} names, and
 * its {@linkplain dev.pipelineworker.JobContext#scratchDirectory() scratch directory}, under
 * {@code java.io.tmpdir}, is deleted after the invocation.
 *
 * <p>An invocation never ends in an unhandled Lambda error: a handler exception, a timeout, or an
 * event that is not what CodePipeline sends becomes a {@code fail} result with a clear message.
 * Credentials and configuration values never reach a log line or a message. The artifact
 * credentials cannot be refreshed in this model (a refresh fails the job saying so); a job that
 * needs longer than one invocation should return a continuation.
 *
 * <p>The function is constructed once per Lambda execution environment and may serve many
 * invocations, one at a time. A handler that ignores the interrupt at its deadline keeps running on
 * its (daemon) thread after the result was returned, into the next invocation if the environment
 * is reused: handlers should stop when interrupted, as under the polling worker.
 */
public abstract class JobHandlerLambda implements RequestStreamHandler {

    private final JobHandler handler;
    private final LambdaOptions options;
    private final LambdaJobRunner runner;

    /** A function running {@code handler} with {@link LambdaOptions#defaults()}. */
    protected JobHandlerLambda(JobHandler handler) {
        this(handler, LambdaOptions.defaults());
    }

    /** A function running {@code handler} with {@code options}. */
    protected JobHandlerLambda(JobHandler handler, LambdaOptions options) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.options = Objects.requireNonNull(options, "options");
        this.runner = new LambdaJobRunner(handler, options);
    }

    /**
     * A function object for {@code handler}, for code that invokes it itself (tests, a custom
     * runtime). A deployed function needs a named subclass with a no-argument constructor instead.
     */
    public static JobHandlerLambda of(JobHandler handler, LambdaOptions options) {
        return new JobHandlerLambda(handler, options) {
        };
    }

    /** Reads one CodePipeline event from {@code input} and writes the result payload to {@code output}. */
    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        output.write(runner.invoke(event, context));
        output.flush();
    }

    /** The handler this function runs. */
    public final JobHandler handler() {
        return handler;
    }

    /** The options this function runs with. */
    public final LambdaOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return getClass().getName() + "[handler=" + handler.getClass().getName() + ", " + options + "]";
    }
}
