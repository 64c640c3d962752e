// Archetypes are zips, which keep no file modes: make the generated project's Maven wrapper executable.
def project = new File(request.outputDirectory, request.artifactId)
new File(project, 'mvnw').setExecutable(true, false)
