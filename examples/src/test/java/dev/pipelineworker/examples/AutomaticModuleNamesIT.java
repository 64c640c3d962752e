package dev.pipelineworker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The published jars as this build packaged them (the example worker's jar and the pipeline-worker
 * jars copy-dependencies put beside it) can go on a module path together: each names its module in
 * its manifest, the names follow the root packages, and no package is split between two of them.
 */
class AutomaticModuleNamesIT {

    private static final Path TARGET = Path.of("target");

    /** Module name by jar, for every jar the project publishes. */
    private static Map<String, Path> publishedJars() throws IOException {
        Map<String, Path> jars = new LinkedHashMap<>();
        jars.put("dev.pipelineworker", library("worker-core"));
        jars.put("dev.pipelineworker.s3", library("worker-s3"));
        jars.put("dev.pipelineworker.testkit", library("worker-testkit"));
        jars.put("dev.pipelineworker.testkit.s3", library("worker-testkit-s3"));
        jars.put("dev.pipelineworker.lambda", library("worker-lambda"));
        jars.put("dev.pipelineworker.micrometer", library("worker-micrometer"));
        jars.put("dev.pipelineworker.examples", TARGET.resolve("example-worker.jar"));
        return jars;
    }

    private static Path library(String artifactId) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(TARGET.resolve("lib"), artifactId + "-[0-9]*.jar")) {
            jars.forEach(found::add);
        }
        assertThat(found).as("target/lib/" + artifactId + "-[0-9]*.jar").hasSize(1);
        return found.get(0);
    }

    @Test
    void everyPublishedJarNamesItsModuleInItsManifest() throws IOException {
        for (Map.Entry<String, Path> jar : publishedJars().entrySet()) {
            try (JarFile file = new JarFile(jar.getValue().toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                        .as("Automatic-Module-Name of " + jar.getValue().getFileName())
                        .isEqualTo(jar.getKey());
            }
        }
    }

    @Test
    void theJarsResolveAsModulesTogetherEachOwningItsOwnPackages() throws IOException {
        Map<String, Path> jars = publishedJars();
        ModuleFinder finder = ModuleFinder.of(jars.values().toArray(Path[]::new));

        // Resolution fails when two modules hold the same package: automatic modules read each other.
        Configuration modules = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), jars.keySet());

        assertThat(modules.modules().stream().map(ResolvedModule::name)).containsExactlyInAnyOrderElementsOf(
                jars.keySet());
        for (ModuleReference module : finder.findAll()) {
            ModuleDescriptor descriptor = module.descriptor();
            assertThat(descriptor.isAutomatic()).isTrue();
            List<String> foreign = descriptor.packages().stream()
                    .filter(pkg -> !ownedBy(descriptor.name(), pkg, jars.keySet()))
                    .sorted().collect(Collectors.toList());
            assertThat(foreign).as("packages of " + descriptor.name() + " outside its name").isEmpty();
        }
    }

    /** A package belongs to the module of the longest name that is the package or a prefix of it. */
    private static boolean ownedBy(String module, String pkg, Iterable<String> names) {
        String owner = null;
        for (String name : names) {
            if ((pkg.equals(name) || pkg.startsWith(name + "."))
                    && (owner == null || name.length() > owner.length())) {
                owner = name;
            }
        }
        return module.equals(owner);
    }
}
