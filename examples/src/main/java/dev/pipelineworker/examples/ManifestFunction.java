package dev.pipelineworker.examples;

import dev.pipelineworker.lambda.JobHandlerLambda;

/**
 * The {@link ManifestHandler} as a Lambda function: the same handler the polling worker runs,
 * deployed under CodePipeline's Lambda integration model. Packaged as
 * {@code examples/target/manifest-lambda.jar}; the function's handler setting is
 * {@code dev.pipelineworker.examples.ManifestFunction::handleRequest}.
 */
public final class ManifestFunction extends JobHandlerLambda {

    /** Called once per Lambda execution environment. */
    public ManifestFunction() {
        super(new ManifestHandler());
    }
}
