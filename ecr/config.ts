import * as pulumi from "@pulumi/pulumi";

import {
  brokenRules,
  CLOUDFORMATION_STACK_NAME,
  ECR_REPOSITORY_NAME,
  IAM_POLICY_NAME,
  IAM_USER_NAME,
  KMS_KEY_ARN,
  MAX_TAGS,
  NamingRule,
  PRINCIPAL_ARN,
  TAG_KEY,
  TAG_MUTABILITY_EXCLUSION_FILTER,
  TAG_VALUE,
  TEMPLATE_LOGIN_POLICY_PREFIX,
  toRepositoryName,
} from "./rules";

/** How the repository is made: through a CloudFormation stack, or as aws.ecr resources. */
export const VARIANTS = ["cloudformation", "native"] as const;
export type Variant = (typeof VARIANTS)[number];

export const TAG_MUTABILITIES = [
  "IMMUTABLE",
  "MUTABLE",
  "IMMUTABLE_WITH_EXCLUSION",
  "MUTABLE_WITH_EXCLUSION",
] as const;
export type TagMutability = (typeof TAG_MUTABILITIES)[number];

export const ENCRYPTION_TYPES = ["AES256", "KMS"] as const;
export type EncryptionType = (typeof ENCRYPTION_TYPES)[number];

/** ECR takes 1 to 5 exclusion filters with a _WITH_EXCLUSION mutability, and none otherwise. */
const MAX_EXCLUSION_FILTERS = 5;

/** The largest count ECR's lifecycle rules and CloudFormation's Number parameters both hold. */
const MAX_COUNT = 2_147_483_647;

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

  /** More IAM user, role or account-root ARNs that may push and pull. @default [] */
  pushPrincipals: string[];

  /** IAM user, role or account-root ARNs that may only pull. @default [] */
  pullPrincipals: string[];

  /** Attach to the IAM user a policy allowing `docker login`. @default true */
  grantDockerLogin: boolean;

  /** Scan each image for vulnerabilities on push. @default true */
  scanOnPush: boolean;

  /** @default "IMMUTABLE" */
  imageTagMutability: TagMutability;

  /** Tags exempt from the mutability setting, with a _WITH_EXCLUSION one. @default [] */
  imageTagMutabilityExclusionFilters: string[];

  /** Expire untagged images this many days after push; 0 keeps them. @default 14 */
  untaggedImageExpiryDays: number;

  /** Keep only this many most recent tagged images; 0 keeps them all. @default 100 */
  maxTaggedImageCount: number;

  /** @default "AES256" */
  encryptionType: EncryptionType;

  /** With KMS, the key; empty for the AWS managed key. @default "" */
  kmsKeyArn: string;

  /** Tags of every resource that takes tags, the project and stack tags included. */
  tags: Record<string, string>;

  /**
   * Let `pulumi destroy` delete the repository with its images. Off, deleting a repository
   * that holds images fails. @default false
   */
  emptyOnDelete: boolean;

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

  /** Pulumi's `protect` on every resource: no `pulumi destroy`, no replacement. @default false */
  protect: boolean;
}

/**
 * Defaults of the optional keys, as `Pulumi.yaml` declares them (a test holds the two equal).
 * The CLI fills them in for `pulumi up`; the program applies them too, so it reads the same
 * under any runtime. An empty `repositoryName` means "derive one". `tags` holds KEY=VALUE
 * strings, since stack config has no map type.
 */
export const CONFIG_DEFAULTS = {
  repositoryName: "",
  variant: "cloudformation",
  pushPrincipals: [] as string[],
  pullPrincipals: [] as string[],
  grantDockerLogin: true,
  scanOnPush: true,
  imageTagMutability: "IMMUTABLE",
  imageTagMutabilityExclusionFilters: [] as string[],
  untaggedImageExpiryDays: 14,
  maxTaggedImageCount: 100,
  encryptionType: "AES256",
  kmsKeyArn: "",
  tags: [] as string[],
  emptyOnDelete: false,
  retainOnDelete: false,
  importRepository: false,
  protect: false,
} as const;

