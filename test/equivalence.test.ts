import * as assert from "assert";

import { parseTemplate, REPOSITORY_LOGICAL_ID } from "../ecr/template";
import { resolvedResources } from "../policy/resolve";
import { ACCOUNT_ID, iamUsers, ofType, ProgramRun, REGION, runProgram } from "./support/program";

/** A repository as AWS would hold it, whichever variant made it. */
interface Repository {
  name: string;
  scanOnPush: boolean;
  imageTagMutability: string;
  exclusionFilters: { type: string; value: string }[];
  encryption: { type: string; kmsKey: string | undefined };
  emptyOnDelete: boolean;
  tags: Record<string, string>;
  repositoryPolicy: unknown;
  lifecyclePolicy: unknown;
  dockerLogin: { users: string[]; policy: unknown } | undefined;
}

/** The repository CloudFormation would create from the stack the program registered. */
function fromCloudFormation(run: ProgramRun): Repository {
  const stack = ofType(run, "aws:cloudformation/stack:Stack")[0].inputs;
  const resources = resolvedResources(
    parseTemplate(stack.templateBody),
    { partition: "aws", accountId: ACCOUNT_ID, region: REGION, stackName: stack.name },
    stack.parameters,
  );
  const repository: Record<string, any> = resources[REPOSITORY_LOGICAL_ID].Properties;
  const login: Record<string, any> | undefined = resources.DockerLoginPolicy?.Properties;
  return {
    name: repository.RepositoryName,
    scanOnPush: repository.ImageScanningConfiguration.ScanOnPush,
    imageTagMutability: repository.ImageTagMutability,
    exclusionFilters: (repository.ImageTagMutabilityExclusionFilters ?? []).map((filter: any) => ({
      type: filter.ImageTagMutabilityExclusionFilterType,
      value: filter.ImageTagMutabilityExclusionFilterValue,
    })),
    encryption: {
      type: repository.EncryptionConfiguration.EncryptionType,
      kmsKey: repository.EncryptionConfiguration.KmsKey,
    },
    emptyOnDelete: repository.EmptyOnDelete,
    // CloudFormation gives the stack's tags to the repository.
    tags: stack.tags,
    repositoryPolicy: repository.RepositoryPolicyText,
    lifecyclePolicy:
      repository.LifecyclePolicy && JSON.parse(repository.LifecyclePolicy.LifecyclePolicyText),
    dockerLogin: login && { users: login.Users, policy: login.PolicyDocument },
  };
}

/** The repository the native variant's resources make. */
function fromNative(run: ProgramRun): Repository {
  const repository = ofType(run, "aws:ecr/repository:Repository")[0].inputs;
  const policy = ofType(run, "aws:ecr/repositoryPolicy:RepositoryPolicy")[0].inputs;
  const lifecycle = ofType(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy")[0]?.inputs;
  const login = ofType(run, "aws:iam/userPolicy:UserPolicy")[0]?.inputs;
  return {
    name: repository.name,
    scanOnPush: repository.imageScanningConfiguration.scanOnPush,
    imageTagMutability: repository.imageTagMutability,
    exclusionFilters: repository.imageTagMutabilityExclusionFilters.map((filter: any) => ({
      type: filter.filterType,
      value: filter.filter,
    })),
    encryption: {
      type: repository.encryptionConfigurations[0].encryptionType,
      kmsKey: repository.encryptionConfigurations[0].kmsKey,
    },
    emptyOnDelete: repository.forceDelete,
    tags: repository.tags,
    repositoryPolicy: JSON.parse(policy.policy),
    lifecyclePolicy: lifecycle && JSON.parse(lifecycle.policy),
    dockerLogin: login && { users: [login.user], policy: JSON.parse(login.policy) },
  };
}

const users = iamUsers({ alice: "/", carol: "/team/ci/" });

const CONFIGS: Record<string, Record<string, string>> = {
  "the defaults": { iamUserName: "alice" },
  "every setting changed": {
    iamUserName: "alice",
    repositoryName: "web-api",
    pushPrincipals: JSON.stringify([
      `arn:aws:iam::${ACCOUNT_ID}:role/ci`,
      `arn:aws:iam::${ACCOUNT_ID}:user/deploy/bot`,
    ]),
    pullPrincipals: JSON.stringify(["arn:aws:iam::210987654321:root"]),
    grantDockerLogin: "false",
    scanOnPush: "false",
    imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
    imageTagMutabilityExclusionFilters: JSON.stringify(["latest", "dev-*"]),
    untaggedImageExpiryDays: "0",
    maxTaggedImageCount: "30",
    encryptionType: "KMS",
    kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    tags: JSON.stringify(["team=platform", "cost-center=42"]),
    emptyOnDelete: "true",
  },
  "a user with a path, untagged expiry only, the AWS managed KMS key": {
    iamUserName: "carol",
    imageTagMutability: "MUTABLE",
    untaggedImageExpiryDays: "7",
    maxTaggedImageCount: "0",
    encryptionType: "KMS",
  },
  "no lifecycle rule, five exclusion filters": {
    iamUserName: "alice",
    imageTagMutability: "MUTABLE_WITH_EXCLUSION",
    imageTagMutabilityExclusionFilters: JSON.stringify(["a", "b*", "c-*", "*d*", "e.f"]),
    untaggedImageExpiryDays: "0",
    maxTaggedImageCount: "0",
  },
};

describe("both variants make the same repository", () => {
  for (const [what, config] of Object.entries(CONFIGS)) {
    it(`for ${what}`, async () => {
      const cloudFormation = await runProgram({
        stack: "dev",
        config,
        preview: false,
        getUser: users,
      });
      const native = await runProgram({
        stack: "dev",
        config: { ...config, variant: "native" },
        preview: false,
        getUser: users,
      });
      assert.deepStrictEqual(fromNative(native), fromCloudFormation(cloudFormation));
    });
  }

  it("with the secure defaults", async () => {
    const run = await runProgram({
      stack: "dev",
      config: CONFIGS["the defaults"],
      preview: false,
      getUser: users,
    });
    const repository = fromCloudFormation(run);
    assert.deepStrictEqual(
      {
        scanOnPush: repository.scanOnPush,
        imageTagMutability: repository.imageTagMutability,
        encryption: repository.encryption,
        emptyOnDelete: repository.emptyOnDelete,
        tags: repository.tags,
        lifecycleRules: (repository.lifecyclePolicy as { rules: unknown[] }).rules.length,
        dockerLoginUsers: repository.dockerLogin?.users,
      },
      {
        scanOnPush: true,
        imageTagMutability: "IMMUTABLE",
        encryption: { type: "AES256", kmsKey: undefined },
        emptyOnDelete: false,
        tags: { "pulumi:project": "ecr-repository", "pulumi:stack": "dev" },
        lifecycleRules: 2,
        dockerLoginUsers: ["alice"],
      },
    );
  });
});
