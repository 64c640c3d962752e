package dev.pipelineworker.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The event a Lambda action is invoked with, as any bytes: it is read into job data or refused as malformed, and
 * a refusal never quotes its secrets (the artifact credentials and the configuration values). The corpus starts
 * from the real events of the other tests, whose configuration values and credentials hold recognisable secrets.
 * Field names and the other members may be quoted: when the fuzzer has moved a secret's text into one of those,
 * a quote could not be told from a leak, and only the message's form is checked.
 */
class LambdaEventReaderFuzzTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Fuzz", "1");
    /** The secret values the seed events plant in configuration and credentials. */
    private static final Pattern SECRET = Pattern.compile(
            "SECRET-CONFIG-VALUE|wJalrXUtnFEMI|IQoJb3JpZ2lu|test-secret-access-key|test-session-token");

    private final ObjectMapper mapper = new ObjectMapper();
    private final LambdaEventReader reader = new LambdaEventReader(mapper);

    @FuzzTest(maxDuration = "10s")
    void anyEventIsReadOrRefusedWithoutQuotingIt(byte[] event) {
        try {
            reader.read(event, TYPE, Region.US_EAST_1);
        } catch (LambdaEventReader.MalformedEventException e) {
            assertThat(e.getMessage()).startsWith("malformed Lambda event: ");
            if (secretsOnlyWhereSecret(event)) {
                assertThat(e.getMessage()).as("a refusal of %s", new String(event, StandardCharsets.UTF_8))
                        .doesNotContainPattern(SECRET);
            }
        }
    }

    /** Whether the secrets' text appears only in secret members, or the event is not JSON (then nothing may be quoted). */
    private boolean secretsOnlyWhereSecret(byte[] event) {
        JsonNode root;
        try {
            root = mapper.readTree(event);
        } catch (IOException e) {
            return true;
        }
        List<String> quotable = new ArrayList<>();
        collectQuotable(root, "", quotable);
        return quotable.stream().noneMatch(text -> SECRET.matcher(text).find());
    }

    private static void collectQuotable(JsonNode node, String path, List<String> quotable) {
        if (node == null) {
            return;
        }
        if (path.equals("data.artifactCredentials") || path.startsWith("data.actionConfiguration")) {
            // Only the names below: every value there is a credential or a configuration value.
            node.properties().forEach(field -> {
                quotable.add(field.getKey());
                collectQuotable(field.getValue(), path, quotable);
            });
            return;
        }
        if (node.isValueNode()) {
            quotable.add(node.asText());
        }
        node.properties().forEach(field -> {
            quotable.add(field.getKey());
            collectQuotable(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), quotable);
        });
        if (node.isArray()) {
            node.elements().forEachRemaining(element -> collectQuotable(element, path, quotable));
        }
    }
}
