package dev.pipelineworker.actiontype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ActionTypeDefinitionTest {

    private static final ActionTypeId THIRD_PARTY = ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1");
    private static final ActionTypeId CUSTOM = ActionTypeId.custom(ActionCategory.BUILD, "Tool", "1");

    @Test
    void aDefinitionKeepsWhatItDeclares() {
        ActionTypeDefinition definition = ActionTypeDefinition.builder(THIRD_PARTY)
                .executorJobTimeout(Duration.ofMinutes(30))
                .inputArtifacts(ArtifactCount.of(1, 5)).outputArtifacts(ArtifactCount.exactly(1))
                .properties(ConfigurationProperty.required("Project").withKey(),
                        ConfigurationProperty.optional("Token").withSecret())
                .entityUrlTemplate("https://tool.example/{Config:Project}")
                .build();

        assertThat(definition.id()).isEqualTo(THIRD_PARTY);
        assertThat(definition.executorJobTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(definition.property("Token")).get().extracting(ConfigurationProperty::secret).isEqualTo(true);
        assertThat(definition.property("Nope")).isEmpty();
        assertThat(definition.toString()).contains("2 properties").doesNotContain("Token");
    }

    @Test
    void theExecutorTimeoutDefaultsToAnHourForThirdPartyAndIsTheFixedDayForCustom() {
        assertThat(ActionTypeDefinition.builder(THIRD_PARTY).build().executorJobTimeout())
                .isEqualTo(Duration.ofHours(1));
        assertThat(ActionTypeDefinition.builder(CUSTOM).build().executorJobTimeout()).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> ActionTypeDefinition.builder(CUSTOM).executorJobTimeout(Duration.ofMinutes(5)))
                .hasMessageContaining("executorJobTimeout applies to ThirdParty");
    }

    @Test
    void theExecutorTimeoutIsSixtyToFortyThreeThousandTwoHundredSeconds() {
        ActionTypeDefinition.builder(THIRD_PARTY).executorJobTimeout(Duration.ofSeconds(60));
        ActionTypeDefinition.builder(THIRD_PARTY).executorJobTimeout(Duration.ofSeconds(43_200));
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).executorJobTimeout(Duration.ofSeconds(59)))
                .hasMessageContaining("executorJobTimeout").hasMessageContaining("60-43200 s");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .executorJobTimeout(Duration.ofSeconds(43_201))).hasMessageContaining("60-43200 s");
    }

    @Test
    void artifactCountsAreZeroToFiveWithTheMinimumNotAboveTheMaximum() {
        assertThatThrownBy(() -> ArtifactCount.of(0, 6)).hasMessageContaining("0-5");
        assertThatThrownBy(() -> ArtifactCount.of(-1, 1)).hasMessageContaining("0-5");
        assertThatThrownBy(() -> ArtifactCount.of(3, 2)).hasMessageContaining("must not exceed its maximum");
    }

    @Test
    void propertiesAreAtMostTenWithUniqueNamesOfFiftyCharacters() {
        ConfigurationProperty[] eleven = IntStream.range(0, 11)
                .mapToObj(i -> ConfigurationProperty.optional("P" + i)).toArray(ConfigurationProperty[]::new);
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).properties(eleven).build())
                .hasMessageContaining("configurationProperties must be at most 10, got 11");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .properties(ConfigurationProperty.optional("A"), ConfigurationProperty.required("A")).build())
                .hasMessageContaining("names 'A' twice");
        assertThatThrownBy(() -> ConfigurationProperty.optional("x".repeat(51)))
                .hasMessageContaining("configurationProperties.name must be 1-50 characters, got 51");
        assertThatThrownBy(() -> ConfigurationProperty.optional("A").withDescription("d".repeat(161)))
                .hasMessageContaining("configurationProperties[A].description must be 1-160 characters");
    }

    @Test
    void onlyOneRequiredNonSecretPropertyMayBeQueryable() {
        assertThatThrownBy(() -> ActionTypeDefinition.builder(CUSTOM).properties(
                ConfigurationProperty.required("A").withQueryable(),
                ConfigurationProperty.required("B").withQueryable()).build())
                .hasMessageContaining("at most one property may be queryable, got 'A' and 'B'");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(CUSTOM)
                .properties(ConfigurationProperty.optional("A").withQueryable()).build())
                .hasMessageContaining("[A]: a queryable property must be required and not secret");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(CUSTOM)
                .properties(ConfigurationProperty.required("A").withSecret().withQueryable()).build())
                .hasMessageContaining("must be required and not secret");
    }

    @Test
    void urlTemplatesAreAtMostTwoThousandFortyEightAndNameOnlyRequiredPublicProperties() {
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .executionUrlTemplate("https://x/" + "a".repeat(2048)))
                .hasMessageContaining("executionUrlTemplate must be 1-2048 characters");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).configurationUrl(""))
                .hasMessageContaining("configurationUrl must be 1-2048");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .properties(ConfigurationProperty.required("Token").withSecret())
                .entityUrlTemplate("https://x/{Config:Token}").build())
                .hasMessageContaining("{Config:Token} only if 'Token' is a required, non-secret");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .revisionUrlTemplate("https://x/{Config:Missing}").build())
                .hasMessageContaining("{Config:Missing}");
    }

    @Test
    void thePolicyTemplateIsThirdPartyJsonOfAtMostTwoThousandFortyEightCharacters() {
        ActionTypeDefinition.builder(THIRD_PARTY).policyStatementsTemplate("{\"Statement\":[]}");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).policyStatementsTemplate("{not json"))
                .hasMessageContaining("policyStatementsTemplate must be JSON");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .policyStatementsTemplate("[\"" + "a".repeat(2050) + "\"]"))
                .hasMessageContaining("policyStatementsTemplate must be 1-2048 characters");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(CUSTOM).policyStatementsTemplate("{}"))
                .hasMessageContaining("ThirdParty action types only");
    }

    @Test
    void pollingAccountsAreTwelveDigitsOnThirdPartyTypes() {
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).pollingAccounts("12345").build())
                .hasMessageContaining("pollingAccounts must be AWS account ids of 12 digits");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(CUSTOM).pollingAccounts("111122223333").build())
                .hasMessageContaining("ThirdParty action types only");
    }
}
