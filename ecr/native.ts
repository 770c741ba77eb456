import * as crypto from "crypto";

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { RepositorySettings } from "./config";
import { lifecyclePolicy } from "./lifecycle";
import { dockerLoginPolicy, repositoryPolicy } from "./policy";
import { IamUser } from "./preflight";

export interface NativeRepositoryArgs {
  settings: RepositorySettings;
  /** The user the repository policy lets push and pull. */
  iamUser: IamUser;
}

/**
 * The repository as aws.ecr resources, without a CloudFormation stack: drift shows in
 * `pulumi preview`, and namespaced names are possible. It makes what the template makes.
 */
export class NativeRepository extends pulumi.ComponentResource {
  public readonly repositoryName: pulumi.Output<string>;
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly repositoryArn: pulumi.Output<string>;

  constructor(name: string, args: NativeRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecr-repository:index:NativeRepository", name, {}, opts);

    const { settings, iamUser } = args;
    const retainOnDelete = settings.retainOnDelete;
    const repository = new aws.ecr.Repository(
      name,
      {
        name: settings.repositoryName,
        // Off, deleting a repository that holds images fails rather than deleting them.
        forceDelete: settings.emptyOnDelete,
        imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
        imageTagMutability: settings.imageTagMutability,
        imageTagMutabilityExclusionFilters: settings.imageTagMutabilityExclusionFilters.map(
          (filter) => ({ filter, filterType: "WILDCARD" }),
        ),
        encryptionConfigurations: [
          {
            encryptionType: settings.encryptionType,
            kmsKey: settings.kmsKeyArn || undefined,
          },
        ],
        tags: settings.tags,
      },
      {
        parent: this,
        import: settings.importRepository ? settings.repositoryName : undefined,
        retainOnDelete,
      },
    );

    new aws.ecr.RepositoryPolicy(
      name,
      {
        repository: repository.name,
        policy: JSON.stringify(repositoryPolicy(iamUser.arn, settings)),
      },
      { parent: this, retainOnDelete },
    );

    const lifecycle = lifecyclePolicy(settings);
    if (lifecycle !== undefined) {
      new aws.ecr.LifecyclePolicy(
        name,
        { repository: repository.name, policy: JSON.stringify(lifecycle) },
        { parent: this, retainOnDelete },
      );
    }

    if (settings.grantDockerLogin) {
      new aws.iam.UserPolicy(
        name,
        {
          user: iamUser.userName,
          name: dockerLoginPolicyName(settings.repositoryName),
          policy: JSON.stringify(dockerLoginPolicy()),
        },
        { parent: this },
      );
    }

    this.repositoryName = repository.name;
    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;

    this.registerOutputs({
      repositoryName: this.repositoryName,
      repositoryUrl: this.repositoryUrl,
      repositoryArn: this.repositoryArn,
    });
  }
}

/** IAM policy names: at most 128 letters, digits and + = , . @ _ -. */
const POLICY_NAME_MAX_LENGTH = 128;

/**
 * The name of the user's docker-login policy for one repository. It differs from the
 * template's ("ecr-docker-login-STACK"): moving a repository between variants creates the
 * new policy before deleting the old, which must not delete the new one.
 */
export function dockerLoginPolicyName(repositoryName: string): string {
  const name = `ecr-docker-login-native-${repositoryName.replace(/\//g, "+")}`;
  if (name.length <= POLICY_NAME_MAX_LENGTH) {
    return name;
  }
  const hash = crypto.createHash("sha256").update(repositoryName).digest("hex").slice(0, 12);
  return `${name.slice(0, POLICY_NAME_MAX_LENGTH - hash.length - 1)}-${hash}`;
}
