package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScratchSpaceTest {

    @TempDir
    Path temp;

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void aPlainIdIsItsOwnNameAndAnyOtherIsSanitisedAndHashed() {
        assertThat(ScratchSpace.directoryName("c0d2a1f4-5b6e-4f7a-8b9c-0d1e2f3a4b5c"))
                .isEqualTo("c0d2a1f4-5b6e-4f7a-8b9c-0d1e2f3a4b5c");
        assertThat(ScratchSpace.directoryName("job_7")).isEqualTo("job_7");

        assertThat(ScratchSpace.directoryName("a/b")).matches("a_b\\.[0-9a-f]{32}");
        assertThat(ScratchSpace.directoryName("Job-7")).matches("job-7\\.[0-9a-f]{32}");
        assertThat(ScratchSpace.directoryName("..")).matches("__\\.[0-9a-f]{32}");
        assertThat(ScratchSpace.directoryName("")).matches("job\\.[0-9a-f]{32}");
        assertThat(ScratchSpace.directoryName("x".repeat(65))).matches("x{40}\\.[0-9a-f]{32}");
        assertThat(ScratchSpace.directoryName("con")).matches("con_\\.[0-9a-f]{32}");
        assertThat(ScratchSpace.directoryName("LPT1")).matches("lpt1_\\.[0-9a-f]{32}");
    }

    @Test
    void onlyLowerCaseLettersDigitsUnderscoresAndDashesAreKeptInTheReadablePart() {
        // Each of @ [ ` { / : is the character just outside one of the kept ranges.
        assertThat(ScratchSpace.directoryName("Az09_-.@[`{/:")).matches("az09_-_______\\.[0-9a-f]{32}");
    }

    @Test
    void namesAreTheSameOnEveryCallAndDifferForDifferentIds() {
        String longId = "p".repeat(511);
        List<String> ids = List.of("a/b", "a_b", "a:b", "A_B", "Job-7", "job-7", longId + "1", longId + "2", "..", ".");

        List<String> names = ids.stream().map(ScratchSpace::directoryName).toList();

        assertThat(names).doesNotHaveDuplicates();
        assertThat(ids.stream().map(ScratchSpace::directoryName).toList()).isEqualTo(names);
        assertThat(names).allSatisfy(name -> assertThat(name.length()).isLessThanOrEqualTo(73));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc", "/abs/path", "a\\b", "C:\\x", "con", "nul.txt", "tab\there", "new\nline",
            "\u0000nul", "\uD83D\uDE80 rocket", "  ", "~user", "$HOME", "*?<>|\""})
    void everyIdMapsToOneDirectoryRightUnderTheRoot(String jobId) throws IOException {
        ScratchSpace scratch = new ScratchSpace(temp.resolve("root"));

        Path directory = scratch.create(jobId);

        assertThat(directory).isEqualTo(scratch.directoryFor(jobId));
        assertThat(directory.getParent()).isEqualTo(scratch.root());
        assertThat(directory).isEmptyDirectory();
        assertThat(scratch.delete(jobId)).isTrue();
        assertThat(directory).doesNotExist();
    }

    @Test
    void theTemporaryRootIsRightUnderTheTemporaryDirectoryAndTheUsersOwn() {
        Path root = ScratchSpace.inTemporaryDirectory().root();

        assertThat(root.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize());
        assertThat(root.getFileName().toString()).startsWith(ScratchSpace.TEMPORARY_ROOT_PREFIX)
                .endsWith(System.getProperty("user.name").replaceAll("[^A-Za-z0-9_-]", "_"));
    }

    @Test
    void nothingIsCreatedUntilAsked() throws IOException {
        ScratchSpace scratch = new ScratchSpace(temp.resolve("a/b/root"));

        assertThat(scratch.directoryFor("job-1")).doesNotExist();
        assertThat(scratch.delete("job-1")).isFalse();
        assertThat(temp.resolve("a")).doesNotExist();
    }

    @Test
    void theRootAndEachDirectoryAreTheOwnersOnly() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        ScratchSpace scratch = new ScratchSpace(temp.resolve("root"));

        Path directory = scratch.create("job-1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.root()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
    }

    @Test
    void whatAnEarlierRunLeftIsGoneWhenTheDirectoryIsCreatedAgain() throws IOException {
        ScratchSpace scratch = new ScratchSpace(temp.resolve("root"));
        Path first = scratch.create("job-1");
        Files.writeString(Files.createDirectories(first.resolve("sub")).resolve("left.txt"), "stale");

        Path second = scratch.create("job-1");

        assertThat(second).isEqualTo(first).isEmptyDirectory();
    }

    @Test
    void deletingTakesFilesAndDirectoriesTheHandlerMadeReadOnlyOrUnreadable() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        ScratchSpace scratch = new ScratchSpace(temp.resolve("root"));
        Path directory = scratch.create("job-1");
        Path locked = Files.createDirectories(directory.resolve("locked/deeper"));
        Files.writeString(locked.resolve("file.txt"), "x");
        Path readOnly = Files.createDirectories(directory.resolve("read-only"));
        Files.writeString(readOnly.resolve("file.txt"), "y");
        Files.setPosixFilePermissions(readOnly.resolve("file.txt"), PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(directory.resolve("locked"), PosixFilePermissions.fromString("---------"));

        assertThat(scratch.delete("job-1")).isTrue();

        assertThat(directory).doesNotExist();
        assertThat(scratch.delete("job-1")).isFalse();
    }

    @Test
    void symbolicLinksAreDeletedNotFollowed() throws IOException {
        ScratchSpace scratch = new ScratchSpace(temp.resolve("root"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Path directory = scratch.create("job-1");
        Files.createSymbolicLink(directory.resolve("link-to-dir"), outside);
        Files.createSymbolicLink(directory.resolve("link-to-file"), precious);

        scratch.delete("job-1");

        assertThat(directory).doesNotExist();
        assertThat(precious).hasContent("keep me");
    }

    @Test
    void aJobDirectoryThatIsALinkIsRemovedAsALink() throws IOException {
        ScratchSpace scratch = new ScratchSpace(temp.resolve("root"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("precious.txt"), "keep me");
        Files.createDirectories(scratch.root());
        Files.createSymbolicLink(scratch.directoryFor("job-1"), outside);

        assertThat(scratch.delete("job-1")).isTrue();

        assertThat(Files.exists(scratch.directoryFor("job-1"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside.resolve("precious.txt")).hasContent("keep me");
    }

    @Test
    void aRootThatIsNotADirectoryIsRefused() throws IOException {
        Path file = Files.writeString(temp.resolve("root"), "not a directory");

        assertThatThrownBy(() -> new ScratchSpace(file).create("job-1"))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a directory");
    }

    @Test
    void aRootOtherUsersMayWriteToIsRefused() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path shared = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> new ScratchSpace(shared).create("job-1"))
                .isInstanceOf(IOException.class).hasMessageContaining("may be written by other users");
        assertThat(shared).isEmptyDirectory();
    }

    /** As on Windows: no POSIX permissions to set or give back, and deleting still takes the whole tree. */
    @Test
    void onAFileSystemWithoutPosixPermissionsDirectoriesAreCreatedAndDeletedAllTheSame() throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(temp.resolve("fs.zip"), Map.of("create", "true"))) {
            assertThat(zip.supportedFileAttributeViews()).doesNotContain("posix");
            ScratchSpace scratch = new ScratchSpace(zip.getPath("/scratch"));
            Path directory = scratch.create("job-1");
            Files.writeString(Files.createDirectories(directory.resolve("sub")).resolve("left.txt"), "stale");

            assertThat(scratch.create("job-1")).isEqualTo(directory).isEmptyDirectory();
            Files.writeString(directory.resolve("out.txt"), "x");
            assertThat(scratch.delete("job-1")).isTrue();

            assertThat(directory).doesNotExist();
            assertThat(scratch.root()).isEmptyDirectory();
        }
    }

    @Test
    void theRootIsDeletedOnlyWhenEmpty() throws IOException {
        ScratchSpace scratch = new ScratchSpace(temp.resolve("root"));
        scratch.create("job-1");
        scratch.create("job-2");

        scratch.delete("job-1");
        scratch.deleteRootIfEmpty();
        assertThat(scratch.directoryFor("job-2")).isDirectory();

        scratch.delete("job-2");
        scratch.deleteRootIfEmpty();
        assertThat(scratch.root()).doesNotExist();
        scratch.deleteRootIfEmpty();
    }
}
