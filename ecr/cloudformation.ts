import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { IamUser } from "./iam-user";
import { brokenRules, CLOUDFORMATION_STACK_NAME } from "./rules";
import {
  parseTemplate,
  readTemplate,
  REPOSITORY_LOGICAL_ID,
  requiredCapabilities,
  retainingRepositoryBody,
  TEMPLATE_OUTPUTS,
} from "./template";

export interface CloudFormationRepositoryArgs {
  /** Name of the CloudFormation stack, and so of the repository the template makes. */
  repositoryName: string;
  /** The user the repository policy lets push and pull. */
  iamUser: IamUser;
  /**
   * Leave the repository and its images in AWS when the CloudFormation stack is deleted.
   * @default false
   */
  retainOnDelete?: boolean;
}

/**
 * The repository as the CloudFormation stack of `ecr/ecr.yml`, the template a user could
 * deploy by hand, so both ways of deploying it make the same repository.
 */
export class CloudFormationRepository extends pulumi.ComponentResource {
  public readonly repositoryName: pulumi.Output<string>;
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly repositoryArn: pulumi.Output<string>;
  public readonly cloudFormationStackName: pulumi.Output<string>;

  constructor(name: string, args: CloudFormationRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecr-repository:index:CloudFormationRepository", name, {}, opts);

    const template = readTemplate();
    const stack = new aws.cloudformation.Stack(
      name,
      {
        name: args.repositoryName,
        templateBody: args.retainOnDelete
          ? retainingRepositoryBody(template.document)
          : template.body,
        parameters: templateParameters(args.iamUser),
        capabilities: requiredCapabilities(template.document),
        // A failed create otherwise leaves the stack in ROLLBACK_COMPLETE, which only a
        // manual delete clears, and every later `pulumi up` fails on the name.
        onFailure: "DELETE",
      },
      { parent: this },
    );

    this.repositoryName = stack.outputs[TEMPLATE_OUTPUTS.repositoryName];
    this.repositoryUrl = stack.outputs[TEMPLATE_OUTPUTS.repositoryUrl];
    this.repositoryArn = stack.outputs[TEMPLATE_OUTPUTS.repositoryArn];
    this.cloudFormationStackName = stack.name;

    this.registerOutputs({
      repositoryName: this.repositoryName,
      repositoryUrl: this.repositoryUrl,
      repositoryArn: this.repositoryArn,
      cloudFormationStackName: this.cloudFormationStackName,
    });
  }
}

/** The template's parameters for `iamUser`; every parameter is passed, none left to defaults. */
export function templateParameters(iamUser: IamUser): Record<string, string> {
  return {
    IAMUserName: iamUser.userName,
    IAMUserPath: iamUser.path,
  };
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
    const reason = error instanceof Error ? error.message : String(error);
    if (/does not exist/.test(reason)) {
      return;
    }
    throw new pulumi.RunError(
      `importRepository = true: the CloudFormation stack "${repositoryName}" could not be ` +
        `read to check that it lets go of the repository: ${reason}`,
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
