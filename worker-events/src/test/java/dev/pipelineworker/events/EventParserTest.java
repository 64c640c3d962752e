package dev.pipelineworker.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.events.internal.EventParser;
import dev.pipelineworker.events.internal.PipelineEvent;
import org.junit.jupiter.api.Test;

/** Events are read leniently: numbers or strings, wrapped or not; what the worker does not act on is no event. */
class EventParserTest {

    private final EventParser parser = new EventParser(new ObjectMapper());

    private static String action(String version) {
        return """
                {"version":"0","id":"1","detail-type":"CodePipeline Action Execution State Change",
                 "source":"aws.codepipeline","account":"123456789012","time":"2026-01-01T00:00:00Z",
                 "region":"eu-west-1","resources":[],
                 "detail":{"pipeline":"shop","execution-id":"e-1","stage":"Build","action":"Go","state":"started",
                  "type":{"owner":"Custom","category":"Build","provider":"Tool","version":%s}}}
                """.formatted(version);
    }

    @Test
    void typeVersionMayBeANumberOrAString() {
        assertThat(parser.parse(action("1"))).get().extracting(e -> ((PipelineEvent.ActionChange) e).version())
                .isEqualTo("1");
        assertThat(parser.parse(action("1.0"))).get().extracting(e -> ((PipelineEvent.ActionChange) e).version())
                .isEqualTo("1");
        assertThat(parser.parse(action("\"2\""))).get()
                .isEqualTo(new PipelineEvent.ActionChange("shop", "e-1", "Build", "Go", "STARTED", "eu-west-1",
                        "Custom", "Build", "Tool", "2"));
    }

    @Test
    void anEnvelopeWrappedAsAJsonStringIsRead() throws Exception {
        String wrapped = new ObjectMapper().writeValueAsString(action("1"));

        assertThat(parser.parse(wrapped)).get().isInstanceOf(PipelineEvent.ActionChange.class);
    }

    @Test
    void pipelineExecutionChangesAreRead() {
        String event = """
                {"detail-type":"CodePipeline Pipeline Execution State Change","source":"aws.codepipeline",
                 "region":"us-east-1","detail":{"pipeline":"shop","execution-id":"e-2","state":"STOPPED","version":3}}
                """;

        assertThat(parser.parse(event)).contains(new PipelineEvent.PipelineChange("shop", "e-2", "STOPPED",
                "us-east-1"));
    }

    @Test
    void otherDetailTypesSourcesAndBodiesAreNoEvent() {
        assertThat(parser.parse(action("1").replace("Action Execution", "Stage Execution"))).isEmpty();
        assertThat(parser.parse(action("1").replace("aws.codepipeline", "aws.s3"))).isEmpty();
        assertThat(parser.parse("not json")).isEmpty();
        assertThat(parser.parse("[1,2]")).isEmpty();
        assertThat(parser.parse("{\"source\":\"aws.codepipeline\",\"detail\":{}}")).isEmpty();
    }
}
