package dev.pipelineworker.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ZipLimits;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;

/** The store's settings: their defaults, their bounds, and copies that change one value only. */
class S3StoreSettingsTest {

    private static final long MIB = 1 << 20;
    /** Stands for a user's HTTP client: the settings only hold it. */
    private static final SdkAsyncHttpClient NO_HTTP = new SdkAsyncHttpClient() {
        @Override
        public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    };

    @Test
    void theDefaultsAreTheSdksPartSizesAndThreeStreamedPartsPerCore() {
        S3StoreSettings defaults = S3StoreSettings.defaults();

        assertThat(defaults.region()).isNull();
        assertThat(defaults.endpointOverride()).isNull();
        assertThat(defaults.forcePathStyle()).isFalse();
        assertThat(defaults.multipartThreshold()).isEqualTo(8 * MIB);
        assertThat(defaults.partSize()).isEqualTo(8 * MIB);
        assertThat(defaults.zipLimits()).isEqualTo(ZipLimits.defaults());
        assertThat(defaults.httpClient()).isNull();
        assertThat(defaults.retryStrategy()).isNull();
        assertThat(defaults.partsInFlight()).isEqualTo(3);
        assertThat(defaults.deflateExecutor()).isNull();
        assertThat(defaults.deflateParallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void eachCopyChangesItsOwnValueOnly() {
        S3StoreSettings base = S3StoreSettings.defaults();
        URI endpoint = URI.create("http://localhost:1");
        RetryStrategy retries = AwsRetryStrategy.doNotRetry();
        Executor executor = Runnable::run;
        ZipLimits limits = ZipLimits.defaults().withMaxEntries(7);

        assertThat(base.withRegion(Region.EU_WEST_1)).isEqualTo(copy(base, 0, Region.EU_WEST_1));
        assertThat(base.withEndpointOverride(endpoint)).isEqualTo(copy(base, 1, endpoint));
        assertThat(base.withForcePathStyle(true)).isEqualTo(copy(base, 2, true));
        assertThat(base.withMultipartThreshold(1)).isEqualTo(copy(base, 3, 1L));
        assertThat(base.withPartSize(5 * MIB)).isEqualTo(copy(base, 4, 5 * MIB));
        assertThat(base.withZipLimits(limits)).isEqualTo(copy(base, 5, limits));
        assertThat(base.withRetryStrategy(retries)).isEqualTo(copy(base, 7, retries));
        assertThat(base.withPartsInFlight(1)).isEqualTo(copy(base, 8, 1));
        assertThat(base.withDeflate(executor, 1)).isEqualTo(copy(copy(base, 9, executor), 10, 1));
        assertThat(base.withDeflate(null, 2).deflateExecutor()).isNull();
        assertThat(base.withHttpClient(NO_HTTP)).isEqualTo(copy(base, 6, NO_HTTP));
    }

    @Test
    void theSmallestValuesS3AndTheStoreAcceptAreAccepted() {
        S3StoreSettings smallest = S3StoreSettings.defaults().withPartSize(S3StoreSettings.MIN_PART_SIZE)
                .withPartsInFlight(1).withDeflate(null, 1).withMultipartThreshold(1);

        assertThat(smallest.partSize()).isEqualTo(5 * MIB);
        assertThat(smallest.partsInFlight()).isEqualTo(1);
        assertThat(smallest.deflateParallelism()).isEqualTo(1);
        assertThat(smallest.multipartThreshold()).isEqualTo(1);
    }

    @Test
    void valuesBelowThemAreRefusedNamingTheSetting() {
        S3StoreSettings base = S3StoreSettings.defaults();

        assertThatThrownBy(() -> base.withPartSize(5 * MIB - 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partSize must be at least 5 MiB (S3's minimum), got 5242879");
        assertThatThrownBy(() -> base.withPartsInFlight(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partsInFlight must be positive, got 0");
        assertThatThrownBy(() -> base.withDeflate(null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deflateParallelism must be positive, got 0");
        assertThatThrownBy(() -> base.withMultipartThreshold(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multipartThreshold must be positive, got 0");
        assertThatNullPointerException().isThrownBy(() -> base.withZipLimits(null)).withMessage("zipLimits");
    }

    /** {@code settings} with its {@code index}th component replaced by {@code value}, built positionally. */
    private static S3StoreSettings copy(S3StoreSettings settings, int index, Object value) {
        Object[] values = {settings.region(), settings.endpointOverride(), settings.forcePathStyle(),
            settings.multipartThreshold(), settings.partSize(), settings.zipLimits(), settings.httpClient(),
            settings.retryStrategy(), settings.partsInFlight(), settings.deflateExecutor(),
            settings.deflateParallelism()};
        values[index] = value;
        return new S3StoreSettings((Region) values[0], (URI) values[1], (Boolean) values[2], (Long) values[3],
                (Long) values[4], (ZipLimits) values[5], (SdkAsyncHttpClient) values[6],
                (RetryStrategy) values[7], (Integer) values[8], (Executor) values[9], (Integer) values[10]);
    }
}
