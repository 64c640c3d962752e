package dev.pipelineworker.internal.preflight;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ArtifactCount;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionType;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeDeclaration;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeSettings;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeUrls;
import software.amazon.awssdk.services.codepipeline.model.GetActionTypeResponse;
import software.amazon.awssdk.services.codepipeline.model.ListActionTypesResponse;

/**
 * Finds a queue's action type as registered (GetActionType for a third-party type, ListActionTypes for a custom
 * one) and compares it with the declared definition: the properties (missing, extra, required, secret, key and
 * queryable flags), the artifact counts, the console URL templates and, for a third-party type, the executor's job
 * timeout. A type that is not found is looked for again ignoring case, since a provider or version differing only
 * in case is the most common first-day mismatch.
 */
final class RegistrationCheck {

    /** What was learnt for the later checks: the registered executor timeout and the service's time, if known. */
    record Found(Duration executorTimeout, Instant serviceTime) {
    }

    /** The registration in the terms of a definition. */
    private record Registered(List<ConfigurationProperty> properties, ArtifactCount input, ArtifactCount output,
                              Duration executorTimeout, Urls urls) {
    }

    /** The console links of an action type, each null when not set. */
    private record Urls(String configuration, String entity, String execution, String revision) {
        static final Urls NONE = new Urls(null, null, null, null);
    }

    private final CodePipelineClient client;
    private final JobQueue queue;
    private final ActionTypeDefinition definition;
    private Instant serviceTime;

    RegistrationCheck(CodePipelineClient client, JobQueue queue, ActionTypeDefinition definition) {
        this.client = client;
        this.queue = queue;
        this.definition = definition;
    }

    Found run(List<Check> checks) {
        ActionTypeId id = queue.actionType();
        boolean thirdParty = id.owner() == ActionOwner.THIRD_PARTY;
        Registered registered;
        try {
            registered = thirdParty ? thirdParty(id) : custom(id);
        } catch (ActionTypeNotFoundException e) {
            remember(e);
            registered = null;
        } catch (SdkException e) {
            remember(e);
            checks.add(Preflight.failure("registration", queue, e,
                    thirdParty ? "codepipeline:GetActionType" : "codepipeline:ListActionTypes",
                    "check the endpoint, region and credentials the worker uses"));
            return new Found(null, serviceTime);
        }
        if (registered == null) {
            checks.add(new Check("registration", queue.id(), Status.FAIL, id + " is not registered in "
                    + queue.region().id() + nearMatch(id), "register it from the generated file (example-worker "
                    + "registration), or make category, owner, provider and version match the registered type"));
            return new Found(null, serviceTime);
        }
        checks.add(new Check("registration", queue.id(), Status.PASS, id + " is registered", ""));
        if (definition == null) {
            checks.add(new Check("registration.compared", queue.id(), Status.WARN,
                    "no ActionTypeDefinition is declared for " + id + ": the registration is not compared",
                    "declare the action type (JobWorker.builder(definition, handler))"));
        } else {
            checks.add(properties(registered));
            checks.add(artifacts(registered));
            checks.add(urls(registered));
            if (thirdParty) {
                checks.add(executorTimeout(registered));
            }
        }
        return new Found(registered.executorTimeout(), serviceTime);
    }

    private Registered thirdParty(ActionTypeId id) {
        GetActionTypeResponse response = client.getActionType(r -> r.category(id.category().apiName())
                .owner(id.owner().apiName()).provider(id.provider()).version(id.version()));
        remember(response);
        ActionTypeDeclaration declaration = response.actionType();
        List<ConfigurationProperty> properties = new ArrayList<>();
        declaration.properties().forEach(p -> properties.add(new ConfigurationProperty(p.name(),
                !Boolean.TRUE.equals(p.optional()), Boolean.TRUE.equals(p.noEcho()), Boolean.TRUE.equals(p.key()),
                Boolean.TRUE.equals(p.queryable()), null, null)));
        Integer timeout = declaration.executor() == null ? null : declaration.executor().jobTimeout();
        ActionTypeUrls urls = declaration.urls();
        return new Registered(properties, count(declaration.inputArtifactDetails().minimumCount(),
                declaration.inputArtifactDetails().maximumCount()),
                count(declaration.outputArtifactDetails().minimumCount(),
                        declaration.outputArtifactDetails().maximumCount()),
                timeout == null ? null : Duration.ofSeconds(timeout),
                urls == null ? Urls.NONE : new Urls(urls.configurationUrl(), urls.entityUrlTemplate(),
                        urls.executionUrlTemplate(), urls.revisionUrlTemplate()));
    }

