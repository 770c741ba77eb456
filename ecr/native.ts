import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { IamUser } from "./iam-user";
import { repositoryPolicy } from "./policy";

export interface NativeRepositoryArgs {
  /** Name of the repository; namespaced names such as "team/app" are allowed. */
  repositoryName: string;
  /** The user the repository policy lets push and pull. */
  iamUser: IamUser;
  /**
   * Adopt the repository that already has this name (one a CloudFormation stack let go of)
   * instead of creating it.
   * @default false
   */
  importRepository?: boolean;
  /**
   * Leave the repository and its images in AWS when Pulumi deletes the resource.
   * @default false
   */
  retainOnDelete?: boolean;
}

/**
 * The repository as aws.ecr resources, without a CloudFormation stack: drift shows in
 * `pulumi preview`, and namespaced names are possible.
 */
export class NativeRepository extends pulumi.ComponentResource {
  public readonly repositoryName: pulumi.Output<string>;
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly repositoryArn: pulumi.Output<string>;

  constructor(name: string, args: NativeRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecr-repository:index:NativeRepository", name, {}, opts);

    const repository = new aws.ecr.Repository(
      name,
      {
        name: args.repositoryName,
        // Deleting a repository that holds images then fails, rather than deleting them.
        forceDelete: false,
      },
      {
        parent: this,
        import: args.importRepository ? args.repositoryName : undefined,
        retainOnDelete: args.retainOnDelete,
      },
    );

    new aws.ecr.RepositoryPolicy(
      name,
      {
        repository: repository.name,
        policy: JSON.stringify(repositoryPolicy(args.iamUser.arn)),
      },
      { parent: this, retainOnDelete: args.retainOnDelete },
    );

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
