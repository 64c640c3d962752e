package dev.pipelineworker.integration;

import static dev.pipelineworker.integration.EmulatorTestbed.CUSTOM_TYPE;
import static dev.pipelineworker.integration.EmulatorTestbed.THIRD_PARTY_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.MdcKeys;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.Operation;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import software.amazon.awssdk.regions.Region;

/**
 * One worker serving its action in several regions and versions against one emulator, which tells the regions
 * apart by each call's signature as separate regional endpoints would.
 */
class MultiRegionWorkerTest extends EmulatorTest {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");

    @Test
    void oneWorkerServesJobsInThreeRegionsEachThroughItsOwnRegion() {
        Map<String, String> regionSeen = new ConcurrentHashMap<>();
        Map<String, String> mdcRegion = new ConcurrentHashMap<>();
        List<JobInfo> jobs = new ArrayList<>();
        for (String region : REGIONS) {
            for (int i = 0; i < 2; i++) {
                jobs.add(cp.enqueue(EmulatorTestbed.job(THIRD_PARTY_TYPE, region + "-exec-" + i).region(region)));
            }
        }

        JobWorker worker = cp.start(cp.regionalWorker(THIRD_PARTY_TYPE, context -> {
            regionSeen.put(context.jobId(), context.region().id());
            mdcRegion.put(context.jobId(), MDC.get(MdcKeys.REGION));
            return JobOutcome.success("done in " + context.region());
        }, REGIONS.toArray(String[]::new)).maxConcurrentJobs(3));

        assertThat(worker.queues()).extracting(JobQueue::id).containsExactly(
                "ThirdParty/Build/AcmeBuild/1@us-east-1", "ThirdParty/Build/AcmeBuild/1@eu-west-1",
                "ThirdParty/Build/AcmeBuild/1@ap-southeast-2");
        for (JobInfo job : jobs) {
            RecordedResult result = cp.emulator().awaitResult(job.jobId(), EmulatorTestbed.WAIT);
            assertThat(result).isInstanceOfSatisfying(RecordedResult.Success.class, success -> assertThat(
                    success.executionDetails().summary()).isEqualTo("done in " + job.region()));
            assertThat(result.region()).isEqualTo(job.region());
            assertThat(regionSeen).containsEntry(job.jobId(), job.region());
            assertThat(mdcRegion).containsEntry(job.jobId(), job.region());
            assertThat(cp.emulator().callsForJob(job.jobId())).as("every call about job %s", job.jobId())
                    .isNotEmpty().allSatisfy(call -> assertThat(call.region()).isEqualTo(job.region()));
        }
        for (String region : REGIONS) {
            // The emulator records a result before the worker reads its answer: wait for the worker to hear it.
            JobQueue queue = JobQueue.of(THIRD_PARTY_TYPE, Region.of(region));
            await("two successes heard in " + region).until(() -> cp.listener().events(queue).stream()
                    .filter(e -> e.startsWith("succeeded:")).count() == 2);
        }
    }

    @Test
    void aRegionWhosePollsFailBacksOffWithoutSlowingTheOthers() {
        ActionTypeId usOnly = ActionTypeId.custom(CUSTOM_TYPE.category(), "UsOnlyDeploy", "1");
        cp.emulator().registerActionType(usOnly, "us-east-1");
        cp.emulator().injectFault(FaultRule.withProbability(1.0, Fault.serverError(500), Operation.POLL_FOR_JOBS)
                .inRegion("ap-southeast-2"));

        // An hour's backoff: a failing queue that held up the others would stop the whole worker.
        Backoff anHour = Backoff.exponential(Duration.ofHours(1), Duration.ofHours(1));
        JobWorker worker = cp.start(cp.regionalWorker(usOnly, context -> JobOutcome.success(), REGIONS.toArray(
                String[]::new)).errorBackoff(anHour).reportRetries(1, anHour));
        JobQueue europe = JobQueue.of(usOnly, Region.EU_WEST_1);
        JobQueue sydney = JobQueue.of(usOnly, Region.AP_SOUTHEAST_2);
        await("both failing queues backing off").until(() -> cp.listener().events(europe).contains("pollFailed:error")
                && cp.listener().events(sydney).contains("pollFailed:error"));

        List<JobInfo> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(cp.enqueue(EmulatorTestbed.job(usOnly, "us-exec-" + i)));
        }

