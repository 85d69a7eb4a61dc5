package io.autonomic.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.autonomic.registry.RegistryException.Reason;
import io.autonomic.registry.StubRegistryServer.Reply;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's TLS settings reach the handshake: trust, client certificates, and clear errors. */
class HttpSchemaRegistryClientTlsTest {
  private static final String PASSWORD = "changeit";
  private static final Schema THING = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Thing\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

  @TempDir
  static Path dir;
  /** One self-signed key pair for 127.0.0.1, used as the server's and the client's identity and as trust. */
  static Path keystore;

  @BeforeAll
  static void createKeystore() throws Exception {
    keystore = dir.resolve("registry.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
  }

  private static StubRegistryServer httpsServer(boolean needClientAuth) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD.toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setNeedClientAuth(needClientAuth);
        params.setSSLParameters(parameters);
      }
    });
    StubRegistryServer stub = new StubRegistryServer(server);
    stub.answer = r -> Reply.json(200, "{\"id\":42}");
    return stub;
  }

  private static HttpSchemaRegistryClient client(String url, Object... extra) {
    Map<String, Object> config = new HashMap<>();
    config.put(RegistryConfig.URL, url);
    config.put(RegistryConfig.MAX_ATTEMPTS, 2);
    config.put(RegistryConfig.RETRY_BACKOFF_MS, 10L);
    for (int i = 0; i < extra.length; i += 2) {
      config.put((String) extra[i], extra[i + 1]);
    }
    return new HttpSchemaRegistryClient(config);
  }

  @Test
  void shouldTrustTheRegistryThroughTheConfiguredTruststore() throws Exception {
    try (StubRegistryServer server = httpsServer(false)) {
      int id = client(server.url(),
          RegistryConfig.SSL_TRUSTSTORE_LOCATION, keystore.toString(),
          RegistryConfig.SSL_TRUSTSTORE_PASSWORD, PASSWORD).register("t-value", THING);

      assertThat(id).isEqualTo(42);
    }
  }

  @Test
  void shouldPresentTheClientCertificateFromTheKeystore() throws Exception {
    try (StubRegistryServer server = httpsServer(true)) {
      int id = client(server.url(),
          RegistryConfig.SSL_TRUSTSTORE_LOCATION, keystore.toString(),
          RegistryConfig.SSL_TRUSTSTORE_PASSWORD, PASSWORD,
          RegistryConfig.SSL_KEYSTORE_LOCATION, keystore.toString(),
          RegistryConfig.SSL_KEYSTORE_PASSWORD, PASSWORD,
          RegistryConfig.SSL_KEYSTORE_TYPE, "PKCS12").register("t-value", THING);

      assertThat(id).isEqualTo(42);
    }
  }

  @Test
  void shouldFailFastWithATlsErrorWhenTheRegistryIsNotTrusted() throws Exception {
    try (StubRegistryServer server = httpsServer(false)) {
      RegistryException e = catchThrowableOfType(RegistryException.class,
          () -> client(server.url()).register("t-value", THING));

      assertThat(e.reason()).isEqualTo(Reason.TLS);
      assertThat(e.getMessage()).contains("TLS handshake with schema registry " + server.url(),
          "schema.registry.ssl.truststore.location");
      assertThat(server.requests).isEmpty();
    }
  }

  @Test
  void shouldNameTheTruststoreWhenItsPasswordIsWrong() {
    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client("https://127.0.0.1:1",
        RegistryConfig.SSL_TRUSTSTORE_LOCATION, keystore.toString(),
        RegistryConfig.SSL_TRUSTSTORE_PASSWORD, "wrong"));

    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
    assertThat(e.getMessage()).startsWith("cannot load schema.registry.ssl.truststore.location " + keystore)
        .contains("PKCS12");
  }

  @Test
  void shouldNameAMissingKeystore() {
    RegistryException e = catchThrowableOfType(RegistryException.class, () -> client("https://127.0.0.1:1",
        RegistryConfig.SSL_KEYSTORE_LOCATION, dir.resolve("missing.p12").toString()));

    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
    assertThat(e.getMessage()).contains("schema.registry.ssl.keystore.location", "missing.p12");
  }
}
