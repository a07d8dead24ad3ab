package dev.aimc.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written atomically get the permissions of any new file (the umask), not owner-only. */
class AtomicFilesTest {
    @TempDir Path dir;

    /** Before: every report and checkpoint file was rw------- (Files.createTempFile's mode) after the rename. */
    @Test
    void writtenFilesAndTempFoldersFollowTheUmask() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Set<PosixFilePermission> umaskFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Set<PosixFilePermission> umaskDir = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("d")));
        assumeTrue(umaskFile.contains(PosixFilePermission.GROUP_READ) || umaskFile.contains(
                PosixFilePermission.OTHERS_READ), "the umask must let others read for the test to tell the modes apart");
        Path target = dir.resolve("sub/results.json");
        AtomicFiles.writeString(target, "{}");
        assertEquals("{}", Files.readString(target));
        assertEquals(umaskFile, Files.getPosixFilePermissions(target));
        AtomicFiles.writeString(target, "{\"again\": 1}"); // replacing keeps the umask mode too
        assertEquals(umaskFile, Files.getPosixFilePermissions(target));
        assertEquals(umaskDir, Files.getPosixFilePermissions(AtomicFiles.createTempDirectory(dir, ".unpack-")));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
