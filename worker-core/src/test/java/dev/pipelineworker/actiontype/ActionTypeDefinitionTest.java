package dev.pipelineworker.actiontype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ActionOwner;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aDefinitionDeclaresNothingItWasNotGiven() {
        ActionTypeDefinition definition = ActionTypeDefinition.builder(CUSTOM).build();

        assertThat(definition.owner()).isEqualTo(ActionOwner.CUSTOM);
        assertThat(definition.description()).isEmpty();
        assertThat(definition.inputArtifacts()).isEqualTo(ArtifactCount.none());
        assertThat(definition.outputArtifacts()).isEqualTo(ArtifactCount.none());
        assertThat(definition.properties()).isEmpty();
        assertThat(definition.configurationUrl()).isEmpty();
        assertThat(definition.entityUrlTemplate()).isEmpty();
        assertThat(definition.executionUrlTemplate()).isEmpty();
        assertThat(definition.revisionUrlTemplate()).isEmpty();
        assertThat(definition.policyStatementsTemplate()).isEmpty();
        assertThat(definition.pollingAccounts()).isEmpty();
    }

    @Test
    void everyDeclaredMemberIsKeptAndTheDefinitionPrintsItsShape() {
        ActionTypeDefinition definition = ActionTypeDefinition.builder(THIRD_PARTY).description("Builds")
                .executorJobTimeout(Duration.ofMinutes(30))
                .inputArtifacts(ArtifactCount.of(1, 5)).outputArtifacts(ArtifactCount.exactly(1))
                .properties(ConfigurationProperty.required("Project"))
                .properties(ConfigurationProperty.optional("Branch"))
                .configurationUrl("https://tool.example/setup")
                .entityUrlTemplate("https://tool.example/{Config:Project}")
                .executionUrlTemplate("https://tool.example/runs/{ExternalExecutionId}")
                .revisionUrlTemplate("https://tool.example/rev/{RevisionId}")
                .policyStatementsTemplate("{\"Statement\":[]}")
                .pollingAccounts("111122223333").pollingAccounts("444455556666")
                .build();

        assertThat(definition.description()).hasValue("Builds");
        assertThat(definition.properties()).extracting(ConfigurationProperty::name).containsExactly("Project", "Branch");
        assertThat(definition.configurationUrl()).hasValue("https://tool.example/setup");
        assertThat(definition.entityUrlTemplate()).hasValue("https://tool.example/{Config:Project}");
        assertThat(definition.executionUrlTemplate()).hasValue("https://tool.example/runs/{ExternalExecutionId}");
        assertThat(definition.revisionUrlTemplate()).hasValue("https://tool.example/rev/{RevisionId}");
        assertThat(definition.policyStatementsTemplate()).hasValue("{\"Statement\":[]}");
        assertThat(definition.pollingAccounts()).containsExactly("111122223333", "444455556666");
        assertThat(definition).hasToString("ActionTypeDefinition[Build/ThirdParty/Tool/1, 2 properties, input 1-5, "
                + "output 1, executorJobTimeout 1800 s]");
    }

    @Test
    void aBuiltDefinitionDoesNotChangeWithItsBuilder() {
        ActionTypeDefinition.Builder builder = ActionTypeDefinition.builder(THIRD_PARTY)
                .properties(ConfigurationProperty.required("Project")).pollingAccounts("111122223333");
        ActionTypeDefinition definition = builder.build();

        builder.properties(ConfigurationProperty.optional("Later")).pollingAccounts("444455556666");

        assertThat(definition.properties()).hasSize(1);
        assertThat(definition.pollingAccounts()).containsExactly("111122223333");
        assertThatThrownBy(() -> definition.properties().add(ConfigurationProperty.optional("X")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theDescriptionIsOneToOneThousandTwentyFourCharacters() {
        assertThat(ActionTypeDefinition.builder(THIRD_PARTY).description("d".repeat(1024)).build().description())
                .hasValueSatisfying(d -> assertThat(d).hasSize(1024));
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).description("d".repeat(1025)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("description must be 1-1024 characters, got 1025");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).description(""))
                .hasMessage("description must be 1-1024 characters, got 0");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).description(null)).hasMessage("description");
    }

    @Test
    void urlsAreAtMostTwoThousandFortyEightCharactersEach() {
        String longest = "https://x/" + "a".repeat(2038);
        ActionTypeDefinition definition = ActionTypeDefinition.builder(CUSTOM).configurationUrl(longest)
                .entityUrlTemplate(longest).executionUrlTemplate(longest).revisionUrlTemplate(longest).build();

        assertThat(definition.revisionUrlTemplate()).hasValue(longest);
        for (String field : List.of("configurationUrl", "entityUrlTemplate", "executionUrlTemplate",
                "revisionUrlTemplate")) {
            ActionTypeDefinition.Builder builder = ActionTypeDefinition.builder(CUSTOM);
            assertThatThrownBy(() -> set(builder, field, longest + "a")).as(field)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(field + " must be 1-2048 characters, got 2049");
            assertThatThrownBy(() -> set(builder, field, null)).isInstanceOf(NullPointerException.class);
        }
    }

    private static void set(ActionTypeDefinition.Builder builder, String field, String url) {
        switch (field) {
            case "configurationUrl" -> builder.configurationUrl(url);
            case "entityUrlTemplate" -> builder.entityUrlTemplate(url);
            case "executionUrlTemplate" -> builder.executionUrlTemplate(url);
            default -> builder.revisionUrlTemplate(url);
        }
    }

    @Test
    void tenPropertiesAreTheMostAndAMissingOneIsNamed() {
        ConfigurationProperty[] ten = IntStream.range(0, 10)
                .mapToObj(i -> ConfigurationProperty.optional("P" + i)).toArray(ConfigurationProperty[]::new);

        assertThat(ActionTypeDefinition.builder(THIRD_PARTY).properties(ten).build().properties()).hasSize(10);
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .properties(ConfigurationProperty.optional("A"), null)).hasMessage("property");
    }

    @Test
    void artifactCountsPrintAsTheirRangeAndReachFive() {
        assertThat(ArtifactCount.of(1, 5)).hasToString("1-5");
        assertThat(ArtifactCount.exactly(5)).isEqualTo(new ArtifactCount(5, 5)).hasToString("5");
        assertThat(ArtifactCount.none()).isEqualTo(ArtifactCount.of(0, 0)).hasToString("0");
        assertThatThrownBy(() -> ArtifactCount.exactly(6))
                .hasMessage("artifact count minimum and maximum must be 0-5, got 6-6");
        assertThatThrownBy(() -> ArtifactCount.of(-1, 0)).hasMessage("artifact count minimum and maximum must be "
                + "0-5, got -1-0");
        assertThatThrownBy(() -> ArtifactCount.of(2, 1))
                .hasMessage("artifact count minimum (2) must not exceed its maximum (1)");
    }

    @Test
    void eachWithOfAPropertyChangesOneMemberAndKeepsTheOthers() {
        ConfigurationProperty described = ConfigurationProperty.required("Project").withDescription("the project");

        assertThat(ConfigurationProperty.required("Project"))
                .isEqualTo(new ConfigurationProperty("Project", true, false, false, false, null, PropertyType.STRING));
        assertThat(ConfigurationProperty.optional("Project"))
                .isEqualTo(new ConfigurationProperty("Project", false, false, false, false, null, PropertyType.STRING));
        assertThat(described.withSecret()).isEqualTo(
                new ConfigurationProperty("Project", true, true, false, false, "the project", PropertyType.STRING));
        assertThat(described.withKey()).isEqualTo(
                new ConfigurationProperty("Project", true, false, true, false, "the project", PropertyType.STRING));
        assertThat(described.withQueryable()).isEqualTo(
                new ConfigurationProperty("Project", true, false, false, true, "the project", PropertyType.STRING));
        assertThat(described.withSecret().withKey().withType(PropertyType.NUMBER)).isEqualTo(
                new ConfigurationProperty("Project", true, true, true, false, "the project", PropertyType.NUMBER));
        assertThat(described.withKey().withDescription("another")).isEqualTo(
                new ConfigurationProperty("Project", true, false, true, false, "another", PropertyType.STRING));
        assertThatThrownBy(() -> described.withDescription(null)).hasMessage("description");
        assertThatThrownBy(() -> described.withType(null)).hasMessage("type");
    }

    @Test
    void aPropertyNameIsOneToFiftyCharactersAndADescriptionOneToOneHundredSixty() {
        assertThat(ConfigurationProperty.optional("n".repeat(50)).withDescription("d".repeat(160)).description())
                .hasSize(160);
        assertThatThrownBy(() -> ConfigurationProperty.optional(""))
                .hasMessage("configurationProperties.name must be 1-50 characters, got 0");
        assertThatThrownBy(() -> ConfigurationProperty.optional(null))
                .hasMessage("configurationProperties.name must be 1-50 characters, got none");
        assertThatThrownBy(() -> ConfigurationProperty.optional("A").withDescription(""))
                .hasMessage("configurationProperties[A].description must be 1-160 characters, got 0");
    }

    @Test
    void propertyTypesParseTheirApiNamesIgnoringCase() {
        assertThat(PropertyType.fromApiName("number")).isEqualTo(PropertyType.NUMBER);
        assertThat(PropertyType.fromApiName("Boolean")).isEqualTo(PropertyType.BOOLEAN);
        assertThat(PropertyType.STRING.apiName()).isEqualTo("String");
        assertThatThrownBy(() -> PropertyType.fromApiName("Integer")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown property type 'Integer'; expected String, Number or Boolean");
    }

    @Test
    void theExecutorTimeoutIsWholeSecondsAndBothOfItsArgumentsAreRequired() {
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY)
                .executorJobTimeout(Duration.ofSeconds(60).plusMillis(500))).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).executorJobTimeout(null))
                .hasMessage("timeout");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(null)).hasMessage("id");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).inputArtifacts(null)).hasMessage("count");
        assertThatThrownBy(() -> ActionTypeDefinition.builder(THIRD_PARTY).outputArtifacts(null)).hasMessage("count");
    }
}