type ConfigKey = keyof typeof CONFIG_DEFAULTS;
type KeyOfType<T> = {
  [K in ConfigKey]: (typeof CONFIG_DEFAULTS)[K] extends T ? K : never;
}[ConfigKey];

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
  /** The AWS region the stack deploys to, when config says. */
  region?: string;
}

/** `pulumi config set KEY VALUE`. */
export function setCommand(key: string, value: string): string {
  return `pulumi config set ${key} ${value}`;
}

/** `pulumi config set --path KEY[0] VALUE`, which sets the first item of a list. */
function setFirstItemCommand(key: string, value: string): string {
  return `pulumi config set --path '${key}[0]' ${value}`;
}

/**
 * Reads and checks the config of `context.stack`. Throws a ConfigError naming every bad key,
 * its value, the rules it breaks and the `pulumi config set` that fixes it.
 */
export function readSettings(config: pulumi.Config, context: StackContext): RepositorySettings {
  const reader = new ConfigReader(config);

  const iamUserName = config.get("iamUserName") ?? "";
  const iamUserRules =
    iamUserName === ""
      ? ["is required: the existing IAM user that may push and pull"]
      : brokenRulesOf([IAM_USER_NAME], iamUserName);
  if (/^arn:|\//.test(iamUserName)) {
    iamUserRules.push(
      "give the user's name alone, such as alice: the program reads its path from IAM",
    );
  }
  if (iamUserRules.length > 0) {
    reader.problem(
      "iamUserName",
      config.get("iamUserName"),
      iamUserRules,
      setCommand("iamUserName", "<existing IAM user name>"),
    );
  }

  // A value that is not one of its allowed ones is reported once, and the checks that depend
  // on it are skipped rather than run against a guess.
  const variant = reader.oneOf("variant", VARIANTS);
  const grantDockerLogin = reader.boolean("grantDockerLogin");
  const repositoryName = readRepositoryName(reader, variant, grantDockerLogin, context);

  const pushPrincipals = reader.list("pushPrincipals", (item) => principalRules(item, variant));
  const pullPrincipals = reader.list("pullPrincipals", (item) => principalRules(item, variant));

  const imageTagMutability = reader.oneOf("imageTagMutability", TAG_MUTABILITIES);
  const imageTagMutabilityExclusionFilters = reader.list(
    "imageTagMutabilityExclusionFilters",
    (item) => brokenRulesOf([TAG_MUTABILITY_EXCLUSION_FILTER], item),
  );
  if (imageTagMutability !== undefined) {
    checkExclusionFilters(reader, imageTagMutability, imageTagMutabilityExclusionFilters);
  }

  const encryptionType = reader.oneOf("encryptionType", ENCRYPTION_TYPES);
  const kmsKeyArn = reader.string("kmsKeyArn");
  checkKmsKey(reader, encryptionType, kmsKeyArn, context.region);

  const tags = readTags(reader, context);
  const emptyOnDelete = reader.boolean("emptyOnDelete");
  const retainOnDelete = reader.boolean("retainOnDelete");
  const importRepository = reader.boolean("importRepository");

  if (importRepository && variant === "cloudformation") {
    reader.problem(
      "importRepository",
      "true",
      [
        "only the native variant can adopt an existing repository; a CloudFormation stack " +
          "made by Pulumi cannot import one",
      ],
      `${setCommand("variant", "native")}, or pulumi config rm importRepository`,
    );
  }

  if (emptyOnDelete && retainOnDelete) {
    reader.problem(
      "emptyOnDelete",
      "true",
      ["contradicts retainOnDelete = true: a retained repository is never deleted, nor emptied"],
      "pulumi config rm emptyOnDelete, or pulumi config rm retainOnDelete",
    );
  }

  const settings = {
    iamUserName,
    repositoryName,
    variant,
    pushPrincipals,
    pullPrincipals,
    grantDockerLogin,
    scanOnPush: reader.boolean("scanOnPush"),
    imageTagMutability,
    imageTagMutabilityExclusionFilters,
    untaggedImageExpiryDays: reader.integer("untaggedImageExpiryDays", 0, MAX_COUNT),
    maxTaggedImageCount: reader.integer("maxTaggedImageCount", 0, MAX_COUNT),
    encryptionType,
    kmsKeyArn,
    tags,
    emptyOnDelete,
    retainOnDelete,
    importRepository,
    protect: reader.boolean("protect"),
  };
  reader.throwIfProblems();
  // With no problem reported, every enumerated value is one of its allowed ones.
  return settings as RepositorySettings;
}

