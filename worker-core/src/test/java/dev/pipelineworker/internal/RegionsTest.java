package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

/** Region names from a worker's configuration: their form, duplicates, and regions newer than the SDK. */
class RegionsTest {

    @Test
    void regionsAreServedInTheOrderNamedIncludingOnesTheSdkDoesNotKnowYet() {
        List<Region> regions = Regions.parse("regions", List.of("us-east-1", "us-gov-west-1", "eusc-de-east-1",
                "xx-future-9"));

        assertThat(regions).containsExactly(Region.US_EAST_1, Region.US_GOV_WEST_1, Region.of("eusc-de-east-1"),
                Region.of("xx-future-9"));
    }

    @Test
    void noRegionIsRefused() {
        assertThatThrownBy(() -> Regions.parse("regions", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("regions must name at least one region");
    }

    @ParameterizedTest
    @ValueSource(strings = {"US-EAST-1", "us-east", "useast1", "us-east-100", "u-east-1", "us_east_1", " us-east-1",
            "us-east-1 ", ""})
    void aValueThatIsNotARegionNameIsRefusedNamingTheSettingAndTheValue(String name) {
        assertThatThrownBy(() -> Regions.parse("pipeline-worker.regions", List.of("eu-west-2", name)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipeline-worker.regions: '" + name + "' is not a region name (such as us-east-1 or "
                        + "eu-west-2: lower case, letters and digits between dashes, ending in a number)");
    }

    @Test
    void aMissingValueIsRefused() {
        assertThatThrownBy(() -> Regions.parse("regions", Arrays.asList("eu-west-2", null)))
                .hasMessageStartingWith("regions: 'null' is not a region name");
    }

    @Test
    void aRegionNamedTwiceIsRefused() {
        assertThatThrownBy(() -> Regions.parse("regions", List.of("eu-west-2", "us-east-1", "eu-west-2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("regions: region eu-west-2 is named twice");
    }
}
