package dev.pipelineworker.micrometer;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.AbstractTimer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/** Meter registries that fail, as a misconfigured or broken backend might, and count how often they did. */
final class FailingRegistries {

    private FailingRegistries() {
    }

    /** A registry that throws from every registration and every removal. */
    static final class Refusing extends SimpleMeterRegistry {
        private final Supplier<? extends RuntimeException> failure;
        private final AtomicLong failures = new AtomicLong();

        Refusing(Supplier<? extends RuntimeException> failure) {
            this.failure = failure;
        }

        long failures() {
            return failures.get();
        }

        private RuntimeException fail() {
            failures.incrementAndGet();
            return failure.get();
        }

        @Override
        protected Counter newCounter(Meter.Id id) {
            throw fail();
        }

        @Override
        protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
            throw fail();
        }

        @Override
        protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
            throw fail();
        }

        @Override
        protected <T> TimeGauge newTimeGauge(Meter.Id id, T obj, TimeUnit valueFunctionUnit, ToDoubleFunction<T> f) {
            throw fail();
        }

        @Override
        protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config,
                                                             double scale) {
            throw fail();
        }

        @Override
        protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
            throw fail();
        }

        @Override
        protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
                                                     ToDoubleFunction<T> totalTimeFunction, TimeUnit unit) {
            throw fail();
        }

        @Override
        protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
            throw fail();
        }

        @Override
        protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
            throw fail();
        }

        @Override
        public Meter remove(Meter meter) {
            throw fail();
        }
    }

    /** A registry that registers meters whose every measurement (increment, record, value) throws. */
    static final class BrokenMeters extends SimpleMeterRegistry {
        private final AtomicLong failures = new AtomicLong();

        long failures() {
            return failures.get();
        }

        private IllegalStateException fail() {
            failures.incrementAndGet();
            return new IllegalStateException("backend gone");
        }

        @Override
        protected Counter newCounter(Meter.Id id) {
            return new ThrowingCounter(id);
        }

        @Override
        protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
            return new AbstractTimer(id, clock, config, pauseDetector, TimeUnit.SECONDS, false) {
                @Override
                protected void recordNonNegative(long amount, TimeUnit unit) {
                    throw fail();
                }

                @Override
                public long count() {
                    throw fail();
                }

                @Override
                public double totalTime(TimeUnit unit) {
                    throw fail();
                }

                @Override
                public double max(TimeUnit unit) {
                    throw fail();
                }
            };
        }

        @Override
        protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
            return new ThrowingGauge(id);
        }

        @Override
        protected <T> TimeGauge newTimeGauge(Meter.Id id, T obj, TimeUnit valueFunctionUnit, ToDoubleFunction<T> f) {
            return new ThrowingTimeGauge(id);
        }

        private final class ThrowingCounter extends AbstractMeter implements Counter {
            ThrowingCounter(Meter.Id id) {
                super(id);
            }

            @Override
            public void increment(double amount) {
                throw fail();
            }

            @Override
            public double count() {
                throw fail();
            }
        }

        private class ThrowingGauge extends AbstractMeter implements Gauge {
            ThrowingGauge(Meter.Id id) {
                super(id);
            }

            @Override
            public double value() {
                throw fail();
            }
        }

        private final class ThrowingTimeGauge extends ThrowingGauge implements TimeGauge {
            ThrowingTimeGauge(Meter.Id id) {
                super(id);
            }

            @Override
            public TimeUnit baseTimeUnit() {
                return TimeUnit.SECONDS;
            }
        }
    }

    /** A registry whose registrations fail as a Micrometer of the wrong version on the class path would. */
    static MeterRegistry mismatchedVersion() {
        return new Refusing(() -> {
            throw new NoSuchMethodError("io.micrometer.core.instrument.Counter.increment()");
        });
    }
}
