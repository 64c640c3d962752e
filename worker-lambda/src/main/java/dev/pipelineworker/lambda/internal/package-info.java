/**
 * The engine behind {@link dev.pipelineworker.lambda.JobHandlerLambda}. Not API: it may change or go
 * away in any release.
 */
package dev.pipelineworker.lambda.internal;
