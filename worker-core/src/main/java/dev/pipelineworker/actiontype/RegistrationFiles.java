package dev.pipelineworker.actiontype;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import java.util.Optional;

/**
 * The registration of a declared action type, as the JSON the AWS CLI takes with {@code --cli-input-json}: for a
 * third-party type, the {@code ActionTypeDeclaration} of {@code aws codepipeline update-action-type} (the file an
 * integrator submits to have the type created, and later updates it with), with a job worker executor; for a
 * custom type, the input of {@code aws codepipeline create-custom-action-type}. Written from the definition, so
 * the registration and the worker cannot disagree.
 */
public final class RegistrationFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RegistrationFiles() {
    }

    /** The registration file of {@code definition}'s owner: {@link #thirdParty} or {@link #custom}. */
    public static String of(ActionTypeDefinition definition) {
        return definition.owner() == ActionOwner.THIRD_PARTY ? thirdParty(definition) : custom(definition);
    }

    /** The input of {@code aws codepipeline update-action-type} for a third-party type. */
    public static String thirdParty(ActionTypeDefinition definition) {
        requireOwner(definition, ActionOwner.THIRD_PARTY, "update-action-type");
        ObjectNode root = JSON.createObjectNode();
        ObjectNode type = root.putObject("actionType");
        definition.description().ifPresent(d -> type.put("description", d));
        ObjectNode executor = type.putObject("executor");
        ObjectNode jobWorker = executor.putObject("configuration").putObject("jobWorkerExecutorConfiguration");
        if (!definition.pollingAccounts().isEmpty()) {
            ArrayNode accounts = jobWorker.putArray("pollingAccounts");
            definition.pollingAccounts().forEach(accounts::add);
        }
        executor.put("type", "JobWorker");
        definition.policyStatementsTemplate().ifPresent(t -> executor.put("policyStatementsTemplate", t));
        executor.put("jobTimeout", definition.executorJobTimeout().toSeconds());
        ActionTypeId id = definition.id();
        type.putObject("id").put("category", id.category().apiName()).put("owner", id.owner().apiName())
                .put("provider", id.provider()).put("version", id.version());
        artifacts(type.putObject("inputArtifactDetails"), definition.inputArtifacts());
        artifacts(type.putObject("outputArtifactDetails"), definition.outputArtifacts());
        ArrayNode properties = type.putArray("properties");
        for (ConfigurationProperty p : definition.properties()) {
            ObjectNode property = properties.addObject().put("name", p.name()).put("optional", !p.required())
                    .put("key", p.key()).put("noEcho", p.secret()).put("queryable", p.queryable());
            optional(property, "description", Optional.ofNullable(p.description()));
        }
        ObjectNode urls = JSON.createObjectNode();
        optional(urls, "configurationUrl", definition.configurationUrl());
        optional(urls, "entityUrlTemplate", definition.entityUrlTemplate());
        optional(urls, "executionUrlTemplate", definition.executionUrlTemplate());
        optional(urls, "revisionUrlTemplate", definition.revisionUrlTemplate());
        if (!urls.isEmpty()) {
            type.set("urls", urls);
        }
        return write(root);
    }

    /** The input of {@code aws codepipeline create-custom-action-type} for a custom type. */
    public static String custom(ActionTypeDefinition definition) {
        requireOwner(definition, ActionOwner.CUSTOM, "create-custom-action-type");
        ActionTypeId id = definition.id();
        ObjectNode root = JSON.createObjectNode().put("category", id.category().apiName())
                .put("provider", id.provider()).put("version", id.version());
        ObjectNode settings = JSON.createObjectNode();
        optional(settings, "thirdPartyConfigurationUrl", definition.configurationUrl());
        optional(settings, "entityUrlTemplate", definition.entityUrlTemplate());
        optional(settings, "executionUrlTemplate", definition.executionUrlTemplate());
        optional(settings, "revisionUrlTemplate", definition.revisionUrlTemplate());
        if (!settings.isEmpty()) {
            root.set("settings", settings);
        }
        ArrayNode properties = root.putArray("configurationProperties");
        for (ConfigurationProperty p : definition.properties()) {
            ObjectNode property = properties.addObject().put("name", p.name()).put("required", p.required())
                    .put("key", p.key()).put("secret", p.secret()).put("queryable", p.queryable());
            optional(property, "description", Optional.ofNullable(p.description()));
            if (p.type() != null) {
                property.put("type", p.type().apiName());
            }
        }
        artifacts(root.putObject("inputArtifactDetails"), definition.inputArtifacts());
        artifacts(root.putObject("outputArtifactDetails"), definition.outputArtifacts());
        return write(root);
    }

    private static void artifacts(ObjectNode node, ArtifactCount count) {
        node.put("minimumCount", count.minimum()).put("maximumCount", count.maximum());
    }

    private static void optional(ObjectNode node, String name, Optional<String> value) {
        value.ifPresent(v -> node.put(name, v));
    }

    private static void requireOwner(ActionTypeDefinition definition, ActionOwner owner, String command) {
        if (definition.owner() != owner) {
            throw new IllegalArgumentException(command + " registers " + owner.apiName() + " action types; "
                    + definition.id() + " is " + definition.owner().apiName());
        }
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
