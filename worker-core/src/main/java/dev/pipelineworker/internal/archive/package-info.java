/** Zip extraction and creation behind {@code ArtifactStore}. Not API: it may change or go away in any release. */
package dev.pipelineworker.internal.archive;
