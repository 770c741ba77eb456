import { LifecyclePolicy } from "../../ecr/lifecycle";

/**
 * The rules ECR applies when a lifecycle policy is put, that a policy breaks; empty when ECR
 * would accept it. https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export function lifecyclePolicyProblems(policy: LifecyclePolicy): string[] {
  const problems: string[] = [];
  const priorities = policy.rules.map((rule) => rule.rulePriority);

  if (new Set(priorities).size !== priorities.length) {
    problems.push(`rule priorities must be unique (they are ${priorities.join(", ")})`);
  }

  const anyRules = policy.rules.filter((rule) => rule.selection.tagStatus === "any");
  const lowest = Math.max(...priorities);
  if (anyRules.length > 1 || anyRules.some((rule) => rule.rulePriority !== lowest)) {
    problems.push("a rule with tagStatus any must be the only one and come last");
  }

  for (const rule of policy.rules) {
    const { selection } = rule;
    const lists = (selection.tagPatternList?.length ?? 0) + (selection.tagPrefixList?.length ?? 0);
    if (selection.tagStatus === "tagged" && lists === 0) {
      problems.push(
        `rule ${rule.rulePriority}: a tagged rule needs tagPatternList or tagPrefixList`,
      );
    }
    if (!Number.isInteger(selection.countNumber) || selection.countNumber < 1) {
      problems.push(`rule ${rule.rulePriority}: countNumber must be a positive integer`);
    }
    if ((selection.countType === "sinceImagePushed") !== (selection.countUnit !== undefined)) {
      problems.push(
        `rule ${rule.rulePriority}: countUnit goes with sinceImagePushed, and only with it`,
      );
    }
  }
  return problems;
}
