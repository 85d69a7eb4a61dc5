package io.autonomic.remediator.executor;

import static io.autonomic.remediator.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.autonomic.avro.ActionStatus;
import io.autonomic.remediator.Fixtures;
import io.autonomic.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes executor against fabric8's mock API server in CRUD mode (one server per class, re-seeded per test). */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest {
  static KubernetesClient client;
  final ManualClock clock = new ManualClock(Fixtures.T0);
  KubernetesExecutor executor;

  @BeforeEach
  void seed() {
    executor = new KubernetesExecutor(client, clock);
    client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
        .withNewMetadata().withName("checkout").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(2).withNewTemplate().withNewMetadata().addToLabels("app", "checkout")
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("checkout:1").endContainer()
        .endSpec().endTemplate().endSpec().build()).createOr(NonDeletingOperation::update);
    client.apps().statefulSets().inNamespace("shop").resource(new StatefulSetBuilder()
        .withNewMetadata().withName("db").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec().addNewContainer().withName("db")
        .withImage("db:1").endContainer().endSpec().endTemplate().endSpec().build()).createOr(NonDeletingOperation::update);
    client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("checkout-abc")
        .withNamespace("shop").endMetadata().build()).createOr(NonDeletingOperation::update);
  }

  @Test
  void scalesADeployment() throws Exception {
    ActionExecutor.Outcome o = executor.execute(command("inc#1", ActionKind.SCALE, "Deployment", "shop", "checkout",
        Map.of("replicas", "5")));

    assertThat(o.status()).isEqualTo(ActionStatus.APPLIED);
    assertThat(o.observed()).containsEntry("replicas.before", "2").containsEntry("replicas.after", "5");
    assertThat(client.apps().deployments().inNamespace("shop").withName("checkout").get().getSpec().getReplicas())
        .isEqualTo(5);
  }

  @Test
  void scalingAgainToTheSameCountIsSkipped() throws Exception {
    ActionCommand c = command("inc#1", ActionKind.SCALE, "Deployment", "shop", "checkout", Map.of("replicas", "5"));
    executor.execute(c);

    assertThat(executor.execute(c).status()).isEqualTo(ActionStatus.SKIPPED);
  }

  @Test
  void scalesAStatefulSet() throws Exception {
    ActionExecutor.Outcome o = executor.execute(command("inc#1", ActionKind.SCALE, "StatefulSet", "shop", "db",
        Map.of("replicas", "4")));

    assertThat(o.status()).isEqualTo(ActionStatus.APPLIED);
    assertThat(client.apps().statefulSets().inNamespace("shop").withName("db").get().getSpec().getReplicas())
        .isEqualTo(4);
  }

  @Test
  void rolloutRestartStampsThePodTemplateOncePerCommand() throws Exception {
    ActionCommand c = command("inc#0", ActionKind.ROLLOUT_RESTART, "Deployment", "shop", "checkout", Map.of());

    assertThat(executor.execute(c).status()).isEqualTo(ActionStatus.APPLIED);
    Deployment d = client.apps().deployments().inNamespace("shop").withName("checkout").get();
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(KubernetesExecutor.RESTARTED_AT, Fixtures.T0.toString())
        .containsEntry(KubernetesExecutor.COMMAND_ANNOTATION, "inc#0");

    assertThat(executor.execute(c).status()).as("the same command again").isEqualTo(ActionStatus.SKIPPED);
  }

  @Test
  void deletesAPodAndSkipsWhenItIsAlreadyGone() throws Exception {
    ActionCommand c = command("inc#2", ActionKind.DELETE_POD, "Pod", "shop", "checkout-abc", Map.of());

    assertThat(executor.execute(c).status()).isEqualTo(ActionStatus.APPLIED);
    assertThat(client.pods().inNamespace("shop").withName("checkout-abc").get()).isNull();
    assertThat(executor.execute(c).status()).isEqualTo(ActionStatus.SKIPPED);
  }

  @Test
  void aMissingDeploymentFails() throws Exception {
    ActionExecutor.Outcome o = executor.execute(command("inc#1", ActionKind.SCALE, "Deployment", "shop", "nope",
        Map.of("replicas", "3")));

    assertThat(o.status()).isEqualTo(ActionStatus.FAILED);
    assertThat(o.message()).contains("Deployment shop/nope not found");
  }

  @Test
  void anActionItDoesNotKnowIsRejected() throws Exception {
    ActionExecutor.Outcome o = executor.execute(command("inc#1", ActionKind.FAILOVER, "Deployment", "shop",
        "checkout", Map.of()));

    assertThat(o.status()).isEqualTo(ActionStatus.REJECTED);
  }
}
