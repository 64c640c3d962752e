/**
 * Traces the jobs a {@link dev.pipelineworker.JobWorker} runs with OpenTelemetry, after the CI/CD semantic
 * conventions: {@link dev.pipelineworker.opentelemetry.PipelineWorkerTracing} gives the
 * {@link dev.pipelineworker.JobObserver} to hand to the worker's builder. {@code internal} packages are not API.
 */
package dev.pipelineworker.opentelemetry;
