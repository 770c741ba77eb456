import * as pulumi from "@pulumi/pulumi";

import { CloudFormationRepository } from "./ecr/cloudformation";
import { readSettings, settingsWarnings } from "./ecr/config";
import { NativeRepository } from "./ecr/native";
import {
  checkEncryptionUnchanged,
  checkPartition,
  checkReleasedByCloudFormation,
  lookUpIamUser,
  partitionOf,
} from "./ecr/preflight";

// Config is checked, and what it names read from AWS, before any resource is registered:
// a bad value fails `pulumi preview` and creates nothing.
export = async () => {
  const config = new pulumi.Config();
  const settings = readSettings(config, {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    region: new pulumi.Config("aws").get("region"),
  });
  const iamUser = await lookUpIamUser(settings.iamUserName, config.name);
  checkPartition(settings, partitionOf(iamUser.arn), config.name);
  await checkEncryptionUnchanged(settings, config.name);
  if (settings.importRepository) {
    await checkReleasedByCloudFormation(settings.repositoryName);
  }

  for (const warning of settingsWarnings(settings)) {
    pulumi.log.warn(warning);
  }

  const opts = { protect: settings.protect };
  if (settings.variant === "native") {
    const repository = new NativeRepository("repository", { settings, iamUser }, opts);
    return {
      repositoryName: repository.repositoryName,
      repositoryUrl: repository.repositoryUrl,
      repositoryArn: repository.repositoryArn,
    };
  }

  const repository = new CloudFormationRepository("repository", { settings, iamUser }, opts);
  return {
    repositoryName: repository.repositoryName,
    repositoryUrl: repository.repositoryUrl,
    repositoryArn: repository.repositoryArn,
    cloudFormationStackName: repository.cloudFormationStackName,
  };
};
