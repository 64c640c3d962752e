package dev.pipelineworker.spring.boot;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The workers a Spring Boot application runs, under {@code pipeline-worker.*}: one entry of
 * {@code pipeline-worker.workers} per worker, keyed by its name, which is also the name of its {@code JobHandler}
 * bean unless {@link Worker#getHandler() handler} names another.
 *
 * <pre>{@code
 * pipeline-worker:
 *   workers:
 *     manifest:
 *       category: Build
 *       provider: Manifest
 *       regions: [us-east-1, eu-west-1]
 * }</pre>
 */
@ConfigurationProperties(prefix = PipelineWorkerProperties.PREFIX)
public class PipelineWorkerProperties {

    /** The prefix of every property of the starter. */
    public static final String PREFIX = "pipeline-worker";

    /** Whether to run the configured workers at all; false leaves every JobHandler bean unused. */
    private boolean enabled = true;

    /** The workers, by name: each serves one action type (in one or more versions and regions) with one handler. */
    private Map<String, Worker> workers = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Worker> getWorkers() {
        return workers;
    }

    public void setWorkers(Map<String, Worker> workers) {
        this.workers = workers;
    }

    /** One worker's settings; anything left unset keeps the {@code JobWorker.Builder} default. */
    public static class Worker {

        /** Whether this worker runs; a disabled worker needs no handler bean. */
        private boolean enabled = true;

        /** The name of the JobHandler bean that runs this worker's jobs. Default: the worker's own name. */
        private String handler;

        /** Who owns the action type: ThirdParty (client tokens) or Custom. */
        private ActionOwner owner = ActionOwner.THIRD_PARTY;

        /** The action type's category, such as Build or Deploy. Required. */
        private ActionCategory category;

        /** The action type's provider: 1-35 characters of [0-9A-Za-z_-]. Required. */
        private String provider;

        /** The action type's versions to serve (each 1-9 characters of [0-9A-Za-z_-]), all with this handler. */
        private List<String> versions = new ArrayList<>(List.of("1"));

        /**
         * The regions to serve, one queue per version and region. Default: the AWS SDK's default region chain
         * (AWS_REGION, the profile, instance metadata).
         */
        private List<String> regions = new ArrayList<>();

        /** How many jobs run at once; polls ask for at most the free slots. */
        private int maxConcurrentJobs = 8;

        /**
         * How long a handler may run before its job is reported as timed out. Default: 55 minutes for ThirdParty
         * actions, 23 hours 55 minutes for Custom actions.
         */
        private Duration jobTimeout;

        /**
         * How long running jobs may take to finish once the application shuts down; those still running then are
         * reported as failed (SystemUnavailable). Default: spring.lifecycle.timeout-per-shutdown-phase less 5 s,
         * the time to report them, so that every job is reported before Spring stops waiting.
         */
        private Duration shutdownGrace;

        /**
         * Where finished outcomes wait until CodePipeline accepted them, fsync'd: a persistent volume lets a
         * restarted worker report what a crash left. Default: a directory under java.io.tmpdir, not fsync'd.
         */
        private Path journalDir;

        /** Where jobs get their scratch directories. Default: a directory of the user's under java.io.tmpdir. */
        private Path scratchRoot;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHandler() {
            return handler;
        }

        public void setHandler(String handler) {
            this.handler = handler;
        }

        public ActionOwner getOwner() {
            return owner;
        }

        public void setOwner(ActionOwner owner) {
            this.owner = owner;
        }

        public ActionCategory getCategory() {
            return category;
        }

        public void setCategory(ActionCategory category) {
            this.category = category;
        }

        public String getProvider() {
            return provider;
        }

        public void setProvider(String provider) {
            this.provider = provider;
        }

        public List<String> getVersions() {
            return versions;
        }

        public void setVersions(List<String> versions) {
            this.versions = versions;
        }

        public List<String> getRegions() {
            return regions;
        }

        public void setRegions(List<String> regions) {
            this.regions = regions;
        }

        public int getMaxConcurrentJobs() {
            return maxConcurrentJobs;
        }

        public void setMaxConcurrentJobs(int maxConcurrentJobs) {
            this.maxConcurrentJobs = maxConcurrentJobs;
        }

        public Duration getJobTimeout() {
            return jobTimeout;
        }

        public void setJobTimeout(Duration jobTimeout) {
            this.jobTimeout = jobTimeout;
        }

        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }

        public Path getJournalDir() {
            return journalDir;
        }

        public void setJournalDir(Path journalDir) {
            this.journalDir = journalDir;
        }

        public Path getScratchRoot() {
            return scratchRoot;
        }

        public void setScratchRoot(Path scratchRoot) {
            this.scratchRoot = scratchRoot;
        }
    }
}
