import {
  Policies,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";

import {
  arnsByPartition,
  CheckedResource,
  checkTemplateRepositories,
  describeResource,
  hardCodedPartitions,
  PolicyStatement,
  policyStatements,
  principalsOf,
  shown,
  StackViolation,
  TYPES,
  valueAt,
} from "./resources";

/*
 * Each check is a pure function from a resource (or a stack's resources) to its violation
 * messages, which the policy objects below only report. A message names the resource, the property, the value
 * found and the fix, with the `pulumi config set` that applies it in this project.
 */

/** Every ECR repository scans each image for vulnerabilities when it is pushed. */
function scanOnPushViolations(resource: CheckedResource): string[] {
  switch (resource.type) {
    case TYPES.repository:
      return scanOnPushProblem(
        describeResource(resource),
        "imageScanningConfiguration.scanOnPush",
        valueAt(resource.props, ["imageScanningConfiguration", "scanOnPush"]),
      );
    case TYPES.cloudFormationStack:
      return checkTemplateRepositories(resource, (repository) =>
        scanOnPushProblem(
          repository.subject,
          "ImageScanningConfiguration.ScanOnPush",
          valueAt(repository.properties, ["ImageScanningConfiguration", "ScanOnPush"]),
        ),
      );
    default:
      return [];
  }
}

function scanOnPushProblem(subject: string, property: string, value: unknown): string[] {
  if (value === true) {
    return [];
  }
  return [
    `${subject}: ${property} is ${shown(value)}, so pushed images are not scanned for ` +
      `vulnerabilities. Fix: set ${property} to true (in this project: pulumi config set ` +
      "scanOnPush true).",
  ];
}

const LIFECYCLE_FIX =
  "Fix: give the repository a lifecycle policy (in this project: pulumi config set " +
  "untaggedImageExpiryDays 14, or set maxTaggedImageCount above 0).";

/**
 * Every repository of a CloudFormation stack's template has a lifecycle policy. A template
 * holds it inside the repository; native repositories are checked by
 * `repositoriesWithoutLifecyclePolicy`.
 */
function templateLifecyclePolicyViolations(resource: CheckedResource): string[] {
  if (resource.type !== TYPES.cloudFormationStack) {
    return [];
  }
  return checkTemplateRepositories(resource, (repository) => {
    const text = valueAt(repository.properties, ["LifecyclePolicy", "LifecyclePolicyText"]);
    if (typeof text === "string" && text.trim() !== "") {
      return [];
    }
    return [
      `${repository.subject}: LifecyclePolicy.LifecyclePolicyText is ${shown(text)}, so the ` +
        `repository keeps every image pushed to it. ${LIFECYCLE_FIX}`,
    ];
  });
}

/**
 * Every aws.ecr.Repository has an aws.ecr.LifecyclePolicy naming it. The policy is a resource
 * of its own, so only the whole stack shows whether one is missing.
 */
function repositoriesWithoutLifecyclePolicy(resources: CheckedResource[]): StackViolation[] {
  const covered = resources
    .filter((resource) => resource.type === TYPES.lifecyclePolicy)
    .map((lifecycle) => lifecycle.props.repository);
  const found =
    covered.length === 0
      ? "the stack has none"
      : `the stack's are for ${covered.map(shown).join(", ")}`;

  return resources
    .filter((resource) => resource.type === TYPES.repository)
    .filter((repository) => !covered.includes(repository.props.name))
    .map((repository) => ({
      urn: repository.urn,
      message:
        `${describeResource(repository)}: no ${TYPES.lifecyclePolicy} has repository = ` +
        `${shown(repository.props.name)} (${found}), so the repository keeps every image ` +
        `pushed to it. ${LIFECYCLE_FIX}`,
    }));
}

/**
 * Every repository's tags are immutable. Only IMMUTABLE holds every tag: the _WITH_EXCLUSION
 * forms let the excluded tags move, and AWS Control Tower's CT.ECR.PR.3 fails them too.
 */
function tagImmutabilityViolations(resource: CheckedResource): string[] {
  switch (resource.type) {
    case TYPES.repository:
      return tagImmutabilityProblem(
        describeResource(resource),
        "imageTagMutability",
        resource.props.imageTagMutability,
      );
    case TYPES.cloudFormationStack:
      return checkTemplateRepositories(resource, (repository) =>
        tagImmutabilityProblem(
          repository.subject,
          "ImageTagMutability",
          repository.properties.ImageTagMutability,
        ),
      );
    default:
      return [];
  }
}

function tagImmutabilityProblem(subject: string, property: string, value: unknown): string[] {
  if (value === "IMMUTABLE") {
    return [];
  }
  return [
    `${subject}: ${property} is ${shown(value)}, so a pushed tag can be moved to another ` +
      `image. Fix: set ${property} to "IMMUTABLE" (in this project: pulumi config set ` +
      "imageTagMutability IMMUTABLE).",
  ];
}

/**
 * No repository policy lets in a wildcard principal: `"*"`, `{"AWS": "*"}`, or any principal
 * with a `*` in it, which opens the repository to every principal it matches, in any account.
 * Deny statements may name one: they take access away.
 */
function wildcardPrincipalViolations(resource: CheckedResource): string[] {
  switch (resource.type) {
    case TYPES.repositoryPolicy:
      return wildcardPrincipalProblems(describeResource(resource), "policy", resource.props.policy);
    case TYPES.cloudFormationStack:
      return checkTemplateRepositories(resource, (repository) =>
        wildcardPrincipalProblems(
          repository.subject,
          "RepositoryPolicyText",
          repository.properties.RepositoryPolicyText,
        ),
      );
    default:
      return [];
  }
}

function wildcardPrincipalProblems(subject: string, property: string, policy: unknown): string[] {
  if (policy === undefined) {
    return [];
  }

  let statements: PolicyStatement[];
  try {
    statements = policyStatements(policy, property);
  } catch (error) {
    return [
      `${subject}: ${property} is not JSON (${(error as Error).message}), so it cannot be ` +
        `checked for a wildcard principal. Fix: give ${property} a JSON policy document.`,
    ];
  }

  return statements
    .filter((statement) => valueAt(statement.statement, ["Effect"]) === "Allow")
    .flatMap(principalsOf)
    .filter((entry) => entry.principal.includes("*"))
    .map(
      (entry) =>
        `${subject}: ${entry.path} is ${JSON.stringify(entry.principal)}, a wildcard that lets ` +
        "in every principal it matches, in any AWS account. Fix: name each IAM user, role or " +
        "account root by its full ARN (in this project: pulumi config set --path " +
        "'pushPrincipals[0]' ARN, or pullPrincipals).",
    );
}

/**
 * No ARN has its partition written in by hand. A template must build its ARNs with
 * `${AWS::Partition}`; a native policy document holds ARNs that AWS or config resolved, so
 * there a hard-coded one shows as a second partition in the same document.
 */
function hardCodedPartitionViolations(resource: CheckedResource): string[] {
  switch (resource.type) {
    case TYPES.repositoryPolicy:
    case TYPES.userPolicy:
      return mixedPartitionProblem(describeResource(resource), resource.props.policy);
    case TYPES.cloudFormationStack:
      return templatePartitionProblems(resource);
    default:
      return [];
  }
}

function mixedPartitionProblem(subject: string, policy: unknown): string[] {
  if (policy === undefined) {
    return [];
  }
  const partitions = arnsByPartition(policy);
  if (partitions.size <= 1) {
    return [];
  }

  const found = Array.from(partitions, ([partition, arn]) => `"${partition}" (${arn})`);
  return [
    `${subject}: policy holds ARNs of more than one partition, ${found.join(" and ")}, so at ` +
      "least one was written by hand for a partition the stack does not deploy to. Fix: build " +
      "every ARN from the partition AWS reports, with aws.getPartition or from an ARN AWS " +
      "returned (in this project: give pushPrincipals and pullPrincipals in the stack's " +
      "partition).",
  ];
}

function templatePartitionProblems(stack: CheckedResource): string[] {
  const body = stack.props.templateBody;
  if (typeof body !== "string") {
    return [];
  }
  return hardCodedPartitions(body).map(
    ({ line, arn }) =>
      `${describeResource(stack)}: templateBody line ${line} writes the partition into ` +
      `${JSON.stringify(arn)}, so the template fails in every other partition (aws-cn, ` +
      'aws-us-gov). Fix: build the ARN with !Sub "arn:${AWS::Partition}:..." instead.',
  );
}

/** A resource validation that reports each message `check` returns. */
function reportEach(check: (resource: CheckedResource) => string[]): ResourceValidation {
  return (args, reportViolation) => {
    for (const message of check(args)) {
      reportViolation(message);
    }
  };
}

export const requireScanOnPush: ResourceValidationPolicy = {
  name: "ecr-scan-on-push",
  description: "ECR repositories scan every image for vulnerabilities when it is pushed.",
  enforcementLevel: "mandatory",
  validateResource: reportEach(scanOnPushViolations),
};

export const requireLifecyclePolicy: ResourceValidationPolicy & StackValidationPolicy = {
  name: "ecr-lifecycle-policy",
  description: "Every ECR repository has a lifecycle policy, so old images expire.",
  enforcementLevel: "mandatory",
  validateResource: reportEach(templateLifecyclePolicyViolations),
  validateStack: (args, reportViolation) => {
    for (const { message, urn } of repositoriesWithoutLifecyclePolicy(args.resources)) {
      reportViolation(message, urn);
    }
  },
};

export const requireTagImmutability: ResourceValidationPolicy = {
  name: "ecr-tag-immutability",
  description: "ECR repositories have immutable tags (IMMUTABLE), so a tag names one image.",
  enforcementLevel: "advisory",
  validateResource: reportEach(tagImmutabilityViolations),
};

export const forbidWildcardPrincipal: ResourceValidationPolicy = {
  name: "ecr-no-wildcard-principal",
  description: "No ECR repository policy lets in a wildcard principal.",
  enforcementLevel: "mandatory",
  validateResource: reportEach(wildcardPrincipalViolations),
};

export const forbidHardCodedPartition: ResourceValidationPolicy = {
  name: "no-hard-coded-partition",
  description:
    "CloudFormation templates build ARNs with ${AWS::Partition}; a policy document's ARNs " +
    "share one partition.",
  enforcementLevel: "mandatory",
  validateResource: reportEach(hardCodedPartitionViolations),
};

/** The ecr-repository baseline, for any stack, whichever variant made its repositories. */
export const policies: Policies = [
  requireScanOnPush,
  requireLifecyclePolicy,
  requireTagImmutability,
  forbidWildcardPrincipal,
  forbidHardCodedPartition,
];
