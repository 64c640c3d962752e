package dev.pipelineworker.actiontype;

/** The type of a configuration property's value, as CodePipeline's console and API name it. */
public enum PropertyType {
    STRING("String"),
    NUMBER("Number"),
    BOOLEAN("Boolean");

    private final String apiName;

    PropertyType(String apiName) {
        this.apiName = apiName;
    }

    /** The name the CodePipeline API uses, for example {@code String}. */
    public String apiName() {
        return apiName;
    }

    /** Finds the type by its API name, ignoring case. */
    public static PropertyType fromApiName(String name) {
        for (PropertyType type : values()) {
            if (type.apiName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown property type '" + name + "'; expected String, Number or Boolean");
    }
}
