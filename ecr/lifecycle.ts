/** An ECR lifecycle policy: https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html */
export interface LifecyclePolicy {
  rules: LifecycleRule[];
}

export interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: {
    tagStatus: "tagged" | "untagged" | "any";
    tagPatternList?: string[];
    tagPrefixList?: string[];
    countType: "sinceImagePushed" | "imageCountMoreThan";
    countUnit?: "days";
    countNumber: number;
  };
  action: { type: "expire" };
}

/** What to expire; 0 turns a rule off. */
export interface LifecycleSettings {
  untaggedImageExpiryDays: number;
  maxTaggedImageCount: number;
}

/**
 * The lifecycle policy both variants apply, or undefined when both rules are off. Each rule
 * keeps its priority whether or not the other is on, so the policy reads the same in the
 * template, which cannot renumber.
 */
export function lifecyclePolicy(settings: LifecycleSettings): LifecyclePolicy | undefined {
  const rules: LifecycleRule[] = [];

  if (settings.untaggedImageExpiryDays > 0) {
    rules.push({
      rulePriority: 1,
      description: `Expire untagged images ${settings.untaggedImageExpiryDays} days after push`,
      selection: {
        tagStatus: "untagged",
        countType: "sinceImagePushed",
        countUnit: "days",
        countNumber: settings.untaggedImageExpiryDays,
      },
      action: { type: "expire" },
    });
  }

  if (settings.maxTaggedImageCount > 0) {
    rules.push({
      rulePriority: 2,
      description: `Keep the last ${settings.maxTaggedImageCount} tagged images`,
      selection: {
        tagStatus: "tagged",
        tagPatternList: ["*"],
        countType: "imageCountMoreThan",
        countNumber: settings.maxTaggedImageCount,
      },
      action: { type: "expire" },
    });
  }

  return rules.length > 0 ? { rules } : undefined;
}
