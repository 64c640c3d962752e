package dev.pipelineworker.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/** What every benchmark shares: the client settings, statistics, child JVMs and the machine line. */
final class Bench {

    private Bench() {
    }

    static int intProp(String name, int fallback) {
        return Integer.getInteger(name, fallback);
    }

    static double doubleProp(String name, double fallback) {
        String v = System.getProperty(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    /**
     * The one client configuration both the worker and the reference loops use: the SDK's Apache
     * HTTP client with room for 64-way concurrency (its default pool is 50 connections), static
     * credentials, and a call timer. The worker gets it through {@code codePipelineClient(...)}.
     */
    static CodePipelineClient client(URI endpoint, CallTimer timer) {
        return client(endpoint, timer, Region.US_EAST_1);
    }

    /** As {@link #client(URI, CallTimer)}, signing for {@code region} (the emulator serves that region's jobs). */
    static CodePipelineClient client(URI endpoint, CallTimer timer, Region region) {
        return CodePipelineClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(256))
                .overrideConfiguration(o -> o.addExecutionInterceptor(timer))
                .build();
    }

    /** Measures every SDK call from the client's side: count and mean time. */
    static final class CallTimer implements ExecutionInterceptor {
        private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            attributes.putAttribute(STARTED, System.nanoTime());
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            record(attributes);
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            record(attributes);
        }

        private void record(ExecutionAttributes attributes) {
            Long started = attributes.getAttribute(STARTED);
            if (started != null) {
                nanos.add(System.nanoTime() - started);
                calls.increment();
            }
        }

        void reset() {
            calls.reset();
            nanos.reset();
        }

        double meanMillis() {
            long n = calls.sum();
            return n == 0 ? Double.NaN : nanos.sum() / 1e6 / n;
        }
    }

    /** Percentile (0-100) of nanosecond samples, in milliseconds. */
    static double percentileMillis(long[] samples, int count, double percentile) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** "min-max" spread of repeats, to show the noise. */
    static String spread(List<Double> values, String format) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, format + "-" + format, min, max);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String machine() {
        return fmt("%d cores (availableProcessors), %s %s (%s), %s %s, max heap of the harness %d MiB",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                System.getProperty("os.name"), System.getProperty("os.version"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    static String loadAverage() {
        return fmt("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** /proc/self/status field in KiB (VmRSS, VmHWM, Threads), -1 where there is no /proc. */
    static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Voluntary context switches of all this process's live threads so far (a thread blocking: waiting for a lock,
     * a condition, I/O or sleep), from /proc/self/task/&#42;/status; -1 where there is no /proc. A hand-off of work
     * from one thread to another costs at least one.
     */
    static long voluntaryContextSwitches() {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum += Long.parseLong(line.substring("voluntary_ctxt_switches:".length()).trim());
                        }
                    }
                } catch (IOException e) {
                    // The thread ended while being read: its switches are lost to both ends of the count.
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    /** A child JVM on this harness's class path, with its stdout readable line by line. */
    static final class Child implements AutoCloseable {
        final Process process;
        final BufferedReader out;

        Child(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
            this(System.getProperty("java.home"), jvmArgs, main, args);
        }

        /** As above, on the JVM at {@code javaHome}. */
        Child(String javaHome, List<String> jvmArgs, Class<?> main, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(javaHome, "bin", "java").toString());
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classPath());
            command.add(main.getName());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            process = builder.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** The next line starting with {@code prefix}; other lines are echoed. */
        String expect(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
                System.out.println("    [child] " + line);
            }
            throw new IOException("child " + process.pid() + " ended before printing " + prefix);
        }

        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        /** The jar and its lib/ (java -jar) or the plain class path (exec, IDE). */
        private static String classPath() {
            String cp = System.getProperty("java.class.path");
            String[] parts = cp.split(java.io.File.pathSeparator);
            if (parts.length == 1 && parts[0].endsWith(".jar")) {
                Path jar = Path.of(parts[0]).toAbsolutePath();
                return jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + java.io.File.separator + "*";
            }
            return cp;
        }
    }
}
