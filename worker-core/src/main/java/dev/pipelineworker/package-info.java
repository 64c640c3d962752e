/**
 * The API for writing a CodePipeline job worker: a {@link dev.pipelineworker.JobHandler} does one
 * job with what its {@link dev.pipelineworker.JobContext} holds and returns a
 * {@link dev.pipelineworker.JobOutcome}; a {@link dev.pipelineworker.JobWorker} polls for jobs and
 * runs the handler. Build values with their factories and builders rather than their canonical
 * constructors, which change when a member is added. Packages named {@code internal} are not API.
 */
package dev.pipelineworker;
