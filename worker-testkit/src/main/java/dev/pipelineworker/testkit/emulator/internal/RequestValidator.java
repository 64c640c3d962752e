package dev.pipelineworker.testkit.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads request members and collects constraint violations in the service's words
 * ({@code 1 validation error detected: Value 'x' at 'path' failed to satisfy constraint: ...}), so that a
 * request breaking several limits gets one ValidationException naming all of them.
 */
final class RequestValidator {

    /** Echoed values are cut here: the service echoes them whole, but long values only bury the message. */
    private static final int MAX_ECHO = 128;

    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TYPE_PART = Pattern.compile("[0-9A-Za-z_-]+");

    static final Shape JOB_ID = new Shape(0, 0, UUID, null, false);
    static final Shape THIRD_PARTY_JOB_ID = Shape.length(1, 512);
    static final Shape CLIENT_TOKEN = new Shape(1, 256, null, null, true);
    static final Shape NONCE = Shape.length(1, 50);
    static final Shape CONTINUATION_TOKEN = Shape.length(1, 2048);
    static final Shape SUMMARY = Shape.length(1, 2048);
    static final Shape EXECUTION_ID = Shape.length(1, 1500);
    static final Shape MESSAGE = Shape.length(1, 5000);
    static final Shape REVISION = Shape.length(1, 1500);
    static final Shape CHANGE_IDENTIFIER = Shape.length(1, 100);
    static final Shape REVISION_SUMMARY = Shape.length(1, 2048);
    static final Shape CATEGORY = Shape.oneOf("Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute");
    static final Shape OWNER = Shape.oneOf("AWS", "ThirdParty", "Custom");
    static final Shape PROVIDER = new Shape(1, 35, TYPE_PART, null, false);
    static final Shape VERSION = new Shape(1, 9, TYPE_PART, null, false);
    static final Shape FAILURE_TYPE = Shape.oneOf("JobFailed", "ConfigurationError", "PermissionError",
            "RevisionOutOfSync", "RevisionUnavailable", "SystemUnavailable");
    static final Shape QUERY_KEY = Shape.length(1, 50);
    static final Shape QUERY_VALUE = new Shape(1, 50, Pattern.compile("[a-zA-Z0-9_-]+"), null, false);
    static final Shape OUTPUT_VARIABLE_KEY = new Shape(0, 0, Pattern.compile("[A-Za-z0-9@\\-_]+"), null, false);
    static final Shape ANY = Shape.length(0, 0);

    private final List<String> violations = new ArrayList<>();

    String string(JsonNode parent, String path, String member, Shape shape, boolean required) {
        JsonNode node = present(parent, member);
        String at = join(path, member);
        if (node == null) {
            requireIf(required, at);
            return null;
        }
        if (!node.isTextual()) {
            throw mismatch(at, "a string");
        }
        check(at, node.textValue(), shape);
        return node.textValue();
    }

    Integer integer(JsonNode parent, String path, String member, int min, Integer max) {
        JsonNode node = present(parent, member);
        String at = join(path, member);
        if (node == null) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw mismatch(at, "an integer");
        }
        int value = node.intValue();
        if (value < min) {
            violate(at, "'" + value + "'", "Member must have value greater than or equal to " + min);
        }
        if (max != null && value > max) {
            violate(at, "'" + value + "'", "Member must have value less than or equal to " + max);
        }
        return value;
    }

    Instant timestamp(JsonNode parent, String path, String member) {
        JsonNode node = present(parent, member);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw mismatch(join(path, member), "epoch seconds");
        }
        BigDecimal seconds = node.decimalValue();
        return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }

    JsonNode object(JsonNode parent, String path, String member, boolean required) {
        JsonNode node = present(parent, member);
        if (node == null) {
            requireIf(required, join(path, member));
            return null;
        }
        if (!node.isObject()) {
            throw mismatch(join(path, member), "a structure");
        }
        return node;
    }

    /** A string-to-string map, or null when absent; {@code maxEntries} 0 means unbounded. */
    Map<String, String> map(JsonNode parent, String path, String member, Shape keyShape, Shape valueShape,
            int maxEntries) {
        JsonNode node = object(parent, path, member, false);
        if (node == null) {
            return null;
        }
        String at = join(path, member);
        Map<String, String> entries = new LinkedHashMap<>();
        node.properties().forEach(field -> {
            if (!field.getValue().isTextual()) {
                throw mismatch(at, "a map of strings");
            }
            entries.put(field.getKey(), field.getValue().textValue());
        });
        if (maxEntries > 0 && entries.size() > maxEntries) {
            violate(at, null, "Member must have length less than or equal to " + maxEntries);
        }
        entries.forEach((key, value) -> {
            keyShape.problem(key).ifPresent(problem ->
                    violate(at, echo(key, keyShape), "Map keys must satisfy constraint: [" + problem + "]"));
            valueShape.problem(value).ifPresent(problem ->
                    violate(at, echo(value, valueShape), "Map value must satisfy constraint: [" + problem + "]"));
        });
        return entries;
    }

    /** Throws the ValidationException naming every violation found so far, if any. */
    void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new ApiException("ValidationException", violations.size()
                    + (violations.size() == 1 ? " validation error" : " validation errors") + " detected: "
                    + String.join("; ", violations));
        }
    }

    /** Adds a violation that is not one member's constraint (a rule across members). */
    void violate(String path, String echoedValue, String constraint) {
        violations.add("Value " + (echoedValue == null ? "" : echoedValue + " ") + "at '" + path
                + "' failed to satisfy constraint: " + constraint);
    }

    /** Adds the violation of a required member that is absent (or null), in the words of {@link #string}'s. */
    void missing(String at) {
        violations.add("Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
    }

    private void check(String at, String value, Shape shape) {
        shape.problems(value).forEach(problem -> violate(at, echo(value, shape), problem));
    }

    private void requireIf(boolean required, String at) {
        if (required) {
            missing(at);
        }
    }

    private static JsonNode present(JsonNode parent, String member) {
        JsonNode node = parent == null ? null : parent.get(member);
        return node == null || node.isNull() ? null : node;
    }

    private static String join(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }

    private static String echo(String value, Shape shape) {
        if (shape.sensitive()) {
            return "'***'";
        }
        return "'" + (value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "..." : value) + "'";
    }

    private static ApiException mismatch(String at, String expected) {
        return new ApiException("SerializationException", "Expected " + expected + " at '" + at + "'");
    }

    /**
     * A string member's model constraints.
     *
     * @param min       minimum length (0: none)
     * @param max       maximum length (0: none)
     * @param pattern   the whole value must match, or null
     * @param allowed   the enum values, or null
     * @param sensitive never echo the value
     */
    record Shape(int min, int max, Pattern pattern, List<String> allowed, boolean sensitive) {

        static Shape length(int min, int max) {
            return new Shape(min, max, null, null, false);
        }

        static Shape oneOf(String... values) {
            return new Shape(0, 0, null, List.of(values), false);
        }

        List<String> problems(String value) {
            List<String> problems = new ArrayList<>();
            if (value.length() < min) {
                problems.add("Member must have length greater than or equal to " + min);
            }
            if (max > 0 && value.length() > max) {
                problems.add("Member must have length less than or equal to " + max);
            }
            if (pattern != null && !pattern.matcher(value).matches()) {
                problems.add("Member must satisfy regular expression pattern: " + pattern.pattern());
            }
            if (allowed != null && !allowed.contains(value)) {
                problems.add("Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
            }
            return problems;
        }

        Optional<String> problem(String value) {
            return problems(value).stream().findFirst();
        }
    }
}
