package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code aimc} shell launcher, run by bash on a copy of the project layout with a stand-in {@code java} that
 * prints its arguments (so no build and no JVM start): it must find its jar beside the real script when called
 * through symlinks, and tell the JVM whether stderr is a terminal.
 */
class LauncherTest {
    @TempDir Path dir;

    private Path project() throws Exception {
        Path root = dir.resolve("project");
        Files.createDirectories(root.resolve("aimc-core/src/main"));
        Files.createDirectories(root.resolve("aimc-app/src/main"));
        Files.createDirectories(root.resolve("aimc-app/target/lib"));
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L);
        for (String f : new String[] {"pom.xml", "aimc-core/pom.xml", "aimc-app/pom.xml"}) {
            Files.setLastModifiedTime(Files.writeString(root.resolve(f), "<project/>"), old);
        }
        for (String m : new String[] {"aimc-core", "aimc-app"}) {
            Files.setLastModifiedTime(Files.writeString(root.resolve(m + "/src/main/A.java"), "class A {}"), old);
            Files.setLastModifiedTime(root.resolve(m + "/src/main"), old);
        }
        Path jar = Files.writeString(root.resolve("aimc-app/target/aimc.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis()));
        Path script = Files.copy(Path.of("../aimc"), root.resolve("aimc")); // tests run in aimc-app/
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/usr/bin/env bash\necho \"java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private String[] launch(Path script, Path cwd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--version").directory(cwd.toFile());
        pb.environment().put("PATH", dir.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), out, Files.readString(dir.resolve("stderr.txt"))};
    }

    /** Before: a symlink elsewhere made the launcher look for target/ beside the link and fail with "build failed". */
    @Test
    void findsItsJarThroughAChainOfRelativeAndAbsoluteSymlinks() throws Exception {
        assumeTrue(new File("/bin/bash").canExecute() || new File("/usr/bin/bash").canExecute(), "needs bash");
        Path root = project();
        Path links = Files.createDirectories(dir.resolve("home/bin"));
        Path abs = Files.createSymbolicLink(links.resolve("aimc-abs"), root.resolve("aimc"));
        Path rel = Files.createSymbolicLink(links.resolve("aimc"), Path.of("aimc-abs")); // link to a link
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        for (Path link : new Path[] {abs, rel, root.resolve("aimc")}) {
            String[] r = launch(link, elsewhere);
            assertEquals("0", r[0], r[2]);
            String jar = root.toRealPath().resolve("aimc-app/target/aimc.jar").toString();
            assertTrue(r[1].contains("-jar " + jar + " --version"), r[1]);
            assertTrue(!r[2].contains("build"), r[2]);
            assertTrue(r[1].contains("-Daimc.stderr.tty=false"), "stderr is a file here: " + r[1]);
        }
    }
}
