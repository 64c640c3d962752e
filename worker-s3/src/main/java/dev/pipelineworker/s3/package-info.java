/**
 * The S3 artifact store: {@link dev.pipelineworker.s3.S3ArtifactStoreFactory} opens each job's
 * artifacts with that job's credentials. Types in {@code dev.pipelineworker.s3.internal} are not
 * part of the API.
 */
package dev.pipelineworker.s3;
