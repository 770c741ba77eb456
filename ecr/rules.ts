/**
 * The AWS naming rules that config values must satisfy, each written once. Validation, both
 * variants, the template's parameter constraints (through the tests) and the tests themselves
 * read them from here.
 */

/** One rule of a name, in words a user can act on. */
interface NameCheck {
  rule: string;
  passes: (value: string) => boolean;
}

export interface NamingRule {
  /** What AWS calls the value, for messages ("ECR repository name"). */
  subject: string;
  /** Where the rule is documented. */
  source: string;
  minLength: number;
  maxLength: number;
  /** The API's pattern, anchored: it must match the whole value. */
  pattern: RegExp;
  /** Finer checks that say which part of the pattern a value breaks. */
  checks: NameCheck[];
}

const hasNoUppercase: NameCheck = {
  rule: "must be lowercase",
  passes: (value) => !/[A-Z]/.test(value),
};

/** CreateRepository, repositoryName: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html */
export const ECR_REPOSITORY_NAME: NamingRule = {
  subject: "ECR repository name",
  source: "ECR CreateRepository API",
  minLength: 2,
  maxLength: 256,
  pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
  checks: [
    hasNoUppercase,
    {
      rule: "may hold only lowercase letters, digits, '.', '_', '-' and '/'",
      passes: (value) => /^[a-zA-Z0-9._/-]*$/.test(value),
    },
    {
      rule: "must start and end with a letter or digit",
      passes: (value) => /^[a-zA-Z0-9](?:.*[a-zA-Z0-9])?$/.test(value),
    },
    {
      rule: "must not put two of '.', '_', '-', '/' next to each other",
      passes: (value) => !/[._/-]{2}/.test(value),
    },
  ],
};

/** CreateStack, StackName: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html */
export const CLOUDFORMATION_STACK_NAME: NamingRule = {
  subject: "CloudFormation stack name",
  source: "CloudFormation CreateStack API",
  minLength: 1,
  maxLength: 128,
  pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/,
  checks: [
    {
      rule: "must start with a letter",
      passes: (value) => /^[a-zA-Z]/.test(value),
    },
    {
      rule: "may hold only letters, digits and '-' (no '.', '_' or '/')",
      passes: (value) => /^[-a-zA-Z0-9]*$/.test(value),
    },
  ],
};

/** CreateUser, UserName: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html */
export const IAM_USER_NAME: NamingRule = {
  subject: "IAM user name",
  source: "IAM CreateUser API",
  minLength: 1,
  maxLength: 64,
  pattern: /^[a-zA-Z0-9+=,.@_-]+$/,
  checks: [
    {
      rule: "may hold only letters, digits and '+', '=', ',', '.', '@', '_', '-'",
      passes: (value) => /^[a-zA-Z0-9+=,.@_-]*$/.test(value),
    },
  ],
};

/** CreateUser, Path: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html */
export const IAM_PATH: NamingRule = {
  subject: "IAM path",
  source: "IAM CreateUser API",
  minLength: 1,
  maxLength: 512,
  pattern: /^(?:\/|\/[!-~]+\/)$/,
  checks: [
    {
      rule: "must be '/' or a name between two '/', such as /team/",
      passes: (value) =>
        value === "/" || (value.length > 2 && value.startsWith("/") && value.endsWith("/")),
    },
    {
      rule: "may hold only printable ASCII characters without spaces",
      passes: (value) => /^[!-~]*$/.test(value),
    },
  ],
};

/** ImageTagMutabilityExclusionFilter, filter: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageTagMutabilityExclusionFilter.html */
export const TAG_MUTABILITY_EXCLUSION_FILTER: NamingRule = {
  subject: "tag mutability exclusion filter",
  source: "ECR ImageTagMutabilityExclusionFilter",
  minLength: 1,
  maxLength: 128,
  pattern: /^[a-zA-Z0-9._*-]+$/,
  checks: [
    {
      rule: "may hold only letters, digits, '.', '_', '-' and the wildcard '*'",
      passes: (value) => /^[a-zA-Z0-9._*-]*$/.test(value),
    },
    {
      rule: "may hold at most two '*' wildcards",
      passes: (value) => (value.match(/\*/g) ?? []).length <= 2,
    },
  ],
};

