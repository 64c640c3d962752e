package dev.pipelineworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/** Which queues a worker's configuration names, and the configuration errors that name no queue clearly. */
class JobWorkerQueuesTest {

    private static final ActionTypeId TYPE = ActionTypeId.custom(ActionCategory.DEPLOY, "AcmeDeploy", "1");
    private static final JobHandler HANDLER = context -> JobOutcome.success();

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private JobWorker.Builder builder() {
        return JobWorker.builder(TYPE, HANDLER).outcomeJournal(OutcomeJournal.disabled())
                .codePipelineClients(region -> {
                    CodePipelineClient client = CodePipelineClient.builder().region(region)
                            .credentialsProvider(AnonymousCredentialsProvider.create()).build();
                    opened.add(client);
                    return client;
                });
    }

    private JobWorker build(JobWorker.Builder builder) {
        JobWorker worker = builder.build();
        opened.add(0, worker);
        return worker;
    }

    @Test
    void everyVersionAndActionTypeIsServedInEveryRegion() {
        ActionTypeId other = ActionTypeId.custom(ActionCategory.TEST, "AcmeCheck", "3");

        JobWorker worker = build(builder().regions("us-east-1", "eu-west-1").versions("1", "2").alsoServe(other));

        assertThat(worker.queues()).extracting(JobQueue::id).containsExactly(
                "Custom/Deploy/AcmeDeploy/1@us-east-1", "Custom/Deploy/AcmeDeploy/2@us-east-1",
                "Custom/Test/AcmeCheck/3@us-east-1", "Custom/Deploy/AcmeDeploy/1@eu-west-1",
                "Custom/Deploy/AcmeDeploy/2@eu-west-1", "Custom/Test/AcmeCheck/3@eu-west-1");
    }

    @Test
    void oneClientServesItsOwnRegionOnly() {
        CodePipelineClient client = CodePipelineClient.builder().region(Region.AP_SOUTHEAST_2)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        opened.add(client);

        JobWorker worker = build(JobWorker.builder(TYPE, HANDLER).outcomeJournal(OutcomeJournal.disabled())
                .codePipelineClient(client));

        assertThat(worker.queues()).containsExactly(JobQueue.of(TYPE, Region.AP_SOUTHEAST_2));
        assertThatThrownBy(() -> JobWorker.builder(TYPE, HANDLER).codePipelineClient(client)
                .regions("ap-southeast-2", "eu-west-1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serves ap-southeast-2 only").hasMessageContaining("codePipelineClients");
    }

    @Test
    void aRegionTheSdkDoesNotKnowYetIsServedAsNamed() {
        JobWorker worker = build(builder().regions("xx-future-9"));

        assertThat(worker.queues()).extracting(q -> q.region().id()).containsExactly("xx-future-9");
    }

    @Test
    void badRegionsVersionsAndTypesAreRefusedNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> builder().regions(new String[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("regions must name at least one region");
        assertThatThrownBy(() -> builder().regions("us-east-1", "US-EAST-2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("regions: 'US-EAST-2' is not a region");
        assertThatThrownBy(() -> builder().regions("eu_west_1")).hasMessageContaining("'eu_west_1'");
        assertThatThrownBy(() -> builder().regions("eu-west-1", "eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("regions: region eu-west-1 is named twice");
        assertThatThrownBy(() -> builder().versions()).hasMessage("versions must name at least one version");
        assertThatThrownBy(() -> builder().versions("1", "a version")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> builder().versions("1", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("versions: version 1 is named twice");
        assertThatThrownBy(() -> builder().regions("us-east-1").alsoServe(TYPE).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Custom/Deploy/AcmeDeploy/1@us-east-1").hasMessageContaining("named twice");
        assertThatThrownBy(() -> builder().alsoServe(ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one owner");
        assertThatThrownBy(() -> builder().codePipelineClient(CodePipelineClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
    }

    @Test
    void aThirdPartyWorkerOfSeveralRegionsStillNeedsItsClientTokens() {
        ActionTypeId thirdParty = ActionTypeId.thirdParty(ActionCategory.BUILD, "Tool", "1");

        assertThatThrownBy(() -> JobWorker.builder(thirdParty, HANDLER).regions("us-east-1", "eu-west-1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientTokens");
        JobWorker worker = build(JobWorker.builder(thirdParty, HANDLER).outcomeJournal(OutcomeJournal.disabled())
                .clientTokens(ClientTokenProvider.fromMap(Map.of("client", "token")))
                .regions(Region.US_EAST_1, Region.EU_WEST_1)
                .codePipelineClients(region -> {
                    CodePipelineClient client = CodePipelineClient.builder().region(region)
                            .credentialsProvider(AnonymousCredentialsProvider.create()).build();
                    opened.add(client);
                    return client;
                }));
        assertThat(worker.queues()).hasSize(2);
    }
}
