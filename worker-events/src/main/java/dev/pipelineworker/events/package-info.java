/**
 * Instant pickup and cancellation for job workers from CodePipeline's EventBridge events: {@link
 * dev.pipelineworker.events.WorkerEvents} long-polls the SQS queue a rule fills, and {@link
 * dev.pipelineworker.events.ActionExecutionCheck} finds cancelled jobs through ListActionExecutions without one.
 * See {@code docs/events.md}.
 */
package dev.pipelineworker.events;
