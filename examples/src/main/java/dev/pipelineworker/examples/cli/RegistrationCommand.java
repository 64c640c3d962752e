package dev.pipelineworker.examples.cli;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.actiontype.RegistrationFiles;
import dev.pipelineworker.examples.ManifestHandler;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code registration}: prints the registration file of the manifest action, generated from its declaration
 * ({@link ManifestHandler#actionType(ActionTypeId)}), as the AWS CLI's {@code --cli-input-json} takes it.
 */
@Command(name = "registration",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Prints the registration of the manifest action, generated from its declaration in code: for "
                    + "--kind third-party the input of 'aws codepipeline update-action-type' (the action type file "
                    + "an integrator submits, with a job worker executor), for --kind custom the input of "
                    + "'aws codepipeline create-custom-action-type'.",
            ""},
        footer = {
            "",
            "Examples:",
            "  example-worker registration --kind custom > custom.json",
            "  aws codepipeline create-custom-action-type --cli-input-json file://custom.json",
            "  example-worker registration --kind third-party > action-type.json",
            "  aws codepipeline update-action-type --cli-input-json file://action-type.json"})
public final class RegistrationCommand implements Callable<Integer> {

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "third-party",
            description = "third-party or custom. Default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--category", paramLabel = "CATEGORY", defaultValue = "Build",
            description = "The action type's category. Default: ${DEFAULT-VALUE}.")
    String category;

    @Option(names = "--provider", paramLabel = "NAME", defaultValue = "Manifest",
            description = "The action type's provider. Default: ${DEFAULT-VALUE}.")
    String provider;

    @Option(names = "--version", paramLabel = "VERSION", defaultValue = "1",
            description = "The action type's version. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help and exits.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ActionTypeId id;
        try {
            ActionCategory parsed = ActionCategory.fromApiName(category);
            id = switch (kind) {
                case "third-party" -> ActionTypeId.thirdParty(parsed, provider, version);
                case "custom" -> ActionTypeId.custom(parsed, provider, version);
                default -> throw new IllegalArgumentException("--kind must be third-party or custom, got " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(RegistrationFiles.of(ManifestHandler.actionType(id)));
        out.flush();
        return 0;
    }
}