    private Registered custom(ActionTypeId id) {
        Optional<ActionType> found = listed(id.owner()).stream()
                .filter(t -> matches(t, id, false)).findFirst();
        if (found.isEmpty()) {
            return null;
        }
        ActionType type = found.get();
        List<ConfigurationProperty> properties = new ArrayList<>();
        type.actionConfigurationProperties().forEach(p -> properties.add(new ConfigurationProperty(p.name(),
                Boolean.TRUE.equals(p.required()), Boolean.TRUE.equals(p.secret()), Boolean.TRUE.equals(p.key()),
                Boolean.TRUE.equals(p.queryable()), null, null)));
        ActionTypeSettings settings = type.settings();
        return new Registered(properties,
                count(type.inputArtifactDetails().minimumCount(), type.inputArtifactDetails().maximumCount()),
                count(type.outputArtifactDetails().minimumCount(), type.outputArtifactDetails().maximumCount()),
                null, settings == null ? Urls.NONE : new Urls(settings.thirdPartyConfigurationUrl(),
                        settings.entityUrlTemplate(), settings.executionUrlTemplate(), settings.revisionUrlTemplate()));
    }

    private List<ActionType> listed(ActionOwner owner) {
        List<ActionType> all = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListActionTypesResponse page = client.listActionTypes(r -> r.actionOwnerFilter(owner.apiName())
                    .nextToken(token));
            remember(page);
            all.addAll(page.actionTypes());
            next = page.nextToken();
        } while (next != null);
        return all;
    }

    /** ", but X is (the case differs)" when a listed type matches ignoring case; empty otherwise or on error. */
    private String nearMatch(ActionTypeId id) {
        try {
            return listed(id.owner()).stream().filter(t -> matches(t, id, true)).findFirst()
                    .map(t -> "; " + t.id().categoryAsString() + "/" + t.id().ownerAsString() + "/"
                            + t.id().provider() + "/" + t.id().version() + " is, which differs in case")
                    .orElse("");
        } catch (SdkException e) {
            return "";
        }
    }

    private static boolean matches(ActionType type, ActionTypeId id, boolean ignoreCase) {
        String wanted = id.category().apiName() + "/" + id.owner().apiName() + "/" + id.provider() + "/"
                + id.version();
        String listed = type.id().categoryAsString() + "/" + type.id().ownerAsString() + "/" + type.id().provider()
                + "/" + type.id().version();
        return ignoreCase ? wanted.equalsIgnoreCase(listed) : wanted.equals(listed);
    }

    private Check properties(Registered registered) {
        List<String> problems = new ArrayList<>();
        boolean onlyOptionalExtras = true;
        for (ConfigurationProperty declared : definition.properties()) {
            Optional<ConfigurationProperty> found = registered.properties().stream()
                    .filter(p -> p.name().equals(declared.name())).findFirst();
            if (found.isEmpty()) {
                problems.add("'" + declared.name() + "' is declared but not registered");
                continue;
            }
            ConfigurationProperty as = found.get();
            if (as.required() != declared.required()) {
                problems.add("'" + declared.name() + "' is " + (declared.required() ? "required" : "optional")
                        + " in the definition but " + (as.required() ? "required" : "optional") + " as registered");
            }
            flag(problems, declared.name(), "secret", declared.secret(), as.secret());
            flag(problems, declared.name(), "a key", declared.key(), as.key());
            flag(problems, declared.name(), "queryable", declared.queryable(), as.queryable());
        }
        List<String> extras = new ArrayList<>();
        for (ConfigurationProperty registeredProperty : registered.properties()) {
            if (definition.property(registeredProperty.name()).isEmpty()) {
                extras.add("'" + registeredProperty.name() + "' is registered"
                        + (registeredProperty.required() ? " (required)" : "") + " but not declared");
                onlyOptionalExtras &= !registeredProperty.required();
            }
        }
        if (problems.isEmpty() && extras.isEmpty()) {
            return new Check("registration.properties", queue.id(), Status.PASS,
                    registered.properties().size() + " properties as declared", "");
        }
        problems.addAll(extras);
        Status status = problems.size() == extras.size() && onlyOptionalExtras ? Status.WARN : Status.FAIL;
        return new Check("registration.properties", queue.id(), status, String.join("; ", problems),
                "update the registration from the generated file, or the definition, so that both declare the same "
                        + "properties");
    }

    /** "'Name' is (not) secret in the definition but (not) as registered", when the two differ. */
    private static void flag(List<String> problems, String name, String flag, boolean declared, boolean registered) {
        if (declared != registered) {
            problems.add("'" + name + "' is " + (declared ? "" : "not ") + flag + " in the definition but "
                    + (registered ? "" : "not ") + "as registered");
        }
    }

    /**
     * The console links: a WARN, not a FAIL, when they differ, since jobs run the same and only the links the console
     * shows for the action are out of date.
     */
    private Check urls(Registered registered) {
        Urls declared = new Urls(definition.configurationUrl().orElse(null),
                definition.entityUrlTemplate().orElse(null), definition.executionUrlTemplate().orElse(null),
                definition.revisionUrlTemplate().orElse(null));
        Urls found = registered.urls();
        List<String> problems = new ArrayList<>();
        url(problems, "configuration URL", declared.configuration(), found.configuration());
        url(problems, "entity URL template", declared.entity(), found.entity());
        url(problems, "execution URL template", declared.execution(), found.execution());
        url(problems, "revision URL template", declared.revision(), found.revision());
        if (problems.isEmpty()) {
            return new Check("registration.urls", queue.id(), Status.PASS, "console URLs as declared", "");
        }
        return new Check("registration.urls", queue.id(), Status.WARN, String.join("; ", problems),
                "update the registration from the generated file, or the definition, so that the console links agree");
    }

    private static void url(List<String> problems, String what, String declared, String registered) {
        if (!Objects.equals(declared, registered)) {
            problems.add("the " + what + " is " + quoted(declared) + " in the definition but " + quoted(registered)
                    + " as registered");
        }
    }

    private static String quoted(String value) {
        return value == null ? "not set" : "'" + value + "'";
    }

    private Check artifacts(Registered registered) {
        List<String> problems = new ArrayList<>();
        if (!registered.input().equals(definition.inputArtifacts())) {
            problems.add("input artifacts " + definition.inputArtifacts() + " declared, " + registered.input()
                    + " registered");
        }
        if (!registered.output().equals(definition.outputArtifacts())) {
            problems.add("output artifacts " + definition.outputArtifacts() + " declared, " + registered.output()
                    + " registered");
        }
        if (problems.isEmpty()) {
            return new Check("registration.artifacts", queue.id(), Status.PASS, "input " + registered.input()
                    + ", output " + registered.output() + " as declared", "");
        }
        return new Check("registration.artifacts", queue.id(), Status.FAIL, String.join("; ", problems),
                "make the definition's artifact counts and the registration's agree");
    }

    private Check executorTimeout(Registered registered) {
        if (definition.executorJobTimeout().equals(registered.executorTimeout())) {
            return new Check("registration.executorTimeout", queue.id(), Status.PASS,
                    Preflight.seconds(registered.executorTimeout()) + " as declared", "");
        }
        return new Check("registration.executorTimeout", queue.id(), Status.FAIL, "the executor's jobTimeout is "
                + (registered.executorTimeout() == null ? "not set" : Preflight.seconds(registered.executorTimeout()))
                + " as registered, " + Preflight.seconds(definition.executorJobTimeout()) + " declared",
                "update the registration from the generated file (aws codepipeline update-action-type)");
    }

    private static ArtifactCount count(Integer minimum, Integer maximum) {
        return new ArtifactCount(minimum == null ? 0 : minimum, maximum == null ? 0 : maximum);
    }

    private void remember(AwsResponse response) {
        remember(response.sdkHttpResponse());
    }

    private void remember(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            remember(service.awsErrorDetails().sdkHttpResponse());
        }
    }

    private void remember(SdkHttpResponse response) {
        if (response == null) {
            return;
        }
        response.firstMatchingHeader("Date").ifPresent(date -> {
            try {
                serviceTime = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException unreadable) {
                serviceTime = null; // a check without the service's time says so; a bad header is no failure
            }
        });
    }
}
