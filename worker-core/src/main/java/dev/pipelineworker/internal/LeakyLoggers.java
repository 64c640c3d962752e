package dev.pipelineworker.internal;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loggers of the libraries below the worker that print raw HTTP traffic or signing input at DEBUG or
 * TRACE, and with it a job's secrets: the Apache client's wire and header logs (CodePipeline's job
 * details hold the artifact credentials and configuration values; requests hold the client token),
 * Netty's LoggingHandler (S3 requests carry the job's session token in {@code x-amz-security-token}) and
 * the SDK's SigV4 signer (its canonical request holds that header too). The worker speaks SLF4J only and
 * cannot change levels, so it warns once at start when any of them is on.
 */
@SharedInternal
public final class LeakyLoggers {

    /** The loggers; docs/reliability.md tells operators to keep them at INFO or above. */
    public static final List<String> NAMES = List.of(
            "org.apache.http.wire",
            "org.apache.http.headers",
            "io.netty.handler.logging.LoggingHandler",
            "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner",
            "software.amazon.awssdk.auth.signer");

    private LeakyLoggers() {
    }

    /** The loggers of {@link #NAMES} that are enabled at DEBUG now. */
    public static List<String> enabled() {
        return NAMES.stream().filter(name -> LoggerFactory.getLogger(name).isDebugEnabled()).toList();
    }

    /** Warns on {@code log} when any of them is enabled at DEBUG. */
    public static void warnIfEnabled(Logger log) {
        List<String> on = enabled();
        if (!on.isEmpty()) {
            log.warn("DEBUG logging is on for {}: these loggers print raw HTTP requests and responses, including "
                    + "job artifact credentials, session tokens, client tokens and configuration values; set them "
                    + "to INFO outside local debugging", on);
        }
    }
}
