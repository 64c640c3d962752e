package dev.pipelineworker.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ArtifactAccess.CredentialsRefresher;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** One job's credentials as its S3 client sees them: refreshed once per expiry, failures as job failures. */
class JobCredentialsProviderTest {

    private static final ArtifactCredentials FIRST = ArtifactCredentials.of("AKIDFIRST", "secret-1", "token-1");
    private static final ArtifactCredentials SECOND = ArtifactCredentials.of("AKIDSECOND", "secret-2", "token-2");

    private final AtomicInteger refreshes = new AtomicInteger();

    @Test
    void theInitialCredentialsAreUsedWithoutARefresh() {
        JobCredentialsProvider provider = new JobCredentialsProvider("job-1", FIRST, counting(SECOND));

        AwsCredentials resolved = provider.resolveCredentials();

        assertThat(resolved).isInstanceOf(AwsSessionCredentials.class);
        assertThat(resolved.accessKeyId()).isEqualTo("AKIDFIRST");
        assertThat(resolved.secretAccessKey()).isEqualTo("secret-1");
        assertThat(((AwsSessionCredentials) resolved).sessionToken()).isEqualTo("token-1");
        assertThat(provider.resolveCredentials()).isSameAs(resolved);
        assertThat(refreshes).hasValue(0);
    }

    @Test
    void withoutInitialCredentialsTheFirstRequestFetchesThemOnce() {
        JobCredentialsProvider provider = new JobCredentialsProvider("job-1", null, counting(SECOND));

        AwsCredentials resolved = provider.resolveCredentials();

        assertThat(resolved.accessKeyId()).isEqualTo("AKIDSECOND");
        assertThat(provider.resolveCredentials()).isSameAs(resolved);
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void credentialsWithoutASessionTokenAreBasicCredentials() {
        JobCredentialsProvider withNull = new JobCredentialsProvider("job-1",
                ArtifactCredentials.of("AKIDBASIC", "secret", null), counting(SECOND));
        JobCredentialsProvider withEmpty = new JobCredentialsProvider("job-1",
                ArtifactCredentials.of("AKIDBASIC", "secret", ""), counting(SECOND));

        assertThat(withNull.resolveCredentials()).isNotInstanceOf(AwsSessionCredentials.class)
                .satisfies(c -> assertThat(c.accessKeyId()).isEqualTo("AKIDBASIC"))
                .satisfies(c -> assertThat(c.secretAccessKey()).isEqualTo("secret"));
        assertThat(withEmpty.resolveCredentials()).isNotInstanceOf(AwsSessionCredentials.class);
    }

    @Test
    void aRefreshReplacesTheExpiredCredentialsOnceHoweverManyRequestsSawThem() {
        JobCredentialsProvider provider = new JobCredentialsProvider("job-1", FIRST, counting(SECOND));
        AwsCredentials expired = provider.resolveCredentials();

        provider.refresh(expired);
        provider.refresh(expired);

        assertThat(refreshes).hasValue(1);
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDSECOND");
        assertThat(((AwsSessionCredentials) provider.resolveCredentials()).sessionToken()).isEqualTo("token-2");
    }

    @Test
    void aRefreshBeforeAnyCredentialsFetchesThem() {
        JobCredentialsProvider provider = new JobCredentialsProvider("job-1", null, counting(SECOND));

        provider.refresh(AwsBasicCredentials.create("AKIDOTHER", "other"));

        assertThat(refreshes).hasValue(1);
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDSECOND");
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void aJobFailureOfTheRefresherIsPassedOnAsItIs() {
        JobFailureException gone = new JobFailureException(FailureType.JOB_FAILED, "the job is gone");
        JobCredentialsProvider provider = new JobCredentialsProvider("job-1", null, () -> {
            throw gone;
        });

        assertThatThrownBy(provider::resolveCredentials).isSameAs(gone);
    }

    @Test
    void anyOtherRefresherFailureIsAPermissionErrorNamingTheJob() {
        IllegalStateException broken = new IllegalStateException("broken");
        JobCredentialsProvider provider = new JobCredentialsProvider("job-7", FIRST, () -> {
            throw broken;
        });
        AwsCredentials expired = provider.resolveCredentials();

        assertThatThrownBy(() -> provider.refresh(expired))
                .isInstanceOf(JobFailureException.class)
                .hasMessage("Could not refresh the artifact credentials of job job-7")
                .hasCause(broken)
                .satisfies(e -> assertThat(((JobFailureException) e).type()).isEqualTo(FailureType.PERMISSION_ERROR));
    }

    @Test
    void aRefresherWithoutCredentialsIsAPermissionError() {
        JobCredentialsProvider provider = new JobCredentialsProvider("job-7", null, () -> null);

        assertThatThrownBy(provider::resolveCredentials)
                .isInstanceOf(JobFailureException.class)
                .hasMessage("Job job-7 has no artifact credentials")
                .satisfies(e -> assertThat(((JobFailureException) e).type()).isEqualTo(FailureType.PERMISSION_ERROR));
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(new JobCredentialsProvider("job-1", FIRST, counting(SECOND)).toString())
                .doesNotContain("AKIDFIRST", "secret-1", "token-1").contains("job-1");
    }

    private CredentialsRefresher counting(ArtifactCredentials fresh) {
        return () -> {
            refreshes.incrementAndGet();
            return fresh;
        };
    }
}
