package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The standalone emulator's options, parsed in this JVM: the client it names and the mistakes it refuses. */
class LocalCodePipelineMainOptionsTest {

    private static final String CLIENT_ID = "0f6c7a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f";

    private static LocalCodePipeline start(ByteArrayOutputStream printed, String... args) {
        return LocalCodePipelineMain.start(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Test
    void theGivenClientIdIsTheDefaultClientAndIsPrinted() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalCodePipeline cp = start(printed, "--client-id", CLIENT_ID, "--client-token", "cli-token")) {
            assertThat(cp.defaultClientId()).isEqualTo(CLIENT_ID);
            assertThat(cp.clientToken(CLIENT_ID)).hasValue("cli-token");
            assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                    .containsExactly(cp.endpoint().toString(), "third-party clientId " + CLIENT_ID);
        }
    }

    @Test
    void withoutAClientTokenTheClientHasTheDocumentedOne() {
        try (LocalCodePipeline cp = start(new ByteArrayOutputStream(), "--client-id", CLIENT_ID)) {
            assertThat(cp.clientToken(CLIENT_ID)).hasValue(LocalCodePipelineMain.DEFAULT_CLIENT_TOKEN);
        }
    }

    @Test
    void anOptionWithoutItsValueOrAnUnknownOneIsRefused() {
        assertThatThrownBy(() -> start(new ByteArrayOutputStream(), "--port"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing value for --port");
        assertThatThrownBy(() -> start(new ByteArrayOutputStream(), "--region", "eu-west-1", "--job"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing value for --job");
        assertThatThrownBy(() -> start(new ByteArrayOutputStream(), "--colour", "blue"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option --colour");
    }

    @Test
    void aJobNeedsAllFourPartsOfItsActionType() {
        assertThatThrownBy(() -> start(new ByteArrayOutputStream(), "--job", "ThirdParty:Build:Tool"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--job wants OWNER:CATEGORY:PROVIDER:VERSION[@REGION], got ThirdParty:Build:Tool");
        assertThatThrownBy(() -> start(new ByteArrayOutputStream(), "--job", "ThirdParty:Build:Tool:1:2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got ThirdParty:Build:Tool:1:2");
    }

    @Test
    void helpPrintsTheUsageInThisJvm() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            LocalCodePipelineMain.main(new String[] {"--port", "0", "--help"});
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(LocalCodePipelineMain.USAGE);
    }
}
