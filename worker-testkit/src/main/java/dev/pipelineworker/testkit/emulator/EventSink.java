package dev.pipelineworker.testkit.emulator;

/**
 * Where the emulator publishes the EventBridge events of its pipelines, as a rule targeting an SQS queue would
 * deliver them: each call gets one event, the whole JSON envelope ({@code version}, {@code id},
 * {@code detail-type}, {@code source: aws.codepipeline}, {@code account}, {@code time}, {@code region},
 * {@code resources}, {@code detail}). Events go out in the order the emulator made them, on one thread of the
 * emulator's own, never holding its lock; a sink that throws loses that event only (it is logged), as
 * EventBridge would give up on a broken target. Implementations forward to a queue, a list, or nowhere.
 */
@FunctionalInterface
public interface EventSink {

    /** Publishes one event; {@code eventJson} is the complete envelope. */
    void publish(String eventJson);
}
