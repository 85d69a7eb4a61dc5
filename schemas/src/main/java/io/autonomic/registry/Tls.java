package io.autonomic.registry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the client's SSLContext from the {@code schema.registry.ssl.*} settings. */
final class Tls {
  private Tls() {}

  /** The SSLContext for the configured stores, or null when none is configured (the JDK defaults apply). */
  static SSLContext context(RegistryConfig config) {
    String truststore = config.getString(RegistryConfig.SSL_TRUSTSTORE_LOCATION);
    String keystore = config.getString(RegistryConfig.SSL_KEYSTORE_LOCATION);
    if (isBlank(truststore) && isBlank(keystore)) {
      return null;
    }
    try {
      KeyManager[] keyManagers = null;
      if (!isBlank(keystore)) {
        String storePassword = config.password(RegistryConfig.SSL_KEYSTORE_PASSWORD);
        String keyPassword = config.password(RegistryConfig.SSL_KEY_PASSWORD);
        KeyStore store = load(RegistryConfig.SSL_KEYSTORE_LOCATION, keystore,
            config.getString(RegistryConfig.SSL_KEYSTORE_TYPE), storePassword);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, chars(keyPassword != null ? keyPassword : storePassword));
        keyManagers = kmf.getKeyManagers();
      }
      TrustManager[] trustManagers = null;
      if (!isBlank(truststore)) {
        KeyStore store = load(RegistryConfig.SSL_TRUSTSTORE_LOCATION, truststore,
            config.getString(RegistryConfig.SSL_TRUSTSTORE_TYPE), config.password(RegistryConfig.SSL_TRUSTSTORE_PASSWORD));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        trustManagers = tmf.getTrustManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (RegistryException e) {
      throw e;
    } catch (Exception e) {
      throw new RegistryException(RegistryException.Reason.CONFIG,
          "cannot set up TLS for the schema registry client: " + e, e);
    }
  }

  private static KeyStore load(String key, String location, String type, String password) {
    Path path = Path.of(location);
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, chars(password));
      return store;
    } catch (Exception e) {
      // The JDK reports a wrong password as an IOException whose cause is UnrecoverableKeyException.
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new RegistryException(RegistryException.Reason.CONFIG,
          "cannot load " + key + " " + path.toAbsolutePath() + " (type " + type + "): " + why, e);
    }
  }

  private static char[] chars(String password) {
    return password == null ? null : password.toCharArray();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
