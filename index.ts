import * as pulumi from "@pulumi/pulumi";

import { checkReleasedByCloudFormation, CloudFormationRepository } from "./ecr/cloudformation";
import { readSettings } from "./ecr/config";
import { lookUpIamUser } from "./ecr/iam-user";
import { NativeRepository } from "./ecr/native";

// Config is checked and the IAM user looked up before any resource is registered, so a bad
// value fails `pulumi preview` and creates nothing.
export = async () => {
  const settings = readSettings(new pulumi.Config(), {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
  });
  const iamUser = await lookUpIamUser(settings.iamUserName);

  if (settings.variant === "native") {
    if (settings.importRepository) {
      await checkReleasedByCloudFormation(settings.repositoryName);
    }
    const repository = new NativeRepository(
      "repository",
      { ...settings, iamUser },
      { protect: settings.protect },
    );
    return {
      repositoryName: repository.repositoryName,
      repositoryUrl: repository.repositoryUrl,
      repositoryArn: repository.repositoryArn,
    };
  }

  const repository = new CloudFormationRepository(
    "repository",
    { ...settings, iamUser },
    { protect: settings.protect },
  );
  return {
    repositoryName: repository.repositoryName,
    repositoryUrl: repository.repositoryUrl,
    repositoryArn: repository.repositoryArn,
    cloudFormationStackName: repository.cloudFormationStackName,
  };
};
