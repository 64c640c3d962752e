package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryArtifactStoreTest {

    private static InputStream bytes(int... values) {
        byte[] array = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            array[i] = (byte) values[i];
        }
        return new ByteArrayInputStream(array);
    }

    @Test
    void servesACopyOfEachInput() throws IOException {
        byte[] content = {1, 2, 3};
        InMemoryArtifactStore store = new InMemoryArtifactStore(Map.of("in", content), List.of());
        content[0] = 9;

        try (InputStream in = store.openInput("in")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void anUndeclaredInputIsAConfigurationErrorNamingTheArtifact() {
        InMemoryArtifactStore store = new InMemoryArtifactStore(Map.of("src", new byte[1]), List.of());

        assertThatThrownBy(() -> store.openInput("source"))
                .isInstanceOfSatisfying(JobFailureException.class,
                        e -> assertThat(e.type()).isEqualTo(FailureType.CONFIGURATION_ERROR))
                .hasMessageContaining("'source'").hasMessageContaining("[src]");
    }

    @Test
    void anUndeclaredOutputIsAConfigurationError() {
        InMemoryArtifactStore store = new InMemoryArtifactStore(Map.of(), List.of("out"));

        assertThatThrownBy(() -> store.writeOutput("other", bytes(1), 1))
                .isInstanceOfSatisfying(JobFailureException.class,
                        e -> assertThat(e.type()).isEqualTo(FailureType.CONFIGURATION_ERROR))
                .hasMessageContaining("'other'");
        assertThat(store.outputs()).isEmpty();
    }

    @Test
    void aStreamThatDoesNotMatchItsLengthIsRefused() {
        InMemoryArtifactStore store = new InMemoryArtifactStore(Map.of(), List.of("out"));

        assertThatThrownBy(() -> store.writeOutput("out", bytes(1, 2), 3))
                .isInstanceOf(IOException.class).hasMessageContaining("announced as 3 bytes but the stream held 2");
        assertThat(store.output("out")).isEmpty();
    }

    @Test
    void theLastWriteWinsAndAnUnknownLengthIsAccepted() throws IOException {
        InMemoryArtifactStore store = new InMemoryArtifactStore(Map.of(), List.of("out"));

        store.writeOutput("out", bytes(1), 1);
        store.writeOutput("out", bytes(4, 5), -1);

        assertThat(store.output("out")).hasValueSatisfying(b -> assertThat(b).containsExactly(4, 5));
        store.outputs().get("out")[0] = 0;
        assertThat(store.output("out").orElseThrow()).containsExactly(4, 5);
    }
}
