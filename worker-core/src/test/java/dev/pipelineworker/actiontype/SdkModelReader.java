package dev.pipelineworker.actiontype;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.RequiredTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Reads JSON into an AWS SDK request the way the service's JSON protocol does, through the SDK's own model of the
 * request ({@link SdkField}s: member names and types), and checks the required members, string lengths, patterns
 * and number ranges of the service model that the SDK does not carry, so that a generated file is held to what AWS
 * would accept. Every problem is collected with the member's path.
 */
final class SdkModelReader {

    /** A member's constraints from the service model, by a path with {@code []} for list items. */
    record Constraint(int min, int max, Pattern pattern) {
        static Constraint length(int min, int max) {
            return new Constraint(min, max, null);
        }

        static Constraint of(int min, int max, String pattern) {
            return new Constraint(min, max, Pattern.compile(pattern));
        }
    }

    private final Map<String, Constraint> constraints;
    private final Set<String> required;
    private final List<String> problems = new ArrayList<>();

    /**
     * {@code required}: the paths of the members the service model requires (the SDK marks few of them with a
     * {@link RequiredTrait}; those count too).
     */
    SdkModelReader(Map<String, Constraint> constraints, Set<String> required) {
        this.constraints = constraints;
        this.required = required;
    }

    List<String> problems() {
        return problems;
    }

    /** {@code json} read into {@code builder}'s object; problems go to {@link #problems()}. */
    Object read(JsonNode json, SdkPojo builder, String path) {
        List<SdkField<?>> fields = builder.sdkFields();
        json.fieldNames().forEachRemaining(name -> {
            if (fields.stream().noneMatch(f -> f.locationName().equals(name))) {
                problems.add(join(path, name) + ": not a member of the SDK's model");
            }
        });
        for (SdkField<?> field : fields) {
            JsonNode value = json.get(field.locationName());
            String at = join(path, field.locationName());
            if (value == null || value.isNull()) {
                if (field.containsTrait(RequiredTrait.class) || required.contains(at)) {
                    problems.add(at + ": required, missing");
                }
                continue;
            }
            field.set(builder, value(field, value, at));
        }
        return ((SdkBuilder<?, ?>) builder).build();
    }

    private Object value(SdkField<?> field, JsonNode value, String at) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            expect(value.isTextual(), at, "a string");
            check(at, value.asText().length(), value.asText());
            return value.asText();
        }
        if (type == MarshallingType.INTEGER) {
            expect(value.isInt(), at, "an integer");
            check(at, value.asInt(), null);
            return value.asInt();
        }
        if (type == MarshallingType.BOOLEAN) {
            expect(value.isBoolean(), at, "a boolean");
            return value.asBoolean();
        }
        if (type == MarshallingType.SDK_POJO) {
            expect(value.isObject(), at, "a structure");
            return read(value, field.constructor().get(), at);
        }
        if (type == MarshallingType.LIST) {
            expect(value.isArray(), at, "a list");
            check(at + ".size", value.size(), null);
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            List<Object> items = new ArrayList<>();
            value.forEach(item -> items.add(value(member, item, at + "[]")));
            return items;
        }
        problems.add(at + ": a " + type + " member, which this reader does not know");
        return null;
    }

    private void expect(boolean ok, String at, String what) {
        if (!ok) {
            problems.add(at + ": must be " + what);
        }
    }

    /** Lengths of strings and values of numbers against the constraint at {@code at}, if any. */
    private void check(String at, int measure, String text) {
        Constraint constraint = constraints.get(at);
        if (constraint == null) {
            return;
        }
        if (measure < constraint.min() || measure > constraint.max()) {
            problems.add(at + ": " + measure + " is outside " + constraint.min() + "-" + constraint.max());
        }
        if (text != null && constraint.pattern() != null && !constraint.pattern().matcher(text).matches()) {
            problems.add(at + ": does not match " + constraint.pattern());
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
