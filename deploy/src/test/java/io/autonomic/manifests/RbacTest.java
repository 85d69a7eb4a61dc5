package io.autonomic.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes executor may scale, restart and delete pods only in the namespaces the remediator's guardrails
 * allow, and nothing grants anyone write access cluster-wide.
 */
class RbacTest {
  private static final Set<String> WRITE_VERBS = Set.of("*", "create", "update", "patch", "delete",
      "deletecollection", "escalate", "bind", "impersonate", "approve", "sign");
  /** What the executor may do, per apiGroup/resource: KubernetesExecutor reads and patches, deletes pods. */
  private static final Map<String, Set<String>> EXECUTOR_RIGHTS = Map.of(
      "apps/deployments", Set.of("get", "list", "patch"),
      "apps/statefulsets", Set.of("get", "list", "patch"),
      "apps/deployments/scale", Set.of("get", "patch"),
      "apps/statefulsets/scale", Set.of("get", "patch"),
      "/pods", Set.of("get", "list", "delete"));

  private static KubernetesManifests k8s;
  private static Deployment executor;
  private static String executorAccount;
  private static String executorNamespace;

  @BeforeAll
  static void load() {
    k8s = KubernetesManifests.load();
    executor = k8s.one(Deployment.class, "executor");
    executorAccount = executor.getSpec().getTemplate().getSpec().getServiceAccountName();
    executorNamespace = executor.getMetadata().getNamespace();
  }

  @Test
  void theExecutorRunsTheKubernetesExecutorUnderItsOwnServiceAccount() {
    assertThat(executor.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("executor", "kubernetes");
    assertThat(executorAccount).isNotBlank().isNotEqualTo("default");
    assertThat(k8s.all(ServiceAccount.class)).anySatisfy(sa -> {
      assertThat(sa.getMetadata().getName()).isEqualTo(executorAccount);
      assertThat(sa.getMetadata().getNamespace()).isEqualTo(executorNamespace);
    });
  }

  @Test
  void theExecutorIsBoundExactlyInTheGuardrailsAllowedNamespaces() {
    ConfigMap policies = k8s.one(ConfigMap.class, "remediator-policies");
    JsonNode guardrails = StrictYaml.documents(policies.getData().get("guardrails.yaml"), "guardrails.yaml").get(0);
    Set<String> allowed = new TreeSet<>();
    guardrails.path("guardrails").path("allowedNamespaces").forEach(n -> allowed.add(n.asText()));
    assertThat(allowed).as("an empty list would mean any namespace").isNotEmpty();

    Set<String> bound = new TreeSet<>();
    for (RoleBinding binding : k8s.all(RoleBinding.class)) {
      if (!bindsExecutor(binding.getSubjects())) {
        continue;
      }
      String ns = binding.getMetadata().getNamespace();
      bound.add(ns);
      assertThat(binding.getRoleRef().getKind()).as(ns + ": a Role, never a ClusterRole").isEqualTo("Role");
      Role role = k8s.all(Role.class).stream()
          .filter(r -> r.getMetadata().getNamespace().equals(ns))
          .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
          .findFirst().orElseThrow(() -> new AssertionError(ns + ": no Role " + binding.getRoleRef().getName()));
      assertThat(executorRightsProblems(role)).as(ns).isEmpty();
    }
    assertThat(bound).isEqualTo(allowed);
    assertThat(bound).doesNotContain(executorNamespace, "kube-system");
  }

  @Test
  void theExecutorsRolesGrantWhatKubernetesExecutorNeedsAndNoMore() {
    for (Role role : k8s.all(Role.class)) {
      if (!role.getMetadata().getName().equals("autonomic-executor")) {
        continue;
      }
      Map<String, Set<String>> granted = grants(role.getRules());
      assertThat(granted.get("apps/deployments")).contains("get", "patch");
      assertThat(granted.get("apps/statefulsets")).contains("get", "patch");
      assertThat(granted.get("/pods")).contains("delete");
    }
  }

  @Test
  void aRoleWithMoreRightsIsCaught() {
    Role wide = (Role) KubernetesManifests.parse(StrictYaml.documents("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: autonomic-executor, namespace: shop}
        rules:
          - {apiGroups: [apps], resources: [deployments], verbs: [get, update]}
          - {apiGroups: [""], resources: [secrets], verbs: [get]}
          - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
        """, "test").get(0), "test");
    assertThat(executorRightsProblems(wide)).hasSize(3);
    ClusterRole clusterWrite = (ClusterRole) KubernetesManifests.parse(StrictYaml.documents("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: x}
        rules: [{apiGroups: [apps], resources: [deployments], verbs: [list, patch]}]
        """, "test").get(0), "test");
    assertThat(writeVerbs(clusterWrite.getRules())).containsExactly("patch");
  }

  @Test
  void nothingGrantsWriteAccessClusterWide() {
    for (ClusterRole role : k8s.all(ClusterRole.class)) {
      assertThat(writeVerbs(role.getRules())).as("ClusterRole " + role.getMetadata().getName()).isEmpty();
      assertThat(role.getAggregationRule()).as("ClusterRole " + role.getMetadata().getName()).isNull();
    }
    for (ClusterRoleBinding binding : k8s.all(ClusterRoleBinding.class)) {
      assertThat(bindsExecutor(binding.getSubjects())).as(binding.getMetadata().getName()).isFalse();
      assertThat(binding.getRoleRef().getName()).as(binding.getMetadata().getName())
          .isNotIn("cluster-admin", "admin", "edit");
    }
    for (RoleBinding binding : k8s.all(RoleBinding.class)) {
      assertThat(binding.getRoleRef().getName()).as(binding.getMetadata().getName())
          .isNotIn("cluster-admin", "admin", "edit");
    }
  }

  @Test
  void otherPodsMountNoApiToken() {
    DaemonSet agent = k8s.one(DaemonSet.class, "agent");
    assertThat(agent.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    for (HasMetadata r : k8s.all(RoleBinding.class)) {
      assertThat(((RoleBinding) r).getSubjects()).allSatisfy(s ->
          assertThat(s.getName()).as("only the executor is bound").isEqualTo(executorAccount));
    }
  }

  private static boolean bindsExecutor(List<Subject> subjects) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && executorAccount.equals(s.getName()) && executorNamespace.equals(s.getNamespace()));
  }

  /** Verbs per "apiGroup/resource" that a role's rules grant. */
  private static Map<String, Set<String>> grants(List<PolicyRule> rules) {
    Map<String, Set<String>> granted = new java.util.TreeMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
        }
      }
    }
    return granted;
  }

  /** Everything a role grants beyond {@link #EXECUTOR_RIGHTS}, one line per resource. */
  static List<String> executorRightsProblems(Role role) {
    List<String> problems = new ArrayList<>();
    grants(role.getRules()).forEach((resource, verbs) -> {
      Set<String> allowed = EXECUTOR_RIGHTS.get(resource);
      if (allowed == null) {
        problems.add(resource + " is not the executor's business");
      } else if (!allowed.containsAll(verbs)) {
        Set<String> extra = new TreeSet<>(verbs);
        extra.removeAll(allowed);
        problems.add(resource + ": " + extra + " not allowed");
      }
    });
    return problems;
  }

  private static Set<String> writeVerbs(List<PolicyRule> rules) {
    Set<String> write = new TreeSet<>();
    for (PolicyRule rule : rules) {
      rule.getVerbs().stream().filter(WRITE_VERBS::contains).forEach(write::add);
    }
    return write;
  }
}
