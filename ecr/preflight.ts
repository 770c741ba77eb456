import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { ConfigError, ConfigProblem, RepositorySettings, setCommand } from "./config";
import { brokenRules, CLOUDFORMATION_STACK_NAME, KMS_KEY_ARN, PRINCIPAL_ARN } from "./rules";
import { parseTemplate, REPOSITORY_LOGICAL_ID } from "./template";

/*
 * What the program reads from AWS before it registers anything. Each read runs at `pulumi
 * preview` too, so what would fail half way through `pulumi up` fails the preview instead.
 */

/** The IAM user that the repository policy names, as IAM reports it. */
export interface IamUser {
  userName: string;
  /** "/" for most users; "/team/" for a user created with a path. */
  path: string;
  arn: string;
}

/** Reads the user from IAM, so a user that does not exist stops the preview. */
export async function lookUpIamUser(userName: string, namespace: string): Promise<IamUser> {
  try {
    const user = await aws.iam.getUser({ userName });
    return { userName: user.userName, path: user.path, arn: user.arn };
  } catch (error) {
    throw new pulumi.RunError(
      [
        `${namespace}:iamUserName = ${JSON.stringify(userName)}: the IAM user could not be ` +
          "read, so nothing " +
          "was created or changed.",
        `  ${reasonOf(error)}`,
        "  The user must exist in the account you deploy to. Create it " +
          `(aws iam create-user --user-name ${userName}), or name an existing one: ` +
          "pulumi config set iamUserName <existing IAM user name>",
      ].join("\n"),
    );
  }
}

/** The partition of an ARN: "aws", "aws-cn", "aws-us-gov", ... */
export function partitionOf(arn: string): string {
  return arn.split(":")[1];
}

/**
 * Checks that the principal and key ARNs in config belong to the partition the stack deploys
 * to, which the IAM user's ARN tells. ARNs of another partition name nothing there.
 */
export function checkPartition(
  settings: RepositorySettings,
  partition: string,
  namespace: string,
): void {
  const problems: ConfigProblem[] = [];
  const foreign = (arn: string, pattern: RegExp) => pattern.exec(arn)?.[1] !== partition;

  for (const key of ["pushPrincipals", "pullPrincipals"] as const) {
    const rules = settings[key]
      .map((arn, index) => ({ arn, index }))
      .filter(({ arn }) => foreign(arn, PRINCIPAL_ARN))
      .map(
        ({ arn, index }) =>
          `item ${index} (${JSON.stringify(arn)}): must be in partition ${partition}, where this stack deploys`,
      );
    if (rules.length > 0) {
      problems.push({
        key,
        value: JSON.stringify(settings[key]),
        rules,
        fix: `pulumi config set --path '${key}[N]' arn:${partition}:iam::... for each bad item N`,
      });
    }
  }

  if (settings.kmsKeyArn !== "" && foreign(settings.kmsKeyArn, KMS_KEY_ARN)) {
    problems.push({
      key: "kmsKeyArn",
      value: settings.kmsKeyArn,
      rules: [`must be in partition ${partition}, where this stack deploys`],
      fix: setCommand("kmsKeyArn", `arn:${partition}:kms:...`),
    });
  }

  if (problems.length > 0) {
    throw new ConfigError(problems, namespace);
  }
}

/**
 * Stops a change of encryption on an existing repository. AWS cannot change it in place: the
 * repository would be replaced, which its fixed name forbids and which would drop its images.
 */
export async function checkEncryptionUnchanged(
  settings: RepositorySettings,
  namespace: string,
): Promise<void> {
  let existing: aws.ecr.GetRepositoryResult;
  try {
    existing = await aws.ecr.getRepository({ name: settings.repositoryName });
  } catch (error) {
    if (/RepositoryNotFound|couldn't find resource|not found/i.test(reasonOf(error))) {
      return;
    }
    throw new pulumi.RunError(
      `repositoryName = ${JSON.stringify(settings.repositoryName)}: the repository could not be ` +
        `read to check its encryption: ${reasonOf(error)}`,
    );
  }

  const current = existing.encryptionConfigurations[0];
  const typeChanges = current !== undefined && current.encryptionType !== settings.encryptionType;
  const keyChanges =
    current !== undefined &&
    !typeChanges &&
    current.kmsKey !== "" &&
    (settings.kmsKeyArn !== ""
      ? current.kmsKey !== settings.kmsKeyArn
      : await isCustomerKey(current.kmsKey));
  if (!typeChanges && !keyChanges) {
    return;
  }

  const rules = [
    `repository ${settings.repositoryName} already exists, encrypted with ${current.encryptionType}` +
      (current.kmsKey ? ` (key ${current.kmsKey})` : "") +
      "; AWS cannot change a repository's encryption without replacing it, and a " +
      "replacement would drop its images",
  ];
  throw new ConfigError(
    [
      typeChanges
        ? {
            key: "encryptionType",
            value: settings.encryptionType,
            rules,
            fix: setCommand("encryptionType", current.encryptionType),
          }
        : {
            key: "kmsKeyArn",
            value: settings.kmsKeyArn || undefined,
            rules,
            fix: setCommand("kmsKeyArn", current.kmsKey),
          },
    ],
    namespace,
  );
}

/**
 * Whether a KMS key is one an account made, rather than the AWS managed key aws/ecr that an
 * empty `kmsKeyArn` stands for.
 */
async function isCustomerKey(keyArn: string): Promise<boolean> {
  try {
    return (await aws.kms.getKey({ keyId: keyArn })).keyManager === "CUSTOMER";
  } catch (error) {
    throw new pulumi.RunError(
      `kmsKeyArn: the key of the existing repository, ${keyArn}, could not be read to tell ` +
        `whether an empty kmsKeyArn changes it: ${reasonOf(error)}`,
    );
  }
}

/**
 * Stops an import that would lose the repository. While the CloudFormation stack that made it
 * exists, the same `pulumi up` that adopts the repository deletes that stack, and with it the
 * repository, unless the stack's template retains it (`retainOnDelete`, applied beforehand).
 */
export async function checkReleasedByCloudFormation(repositoryName: string): Promise<void> {
  if (brokenRules(CLOUDFORMATION_STACK_NAME, repositoryName).length > 0) {
    return; // No CloudFormation stack can carry this name, so none made the repository.
  }

  let templateBody: string;
  try {
    ({ templateBody } = await aws.cloudformation.getStack({ name: repositoryName }));
  } catch (error) {
    if (/does not exist/.test(reasonOf(error))) {
      return;
    }
    throw new pulumi.RunError(
      `importRepository = true: the CloudFormation stack "${repositoryName}" could not be ` +
        `read to check that it lets go of the repository: ${reasonOf(error)}`,
    );
  }

  const repository = parseTemplate(templateBody).Resources?.[REPOSITORY_LOGICAL_ID];
  if (repository?.DeletionPolicy !== "Retain") {
    throw new pulumi.RunError(
      [
        `importRepository = true: the CloudFormation stack "${repositoryName}" still owns the ` +
          "repository and would delete it when this update removes the stack. Nothing was " +
          "created or changed.",
        "  Let the stack release it first, then switch again:",
        "    pulumi config set variant cloudformation",
        "    pulumi config rm importRepository",
        "    pulumi config set retainOnDelete true",
        "    pulumi up",
      ].join("\n"),
    );
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
