package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link JobContext}'s default methods, as a context of one's own (a test double of a handler's) inherits them:
 * artifacts by name, failing as a wiring error that lists the known names, and no cancellation.
 */
class JobContextDefaultsTest {

    private static final Artifact SOURCE = Artifact.of("source", S3Location.of("bucket", "in.zip"));
    private static final Artifact BUILD = Artifact.of("build", S3Location.of("bucket", "out.zip"));

    private final JobContext context = mock(JobContext.class, CALLS_REAL_METHODS);

    @Test
    void artifactsAreFoundByNameAmongTheirKind() {
        when(context.inputArtifacts()).thenReturn(List.of(BUILD, SOURCE));
        when(context.outputArtifacts()).thenReturn(List.of(BUILD));

        assertThat(context.inputArtifact("source")).isSameAs(SOURCE);
        assertThat(context.outputArtifact("build")).isSameAs(BUILD);
    }

    @Test
    void anArtifactTheJobDoesNotDeclareIsAConfigurationErrorListingTheDeclaredOnes() {
        when(context.inputArtifacts()).thenReturn(List.of(SOURCE, BUILD));
        when(context.outputArtifacts()).thenReturn(List.of());

        assertThatThrownBy(() -> context.inputArtifact("Source")).isInstanceOfSatisfying(JobFailureException.class,
                e -> {
                    assertThat(e.type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
                    assertThat(e).hasMessage("the job has no input artifact named 'Source'; it has [source, build]");
                });
        assertThatThrownBy(() -> context.outputArtifact("source"))
                .hasMessage("the job has no output artifact named 'source'; it has []");
    }

    @Test
    void withoutACancellingExtensionAJobIsNeverCancelled() {
        AtomicBoolean ran = new AtomicBoolean();

        context.onCancel(() -> ran.set(true));

        assertThat(context.isCancelled()).isFalse();
        assertThat(ran).isFalse();
    }
}
