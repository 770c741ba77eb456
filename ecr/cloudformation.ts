import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { RepositorySettings } from "./config";
import { IamUser } from "./preflight";
import {
  readTemplate,
  requiredCapabilities,
  retainingRepositoryBody,
  TEMPLATE_OUTPUTS,
} from "./template";

export interface CloudFormationRepositoryArgs {
  settings: RepositorySettings;
  /** The user the repository policy lets push and pull. */
  iamUser: IamUser;
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

  constructor(
    name: string,
    args: CloudFormationRepositoryArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("ecr-repository:index:CloudFormationRepository", name, {}, opts);

    const { settings } = args;
    const template = readTemplate();
    const stack = new aws.cloudformation.Stack(
      name,
      {
        // The template names the repository after its stack.
        name: settings.repositoryName,
        templateBody: settings.retainOnDelete
          ? retainingRepositoryBody(template.document)
          : template.body,
        parameters: templateParameters(settings, args.iamUser),
        capabilities: requiredCapabilities(template.document),
        // A failed create otherwise leaves the stack in ROLLBACK_COMPLETE, which only a
        // manual delete clears, and every later `pulumi up` fails on the name.
        onFailure: "DELETE",
        // CloudFormation passes the stack's tags on to the repository.
        tags: settings.tags,
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

/**
 * The template's parameters for `settings`. Every parameter is passed, none left to its
 * default, so what is deployed never depends on the template's defaults.
 */
export function templateParameters(
  settings: RepositorySettings,
  iamUser: IamUser,
): Record<string, string> {
  return {
    IAMUserName: iamUser.userName,
    IAMUserPath: iamUser.path,
    PushPrincipals: settings.pushPrincipals.join(","),
    PullPrincipals: settings.pullPrincipals.join(","),
    GrantDockerLogin: String(settings.grantDockerLogin),
    ScanOnPush: String(settings.scanOnPush),
    ImageTagMutability: settings.imageTagMutability,
    ImageTagMutabilityExclusionFilters: settings.imageTagMutabilityExclusionFilters.join(","),
    UntaggedImageExpiryDays: String(settings.untaggedImageExpiryDays),
    MaxTaggedImageCount: String(settings.maxTaggedImageCount),
    EncryptionType: settings.encryptionType,
    KmsKeyArn: settings.kmsKeyArn,
    EmptyOnDelete: String(settings.emptyOnDelete),
  };
}
