package dev.pipelineworker.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ArtifactStoreFactory;
import java.net.URI;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class S3ArtifactStoreFactoryTest {

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ArtifactStoreFactory.class))
                .anySatisfy(f -> assertThat(f).isInstanceOf(S3ArtifactStoreFactory.class));
    }

    @Test
    void theBuilderIsImmutable() {
        S3ArtifactStoreFactory.Builder base = S3ArtifactStoreFactory.builder().region(Region.EU_WEST_1);
        base.endpointOverride(URI.create("http://localhost:1")).forcePathStyle(true);

        assertThat(base.build()).hasToString("S3ArtifactStoreFactory[region=eu-west-1, endpoint=default, "
                + "pathStyle=false, multipartThreshold=8388608, partSize=8388608]");
    }

    @Test
    void refusesPartsBelowTheS3Minimum() {
        assertThatThrownBy(() -> S3ArtifactStoreFactory.builder().partSize((5L << 20) - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 5 MiB");
        assertThatThrownBy(() -> S3ArtifactStoreFactory.builder().multipartThreshold(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedFactoryOpensNoMoreStores() {
        S3ArtifactStoreFactory factory = S3ArtifactStoreFactory.builder().region(Region.EU_WEST_1).build();
        factory.close();

        assertThatThrownBy(() -> factory.open(Jobs.access("b", "i", "o", null, Jobs.credentials("AKIDX"),
                Jobs.NO_REFRESH))).isInstanceOf(IllegalStateException.class);
    }
}
