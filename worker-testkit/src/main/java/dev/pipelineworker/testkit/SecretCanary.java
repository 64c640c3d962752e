package dev.pipelineworker.testkit;

import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.testkit.emulator.JobSpec;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Secrets planted in a test, and the texts they show up in: for tests that prove no artifact credential, token or
 * configuration value reaches a log line, a {@code toString}, a metric tag or a span attribute. Plant values from
 * {@link #random(int)} (each unlikely to appear by chance), run the code, collect every text it produced, and
 * assert that {@link #leaks(Collection)} is empty ({@link #assertNoLeaks(Collection)}).
 *
 * <p>For a job's secrets there is a ready set: {@link JobSecrets#random()} makes them, {@link JobSecrets#plantIn}
 * puts them into a job and {@link JobSecrets#canary()} looks for them.
 */
public final class SecretCanary {

    /** How much of a secret is looked for: a prefix, so that a truncated copy is caught too. */
    private static final int NEEDLE = 20;
    /** How much of an offending text a leak report quotes. */
    private static final int QUOTED = 300;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> secrets;

    private SecretCanary(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /** A canary for these secrets, by a name each that leak reports use. */
    public static SecretCanary of(Map<String, String> namedSecrets) {
        namedSecrets.forEach((name, value) -> {
            Objects.requireNonNull(name, "name");
            if (value == null || value.length() < NEEDLE) {
                throw new IllegalArgumentException("secret '" + name + "' must be at least " + NEEDLE
                        + " characters, so that it cannot appear by chance");
            }
        });
        return new SecretCanary(new LinkedHashMap<>(namedSecrets));
    }

    /** {@code length} random letters and digits. */
    public static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    /** How many secrets the canary looks for. */
    public int size() {
        return secrets.size();
    }

    /**
     * Which secrets appear in which of {@code texts}: by secret name, the first 300 characters of each text that
     * holds (a prefix of) it. Empty when nothing leaked; {@code null} texts are skipped.
     */
    public Map<String, Set<String>> leaks(Collection<String> texts) {
        Map<String, Set<String>> found = new TreeMap<>();
        secrets.forEach((name, secret) -> {
            String needle = secret.substring(0, NEEDLE);
            for (String text : texts) {
                if (text != null && text.contains(needle)) {
                    found.computeIfAbsent(name, k -> new TreeSet<>())
                            .add(text.substring(0, Math.min(QUOTED, text.length())));
                }
            }
        });
        return found;
    }

    /**
     * Throws an {@link AssertionError} naming each secret found in {@code texts} and quoting where (as
     * {@link #leaks(Collection)} reports it); returns quietly when nothing leaked.
     */
    public void assertNoLeaks(Collection<String> texts) {
        Map<String, Set<String>> found = leaks(texts);
        if (!found.isEmpty()) {
            throw new AssertionError("secrets found in " + texts.size() + " texts checked: " + found);
        }
    }

    @Override
    public String toString() {
        return "SecretCanary[" + secrets.size() + " secrets]";
    }

    /**
     * A job's worth of random secrets, each a recognisable prefix and random letters: the artifact credentials (an
     * {@code ASIA} access key id, a secret access key, a session token as long as real ones), a client token, and
     * the values of the configuration properties {@value #API_KEY}, {@value #DB_PASSWORD} and {@value #PORT}.
     * {@code toString} shows none of them.
     */
    public static final class JobSecrets {

        /** The configuration key whose value is {@link #apiKey()}. */
        public static final String API_KEY = "ApiKey";
        /** The configuration key whose value is {@link #dbPassword()}. */
        public static final String DB_PASSWORD = "DbPassword";
        /** The configuration key whose value is {@link #port()}: not a number, for typed accessors to fail on. */
        public static final String PORT = "Port";

        private final ArtifactCredentials artifactCredentials;
        private final String clientToken;
        private final String apiKey;
        private final String dbPassword;
        private final String port;

        private JobSecrets() {
            artifactCredentials = ArtifactCredentials.of("ASIA" + SecretCanary.random(16).toUpperCase(),
                    "SecretKey" + SecretCanary.random(40), "SessionToken" + SecretCanary.random(300));
            clientToken = "ClientToken" + SecretCanary.random(60);
            apiKey = "ApiKeyValue" + SecretCanary.random(30);
            dbPassword = "PasswordValue" + SecretCanary.random(30);
            port = "PortValue" + SecretCanary.random(20);
        }

        /** A fresh set, none of whose values appears by chance. */
        public static JobSecrets random() {
            return new JobSecrets();
        }

        /** The job's artifact credentials: access key id, secret access key and session token, all secret. */
        public ArtifactCredentials artifactCredentials() {
            return artifactCredentials;
        }

        /** The token that authenticates the job's third-party client. */
        public String clientToken() {
            return clientToken;
        }

        /** The value of {@value #API_KEY}. */
        public String apiKey() {
            return apiKey;
        }

        /** The value of {@value #DB_PASSWORD}. */
        public String dbPassword() {
            return dbPassword;
        }

        /** The value of {@value #PORT}; {@link #plantIn} leaves it out, for a test to choose the jobs that read it. */
        public String port() {
            return port;
        }

        /** {@code spec} with {@value #API_KEY}, {@value #DB_PASSWORD} and the artifact credentials set to these. */
        public JobSpec.Builder plantIn(JobSpec.Builder spec) {
            return spec.configuration(API_KEY, apiKey)
                    .configuration(DB_PASSWORD, dbPassword)
                    .artifactCredentials(artifactCredentials);
        }

        /**
         * A canary for every one of these secrets, named {@code access key id}, {@code secret access key},
         * {@code session token}, {@code client token} and {@code configuration value <key>}.
         */
        public SecretCanary canary() {
            Map<String, String> named = new LinkedHashMap<>();
            named.put("access key id", artifactCredentials.accessKeyId());
            named.put("secret access key", artifactCredentials.secretAccessKey());
            named.put("session token", artifactCredentials.sessionToken());
            named.put("client token", clientToken);
            named.put("configuration value " + API_KEY, apiKey);
            named.put("configuration value " + DB_PASSWORD, dbPassword);
            named.put("configuration value " + PORT, port);
            return of(named);
        }

        @Override
        public String toString() {
            return "JobSecrets[redacted]";
        }
    }
}
