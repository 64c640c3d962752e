package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The registration limits CodePipeline enforces, each at its exact boundary: the last value accepted, the first
 * refused, and a message naming the field and the limit (what a user reads instead of AWS's refusal).
 */
class ActionTypeLimitsTest {

    private static final List<String> NO_TEMPLATES = List.of();

    @Test
    void aPropertyNameIsOneToFiftyCharacters() {
        assertThatCode(() -> ActionTypeLimits.checkProperty("a", null)).doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkProperty("n".repeat(50), null)).doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkProperty("n".repeat(51), null))
                .hasMessage("configurationProperties.name must be 1-50 characters, got 51");
        assertThatThrownBy(() -> ActionTypeLimits.checkProperty("", null))
                .hasMessage("configurationProperties.name must be 1-50 characters, got 0");
        assertThatThrownBy(() -> ActionTypeLimits.checkProperty(null, null))
                .hasMessage("configurationProperties.name must be 1-50 characters, got none");
    }

    @Test
    void aPropertyDescriptionIsAbsentOrOneToOneHundredSixtyCharacters() {
        assertThatCode(() -> ActionTypeLimits.checkProperty("Repo", "d")).doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkProperty("Repo", "d".repeat(160))).doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkProperty("Repo", "d".repeat(161)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("configurationProperties[Repo].description must be 1-160 characters, got 161");
        assertThatThrownBy(() -> ActionTypeLimits.checkProperty("Repo", ""))
                .hasMessage("configurationProperties[Repo].description must be 1-160 characters, got 0");
    }

    @Test
    void anArtifactCountIsZeroToFiveWithTheMinimumNotAboveTheMaximum() {
        assertThatCode(() -> ActionTypeLimits.checkArtifactCount("inputArtifactDetails", 0, 0))
                .doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkArtifactCount("inputArtifactDetails", 2, 2))
                .doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkArtifactCount("inputArtifactDetails", 5, 5))
                .doesNotThrowAnyException();

        String range = "outputArtifactDetails minimum and maximum must be 0-5, got ";
        assertThatThrownBy(() -> ActionTypeLimits.checkArtifactCount("outputArtifactDetails", -1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(range + "-1-2");
        assertThatThrownBy(() -> ActionTypeLimits.checkArtifactCount("outputArtifactDetails", 6, 5))
                .hasMessage(range + "6-5");
        assertThatThrownBy(() -> ActionTypeLimits.checkArtifactCount("outputArtifactDetails", 0, -1))
                .hasMessage(range + "0--1");
        assertThatThrownBy(() -> ActionTypeLimits.checkArtifactCount("outputArtifactDetails", 0, 6))
                .hasMessage(range + "0-6");
        assertThatThrownBy(() -> ActionTypeLimits.checkArtifactCount("outputArtifactDetails", 3, 2))
                .hasMessage("outputArtifactDetails minimum (3) must not exceed its maximum (2)");
    }

    @Test
    void aThirdPartyJobTimeoutIsWholeSecondsFromSixtyToFortyThreeThousandTwoHundred() {
        assertThatCode(() -> ActionTypeLimits.checkJobTimeout(Duration.ofSeconds(60))).doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkJobTimeout(Duration.ofSeconds(43_200)))
                .doesNotThrowAnyException();

        String limit = "executorJobTimeout must be whole seconds within 60-43200 s, got ";
        assertThatThrownBy(() -> ActionTypeLimits.checkJobTimeout(Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(limit + "PT59S");
        assertThatThrownBy(() -> ActionTypeLimits.checkJobTimeout(Duration.ofSeconds(43_201)))
                .hasMessage(limit + "PT12H1S");
        assertThatThrownBy(() -> ActionTypeLimits.checkJobTimeout(Duration.ofMillis(60_500)))
                .hasMessage(limit + "PT1M0.5S");
    }

    @Test
    void aUrlIsAbsentOrOneToTwoThousandFortyEightCharacters() {
        assertThatCode(() -> ActionTypeLimits.checkUrl("urls.configurationUrl", null)).doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkUrl("urls.configurationUrl", "h")).doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkUrl("urls.configurationUrl", "h".repeat(2048)))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkUrl("urls.configurationUrl", "h".repeat(2049)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("urls.configurationUrl must be 1-2048 characters, got 2049");
        assertThatThrownBy(() -> ActionTypeLimits.checkUrl("urls.entityUrlTemplate", ""))
                .hasMessage("urls.entityUrlTemplate must be 1-2048 characters, got 0");
    }

    @Test
    void aTypeDescriptionIsAbsentOrOneToOneThousandTwentyFourCharacters() {
        assertThatCode(() -> ActionTypeLimits.checkDescription(null)).doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkDescription("d")).doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkDescription("d".repeat(1024))).doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkDescription("d".repeat(1025)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("description must be 1-1024 characters, got 1025");
        assertThatThrownBy(() -> ActionTypeLimits.checkDescription(""))
                .hasMessage("description must be 1-1024 characters, got 0");
    }

    @Test
    void aPolicyTemplateIsThirdPartyOnlyJsonOfOneToTwoThousandFortyEightCharacters() {
        String atTheLimit = "[\"" + "s".repeat(2044) + "\"]";
        assertThatCode(() -> ActionTypeLimits.checkPolicyTemplate(ActionOwner.CUSTOM, null))
                .doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkPolicyTemplate(ActionOwner.THIRD_PARTY, "{}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkPolicyTemplate(ActionOwner.THIRD_PARTY, atTheLimit))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkPolicyTemplate(ActionOwner.CUSTOM, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policyStatementsTemplate applies to ThirdParty action types only");
        assertThatThrownBy(() -> ActionTypeLimits.checkPolicyTemplate(ActionOwner.THIRD_PARTY, atTheLimit + " "))
                .hasMessage("policyStatementsTemplate must be 1-2048 characters, got 2049");
        assertThatThrownBy(() -> ActionTypeLimits.checkPolicyTemplate(ActionOwner.THIRD_PARTY, ""))
                .hasMessage("policyStatementsTemplate must be 1-2048 characters, got 0");
        assertThatThrownBy(() -> ActionTypeLimits.checkPolicyTemplate(ActionOwner.THIRD_PARTY, "{\n\"Effect\": }"))
                .hasMessage("policyStatementsTemplate must be JSON (an IAM policy document's statements); "
                        + "it does not parse at line 2");
    }

    @Test
    void pollingAccountsAreThirdPartyOnlyAtMostOneThousandDistinctTwelveDigitIds() {
        assertThatCode(() -> ActionTypeLimits.checkPollingAccounts(ActionOwner.CUSTOM, List.of()))
                .doesNotThrowAnyException();
        assertThatCode(() -> ActionTypeLimits.checkPollingAccounts(ActionOwner.THIRD_PARTY, accounts(1000)))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkPollingAccounts(ActionOwner.CUSTOM, List.of("111122223333")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollingAccounts applies to ThirdParty action types only");
        assertThatThrownBy(() -> ActionTypeLimits.checkPollingAccounts(ActionOwner.THIRD_PARTY, accounts(1001)))
                .hasMessage("pollingAccounts must name at most 1000 accounts, got 1001");
        assertThatThrownBy(() -> ActionTypeLimits.checkPollingAccounts(ActionOwner.THIRD_PARTY,
                List.of("111122223333", "11112222333")))
                .hasMessage("pollingAccounts must be AWS account ids of 12 digits, got '11112222333'");
        assertThatThrownBy(() -> ActionTypeLimits.checkPollingAccounts(ActionOwner.THIRD_PARTY,
                Collections.singletonList(null)))
                .hasMessage("pollingAccounts must be AWS account ids of 12 digits, got 'null'");
        assertThatThrownBy(() -> ActionTypeLimits.checkPollingAccounts(ActionOwner.THIRD_PARTY,
                List.of("111122223333", "444455556666", "111122223333")))
                .hasMessage("pollingAccounts names 111122223333 twice");
    }

    @Test
    void aTypeHasAtMostTenPropertiesEachNamedOnce() {
        assertThatCode(() -> ActionTypeLimits.checkProperties(properties(10), NO_TEMPLATES))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(properties(11), NO_TEMPLATES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("configurationProperties must be at most 10, got 11");
        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(List.of(ConfigurationProperty.required("Repo"),
                ConfigurationProperty.optional("Repo")), NO_TEMPLATES))
                .hasMessage("configurationProperties names 'Repo' twice");
    }

    @Test
    void atMostOnePropertyIsQueryableAndThatOneRequiredAndNotSecret() {
        ConfigurationProperty queryable = ConfigurationProperty.required("Queue").withQueryable();
        assertThatCode(() -> ActionTypeLimits.checkProperties(List.of(queryable, ConfigurationProperty.required("B")),
                NO_TEMPLATES)).doesNotThrowAnyException();

        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(List.of(queryable,
                ConfigurationProperty.required("Other").withQueryable()), NO_TEMPLATES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("configurationProperties: at most one property may be queryable, got 'Queue' and 'Other'");
        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(List.of(
                ConfigurationProperty.optional("Queue").withQueryable()), NO_TEMPLATES))
                .hasMessage("configurationProperties[Queue]: a queryable property must be required and not secret");
        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(List.of(
                ConfigurationProperty.required("Queue").withSecret().withQueryable()), NO_TEMPLATES))
                .hasMessage("configurationProperties[Queue]: a queryable property must be required and not secret");
    }

    @Test
    void aUrlTemplateNamesOnlyRequiredNonSecretProperties() {
        List<ConfigurationProperty> properties = List.of(ConfigurationProperty.required("Project"),
                ConfigurationProperty.required("Region"), ConfigurationProperty.optional("Branch"),
                ConfigurationProperty.required("Token").withSecret());
        List<String> usable = new ArrayList<>();
        usable.add(null);
        usable.add("https://ci.example.com/{Config:Region}/{Config:Project}");
        assertThatCode(() -> ActionTypeLimits.checkProperties(properties, usable)).doesNotThrowAnyException();

        String refusal = "URL templates may name {Config:%1$s} only if '%1$s' is a required, non-secret "
                + "configuration property";
        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(properties,
                List.of("https://ci.example.com/{Config:Project}/{Config:Branch}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(refusal.formatted("Branch"));
        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(properties,
                List.of("https://ci.example.com/{Config:Token}")))
                .hasMessage(refusal.formatted("Token"));
        assertThatThrownBy(() -> ActionTypeLimits.checkProperties(properties,
                List.of("https://ci.example.com/", "https://ci.example.com/{Config:Unknown}")))
                .hasMessage(refusal.formatted("Unknown"));
    }

    private static List<String> accounts(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%012d", 100_000_000_000L + i)).toList();
    }

    private static List<ConfigurationProperty> properties(int count) {
        return IntStream.range(0, count).mapToObj(i -> ConfigurationProperty.optional("P" + i)).toList();
    }
}
