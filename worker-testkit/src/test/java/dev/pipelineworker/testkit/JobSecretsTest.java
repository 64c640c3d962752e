package dev.pipelineworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.SecretCanary.JobSecrets;
import dev.pipelineworker.testkit.emulator.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSecretsTest {

    private static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Canary", "1");

    private final JobSecrets secrets = JobSecrets.random();

    @Test
    void aPlantedJobCarriesTheSecretsAndTheCanaryLooksForEachOfThem() {
        JobSpec spec = secrets.plantIn(JobSpec.builder(TYPE).configuration("Mode", "plain")).build();

        assertThat(spec.configuration()).containsEntry(JobSecrets.API_KEY, secrets.apiKey())
                .containsEntry(JobSecrets.DB_PASSWORD, secrets.dbPassword())
                .containsEntry("Mode", "plain")
                .doesNotContainKey(JobSecrets.PORT);
        assertThat(spec.artifactCredentials()).isSameAs(secrets.artifactCredentials());

        SecretCanary canary = secrets.canary();
        assertThat(canary.size()).isEqualTo(7);
        List<String> everyValue = List.of(secrets.artifactCredentials().accessKeyId(),
                secrets.artifactCredentials().secretAccessKey(), secrets.artifactCredentials().sessionToken(),
                secrets.clientToken(), secrets.apiKey(), secrets.dbPassword(), secrets.port());
        assertThat(canary.leaks(everyValue)).containsOnlyKeys("access key id", "secret access key", "session token",
                "client token", "configuration value ApiKey", "configuration value DbPassword",
                "configuration value Port");
    }

    @Test
    void twoSetsShareNoValueAndNeitherShowsInToString() {
        JobSecrets other = JobSecrets.random();

        assertThat(other.canary().leaks(List.of(secrets.apiKey(), secrets.clientToken(),
                secrets.artifactCredentials().sessionToken()))).isEmpty();
        secrets.canary().assertNoLeaks(List.of(secrets.toString(), secrets.plantIn(JobSpec.builder(TYPE)).build()
                .toString()));
    }

    @Test
    void assertNoLeaksNamesTheSecretAndQuotesTheText() {
        String line = "login failed for password " + secrets.dbPassword();

        assertThatThrownBy(() -> secrets.canary().assertNoLeaks(List.of("clean", line)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("configuration value DbPassword")
                .hasMessageContaining("login failed for password")
                .hasMessageContaining("2 texts checked");
        assertThatCode(() -> secrets.canary().assertNoLeaks(List.of("clean"))).doesNotThrowAnyException();
    }
}
