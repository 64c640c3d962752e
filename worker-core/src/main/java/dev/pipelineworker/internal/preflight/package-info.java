/**
 * The checks behind {@link dev.pipelineworker.JobWorker#preflight()}. Not API: anything here may change or go away
 * in any release.
 */
package dev.pipelineworker.internal.preflight;
