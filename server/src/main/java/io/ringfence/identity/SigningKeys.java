package io.ringfence.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/**
 * The embedded issuer's RSA signing key, kept in {@code <data dir>/keys} so that tokens stay valid across
 * restarts. Created on first start, readable by the service's user only.
 */
final class SigningKeys {

    private SigningKeys() {
    }

    static RSAKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("keys").resolve("token-signing-key.json");
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString())
                    .generate();
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "key", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the directory's permissions are all there is
            }
            Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("cannot load or create the token signing key in " + file, e);
        }
    }

}
