/**
 * The Spring Boot starter's API: {@link dev.pipelineworker.spring.boot.PipelineWorkerProperties} (the
 * {@code pipeline-worker.*} properties), {@link dev.pipelineworker.spring.boot.JobWorkerCustomizer} and
 * {@link dev.pipelineworker.spring.boot.CodePipelineClients}, and the auto-configurations, to exclude by class.
 */
package dev.pipelineworker.spring.boot;
