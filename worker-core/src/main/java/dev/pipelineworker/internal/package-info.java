/**
 * The worker's runtime: polling, claiming, running and reporting jobs. Not API: anything here may
 * change or go away in any release. Types marked {@link dev.pipelineworker.internal.SharedInternal}
 * are public only because other pipeline-worker modules use them.
 */
package dev.pipelineworker.internal;
