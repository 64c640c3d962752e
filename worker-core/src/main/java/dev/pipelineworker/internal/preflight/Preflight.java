package dev.pipelineworker.internal.preflight;

import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.PreflightReport;
import dev.pipelineworker.PreflightReport.Check;
import dev.pipelineworker.PreflightReport.Status;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.internal.ActionTypeLimits;
import dev.pipelineworker.internal.journal.DisabledOutcomeJournal;
import dev.pipelineworker.internal.journal.FileOutcomeJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Runs the preflight checks of a worker, per queue: who the caller is (STS), the region, the action type's
 * registration against the declared definition ({@link RegistrationCheck}), the worker's job timeout against the
 * executor's, and the clock against the service's; and once for the worker: the client tokens of a third-party
 * type and the outcome journal ({@link JournalCheck}). It never polls: a poll hands out real jobs.
 */
public final class Preflight {

    /** Beyond this a SigV4 signature is refused. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** Beyond this deadlines drift noticeably; worth fixing before it grows. */
    static final Duration WARN_SKEW = Duration.ofSeconds(30);

    private final List<JobQueue> queues;
    private final Function<Region, CodePipelineClient> clients;
    private final Function<Region, StsClient> stsClients;
    private final ActionTypeDefinition definition;
    private final Duration jobTimeout;
    private final ClientTokenProvider clientTokens;
    private final OutcomeJournal journal;
    private final Clock clock;

    /** {@code definition} and {@code clientTokens} may be null (none declared, a custom type). */
    public Preflight(List<JobQueue> queues, Function<Region, CodePipelineClient> clients,
                     Function<Region, StsClient> stsClients, ActionTypeDefinition definition, Duration jobTimeout,
                     ClientTokenProvider clientTokens, OutcomeJournal journal, Clock clock) {
        this.queues = List.copyOf(queues);
        this.clients = clients;
        this.stsClients = stsClients;
        this.definition = definition;
        this.jobTimeout = jobTimeout;
        this.clientTokens = clientTokens;
        this.journal = journal;
        this.clock = clock;
    }

    /** Runs every check; never throws for what a check finds. */
    public PreflightReport run() {
        List<Check> checks = new ArrayList<>();
        for (JobQueue queue : queues) {
            checks.add(identity(queue));
            checks.add(region(queue));
            RegistrationCheck.Found found = new RegistrationCheck(clients.apply(queue.region()), queue,
                    describes(queue) ? definition : null).run(checks);
            checks.add(timeout(queue, found.executorTimeout()));
            checks.add(clockSkew(queue, found));
        }
        ActionTypeId served = queues.get(0).actionType();
        if (served.owner() == ActionOwner.THIRD_PARTY) {
            checks.add(clientTokens());
        }
        checks.add(new JournalCheck(journal).run());
        return new PreflightReport(checks);
    }

    private boolean describes(JobQueue queue) {
        return definition != null && definition.id().equals(queue.actionType());
    }

    private Check identity(JobQueue queue) {
        try {
            GetCallerIdentityResponse identity = stsClients.apply(queue.region()).getCallerIdentity();
            return new Check("identity", queue.id(), Status.PASS, "account " + identity.account() + " as "
                    + identity.arn(), "");
        } catch (SdkException e) {
            return failure("identity", queue, e, "sts:GetCallerIdentity",
                    "give the worker AWS credentials (environment, profile, web identity or instance role) that can "
                            + "call sts:GetCallerIdentity");
        }
    }

    private static Check region(JobQueue queue) {
        if (Region.regions().contains(queue.region())) {
            return new Check("region", queue.id(), Status.PASS, queue.region().id(), "");
        }
        return new Check("region", queue.id(), Status.WARN, queue.region().id() + " is not a region this SDK knows",
                "check the spelling of the region (AWS_REGION or --regions); a region newer than the SDK works");
    }

