/**
 * The local CodePipeline emulator's implementation; use {@link dev.pipelineworker.testkit.LocalCodePipeline}.
 * Not API: it may change or go away in any release.
 */
package dev.pipelineworker.testkit.emulator.internal;