/**
 * What a setting puts at risk, for `pulumi preview` to say: settings that can delete images or
 * leave the repository without a lifecycle policy.
 */
export function settingsWarnings(settings: RepositorySettings): string[] {
  const warnings: string[] = [];
  if (settings.emptyOnDelete) {
    warnings.push(
      `emptyOnDelete is true: pulumi destroy deletes repository ${settings.repositoryName} ` +
        "with every image in it.",
    );
  }
  if (settings.untaggedImageExpiryDays === 0 && settings.maxTaggedImageCount === 0) {
    warnings.push(
      "untaggedImageExpiryDays and maxTaggedImageCount are both 0: the repository gets no " +
        "lifecycle policy and keeps every image (AWS Control Tower control CT.ECR.PR.1 fails).",
    );
  }
  return warnings;
}

/** A derived name is valid by construction; a typed one is checked, never changed. */
function readRepositoryName(
  reader: ConfigReader,
  variant: Variant | undefined,
  grantDockerLogin: boolean,
  context: StackContext,
): string {
  const typedName = reader.string("repositoryName");
  if (!typedName) {
    return toRepositoryName(`${context.project}-${context.stack}`);
  }

  const broken = brokenRulesOf(
    variant === undefined ? [ECR_REPOSITORY_NAME] : repositoryNameRules(variant),
    typedName,
  );
  if (variant === "cloudformation" && grantDockerLogin) {
    const policyName = `${TEMPLATE_LOGIN_POLICY_PREFIX}${typedName}`;
    broken.push(
      ...brokenRules(IAM_POLICY_NAME, policyName)
        .filter((rule) => rule.startsWith("must be"))
        .map(
          (rule) =>
            `${IAM_POLICY_NAME.subject} ${TEMPLATE_LOGIN_POLICY_PREFIX}NAME of the docker-login ` +
            `policy (${IAM_POLICY_NAME.source}): ${rule}`,
        ),
    );
  }
  if (broken.length > 0) {
    const namespaced = variant === "cloudformation" && typedName.includes("/");
    reader.problem(
      "repositoryName",
      typedName,
      namespaced
        ? [
            ...broken,
            "namespaced names such as team/app cannot be a CloudFormation stack name; the " +
              "native variant takes them",
          ]
        : broken,
      setCommand("repositoryName", toRepositoryName(typedName)) +
        (namespaced ? `, or keep the name and ${setCommand("variant", "native")}` : ""),
    );
  }
  return typedName;
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

/** The rules a push or pull principal breaks; its partition is checked once the user is known. */
function principalRules(principal: string, variant: Variant | undefined): string[] {
  if (/[*?]/.test(principal)) {
    return ["must name one principal: wildcards would open the repository to anyone who matches"];
  }
  if (/^\d{12}$/.test(principal)) {
    return [`must be an ARN: an account is named by its root, arn:aws:iam::${principal}:root`];
  }
  const rules: string[] = [];
  if (!PRINCIPAL_ARN.test(principal)) {
    rules.push(
      "must be the ARN of an IAM user or role, or of an account's root " +
        "(arn:PARTITION:iam::ACCOUNT:user/NAME, :role/NAME or :root)",
    );
  }
  if (variant === "cloudformation" && principal.includes(",")) {
    rules.push(
      "cannot hold ',' in the cloudformation variant: the template splits its lists on ','",
    );
  }
  return rules;
}

function checkExclusionFilters(
  reader: ConfigReader,
  mutability: TagMutability,
  filters: string[],
): void {
  const withExclusion = mutability.endsWith("_WITH_EXCLUSION");
  if (withExclusion && (filters.length < 1 || filters.length > MAX_EXCLUSION_FILTERS)) {
    reader.problem(
      "imageTagMutabilityExclusionFilters",
      JSON.stringify(filters),
      [`must hold 1 to ${MAX_EXCLUSION_FILTERS} filters with imageTagMutability ${mutability}`],
      filters.length < 1
        ? setFirstItemCommand("imageTagMutabilityExclusionFilters", "latest")
        : `pulumi config rm --path 'imageTagMutabilityExclusionFilters[${MAX_EXCLUSION_FILTERS}]', ` +
            `once for each filter past the ${MAX_EXCLUSION_FILTERS}th`,
    );
  }
  if (!withExclusion && filters.length > 0) {
    reader.problem(
      "imageTagMutabilityExclusionFilters",
      JSON.stringify(filters),
      [`apply only with a _WITH_EXCLUSION imageTagMutability, not ${mutability}`],
      `${setCommand("imageTagMutability", `${mutability}_WITH_EXCLUSION`)}, or pulumi config rm imageTagMutabilityExclusionFilters`,
    );
  }
}

function checkKmsKey(
  reader: ConfigReader,
  encryptionType: EncryptionType | undefined,
  kmsKeyArn: string,
  region: string | undefined,
): void {
  if (kmsKeyArn === "") {
    return;
  }

  const rules: string[] = [];
  const match = KMS_KEY_ARN.exec(kmsKeyArn);
  const withoutKms = encryptionType !== undefined && encryptionType !== "KMS";
  if (withoutKms) {
    rules.push(`applies only with encryptionType KMS, not ${encryptionType}`);
  }
  if (!match) {
    rules.push("must be a KMS key ARN: arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID");
  } else if (region !== undefined && match[2] !== region) {
    rules.push(
      `must be a key in the stack's region ${region}, which ECR requires (it is in ${match[2]})`,
    );
  }
  if (rules.length > 0) {
    reader.problem(
      "kmsKeyArn",
      kmsKeyArn,
      rules,
      withoutKms && match
        ? `${setCommand("encryptionType", "KMS")}, or pulumi config rm kmsKeyArn`
        : setCommand("kmsKeyArn", "<KMS key ARN>"),
    );
  }
}

/** The project and stack tags, then the configured KEY=VALUE tags, which may replace them. */
function readTags(reader: ConfigReader, context: StackContext): Record<string, string> {
  const tags: Record<string, string> = {
    "pulumi:project": context.project,
    "pulumi:stack": context.stack,
  };
  const items = reader.list("tags", (item) => {
    const separator = item.indexOf("=");
    if (separator < 0) {
      return ["must be KEY=VALUE"];
    }
    return [
      ...brokenRulesOf([TAG_KEY], item.slice(0, separator)),
      ...brokenRulesOf([TAG_VALUE], item.slice(separator + 1)),
    ];
  });
  const keys = items.map((item) => item.slice(0, item.indexOf("=")));
  const repeated = keys.filter((key, index) => keys.indexOf(key) !== index);
  if (repeated.length > 0) {
    reader.problem(
      "tags",
      JSON.stringify(items),
      [...new Set(repeated)].map((key) => `key ${JSON.stringify(key)} is given more than once`),
      "pulumi config rm --path 'tags[N]' for each repeated item N",
    );
  }
  for (const item of items) {
    const separator = item.indexOf("=");
    tags[item.slice(0, separator)] = item.slice(separator + 1);
  }
  if (Object.keys(tags).length > MAX_TAGS) {
    reader.problem(
      "tags",
      JSON.stringify(items),
      [`a resource takes at most ${MAX_TAGS} tags, the project and stack tags included`],
      "pulumi config rm --path 'tags[N]' for each tag N you can drop",
    );
  }
  return tags;
}

function brokenRulesOf(rules: NamingRule[], value: string): string[] {
  return rules.flatMap((rule) =>
    brokenRules(rule, value).map((broken) => `${rule.subject} (${rule.source}): ${broken}`),
  );
}

/**
 * Reads typed values from stack config, falling back to CONFIG_DEFAULTS, and collects a
 * problem for each value it cannot take.
 */
class ConfigReader {
  private readonly problems: ConfigProblem[] = [];

  constructor(private readonly config: pulumi.Config) {}

  problem(key: string, value: string | undefined, rules: string[], fix: string): void {
    this.problems.push({ key, value, rules, fix });
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) {
      throw new ConfigError(this.problems, this.config.name);
    }
  }

  /** The raw value, or undefined when unset or empty. */
  private raw(key: ConfigKey): string | undefined {
    const value = this.config.get(key);
    return value === "" ? undefined : value;
  }

  string(key: KeyOfType<string>): string {
    return this.raw(key) ?? CONFIG_DEFAULTS[key];
  }

  /** One of `allowed`, or undefined (and a problem) for any other value. */
  oneOf<T extends string>(key: KeyOfType<string>, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if ((allowed as readonly string[]).includes(value)) {
      return value as T;
    }
    const meant = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
    this.problem(
      key,
      value,
      [`must be one of: ${allowed.join(", ")}` + (meant ? ` (the case matters)` : "")],
      setCommand(key, meant ?? allowed[0]),
    );
    return undefined;
  }

  boolean(key: KeyOfType<boolean>): boolean {
    const value = this.raw(key);
    if (value === undefined) {
      return CONFIG_DEFAULTS[key];
    }
    if (value !== "true" && value !== "false") {
      const meant = ["true", "false"].find((candidate) => candidate === value.toLowerCase());
      this.problem(
        key,
        value,
        ["must be true or false"],
        meant ? setCommand(key, meant) : `${setCommand(key, "true")} (or false)`,
      );
    }
    return value === "true";
  }

  integer(key: KeyOfType<number>, min: number, max: number): number {
    const value = this.raw(key);
    if (value === undefined) {
      return CONFIG_DEFAULTS[key];
    }
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
      this.problem(
        key,
        value,
        [`must be a whole number from ${min} to ${max}`],
        setCommand(key, String(CONFIG_DEFAULTS[key])),
      );
      return CONFIG_DEFAULTS[key];
    }
    return number;
  }

  /** A list of strings, each checked by `itemRules`; a problem names each bad item. */
  list(key: KeyOfType<readonly string[]>, itemRules: (item: string) => string[]): string[] {
    const value = this.raw(key);
    if (value === undefined) {
      return [...CONFIG_DEFAULTS[key]];
    }

    let items: unknown;
    try {
      items = JSON.parse(value);
    } catch {
      items = undefined;
    }
    if (!Array.isArray(items) || !items.every((item) => typeof item === "string")) {
      this.problem(
        key,
        value,
        ["must be a list of strings"],
        setFirstItemCommand(key, "<value>") + " (one command per item)",
      );
      return [];
    }

    const rules = items.flatMap((item, index) =>
      itemRules(item).map((rule) => `item ${index} (${JSON.stringify(item)}): ${rule}`),
    );
    if (rules.length > 0) {
      this.problem(
        key,
        value,
        rules,
        `pulumi config set --path '${key}[N]' <value> for each bad item N`,
      );
    }
    return items;
  }
}
