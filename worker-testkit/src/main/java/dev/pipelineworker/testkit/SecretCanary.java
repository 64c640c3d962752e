package dev.pipelineworker.testkit;

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
 * assert that {@link #leaks(Collection)} is empty.
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

    @Override
    public String toString() {
        return "SecretCanary[" + secrets.size() + " secrets]";
    }
}
