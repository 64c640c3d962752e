/**
 * Value types of the local CodePipeline emulator ({@link dev.pipelineworker.testkit.LocalCodePipeline}):
 * job specifications, recorded calls and results, and fault rules.
 *
 * <p>Everything under {@code dev.pipelineworker.testkit.emulator.internal} is implementation and may change
 * without notice.
 */
package dev.pipelineworker.testkit.emulator;
