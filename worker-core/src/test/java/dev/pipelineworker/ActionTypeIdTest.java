package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The action type's members against the CodePipeline model: provider 1-35, version 1-9 of [0-9A-Za-z_-]. */
class ActionTypeIdTest {

    @Test
    void everyCharacterTheModelAllowsIsAccepted() {
        String allowed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
        for (char c : allowed.toCharArray()) {
            ActionTypeId id = ActionTypeId.thirdParty(ActionCategory.BUILD, "p" + c, "v" + c);

            assertThat(id.provider()).isEqualTo("p" + c);
            assertThat(id.version()).isEqualTo("v" + c);
        }
    }

    @Test
    void theLongestProviderAndVersionAreAccepted() {
        ActionTypeId id = ActionTypeId.custom(ActionCategory.DEPLOY, "p".repeat(35), "9".repeat(9));

        assertThat(id).isEqualTo(new ActionTypeId(ActionCategory.DEPLOY, ActionOwner.CUSTOM, "p".repeat(35),
                "9".repeat(9)));
        assertThat(ActionTypeId.thirdParty(ActionCategory.TEST, "p", "1").owner()).isEqualTo(ActionOwner.THIRD_PARTY);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "dot.ted", "slash/ed", "ümlaut", "plus+", "tab\t", "new\nline", "star*"})
    void aProviderOutsideThePatternIsRefusedNamingTheField(String provider) {
        assertThatThrownBy(() -> ActionTypeId.thirdParty(ActionCategory.BUILD, provider, "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actionTypeId.provider must be 1-35 characters of [0-9A-Za-z_-], got '" + provider + "'");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1.0", "v 1", "v/1", "é", "1+"})
    void aVersionOutsideThePatternIsRefusedNamingTheField(String version) {
        assertThatThrownBy(() -> ActionTypeId.custom(ActionCategory.BUILD, "p", version))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actionTypeId.version must be 1-9 characters of [0-9A-Za-z_-], got '" + version + "'");
    }

    @Test
    void aProviderOrVersionOneCharacterTooLongIsRefused() {
        assertThatThrownBy(() -> ActionTypeId.thirdParty(ActionCategory.BUILD, "p".repeat(36), "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider must be 1-35");
        assertThatThrownBy(() -> ActionTypeId.thirdParty(ActionCategory.BUILD, "p", "1".repeat(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version must be 1-9");
    }

    @Test
    void categoryAndOwnerAreRequired() {
        assertThatThrownBy(() -> new ActionTypeId(null, ActionOwner.CUSTOM, "p", "1"))
                .isInstanceOf(NullPointerException.class).hasMessage("category");
        assertThatThrownBy(() -> new ActionTypeId(ActionCategory.BUILD, null, "p", "1"))
                .isInstanceOf(NullPointerException.class).hasMessage("owner");
    }

    @ParameterizedTest
    @EnumSource(ActionCategory.class)
    void itPrintsAsTheModelNamesIt(ActionCategory category) {
        assertThat(ActionTypeId.custom(category, "MyTool", "2")).hasToString(category.apiName() + "/Custom/MyTool/2");
    }
}
