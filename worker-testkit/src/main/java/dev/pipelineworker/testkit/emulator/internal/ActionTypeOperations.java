package dev.pipelineworker.testkit.emulator.internal;

import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.CATEGORY;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.PROVIDER;
import static dev.pipelineworker.testkit.emulator.internal.RequestValidator.VERSION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The action type operations: {@code GetActionType}, {@code ListActionTypes}, {@code CreateCustomActionType} and
 * {@code UpdateActionType}, validated against the service model like the job operations. CodePipeline has no
 * operation that creates a third-party type (AWS creates it from the integrator's declaration, which
 * {@code UpdateActionType} then changes): the emulator is given those with
 * {@link dev.pipelineworker.testkit.LocalCodePipeline.Builder#registeredActionType(String)}, and
 * {@code UpdateActionType} of a type it does not hold answers ActionTypeNotFoundException, as the service does.
 * A registered type is also known to the job operations of its region.
 */
public final class ActionTypeOperations {

    private static final RequestValidator.Shape THIRD_PARTY_OWNER = RequestValidator.Shape.oneOf("AWS", "ThirdParty");
    private static final RequestValidator.Shape OWNER_FILTER = RequestValidator.Shape.oneOf("AWS", "ThirdParty",
            "Custom");
    private static final RequestValidator.Shape URL = RequestValidator.Shape.length(1, 2048);
    private static final RequestValidator.Shape PROPERTY_NAME = RequestValidator.Shape.length(1, 50);
    private static final RequestValidator.Shape PROPERTY_DESCRIPTION = RequestValidator.Shape.length(1, 160);
    private static final RequestValidator.Shape TYPE_DESCRIPTION = RequestValidator.Shape.length(1, 1024);
    private static final RequestValidator.Shape POLICY = RequestValidator.Shape.length(1, 2048);
    private static final RequestValidator.Shape EXECUTOR_TYPE = RequestValidator.Shape.oneOf("JobWorker", "Lambda");
    private static final RequestValidator.Shape PROPERTY_TYPE = RequestValidator.Shape.oneOf("String", "Number",
            "Boolean");
    private static final RequestValidator.Shape ACCOUNT = new RequestValidator.Shape(0, 0,
            Pattern.compile("[0-9]{12}"), null, false);
    private static final RequestValidator.Shape NEXT_TOKEN = RequestValidator.Shape.length(1, 2048);
    private static final int MAX_PROPERTIES = 10;

    private final EmulatorState state;
    private final ObjectMapper json;

    ActionTypeOperations(EmulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    /**
     * Checks a registration file (the {@code update-action-type} input of a third-party type, or the
     * {@code create-custom-action-type} input of a custom one) and registers the type in {@code region} now and
     * after every reset, for the emulator's builder and command line; a ValidationException names what is wrong.
     */
    public static void seed(EmulatorState state, String region, JsonNode registration) {
        RegisteredActionTypes.Registration checked;
        if (registration.has("actionType")) {
            RequestValidator v = new RequestValidator();
            JsonNode declaration = v.object(registration, "", "actionType", true);
            ActionTypeId id = declaration(v, declaration);
            v.throwIfInvalid();
            checked = new RegisteredActionTypes.Registration(id, declaration);
        } else {
            checked = custom(registration);
        }
        state.actionTypeRegistrations().seed(region, checked);
        state.registerActionType(checked.id(), region);
    }

    JsonNode getActionType(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        String category = v.string(request, "", "category", CATEGORY, true);
        String owner = v.string(request, "", "owner", THIRD_PARTY_OWNER, true);
        String provider = v.string(request, "", "provider", PROVIDER, true);
        String version = v.string(request, "", "version", VERSION, true);
        v.throwIfInvalid();
        ActionTypeId id = "ThirdParty".equals(owner) ? new ActionTypeId(ActionCategory.fromApiName(category),
                ActionOwner.THIRD_PARTY, provider, version) : null;
        RegisteredActionTypes.Registration found = id == null ? null
                : state.actionTypeRegistrations().get(region, id).orElse(null);
        if (found == null) {
            throw ApiException.actionTypeNotFound(category, owner, provider, version);
        }
        ObjectNode response = json.createObjectNode();
        response.set("actionType", found.declaration());
        return response;
    }

    JsonNode listActionTypes(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        String owner = v.string(request, "", "actionOwnerFilter", OWNER_FILTER, false);
        v.string(request, "", "nextToken", NEXT_TOKEN, false);
        v.string(request, "", "regionFilter", RequestValidator.Shape.length(4, 30), false);
        v.throwIfInvalid();
        ObjectNode response = json.createObjectNode();
        ArrayNode types = response.putArray("actionTypes");
        for (RegisteredActionTypes.Registration registration : state.actionTypeRegistrations().all(region)) {
            if (owner == null || owner.equals(registration.id().owner().apiName())) {
                types.add(registration.id().owner() == ActionOwner.CUSTOM ? registration.declaration()
                        : asActionType(registration));
            }
        }
        return response;
    }

    JsonNode createCustomActionType(JsonNode request, String region) {
        RegisteredActionTypes.Registration registration = custom(request);
        state.actionTypeRegistrations().put(region, registration);
        state.registerActionType(registration.id(), region);
        ObjectNode response = new ObjectMapper().createObjectNode();
        response.set("actionType", registration.declaration());
        return response;
    }

    /** A checked CreateCustomActionType input as the ActionType that ListActionTypes shows. */
    private static RegisteredActionTypes.Registration custom(JsonNode request) {
        RequestValidator v = new RequestValidator();
        String category = v.string(request, "", "category", CATEGORY, true);
        String provider = v.string(request, "", "provider", PROVIDER, true);
        String version = v.string(request, "", "version", VERSION, true);
        JsonNode settings = v.object(request, "", "settings", false);
        for (String member : List.of("thirdPartyConfigurationUrl", "entityUrlTemplate", "executionUrlTemplate",
                "revisionUrlTemplate")) {
            v.string(settings, "settings", member, URL, false);
        }
        JsonNode properties = list(request, "configurationProperties");
        checkProperties(v, properties, "configurationProperties", "required", "secret", true);
        artifactDetails(v, request, "", "inputArtifactDetails", 5);
        artifactDetails(v, request, "", "outputArtifactDetails", 5);
        v.throwIfInvalid();
        ActionTypeId id = new ActionTypeId(ActionCategory.fromApiName(category), ActionOwner.CUSTOM, provider,
                version);
        ObjectMapper json = new ObjectMapper();
        ObjectNode actionType = json.createObjectNode();
        actionType.putObject("id").put("category", category).put("owner", "Custom").put("provider", provider)
                .put("version", version);
        if (settings != null) {
            actionType.set("settings", settings);
        }
        actionType.set("actionConfigurationProperties", properties == null ? json.createArrayNode() : properties);
        actionType.set("inputArtifactDetails", request.get("inputArtifactDetails"));
        actionType.set("outputArtifactDetails", request.get("outputArtifactDetails"));
        return new RegisteredActionTypes.Registration(id, actionType);
    }

    JsonNode updateActionType(JsonNode request, String region) {
        RequestValidator v = new RequestValidator();
        JsonNode declaration = v.object(request, "", "actionType", true);
        ActionTypeId id = declaration(v, declaration);
        v.throwIfInvalid();
        if (state.actionTypeRegistrations().get(region, id).isEmpty()) {
            throw ApiException.actionTypeNotFound(id.category().apiName(), id.owner().apiName(), id.provider(),
                    id.version());
        }
        state.actionTypeRegistrations().put(region, new RegisteredActionTypes.Registration(id, declaration));
        return json.createObjectNode();
    }

    /** Checks an ActionTypeDeclaration; its id, or null when the id is invalid (a violation then says why). */
    private static ActionTypeId declaration(RequestValidator v, JsonNode declaration) {
        if (declaration == null) {
            return null;
        }
        String at = "actionType";
        v.string(declaration, at, "description", TYPE_DESCRIPTION, false);
        JsonNode executor = v.object(declaration, at, "executor", true);
        if (executor != null) {
            String executorAt = at + ".executor";
            JsonNode configuration = v.object(executor, executorAt, "configuration", true);
            JsonNode jobWorker = v.object(configuration, executorAt + ".configuration",
                    "jobWorkerExecutorConfiguration", false);
            JsonNode accounts = list(jobWorker, "pollingAccounts");
            if (accounts != null) {
                String accountsAt = executorAt + ".configuration.jobWorkerExecutorConfiguration.pollingAccounts";
                if (accounts.isEmpty() || accounts.size() > 1000) {
                    v.violate(accountsAt, null, "Member must have length between 1 and 1000");
                }
                accounts.forEach(account -> v.string(wrapped(account), accountsAt, "member", ACCOUNT, true));
            }
            v.string(executor, executorAt, "type", EXECUTOR_TYPE, true);
            v.string(executor, executorAt, "policyStatementsTemplate", POLICY, false);
            v.integer(executor, executorAt, "jobTimeout", 60, 43_200);
        }
        checkProperties(v, list(declaration, "properties"), at + ".properties", "optional", "noEcho", false);
        artifactDetails(v, declaration, at, "inputArtifactDetails", 10);
        artifactDetails(v, declaration, at, "outputArtifactDetails", 10);
        JsonNode urls = v.object(declaration, at, "urls", false);
        for (String member : List.of("configurationUrl", "entityUrlTemplate", "executionUrlTemplate",
                "revisionUrlTemplate")) {
            v.string(urls, at + ".urls", member, URL, false);
        }
        return idOf(v, declaration, at);
    }

    private static ActionTypeId idOf(RequestValidator v, JsonNode declaration, String at) {
        JsonNode id = v.object(declaration, at, "id", true);
        if (id == null) {
            return null;
        }
        String category = v.string(id, at + ".id", "category", CATEGORY, true);
        String owner = v.string(id, at + ".id", "owner", THIRD_PARTY_OWNER, true);
        String provider = v.string(id, at + ".id", "provider", PROVIDER, true);
        String version = v.string(id, at + ".id", "version", VERSION, true);
        try {
            return new ActionTypeId(ActionCategory.fromApiName(category), ActionOwner.fromApiName(owner), provider,
                    version);
        } catch (RuntimeException invalid) {
            return null; // the violations above say why
        }
    }

    /** Properties of either owner: {@code requiredName} and {@code secretName} differ between the two models. */
    private static void checkProperties(RequestValidator v, JsonNode properties, String at, String requiredName,
            String secretName, boolean typed) {
        if (properties == null) {
            return;
        }
        if (properties.size() > MAX_PROPERTIES) {
            v.violate(at, null, "Member must have length less than or equal to " + MAX_PROPERTIES);
        }
        int queryable = 0;
        for (int i = 0; i < properties.size(); i++) {
            JsonNode property = properties.get(i);
            String propertyAt = at + "." + (i + 1) + ".member";
            v.string(property, propertyAt, "name", PROPERTY_NAME, true);
            v.string(property, propertyAt, "description", PROPERTY_DESCRIPTION, false);
            for (String member : List.of(requiredName, "key", secretName)) {
                bool(v, property, propertyAt, member, true);
            }
            if (typed) {
                v.string(property, propertyAt, "type", PROPERTY_TYPE, false);
            }
            if (Boolean.TRUE.equals(bool(v, property, propertyAt, "queryable", false))) {
                queryable++;
            }
        }
        if (queryable > 1) {
            throw new ApiException("InvalidActionDeclarationException",
                    "Only one configuration property may be queryable");
        }
    }

    private static void artifactDetails(RequestValidator v, JsonNode parent, String path, String member, int max) {
        JsonNode details = v.object(parent, path, member, true);
        if (details == null) {
            return;
        }
        String at = path.isEmpty() ? member : path + "." + member;
        Integer min = v.integer(details, at, "minimumCount", 0, max);
        Integer most = v.integer(details, at, "maximumCount", 0, max);
        if (min == null) {
            v.missing(at + ".minimumCount");
        }
        if (most == null) {
            v.missing(at + ".maximumCount");
        }
    }

    private static Boolean bool(RequestValidator v, JsonNode parent, String path, String member, boolean required) {
        JsonNode node = parent.get(member);
        if (node == null || node.isNull()) {
            if (required) {
                v.missing(path + "." + member);
            }
            return null;
        }
        if (!node.isBoolean()) {
            throw new ApiException("SerializationException", "Expected a boolean at '" + path + "." + member + "'");
        }
        return node.booleanValue();
    }

    private static JsonNode list(JsonNode parent, String member) {
        JsonNode node = parent == null ? null : parent.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new ApiException("SerializationException", "Expected a list at '" + member + "'");
        }
        return node;
    }

    /** A list item as the one member of an object, so that RequestValidator checks it like any member. */
    private static JsonNode wrapped(JsonNode item) {
        return new ObjectMapper().createObjectNode().set("member", item);
    }

    /** A third-party declaration as ListActionTypes shows it: the ActionType shape. */
    private JsonNode asActionType(RegisteredActionTypes.Registration registration) {
        JsonNode declaration = registration.declaration();
        ObjectNode type = json.createObjectNode();
        type.set("id", declaration.get("id"));
        JsonNode urls = declaration.get("urls");
        if (urls != null) {
            ObjectNode settings = type.putObject("settings");
            copy(urls, "configurationUrl", settings, "thirdPartyConfigurationUrl");
            copy(urls, "entityUrlTemplate", settings, "entityUrlTemplate");
            copy(urls, "executionUrlTemplate", settings, "executionUrlTemplate");
            copy(urls, "revisionUrlTemplate", settings, "revisionUrlTemplate");
        }
        ArrayNode properties = type.putArray("actionConfigurationProperties");
        JsonNode declared = declaration.get("properties");
        if (declared != null) {
            for (JsonNode p : declared) {
                ObjectNode property = properties.addObject().put("name", p.path("name").asText())
                        .put("required", !p.path("optional").asBoolean())
                        .put("key", p.path("key").asBoolean()).put("secret", p.path("noEcho").asBoolean())
                        .put("queryable", p.path("queryable").asBoolean());
                copy(p, "description", property, "description");
            }
        }
        type.set("inputArtifactDetails", declaration.get("inputArtifactDetails"));
        type.set("outputArtifactDetails", declaration.get("outputArtifactDetails"));
        return type;
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode value = from.get(name);
        if (value != null && value.isTextual()) {
            to.put(as, value.asText());
        }
    }
}
