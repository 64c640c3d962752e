/**
 * The worker's runtime: the poll loop, the run of one job and the report pipeline, around a job with an explicit
 * state. Not API: this package may change or go away in any release; use {@link dev.pipelineworker.JobWorker}.
 */
package dev.pipelineworker.internal.runtime;
