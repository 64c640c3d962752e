package dev.pipelineworker.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an implementation type that is public only because another module of pipeline-worker uses
 * it (the testkit and the Lambda runner run handlers with the core's own context and outcome
 * checks; the reliability tests look inside the runtime). It is not API: it may change or go away
 * in any release, in step with the modules that use it. Applications must not use it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SharedInternal {
}
