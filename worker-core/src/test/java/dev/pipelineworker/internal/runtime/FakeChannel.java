package dev.pipelineworker.internal.runtime;

import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.internal.JobData;
import dev.pipelineworker.internal.TestJobData;
import dev.pipelineworker.internal.channel.ClaimGate;
import dev.pipelineworker.internal.channel.ClaimResult;
import dev.pipelineworker.internal.channel.ClaimedJob;
import dev.pipelineworker.internal.channel.JobChannel;
import dev.pipelineworker.internal.channel.PendingClaim;
import dev.pipelineworker.internal.channel.PolledJob;
import dev.pipelineworker.internal.channel.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import software.amazon.awssdk.regions.Region;

/** An in-memory {@link JobChannel}: jobs queued by the test, every poll, claim and report recorded. */
final class FakeChannel implements JobChannel {

    final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Supplier<RuntimeException>> pollErrors = new ConcurrentLinkedQueue<>();
    final List<Integer> pollSizes = new CopyOnWriteArrayList<>();
    final List<String> claims = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile java.util.function.Predicate<String> reportFails = jobId -> false;
    /** Errors the next report calls throw, one a call, in order; the calls after them go through. */
    final ConcurrentLinkedQueue<Supplier<RuntimeException>> reportErrors = new ConcurrentLinkedQueue<>();
    final Map<String, List<Report>> reports = new ConcurrentHashMap<>();
    volatile BiFunction<PolledJob, ClaimGate, ClaimResult> claimer = this::claimNormally;
    volatile Function<PendingClaim, ClaimResult> reclaimer = claim -> new ClaimResult.Claimed(
            new ClaimedJob(claim.jobId(), claim.clientId(), "token", null, null));
    final List<PendingClaim> reclaims = new CopyOnWriteArrayList<>();
    /** What the test checks at the instant of each acknowledgement, e.g. that the journal holds the claim. */
    volatile java.util.function.Consumer<PendingClaim> onAcknowledge = claim -> { };
    volatile Runnable beforePoll = () -> { };
    /** The data of each job claimed normally. */
    volatile Function<String, JobData> jobData = jobId -> TestJobData.of(jobId, queue());

    private final JobQueue served;

    FakeChannel() {
        this(JobQueue.of(TestJobData.ACTION, Region.US_EAST_1));
    }

    FakeChannel(JobQueue served) {
        this.served = served;
    }

    @Override
    public JobQueue queue() {
        return served;
    }

    void enqueue(String... jobIds) {
        Collections.addAll(queue, jobIds);
    }

    @Override
    public List<PolledJob> poll(int maxBatchSize) {
        beforePoll.run();
        pollSizes.add(maxBatchSize);
        calls.add("poll");
        Supplier<RuntimeException> error = pollErrors.poll();
        if (error != null) {
            throw error.get();
        }
        List<PolledJob> jobs = new ArrayList<>();
        String id;
        while (jobs.size() < maxBatchSize && (id = queue.poll()) != null) {
            jobs.add(new PolledJob(id, "client-1", null));
        }
        return jobs;
    }

    @Override
    public ClaimResult claim(PolledJob job, ClaimGate gate) {
        return claimer.apply(job, gate);
    }

    @Override
    public ClaimResult reclaim(PendingClaim claim) {
        calls.add("reclaim " + claim.jobId());
        reclaims.add(claim);
        return reclaimer.apply(claim);
    }

    ClaimResult claimNormally(PolledJob job, ClaimGate gate) {
        PendingClaim claim = new PendingClaim(job.jobId(), job.clientId(), "nonce-" + job.jobId());
        if (!gate.beforeAcknowledge(claim)) {
            return new ClaimResult.Skipped("shutting down");
        }
        onAcknowledge.accept(claim);
        claims.add(job.jobId());
        return new ClaimResult.Claimed(new ClaimedJob(job.jobId(), job.clientId(), "token", data(job.jobId()), null));
    }

    JobData data(String jobId) {
        return jobData.apply(jobId);
    }

    @Override
    public void report(ClaimedJob job, Report report) {
        calls.add("report " + job.jobId());
        if (reportFails.test(job.jobId())) {
            throw new IllegalStateException("CodePipeline unreachable");
        }
        Supplier<RuntimeException> error = reportErrors.poll();
        if (error != null) {
            throw error.get();
        }
        reports.computeIfAbsent(job.jobId(), k -> new CopyOnWriteArrayList<>()).add(report);
    }

    @Override
    public ClaimedJob restore(String jobId, String clientId) {
        return new ClaimedJob(jobId, clientId, "token", null, null);
    }

    @Override
    public ArtifactCredentials refreshCredentials(ClaimedJob job) {
        calls.add("refresh " + job.jobId());
        return job.data().credentials();
    }

    /** The only report of {@code jobId}, waiting up to {@code timeout} for it. */
    Report awaitReport(String jobId, Duration timeout) {
        return Awaitility.await("a report of job " + jobId).atMost(timeout).pollInterval(Duration.ofMillis(5))
                .until(() -> reports.getOrDefault(jobId, List.of()), list -> !list.isEmpty()).get(0);
    }
}
