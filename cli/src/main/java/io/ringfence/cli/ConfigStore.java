package io.ringfence.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the configuration file: {@code $RFCTL_CONFIG}, else
 * {@code ${XDG_CONFIG_HOME:-~/.config}/rfctl/config.json}. The file is written atomically with permissions 600
 * and its directory is created with 700, since it holds access tokens.
 */
public final class ConfigStore {

    static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private final Path path;

    public ConfigStore(Path path) {
        this.path = path;
    }

    public static ConfigStore fromEnvironment(Map<String, String> env) {
        String explicit = env.get("RFCTL_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return new ConfigStore(Path.of(explicit));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new ConfigStore(base.resolve("rfctl").resolve("config.json"));
    }

    public Path path() {
        return path;
    }

    public Config load() {
        if (!Files.exists(path)) {
            return new Config();
        }
        try {
            Config config = Json.MAPPER.readValue(Files.readString(path, StandardCharsets.UTF_8), Config.class);
            return config == null ? new Config() : config;
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot read the configuration " + path + ": " + e.getMessage());
        }
    }

    public void save(Config config) {
        try {
            Path directory = path.toAbsolutePath().getParent();
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(directory)) {
                if (posix) {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
                    Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
                } else {
                    Files.createDirectories(directory);
                }
            }
            Path temporary = posix
                    ? Files.createTempFile(directory, ".config", ".tmp", PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS))
                    : Files.createTempFile(directory, ".config", ".tmp");
            try {
                Files.writeString(temporary, Json.write(config) + "\n", StandardCharsets.UTF_8);
                if (posix) {
                    Files.setPosixFilePermissions(temporary, FILE_PERMISSIONS);
                }
                try {
                    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
                }
                if (posix) {
                    Files.setPosixFilePermissions(path, FILE_PERMISSIONS);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CliException("cannot write the configuration " + path + ": " + e.getMessage());
        }
    }
}
