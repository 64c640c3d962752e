/** The spans behind {@link dev.pipelineworker.opentelemetry.PipelineWorkerTracing}; not API. */
package dev.pipelineworker.opentelemetry.internal;
