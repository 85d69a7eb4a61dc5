package io.autonomic.remediator.executor;

import io.autonomic.avro.ActionCommand;
import io.autonomic.avro.ActionKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries commands out on Kubernetes with the fabric8 client: SCALE a Deployment or StatefulSet,
 * ROLLOUT_RESTART (or RESTART) one, DELETE_POD (or RESTART) a Pod.
 *
 * <p>Idempotent by command id: a rollout restart stamps {@code autonomic.io/command-id} on the pod template, so the
 * same command finds its stamp and is SKIPPED; scaling to N replicas is idempotent by nature; deleting a pod that
 * is already gone is SKIPPED.
 */
public final class KubernetesExecutor implements ActionExecutor {
  public static final String COMMAND_ANNOTATION = "autonomic.io/command-id";
  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "Pod");

  private final KubernetesClient client;
  private final Clock clock;
  private final String defaultNamespace;

  public KubernetesExecutor(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.defaultNamespace = client.getNamespace() == null ? "default" : client.getNamespace();
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public boolean supports(ActionCommand c) {
    return KINDS.contains(c.getTarget().getKind());
  }

  @Override
  public Outcome execute(ActionCommand c) {
    String ns = c.getTarget().getNamespace() == null ? defaultNamespace : c.getTarget().getNamespace();
    String name = c.getTarget().getName();
    String kind = c.getTarget().getKind();
    try {
      if (kind.equals("Pod")) {
        if (c.getKind() != ActionKind.DELETE_POD && c.getKind() != ActionKind.RESTART) {
          return Outcome.rejected(c.getKind() + " does not apply to a Pod");
        }
        List<StatusDetails> deleted = client.pods().inNamespace(ns).withName(name).delete();
        return deleted.isEmpty() ? Outcome.skipped("pod " + ns + "/" + name + " is already gone", Map.of())
            : Outcome.applied("deleted pod " + ns + "/" + name + " (its controller replaces it)", Map.of());
      }
      return switch (c.getKind()) {
        case SCALE -> scale(c, kind, ns, name);
        case ROLLOUT_RESTART, RESTART -> restart(c, kind, ns, name);
        default -> Outcome.rejected(c.getKind() + " is not something the Kubernetes executor does to a " + kind);
      };
    } catch (KubernetesClientException e) {
      return Outcome.failed("Kubernetes API " + e.getCode() + ": " + e.getMessage());
    }
  }

  private Resource<? extends HasMetadata> resource(String kind, String ns, String name) {
    return kind.equals("Deployment") ? client.apps().deployments().inNamespace(ns).withName(name)
        : client.apps().statefulSets().inNamespace(ns).withName(name);
  }

  private Outcome scale(ActionCommand c, String kind, String ns, String name) {
    String replicasParam = c.getParams().get("replicas");
    int replicas;
    try {
      replicas = Integer.parseInt(replicasParam == null ? "" : replicasParam.trim());
    } catch (NumberFormatException e) {
      return Outcome.rejected("SCALE needs a whole number in params.replicas, got " + replicasParam);
    }
    HasMetadata current = resource(kind, ns, name).get();
    if (current == null) {
      return Outcome.failed(kind + " " + ns + "/" + name + " not found");
    }
    int before = replicasOf(current);
    Map<String, String> observed = new HashMap<>();
    observed.put("replicas.before", Integer.toString(before));
    observed.put("replicas.after", Integer.toString(replicas));
    if (before == replicas) {
      return Outcome.skipped(kind + " " + ns + "/" + name + " already has " + replicas + " replicas", observed);
    }
    if (kind.equals("Deployment")) {
      client.apps().deployments().inNamespace(ns).withName(name).edit(d -> {
        d.getSpec().setReplicas(replicas);
        return d;
      });
    } else {
      client.apps().statefulSets().inNamespace(ns).withName(name).edit(s -> {
        s.getSpec().setReplicas(replicas);
        return s;
      });
    }
    return Outcome.applied("scaled " + kind + " " + ns + "/" + name + " from " + before + " to " + replicas
        + " replicas", observed);
  }

  private Outcome restart(ActionCommand c, String kind, String ns, String name) {
    HasMetadata current = resource(kind, ns, name).get();
    if (current == null) {
      return Outcome.failed(kind + " " + ns + "/" + name + " not found");
    }
    PodTemplateSpec template = current instanceof Deployment d ? d.getSpec().getTemplate()
        : ((StatefulSet) current).getSpec().getTemplate();
    Map<String, String> ann = template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
    if (ann != null && c.getCommandId().equals(ann.get(COMMAND_ANNOTATION))) {
      return Outcome.skipped("already restarted by this command", Map.of("restartedAt", ann.get(RESTARTED_AT)));
    }
    String now = clock.instant().toString();
    java.util.function.UnaryOperator<PodTemplateSpec> stamp = t -> {
      if (t.getMetadata() == null) {
        t.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
      }
      Map<String, String> a = t.getMetadata().getAnnotations() == null ? new HashMap<>()
          : new HashMap<>(t.getMetadata().getAnnotations());
      a.put(RESTARTED_AT, now);
      a.put(COMMAND_ANNOTATION, c.getCommandId());
      t.getMetadata().setAnnotations(a);
      return t;
    };
    if (kind.equals("Deployment")) {
      client.apps().deployments().inNamespace(ns).withName(name).edit(d -> {
        stamp.apply(d.getSpec().getTemplate());
        return d;
      });
    } else {
      client.apps().statefulSets().inNamespace(ns).withName(name).edit(s -> {
        stamp.apply(s.getSpec().getTemplate());
        return s;
      });
    }
    return Outcome.applied("rollout restart of " + kind + " " + ns + "/" + name, Map.of("restartedAt", now));
  }

  private static int replicasOf(HasMetadata r) {
    Integer n = r instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) r).getSpec().getReplicas();
    return n == null ? 1 : n;
  }

  @Override
  public void close() {
    client.close();
  }
}
