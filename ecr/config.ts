import * as pulumi from "@pulumi/pulumi";

import {
  brokenRules,
  CLOUDFORMATION_STACK_NAME,
  ECR_REPOSITORY_NAME,
  IAM_USER_NAME,
  NamingRule,
  toRepositoryName,
} from "./rules";

/** How the repository is made: through a CloudFormation stack, or as aws.ecr resources. */
export const VARIANTS = ["cloudformation", "native"] as const;
export type Variant = (typeof VARIANTS)[number];

/** The repository settings of one Pulumi stack, read from its config and checked. */
export interface RepositorySettings {
  /** The existing IAM user granted push and pull. Required. */
  iamUserName: string;

  /**
   * The repository's name; in the cloudformation variant also its CloudFormation stack's.
   * @default the project and Pulumi stack names made valid, such as "ecr-repository-dev"
   */
  repositoryName: string;

  /** @default "cloudformation" */
  variant: Variant;

  /**
   * Keep the repository and its images in AWS when Pulumi deletes it (`pulumi destroy`, a
   * variant switch): CloudFormation `DeletionPolicy: Retain`, or Pulumi's `retainOnDelete`.
   * @default false
   */
  retainOnDelete: boolean;

  /**
   * Native variant only: adopt the existing repository of this name, as left by a
   * CloudFormation stack with `retainOnDelete`, instead of creating one.
   * @default false
   */
  importRepository: boolean;

  /**
   * Pulumi's `protect` on every resource: no `pulumi destroy`, no replacement.
   * @default false
   */
  protect: boolean;
}

/**
 * Defaults of the optional keys, as `Pulumi.yaml` declares them (a test holds the two equal).
 * The CLI fills them in for `pulumi up`; the program applies them too, so it reads the same
 * under any runtime. An empty `repositoryName` means "derive one".
 */
export const CONFIG_DEFAULTS = {
  repositoryName: "",
  variant: "cloudformation",
  retainOnDelete: false,
  importRepository: false,
  protect: false,
} as const;

type BooleanKey = {
  [K in keyof typeof CONFIG_DEFAULTS]: (typeof CONFIG_DEFAULTS)[K] extends boolean ? K : never;
}[keyof typeof CONFIG_DEFAULTS];

/** One config value that breaks rules, with how to fix it. */
export interface ConfigProblem {
  key: string;
  value: string | undefined;
  rules: string[];
  fix: string;
}

/**
 * Every problem with a Pulumi stack's config, in one error. Thrown before any resource is
 * registered, so a bad value fails `pulumi preview` and creates nothing.
 */
export class ConfigError extends pulumi.RunError {
  constructor(
    readonly problems: ConfigProblem[],
    namespace: string,
  ) {
    super(formatProblems(problems, namespace));
  }
}

function formatProblems(problems: ConfigProblem[], namespace: string): string {
  const lines = ["The stack config is invalid, so nothing was created or changed."];
  for (const problem of problems) {
    const shown = problem.value === undefined ? "is not set" : `= ${JSON.stringify(problem.value)}`;
    lines.push(`  ${namespace}:${problem.key} ${shown}`);
    lines.push(...problem.rules.map((rule) => `    - ${rule}`));
    lines.push(`    fix: ${problem.fix}`);
  }
  return lines.join("\n");
}

/** What `readSettings` needs of the Pulumi stack it runs in. */
export interface StackContext {
  project: string;
  stack: string;
}

/**
 * Reads and checks the config of `context.stack`. Throws a ConfigError naming every bad key,
 * its value, the rules it breaks and the `pulumi config set` that fixes it.
 */
export function readSettings(config: pulumi.Config, context: StackContext): RepositorySettings {
  const problems: ConfigProblem[] = [];
  const setCommand = (key: string, value: string) => `pulumi config set ${key} ${value}`;

  const iamUserName = config.get("iamUserName") ?? "";
  const iamUserRules =
    iamUserName === ""
      ? ["is required: the existing IAM user that may push and pull"]
      : brokenRulesOf([IAM_USER_NAME], iamUserName);
  if (iamUserRules.length > 0) {
    problems.push({
      key: "iamUserName",
      value: config.get("iamUserName"),
      rules: iamUserRules,
      fix: setCommand("iamUserName", "<existing IAM user name>"),
    });
  }

  const variant = config.get("variant") || CONFIG_DEFAULTS.variant;
  if (!isVariant(variant)) {
    problems.push({
      key: "variant",
      value: variant,
      rules: [`must be one of: ${VARIANTS.join(", ")}`],
      fix: setCommand("variant", CONFIG_DEFAULTS.variant),
    });
  }

  // A derived name is valid by construction; a typed one is checked, never changed.
  const typedName = config.get("repositoryName") || CONFIG_DEFAULTS.repositoryName;
  const repositoryName = typedName || toRepositoryName(`${context.project}-${context.stack}`);
  const nameRules = isVariant(variant) ? repositoryNameRules(variant) : [ECR_REPOSITORY_NAME];
  const brokenNameRules = brokenRulesOf(nameRules, typedName);
  if (typedName && brokenNameRules.length > 0) {
    const namespaced = variant === "cloudformation" && typedName.includes("/");
    problems.push({
      key: "repositoryName",
      value: typedName,
      rules: namespaced
        ? [
            ...brokenNameRules,
            "namespaced names such as team/app cannot be a CloudFormation stack name; the native variant takes them",
          ]
        : brokenNameRules,
      fix:
        setCommand("repositoryName", toRepositoryName(typedName)) +
        (namespaced ? `, or keep the name and ${setCommand("variant", "native")}` : ""),
    });
  }

  const readBoolean = (key: BooleanKey): boolean => {
    const value = config.get(key);
    if (value === undefined || value === "") {
      return CONFIG_DEFAULTS[key];
    }
    if (value !== "true" && value !== "false") {
      problems.push({
        key,
        value,
        rules: ["must be true or false"],
        fix: setCommand(key, String(!CONFIG_DEFAULTS[key])),
      });
    }
    return value === "true";
  };
  const retainOnDelete = readBoolean("retainOnDelete");
  const importRepository = readBoolean("importRepository");
  const protect = readBoolean("protect");

  if (importRepository && variant === "cloudformation") {
    problems.push({
      key: "importRepository",
      value: "true",
      rules: [
        "only the native variant can adopt an existing repository; a CloudFormation stack " +
          "made by Pulumi cannot import one",
      ],
      fix: `${setCommand("variant", "native")}, or pulumi config rm importRepository`,
    });
  }

  if (problems.length > 0) {
    throw new ConfigError(problems, config.name);
  }
  return {
    iamUserName,
    repositoryName,
    variant: variant as Variant,
    retainOnDelete,
    importRepository,
    protect,
  };
}

/**
 * The rules a repository name must satisfy in `variant`. The CloudFormation template names
 * the repository after its stack, so there the name must also be a valid stack name.
 */
export function repositoryNameRules(variant: Variant): NamingRule[] {
  return variant === "cloudformation"
    ? [ECR_REPOSITORY_NAME, CLOUDFORMATION_STACK_NAME]
    : [ECR_REPOSITORY_NAME];
}

function brokenRulesOf(rules: NamingRule[], value: string): string[] {
  return rules.flatMap((rule) =>
    brokenRules(rule, value).map((broken) => `${rule.subject} (${rule.source}): ${broken}`),
  );
}

function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value);
}
