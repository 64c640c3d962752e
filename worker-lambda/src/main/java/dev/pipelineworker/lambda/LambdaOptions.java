package dev.pipelineworker.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * How {@link JobHandlerLambda} runs a handler. Immutable: every {@code with...} returns a copy.
 * Start from {@link #defaults()}; each setter documents its default.
 */
public final class LambdaOptions {

    /** The default safety margin: 10 seconds. */
    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(10);

    /** The longest a Lambda function may run; a safety margin must be shorter. */
    static final Duration MAX_LAMBDA_TIME = Duration.ofMinutes(15);

    private static final LambdaOptions DEFAULTS = new LambdaOptions(null, DEFAULT_SAFETY_MARGIN, null, null, null,
            true, Clock.systemUTC(), null);

    private final ArtifactStoreFactory artifactStores;
    private final Duration safetyMargin;
    private final ObjectMapper objectMapper;
    private final ActionTypeId actionType;
    private final ActionTypeDefinition definition;
    private final boolean outputVariablesAllowed;
    private final Clock clock;
    private final Region region;

    private LambdaOptions(ArtifactStoreFactory artifactStores, Duration safetyMargin, ObjectMapper objectMapper,
                          ActionTypeId actionType, ActionTypeDefinition definition, boolean outputVariablesAllowed,
                          Clock clock, Region region) {
        this.artifactStores = artifactStores;
        this.safetyMargin = safetyMargin;
        this.objectMapper = objectMapper;
        this.actionType = actionType;
        this.definition = definition;
        this.outputVariablesAllowed = outputVariablesAllowed;
        this.clock = clock;
        this.region = region;
    }

    /** Every default. */
    public static LambdaOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Opens each job's artifact store with the event's action credentials and KMS key. Default: the
     * first {@link ArtifactStoreFactory} found by {@link java.util.ServiceLoader} when the function
     * is constructed ({@code worker-s3} registers one); without one, a handler that touches
     * artifacts fails with a message saying what to add.
     */
    public LambdaOptions withArtifactStores(ArtifactStoreFactory factory) {
        return new LambdaOptions(Objects.requireNonNull(factory, "factory"), safetyMargin, objectMapper, actionType,
                definition, outputVariablesAllowed, clock, region);
    }

    /**
     * How long before the Lambda's own timeout the handler is stopped, so that there is time left to
     * return a failure instead of being killed. The handler's deadline is
     * {@code Context.getRemainingTimeInMillis()} at the start of the invocation minus this margin.
     * Default: {@link #DEFAULT_SAFETY_MARGIN} (10 s). Zero or more, less than 15 minutes.
     */
    public LambdaOptions withSafetyMargin(Duration margin) {
        Objects.requireNonNull(margin, "margin");
        if (margin.isNegative() || margin.compareTo(MAX_LAMBDA_TIME) >= 0) {
            throw new IllegalArgumentException("safetyMargin must be at least 0 and less than 15 minutes, got "
                    + margin);
        }
        return new LambdaOptions(artifactStores, margin, objectMapper, actionType, definition, outputVariablesAllowed,
                clock, region);
    }

    /**
     * The Jackson mapper for typed continuation state ({@code JobOutcome.continueWithState} and
     * {@code JobContext.continuationState}). Default: the same mapper the polling worker uses, which
     * knows {@code java.time} and ignores unknown properties. Use the same mapper under both engines.
     */
    public LambdaOptions withObjectMapper(ObjectMapper mapper) {
        return new LambdaOptions(artifactStores, safetyMargin, Objects.requireNonNull(mapper, "mapper"), actionType,
                definition, outputVariablesAllowed, clock, region);
    }

    /**
     * The action type the handler sees in {@code JobContext.actionTypeId()}: the Lambda event does
     * not carry one. Default: a {@code ThirdParty} {@code Build} action whose provider is the
     * function's name (cut to 35 characters, other characters than {@code [0-9A-Za-z_-]} replaced
     * by {@code -}), version {@code 1}. It does not decide whether output variables may be returned:
     * see {@link #withOutputVariablesAllowed(boolean)}. Replaces a definition given with
     * {@link #withActionType(ActionTypeDefinition)}: jobs are then no longer checked against it.
     */
    public LambdaOptions withActionType(ActionTypeId type) {
        return new LambdaOptions(artifactStores, safetyMargin, objectMapper, Objects.requireNonNull(type, "type"),
                null, outputVariablesAllowed, clock, region);
    }

    /**
     * The declared action type: the handler sees its id in {@code JobContext.actionTypeId()} (as
     * {@link #withActionType(ActionTypeId)} says), and each job's configuration is checked against its properties
     * before the handler runs, as a {@code JobWorker} built from the definition checks it. A job that lacks a
     * required property fails as {@code ConfigurationError} naming the key, without its handler running; the
     * handler's reads of a key the definition does not declare throw {@link IllegalStateException} naming it (the
     * job fails as {@code JobFailed}), since CodePipeline never sends a value for such a key. Default: none, and no
     * check.
     */
    public LambdaOptions withActionType(ActionTypeDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        return new LambdaOptions(artifactStores, safetyMargin, objectMapper, definition.id(), definition,
                outputVariablesAllowed, clock, region);
    }

    /**
     * Whether a success may carry output variables. The Lambda result has an {@code outputVariables}
     * member whatever the action type's owner (unlike the third-party job worker API), so the
     * default is {@code true}: they are checked with the same key pattern and size limit as on a
     * custom job worker. {@code false} refuses them exactly as a third-party job worker does (the
     * job fails saying why), for an action type that also runs on polling third-party workers.
     * Output variables never go with a continuation, whatever this says.
     */
    public LambdaOptions withOutputVariablesAllowed(boolean allowed) {
        return new LambdaOptions(artifactStores, safetyMargin, objectMapper, actionType, definition, allowed, clock,
                region);
    }

    /**
     * The region the handler sees in {@code JobContext.region()} and the artifact store opens its
     * clients for: the Lambda event does not carry one, and the function runs in its pipeline's
     * region. Default: {@code AWS_REGION} (which Lambda sets) or the {@code aws.region} system
     * property; {@code us-east-1} where neither is set (in a test).
     */
    public LambdaOptions withRegion(Region region) {
        return new LambdaOptions(artifactStores, safetyMargin, objectMapper, actionType, definition,
                outputVariablesAllowed, clock, Objects.requireNonNull(region, "region"));
    }

    /** The region, when one was given. */
    public Optional<Region> region() {
        return Optional.ofNullable(region);
    }

    /** The clock for the deadline handed to handlers. Default: {@link Clock#systemUTC()}. */
    public LambdaOptions withClock(Clock clock) {
        return new LambdaOptions(artifactStores, safetyMargin, objectMapper, actionType, definition,
                outputVariablesAllowed, Objects.requireNonNull(clock, "clock"), region);
    }

    /** The artifact store factory, when one was given. */
    public Optional<ArtifactStoreFactory> artifactStores() {
        return Optional.ofNullable(artifactStores);
    }

    /** The safety margin. */
    public Duration safetyMargin() {
        return safetyMargin;
    }

    /** The mapper for continuation state, when one was given. */
    public Optional<ObjectMapper> objectMapper() {
        return Optional.ofNullable(objectMapper);
    }

    /** The action type, when one was given. */
    public Optional<ActionTypeId> actionType() {
        return Optional.ofNullable(actionType);
    }

    /** The declared action type whose properties jobs are checked against, when one was given. */
    public Optional<ActionTypeDefinition> actionTypeDefinition() {
        return Optional.ofNullable(definition);
    }

    /** Whether a success may carry output variables. */
    public boolean outputVariablesAllowed() {
        return outputVariablesAllowed;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "LambdaOptions[safetyMargin=" + safetyMargin + ", actionType=" + actionType
                + ", declared=" + (definition != null)
                + ", outputVariablesAllowed=" + outputVariablesAllowed
                + ", artifactStores=" + (artifactStores == null ? "discovered" : "given") + "]";
    }
}
