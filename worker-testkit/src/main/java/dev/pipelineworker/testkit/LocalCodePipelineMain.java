package dev.pipelineworker.testkit;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.internal.RegionNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LocalCodePipeline} from the command line until the process is stopped. The first line on
 * stdout is the endpoint, for {@code aws codepipeline ... --endpoint-url <endpoint>}; {@code --help} lists
 * the options ({@link #USAGE}). It serves every region on that one endpoint, each caller as the region it signs
 * for; {@code --region} names the region of jobs that name none (the AWS CLI signs for its configured region).
 */
public final class LocalCodePipelineMain {

    /** What {@code --help} prints. */
    public static final String USAGE = """
            Usage: LocalCodePipelineMain [options]
              --port N                       port to listen on (default 0: a free port)
              --host ADDRESS                 address to bind (default 127.0.0.1)
              --client-id UUID               the third-party client id (default: generated, printed)
              --client-token TOKEN           its client token (default local-client-token; never printed)
              --job OWNER:CATEGORY:PROVIDER:VERSION[@REGION]
                                             enqueue a sample job of this action type (repeatable),
                                             e.g. ThirdParty:Build:MyTool:1 or Custom:Deploy:MyTool:2@eu-west-1;
                                             only callers signing for its region see it
              --action-type FILE[@REGION]    register an action type from its registration file (the
                                             update-action-type or create-custom-action-type input, e.g.
                                             from example-worker registration) for GetActionType,
                                             ListActionTypes and polls (repeatable)
              --region REGION                the region of jobs that name none, and of unsigned calls
                                             (default us-east-1); every signed call is served by the
                                             region of its SigV4 credential scope
              --ack-timeout SECONDS          default 30
              --job-timeout SECONDS          default 3600
              --continuation-delay SECONDS   default 30
              --help                         this text
            """;

    /** The client token when {@code --client-token} is not given. */
    public static final String DEFAULT_CLIENT_TOKEN = "local-client-token";

    private LocalCodePipelineMain() {
    }

    /** Starts the emulator, prints its endpoint and waits until the JVM is stopped. */
    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        LocalCodePipeline emulator;
        try {
            emulator = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "local-codepipeline-shutdown"));
        stopped.await();
    }

    /** Parses the arguments, starts the emulator, enqueues the requested jobs and reports them on {@code out}. */
    static LocalCodePipeline start(String[] args, PrintStream out) {
        LocalCodePipeline.Builder builder = LocalCodePipeline.builder();
        String clientId = null;
        String clientToken = DEFAULT_CLIENT_TOKEN;
        List<SampleJob> jobs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> builder = builder.port(Integer.parseInt(value));
                case "--host" -> builder = builder.host(value);
                case "--client-id" -> clientId = value;
                case "--client-token" -> clientToken = value;
                case "--job" -> jobs.add(sampleJob(value));
                case "--action-type" -> builder = registration(builder, value);
                case "--region" -> builder = builder.defaultRegion(value);
                case "--ack-timeout" -> builder = builder.ackTimeout(seconds(value));
                case "--job-timeout" -> builder = builder.jobTimeout(seconds(value));
                case "--continuation-delay" -> builder = builder.continuationDelay(seconds(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        LocalCodePipeline emulator = builder
                .client(clientId == null ? UUID.randomUUID().toString() : clientId, clientToken)
                .start();
        out.println(emulator.endpoint());
        out.println("third-party clientId " + emulator.defaultClientId());
        for (SampleJob sample : jobs) {
            ActionTypeId type = sample.type();
            JobInfo job = emulator.enqueue(JobSpec.builder(type)
                    .region(sample.region())
                    .inputArtifact("SourceOutput", "local-artifacts", "pipeline/Source/in.zip")
                    .outputArtifact("BuildOutput", "local-artifacts", "pipeline/Build/out.zip")
                    .build());
            out.println("job " + job.jobId() + " " + type.owner().apiName() + ":" + type.category().apiName()
                    + ":" + type.provider() + ":" + type.version() + " actionExecutionId " + job.actionExecutionId()
                    + " region " + job.region());
        }
        out.flush();
        return emulator;
    }

    /** A {@code --action-type} value: the file, read now, and its region or the default region. */
    private static LocalCodePipeline.Builder registration(LocalCodePipeline.Builder builder, String value) {
        int at = value.lastIndexOf('@');
        Path file = Path.of(at < 0 ? value : value.substring(0, at));
        String region = at < 0 ? null : RegionNames.requireValid(value.substring(at + 1),
                "the region of --action-type " + value);
        try {
            return builder.registeredActionType(Files.readString(file), region);
        } catch (IOException e) {
            throw new IllegalArgumentException("--action-type " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** A {@code --job} value: the action type, and its region or null for the default region. */
    private record SampleJob(ActionTypeId type, String region) {
    }

    private static SampleJob sampleJob(String value) {
        int at = value.lastIndexOf('@');
        return at < 0
                ? new SampleJob(actionType(value), null)
                : new SampleJob(actionType(value.substring(0, at)),
                        RegionNames.requireValid(value.substring(at + 1), "the region of --job " + value));
    }

    private static ActionTypeId actionType(String value) {
        String[] parts = value.split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("--job wants OWNER:CATEGORY:PROVIDER:VERSION[@REGION], got " + value);
        }
        return new ActionTypeId(ActionCategory.fromApiName(parts[1]), ActionOwner.fromApiName(parts[0]), parts[2],
                parts[3]);
    }

    private static Duration seconds(String value) {
        return Duration.ofSeconds(Long.parseLong(value));
    }
}
