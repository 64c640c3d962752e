package dev.pipelineworker.benchmarks;

import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.emulator.Fault;
import dev.pipelineworker.testkit.emulator.FaultRule;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Where section 1's {@link LocalCodePipeline} runs: in the harness's JVM ({@link #inProcess()}), sharing its CPU
 * time with the contenders, or in a JVM of its own ({@link #childProcess()}), so that the harness's CPU time is the
 * contenders' (worker or reference loop and the SDK) and the emulator's is measured apart. The child is the
 * testkit's emulator behind a line protocol on stdin/stdout for what the harness does between runs (reset, call
 * latency, enqueue, count polls), which the testkit's command-line launcher does not offer.
 */
interface Emulator extends AutoCloseable {

    URI endpoint();

    String clientId();

    String clientToken();

    /** Forgets every job, call and fault, registers the benchmark's action type, and delays every call by this. */
    void reset(int latencyMillis);

    /** Enqueues one job of the benchmark's type; returns its id. */
    String enqueue();

    /** Polls served since the last reset. */
    int polls();

    /** CPU time the emulator used so far, in nanoseconds, or -1 when it shares the harness's process. */
    long cpuNanos();

    /** Where it runs, for the table. */
    String placement();

    @Override
    void close();

    static Emulator inProcess() {
        return new InProcess(LocalCodePipeline.builder().start());
    }

    static Emulator childProcess() throws IOException {
        return new ChildProcess();
    }

    /** The emulator in the harness's JVM. */
    final class InProcess implements Emulator {
        final LocalCodePipeline cp;
        private final String clientId;

        InProcess(LocalCodePipeline cp) {
            this.cp = cp;
            this.clientId = cp.defaultClientId();
        }

        @Override
        public URI endpoint() {
            return cp.endpoint();
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public String clientToken() {
            return cp.clientToken(clientId).orElseThrow();
        }

        @Override
        public void reset(int latencyMillis) {
            cp.reset();
            cp.registerActionType(Orchestration.TYPE);
            if (latencyMillis > 0) {
                cp.injectFault(FaultRule.withProbability(1.0, Fault.latency(Duration.ofMillis(latencyMillis))));
            }
        }

        @Override
        public String enqueue() {
            return cp.enqueue(JobSpec.builder(Orchestration.TYPE).build()).jobId();
        }

        @Override
        public int polls() {
            return cp.calls(Operation.POLL_FOR_THIRD_PARTY_JOBS).size();
        }

        @Override
        public long cpuNanos() {
            return -1;
        }

        @Override
        public String placement() {
            return "emulator in the harness JVM";
        }

        @Override
        public void close() {
            cp.close();
        }
    }

    /** The emulator in a child JVM, driven over its stdin and stdout. */
    final class ChildProcess implements Emulator {
        private final Bench.Child child;
        private final URI endpoint;
        private final String clientId;
        private final String clientToken;

        ChildProcess() throws IOException {
            child = new Bench.Child(List.of("-Xmx512m"), Main.class);
            String[] hello = child.expect("EMULATOR").split(" ");
            endpoint = URI.create(hello[0]);
            clientId = hello[1];
            clientToken = hello[2];
        }

        private synchronized String ask(String command, String answer) {
            try {
                child.send(command);
                return child.expect(answer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public URI endpoint() {
            return endpoint;
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public String clientToken() {
            return clientToken;
        }

        @Override
        public void reset(int latencyMillis) {
            ask("reset " + latencyMillis, "OK");
        }

        @Override
        public String enqueue() {
            return ask("enqueue", "JOB");
        }

        @Override
        public int polls() {
            return Integer.parseInt(ask("polls", "POLLS"));
        }

        @Override
        public long cpuNanos() {
            return child.process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        }

        @Override
        public String placement() {
            return "emulator in its own JVM";
        }

        @Override
        public void close() {
            try {
                child.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The child: an emulator that answers one command a line. */
    final class Main {
        public static void main(String[] args) throws IOException {
            InProcess emulator = new InProcess(LocalCodePipeline.builder().start());
            System.out.println("EMULATOR " + emulator.endpoint() + " " + emulator.clientId() + " "
                    + emulator.clientToken());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] command = line.split(" ");
                String answer = switch (command[0]) {
                    case "reset" -> {
                        emulator.reset(Integer.parseInt(command[1]));
                        yield "OK";
                    }
                    case "enqueue" -> "JOB " + emulator.enqueue();
                    case "polls" -> "POLLS " + emulator.polls();
                    default -> "ERROR unknown command " + command[0];
                };
                System.out.println(answer);
                System.out.flush();
            }
            emulator.close();
        }

        private Main() {
        }
    }
}
