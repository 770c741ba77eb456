import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { IamUser } from "./iam-user";
import {
  readTemplate,
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