        for (JobInfo job : jobs) {
            assertThat(cp.emulator().awaitResult(job.jobId(), EmulatorTestbed.WAIT))
                    .isInstanceOf(RecordedResult.Success.class);
        }
        assertThat(cp.listener().events(europe)).containsOnly("pollFailed:error");
        assertThat(cp.listener().events(sydney)).containsOnly("pollFailed:error");
        assertThat(cp.emulator().callsInRegion("eu-west-1")).singleElement()
                .satisfies(call -> assertThat(call.errorType()).isEqualTo("ActionTypeNotFoundException"));
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void severalVersionsOfOneActionAreServedByOneWorker() {
        ActionTypeId version2 = new ActionTypeId(CUSTOM_TYPE.category(), CUSTOM_TYPE.owner(), CUSTOM_TYPE.provider(), "3");
        cp.emulator().registerActionType(version2);
        Map<String, String> versionSeen = new ConcurrentHashMap<>();
        JobInfo old = cp.enqueue(EmulatorTestbed.job(CUSTOM_TYPE, "old-exec"));
        JobInfo current = cp.enqueue(EmulatorTestbed.job(version2, "new-exec"));

        JobWorker worker = cp.start(cp.regionalWorker(CUSTOM_TYPE, context -> {
            versionSeen.put(context.jobId(), context.actionTypeId().version());
            return JobOutcome.success();
        }, "us-east-1").versions(CUSTOM_TYPE.version(), "3"));

        assertThat(worker.queues()).extracting(JobQueue::actionType).containsExactly(CUSTOM_TYPE, version2);
        cp.emulator().awaitResult(old.jobId(), EmulatorTestbed.WAIT);
        cp.emulator().awaitResult(current.jobId(), EmulatorTestbed.WAIT);
        assertThat(versionSeen).containsEntry(old.jobId(), CUSTOM_TYPE.version()).containsEntry(current.jobId(), "3");
    }

    @Test
    void aJobInAQuietRegionGetsASlotWhileAnotherRegionHasABacklog() {
        AtomicInteger busyStarted = new AtomicInteger();
        AtomicInteger busyStartedBeforeQuiet = new AtomicInteger(-1);
        for (int i = 0; i < 30; i++) {
            cp.enqueue(EmulatorTestbed.job(CUSTOM_TYPE, "busy-" + i));
        }
        cp.start(cp.regionalWorker(CUSTOM_TYPE, context -> {
            if (context.region().equals(Region.US_EAST_1)) {
                busyStarted.incrementAndGet();
                Thread.sleep(30);
            } else {
                busyStartedBeforeQuiet.set(busyStarted.get());
            }
            return JobOutcome.success();
        }, "us-east-1", "eu-west-1").maxConcurrentJobs(2));
        await("the backlog running").until(() -> busyStarted.get() >= 4);
        int startedAtEnqueue = busyStarted.get();

        JobInfo quiet = cp.enqueue(EmulatorTestbed.job(CUSTOM_TYPE, "quiet").region("eu-west-1"));

        assertThat(cp.emulator().awaitResult(quiet.jobId(), EmulatorTestbed.WAIT))
                .isInstanceOf(RecordedResult.Success.class);
        // Two slots, 30 ms a job, idle polls at most 50 ms apart: a slot within about one job's run time, so a
        // handful of busy jobs start meanwhile, not the remaining backlog of over twenty.
        assertThat(busyStartedBeforeQuiet.get() - startedAtEnqueue).as("busy jobs started while the quiet one waited")
                .isLessThanOrEqualTo(8);
        assertThat(cp.emulator().resultsInRegion("us-east-1")).hasSizeLessThan(30);
    }
}
