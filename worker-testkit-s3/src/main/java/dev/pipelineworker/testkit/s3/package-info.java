/**
 * End-to-end tests of a worker in the test's own JVM: {@link dev.pipelineworker.testkit.s3.LocalS3} (S3Mock),
 * {@link dev.pipelineworker.testkit.s3.LocalWorkers} (a real {@code JobWorker} wired to it and to
 * {@code LocalCodePipeline}) and {@link dev.pipelineworker.testkit.s3.LocalWorkerExtension} for JUnit 5. A separate
 * artifact, {@code worker-testkit-s3}, so that handler unit tests on {@code worker-testkit} need no Spring Boot.
 */
package dev.pipelineworker.testkit.s3;
