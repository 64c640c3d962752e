/** Implementation of the Lambda entry point. Not API: do not import it. */
package dev.pipelineworker.lambda.internal;
