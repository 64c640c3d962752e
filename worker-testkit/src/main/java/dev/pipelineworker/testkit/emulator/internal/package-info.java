/**
 * Implementation of the local CodePipeline emulator; not an API: use
 * {@link dev.pipelineworker.testkit.LocalCodePipeline} instead.
 */
package dev.pipelineworker.testkit.emulator.internal;