    private Check timeout(JobQueue queue, Duration registered) {
        Duration limit = registered != null ? registered
                : describes(queue) ? definition.executorJobTimeout()
                : queue.actionType().owner() == ActionOwner.CUSTOM ? ActionTypeLimits.CUSTOM_JOB_TIMEOUT
                : Duration.ofHours(1);
        String source = registered != null ? "the registered executor's" : describes(queue) ? "the declared"
                : "CodePipeline's default";
        if (jobTimeout.compareTo(limit) < 0) {
            return new Check("jobTimeout", queue.id(), Status.PASS, "the worker's " + seconds(jobTimeout)
                    + " is shorter than " + source + " " + seconds(limit), "");
        }
        return new Check("jobTimeout", queue.id(), Status.FAIL, "the worker's job timeout " + seconds(jobTimeout)
                + " is not shorter than " + source + " " + seconds(limit)
                + ": the service times the job out before the worker can say why",
                "set JobWorker.Builder.jobTimeout (--job-timeout) below " + seconds(limit)
                        + ", leaving time to report");
    }

    private Check clockSkew(JobQueue queue, RegistrationCheck.Found found) {
        if (found.serviceTime() == null) {
            return new Check("clock", queue.id(), Status.WARN, "the service sent no Date header to compare with",
                    "check the machine's clock is synchronised (NTP)");
        }
        Duration skew = Duration.between(found.serviceTime(), clock.instant()).abs();
        String message = "the local clock is " + skew.toSeconds() + " s off the service's (Date header)";
        if (skew.compareTo(MAX_SKEW) > 0) {
            return new Check("clock", queue.id(), Status.FAIL, message + "; AWS refuses signatures more than "
                    + MAX_SKEW.toMinutes() + " minutes off", "synchronise the clock (NTP, chrony)");
        }
        if (skew.compareTo(WARN_SKEW) > 0) {
            return new Check("clock", queue.id(), Status.WARN, message, "synchronise the clock (NTP, chrony)");
        }
        return new Check("clock", queue.id(), Status.PASS, message, "");
    }

    private Check clientTokens() {
        if (clientTokens == null) {
            return new Check("clientTokens", null, Status.FAIL, "no client token provider for a ThirdParty type",
                    "give the worker clientTokens(...) (--client-tokens): the clientId to clientToken mapping");
        }
        OptionalInt known = clientTokens.knownClients();
        if (known.isPresent() && known.getAsInt() == 0) {
            return new Check("clientTokens", null, Status.FAIL, "the client token provider knows no client: every "
                    + "third-party job would fail its GetThirdPartyJobDetails",
                    "add the clientId and clientToken registered for the action type (--client-tokens)");
        }
        return new Check("clientTokens", null, Status.PASS, known.isPresent() ? known.getAsInt() + " client(s)"
                : "a provider is configured; its clients are looked up per job", "");
    }

    /**
     * A check failed by {@code e}: an AccessDenied names the IAM action that is missing. Only the error code tells a
     * denial: a 403 with another code (STS's InvalidClientTokenId, SignatureDoesNotMatch) refuses the credentials
     * themselves, which no IAM permission fixes, so it keeps its code and the check's own fix.
     */
    static Check failure(String name, JobQueue queue, SdkException e, String iamAction, String fix) {
        Optional<String> code = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? Optional.ofNullable(service.awsErrorDetails().errorCode()) : Optional.empty();
        if (code.isPresent() && (code.get().contains("AccessDenied") || code.get().contains("UnauthorizedOperation"))) {
            return new Check(name, queue.id(), Status.FAIL, "access denied: the caller may not call " + iamAction,
                    "allow the IAM action " + iamAction + " to the worker's role");
        }
        return new Check(name, queue.id(), Status.FAIL, code.orElse(e.getClass().getSimpleName()) + ": "
                + firstLine(e.getMessage()), fix);
    }

    static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** Used by {@link JournalCheck} to tell a disabled journal; kept here so the journal types stay internal. */
    static boolean isDisabled(OutcomeJournal journal) {
        return journal instanceof DisabledOutcomeJournal;
    }

    static Optional<Path> directoryOf(OutcomeJournal journal) {
        return journal instanceof FileOutcomeJournal file ? Optional.of(file.base()) : Optional.empty();
    }
}
