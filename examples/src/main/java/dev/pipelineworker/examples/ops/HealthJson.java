package dev.pipelineworker.examples.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.QueueHealth;
import dev.pipelineworker.WorkerHealth;
import java.util.Locale;

/**
 * A {@link WorkerHealth} snapshot as the health endpoints' JSON body:
 * <pre>{@code
 * {"state":"ready","ready":true,"live":true,"slotsInUse":1,"slotsFree":7,"jobsInFlight":1,"journalBacklog":1,
 *  "queues":[{"queue":"ThirdParty/Build/Manifest/1@us-east-1","lastSuccessfulPoll":"2025-06-01T12:00:00.123Z",
 *             "consecutiveFailures":0,"lastFailure":null}]}
 * }</pre>
 * States and failure kinds in lower case ({@code starting}, {@code ready}, {@code draining}, {@code stopped};
 * {@code throttled}, {@code access_denied}, {@code action_type_not_found}, {@code network}, {@code other}), as the
 * {@code pipeline_worker_state} gauge names them. Nothing in it is secret: the action type, regions, times and counts.
 */
final class HealthJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthJson() {
    }

    static byte[] of(WorkerHealth health) {
        ObjectNode body = JSON.createObjectNode()
                .put("state", lower(health.state()))
                .put("ready", health.isReady())
                .put("live", health.isLive())
                .put("slotsInUse", health.slotsInUse())
                .put("slotsFree", health.slotsFree())
                .put("jobsInFlight", health.jobsInFlight())
                .put("journalBacklog", health.journalBacklog());
        ArrayNode queues = body.putArray("queues");
        for (QueueHealth queue : health.queues()) {
            queues.addObject()
                    .put("queue", queue.queue().id())
                    .put("lastSuccessfulPoll", queue.lastSuccessfulPoll().map(Object::toString).orElse(null))
                    .put("consecutiveFailures", queue.consecutiveFailures())
                    .put("lastFailure", queue.lastFailure().map(HealthJson::lower).orElse(null));
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the health snapshot as JSON", e); // a tree: does not happen
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
