package dev.pipelineworker.events;

import dev.pipelineworker.testkit.emulator.EventSink;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends the emulator's events to an SQS queue, as an EventBridge rule with an SQS target does. */
record SqsEventSink(SqsClient sqs, String queueUrl) implements EventSink {

    @Override
    public void publish(String eventJson) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(eventJson));
    }
}