/** Tag keys: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_Tag.html */
export const TAG_KEY: NamingRule = {
  subject: "tag key",
  source: "AWS tagging rules",
  minLength: 1,
  maxLength: 128,
  pattern: /^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
  checks: [
    {
      rule: "may hold only letters, digits, spaces and _ . : / = + - @",
      passes: (value) => /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value),
    },
    {
      rule: "must not start with aws:, which AWS keeps for itself",
      passes: (value) => !/^aws:/i.test(value),
    },
  ],
};

/** Tag values: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_Tag.html */
export const TAG_VALUE: NamingRule = {
  subject: "tag value",
  source: "AWS tagging rules",
  minLength: 0,
  maxLength: 256,
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  checks: [
    {
      rule: "may hold only letters, digits, spaces and _ . : / = + - @",
      passes: (value) => /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value),
    },
  ],
};

/** PutUserPolicy, PolicyName: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html */
export const IAM_POLICY_NAME: NamingRule = {
  subject: "IAM policy name",
  source: "IAM PutUserPolicy API",
  minLength: 1,
  maxLength: 128,
  pattern: /^[\w+=,.@-]+$/,
  checks: [
    {
      rule: "may hold only letters, digits and '+', '=', ',', '.', '@', '_', '-'",
      passes: (value) => /^[\w+=,.@-]*$/.test(value),
    },
  ],
};

/**
 * The template names the user's docker-login policy with this prefix and its stack's name, so
 * in the cloudformation variant a repository name lands in an IAM policy name too.
 */
export const TEMPLATE_LOGIN_POLICY_PREFIX = "ecr-docker-login-";

/** How many tags one resource can carry. */
export const MAX_TAGS = 50;

/**
 * A principal a repository policy can name: an IAM user or role (with or without a path), or
 * an account's root. Group 1 is the partition.
 */
export const PRINCIPAL_ARN =
  /^arn:([a-z-]+):iam::\d{12}:(?:root|(?:user|role)\/(?:[!-~]+\/)?[\w+=,.@-]{1,64})$/;

/** A KMS key ARN. Groups: partition, region. */
export const KMS_KEY_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):\d{12}:key\/[a-zA-Z0-9-]+$/;

/**
 * Every rule of `rule` that `value` breaks, as sentences; empty when the value is valid. The
 * pattern is checked last, so a value the finer checks let through is still never accepted
 * unless it matches.
 */
export function brokenRules(rule: NamingRule, value: string): string[] {
  const broken: string[] = [];

  if (value.length < rule.minLength || value.length > rule.maxLength) {
    broken.push(
      `must be ${rule.minLength} to ${rule.maxLength} characters long (it is ${value.length})`,
    );
  }

  for (const check of rule.checks) {
    if (!check.passes(value)) {
      broken.push(check.rule);
    }
  }

  if (broken.length === 0 && !rule.pattern.test(value)) {
    broken.push(`must match ${rule.pattern.source}`);
  }
  return broken;
}

/**
 * A name that satisfies the ECR repository-name and CloudFormation stack-name rules, and fits
 * the template's docker-login policy name, made from free text such as a Pulumi project and
 * stack name ("Prod_EU" gives "prod-eu").
 */
export function toRepositoryName(text: string): string {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
  let name = words.join("-").replace(/^[^a-z]+/, "");
  const maxLength = IAM_POLICY_NAME.maxLength - TEMPLATE_LOGIN_POLICY_PREFIX.length;
  name = name.slice(0, maxLength).replace(/-+$/, "");
  return name.length >= ECR_REPOSITORY_NAME.minLength
    ? name
    : ["repository", name].filter((part) => part).join("-");
}
