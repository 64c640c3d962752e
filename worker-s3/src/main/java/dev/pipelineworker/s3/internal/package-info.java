/**
 * The S3 artifact store behind {@link dev.pipelineworker.s3.S3ArtifactStoreFactory}. Not API: it may
 * change or go away in any release.
 */
package dev.pipelineworker.s3.internal;
