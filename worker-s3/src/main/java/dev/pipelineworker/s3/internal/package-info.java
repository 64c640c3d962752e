/** Implementation of the S3 artifact store; not part of the API, may change without notice. */
package dev.pipelineworker.s3.internal;
