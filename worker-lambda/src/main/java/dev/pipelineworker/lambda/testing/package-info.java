/**
 * Test support for Lambda deployments: build CodePipeline Lambda events ({@link
 * dev.pipelineworker.lambda.testing.LambdaEvent}, fluently or from a testkit {@code TestJob}),
 * invoke a {@link dev.pipelineworker.lambda.JobHandlerLambda} locally with in-memory artifacts
 * ({@link dev.pipelineworker.lambda.testing.LocalLambdaInvoker}) and a context whose remaining time
 * you set ({@link dev.pipelineworker.lambda.testing.FakeLambdaContext}), and read the result
 * ({@link dev.pipelineworker.lambda.testing.LambdaResponse}).
 *
 * <p>Needs {@code dev.pipelineworker:worker-testkit} on the test classpath: {@code worker-lambda}
 * declares it optional so a deployed function never carries it.
 */
package dev.pipelineworker.lambda.testing;
