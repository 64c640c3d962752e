/**
 * Runs a {@link dev.pipelineworker.JobHandler} under CodePipeline's Lambda integration model:
 * {@link dev.pipelineworker.lambda.JobHandlerLambda} is the function's entry point and
 * {@link dev.pipelineworker.lambda.LambdaOptions} its settings. Test support lives in
 * {@link dev.pipelineworker.lambda.testing}; {@code internal} packages are not API.
 */
package dev.pipelineworker.lambda;
