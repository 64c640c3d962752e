package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import dev.pipelineworker.actiontype.RegistrationFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone emulator's {@code --action-type FILE[@REGION]}. */
class LocalCodePipelineMainActionTypeTest {

    @TempDir
    Path temp;

    @Test
    void aRegistrationFileGivenOnTheCommandLineIsWhatGetActionTypeAnswersInItsRegion() throws IOException {
        ActionTypeDefinition definition = ActionTypeDefinition.builder(
                ActionTypeId.thirdParty(ActionCategory.DEPLOY, "Cli", "3"))
                .properties(ConfigurationProperty.required("Stack")).build();
        Path file = Files.writeString(temp.resolve("action-type.json"), RegistrationFiles.of(definition));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        try (LocalCodePipeline emulator = LocalCodePipelineMain.start(new String[] {"--action-type",
                file + "@eu-west-1"}, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            assertThat(emulator.client("eu-west-1").getActionType(r -> r.category("Deploy").owner("ThirdParty")
                    .provider("Cli").version("3")).actionType().properties().get(0).name()).isEqualTo("Stack");
            assertThatThrownBy(() -> emulator.client("us-east-1").getActionType(r -> r.category("Deploy")
                    .owner("ThirdParty").provider("Cli").version("3")))
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void anUnreadableOrInvalidFileIsAnErrorNamingIt() throws IOException {
        assertThatThrownBy(() -> LocalCodePipelineMain.start(new String[] {"--action-type",
                temp.resolve("missing.json").toString()}, System.out))
                .hasMessageContaining("--action-type").hasMessageContaining("cannot be read");
        Path invalid = Files.writeString(temp.resolve("bad.json"), "{\"actionType\": {\"id\": {}}}");
        assertThatThrownBy(() -> LocalCodePipelineMain.start(new String[] {"--action-type", invalid.toString()},
                System.out)).hasMessageContaining("Member must not be null");
    }
}
