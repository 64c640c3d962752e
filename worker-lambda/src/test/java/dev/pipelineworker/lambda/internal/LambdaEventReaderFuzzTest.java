package dev.pipelineworker.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The event a Lambda action is invoked with, as any bytes: it is read into job data or refused as malformed, and
 * a refusal never quotes what the event carried. The corpus starts from the real events of the other tests, whose
 * configuration values and credentials hold recognisable secrets.
 */
class LambdaEventReaderFuzzTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Fuzz", "1");
    /** The secret values the seed events plant in configuration and credentials. */
    private static final Pattern SECRET = Pattern.compile(
            "SECRET-CONFIG-VALUE|wJalrXUtnFEMI|IQoJb3JpZ2lu|test-secret-access-key|test-session-token");

    private final LambdaEventReader reader = new LambdaEventReader(new ObjectMapper());

    @FuzzTest(maxDuration = "10s")
    void anyEventIsReadOrRefusedWithoutQuotingIt(byte[] event) {
        try {
            reader.read(event, TYPE, Region.US_EAST_1);
        } catch (LambdaEventReader.MalformedEventException e) {
            assertThat(e.getMessage()).startsWith("malformed Lambda event: ");
            assertThat(e.getMessage()).as("a refusal of %s", new String(event, StandardCharsets.UTF_8))
                    .doesNotContainPattern(SECRET);
        }
    }
}
