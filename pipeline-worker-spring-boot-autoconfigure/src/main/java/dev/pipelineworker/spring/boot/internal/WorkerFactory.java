package dev.pipelineworker.spring.boot.internal;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactStoreFactory;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.spring.boot.CodePipelineClients;
import dev.pipelineworker.spring.boot.JobWorkerCustomizer;
import dev.pipelineworker.spring.boot.PipelineWorkerProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Builds the workers {@code pipeline-worker.workers} configures, each from its source's builder, its properties, the
 * application's AWS beans, the instrumentations and the customizers, in that order. Every setting is checked here,
 * while the context starts, and a bad one fails it as an {@link InvalidWorkerProperty} naming the property.
 */
public final class WorkerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerFactory.class);
    /** What the shutdown grace leaves of Spring's shutdown phase to report the jobs still running at its end. */
    static final Duration REPORTING_MARGIN = Duration.ofSeconds(5);

    private final Map<String, JobHandler> handlers;
    private final WorkerBuilderSource source;
    private final AwsBeans aws;
    private final List<WorkerInstrumentation> instrumentations;
    private final List<JobWorkerCustomizer> customizers;
    private final Duration shutdownPhase;

    /**
     * The application's beans that give workers access to AWS, each {@code null} when the application has none.
     *
     * @param clientTokens  the client tokens of third-party workers
     * @param clients       the CodePipeline client of each region
     * @param client        the one CodePipeline client, when there is no {@code clients}
     * @param artifactStores the artifact store factory, instead of the one found on the class path
     */
    public record AwsBeans(ClientTokenProvider clientTokens, CodePipelineClients clients, CodePipelineClient client,
                           ArtifactStoreFactory artifactStores) {
    }

    /**
     * A factory for workers running these handler beans (by bean name).
     *
     * @param shutdownPhase {@code spring.lifecycle.timeout-per-shutdown-phase}, from which the default shutdown
     *                      grace is derived
     */
    public WorkerFactory(Map<String, JobHandler> handlers, WorkerBuilderSource source, AwsBeans aws,
                         List<WorkerInstrumentation> instrumentations, List<JobWorkerCustomizer> customizers,
                         Duration shutdownPhase) {
        this.handlers = Map.copyOf(handlers);
        this.source = Objects.requireNonNull(source, "source");
        this.aws = Objects.requireNonNull(aws, "aws");
        this.instrumentations = List.copyOf(instrumentations);
        this.customizers = List.copyOf(customizers);
        this.shutdownPhase = Objects.requireNonNull(shutdownPhase, "shutdownPhase");
    }

    /** The enabled workers of {@code properties}, built and not started; on a failure, those built are closed. */
    public List<NamedWorker> build(PipelineWorkerProperties properties) {
        List<NamedWorker> built = new ArrayList<>();
        Set<String> unused = new TreeSet<>(handlers.keySet());
        try {
            properties.getWorkers().forEach((name, settings) -> {
                if (settings.isEnabled()) {
                    String handlerName = handlerName(name, settings);
                    unused.remove(handlerName);
                    built.add(build(name, settings, handlers.get(handlerName)));
                }
            });
        } catch (RuntimeException e) {
            built.forEach(ManagedWorkers::close);
            throw e;
        }
        unused.forEach(bean -> LOG.warn("the JobHandler bean '{}' runs in no worker: configure {}.workers.{}.* or "
                + "name it in a worker's handler property", bean, PipelineWorkerProperties.PREFIX, bean));
        return built;
    }

    /** The handler bean's name: the one the handler property names, else the worker's, and only one of them. */
    private String handlerName(String name, PipelineWorkerProperties.Worker settings) {
        String named = settings.getHandler();
        if (named == null || named.isBlank()) {
            if (!handlers.containsKey(name)) {
                throw new InvalidWorkerProperty(property(name, "handler"), "no JobHandler bean is named '" + name
                        + "'; name the handler bean after the worker, or name the bean in this property");
            }
            return name;
        }
        if (!handlers.containsKey(named)) {
            throw new InvalidWorkerProperty(property(name, "handler"), "no JobHandler bean is named '" + named + "'");
        }
        if (!named.equals(name) && handlers.containsKey(name)) {
            throw new InvalidWorkerProperty(property(name, "handler"), "two JobHandler beans for one worker: '" + named
                    + "', which this property names, and '" + name + "', named after the worker; rename one");
        }
        return named;
    }

    private NamedWorker build(String name, PipelineWorkerProperties.Worker settings, JobHandler handler) {
        JobWorker.Builder builder = source.builder(actionType(name, settings), handler);
        applyProperties(name, settings, builder);
        if (!source.suppliesAwsAccess()) {
            applyAwsBeans(builder);
        }
        List<WorkerInstrumentation.Binding> bindings = new ArrayList<>();
        instrumentations.forEach(instrumentation -> bindings.add(instrumentation.instrument(name, builder)));
        customizers.forEach(customizer -> customizer.customize(name, builder));
        JobWorker worker;
        try {
            worker = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            bindings.forEach(WorkerInstrumentation.Binding::close);
            throw new InvalidWorkerProperty(PipelineWorkerProperties.PREFIX + ".workers." + name, e.getMessage());
        }
        bindings.forEach(binding -> binding.bindTo(worker));
        return new NamedWorker(name, worker, bindings);
    }

    private static ActionTypeId actionType(String name, PipelineWorkerProperties.Worker settings) {
        if (settings.getCategory() == null) {
            throw new InvalidWorkerProperty(property(name, "category"),
                    "required: the action type's category, such as Build or Deploy");
        }
        if (settings.getProvider() == null) {
            throw new InvalidWorkerProperty(property(name, "provider"), "required: the action type's provider");
        }
        if (settings.getVersions().isEmpty()) {
            throw new InvalidWorkerProperty(property(name, "versions"), "must name at least one version");
        }
        String provider = settings.getProvider();
        check(property(name, "provider"),
                () -> new ActionTypeId(settings.getCategory(), settings.getOwner(), provider, "1"));
        return check(property(name, "versions"), () -> new ActionTypeId(settings.getCategory(), settings.getOwner(),
                provider, settings.getVersions().get(0)));
    }

    private void applyProperties(String name, PipelineWorkerProperties.Worker settings, JobWorker.Builder builder) {
        apply(property(name, "versions"), builder, b -> b.versions(settings.getVersions().toArray(String[]::new)));
        if (!settings.getRegions().isEmpty()) {
            apply(property(name, "regions"), builder, b -> b.regions(settings.getRegions().toArray(String[]::new)));
        }
        apply(property(name, "max-concurrent-jobs"), builder, b -> b.maxConcurrentJobs(settings.getMaxConcurrentJobs()));
        if (settings.getJobTimeout() != null) {
            apply(property(name, "job-timeout"), builder, b -> b.jobTimeout(settings.getJobTimeout()));
        }
        Duration grace = settings.getShutdownGrace() != null ? settings.getShutdownGrace() : defaultShutdownGrace();
        if (grace.compareTo(shutdownPhase) >= 0) {
            LOG.warn("{} ({}) is not below spring.lifecycle.timeout-per-shutdown-phase ({}): Spring stops waiting "
                    + "before the jobs still running are reported", property(name, "shutdown-grace"), grace,
                    shutdownPhase);
        }
        apply(property(name, "shutdown-grace"), builder, b -> b.shutdownGrace(grace));
        if (settings.getJournalDir() != null) {
            builder.outcomeJournal(OutcomeJournal.inDirectory(settings.getJournalDir()));
        }
        if (settings.getScratchRoot() != null) {
            builder.scratchRoot(settings.getScratchRoot());
        }
    }

    /** Spring's shutdown phase less the time to report what is still running then; never negative. */
    private Duration defaultShutdownGrace() {
        Duration grace = shutdownPhase.minus(REPORTING_MARGIN);
        return grace.isNegative() ? Duration.ZERO : grace;
    }

    private void applyAwsBeans(JobWorker.Builder builder) {
        if (aws.clientTokens() != null) {
            builder.clientTokens(aws.clientTokens());
        }
        if (aws.clients() != null) {
            builder.codePipelineClients(aws.clients()::client);
        } else if (aws.client() != null) {
            builder.codePipelineClient(aws.client());
        }
        if (aws.artifactStores() != null) {
            builder.artifactStoreFactory(aws.artifactStores());
        }
    }

    private static String property(String worker, String setting) {
        return PipelineWorkerProperties.PREFIX + ".workers." + worker + "." + setting;
    }

    private static void apply(String property, JobWorker.Builder builder, Consumer<JobWorker.Builder> setting) {
        check(property, () -> {
            setting.accept(builder);
            return builder;
        });
    }

    /** What {@code value} gives, or the property named as invalid with the reason the worker's API gave. */
    private static <T> T check(String property, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidWorkerProperty(property, e.getMessage());
        }
    }
}
