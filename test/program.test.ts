import * as assert from "assert";

import { dockerLoginPolicy, PUSH_PULL_ACTIONS } from "../ecr/policy";
import { readTemplate, retainingRepositoryBody } from "../ecr/template";
import {
  ACCOUNT_ID,
  identities,
  iamUsers,
  ofType,
  ProgramFailure,
  ProgramRun,
  REGION,
  runProgram,
} from "./support/program";
import { stackConfig } from "./support/stacks";

const CLOUDFORMATION_STACK = "aws:cloudformation/stack:Stack";
const REPOSITORY = "aws:ecr/repository:Repository";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";
const USER_POLICY = "aws:iam/userPolicy:UserPolicy";

const users = iamUsers({ alice: "/", "ecr-dev-pusher": "/", carol: "/team/ci/" });

/** Runs the program for one stack with `config`, as `pulumi up`. */
function up(stack: string, config: Record<string, string>): Promise<ProgramRun> {
  return runProgram({ stack, config, preview: false, getUser: users });
}

/** How the program fails for `config`. */
async function failureOf(config: Record<string, string>): Promise<ProgramFailure> {
  try {
    await up("dev", config);
  } catch (error) {
    assert.ok(error instanceof ProgramFailure, String(error));
    return error;
  }
  assert.fail(`the program accepted ${JSON.stringify(config)}`);
}

describe("program (index.ts) under Pulumi mocks", () => {
  describe("the dev stack, cloudformation variant", () => {
    for (const preview of [true, false]) {
      it(`registers one CloudFormation stack of the template (${preview ? "preview" : "up"})`, async () => {
        const run = await runProgram({
          stack: "dev",
          config: stackConfig("dev"),
          preview,
          getUser: users,
        });

        assert.deepStrictEqual(identities(run), [
          `${CLOUDFORMATION_STACK}::repository`,
          "ecr-repository:index:CloudFormationRepository::repository",
        ]);
        assert.deepStrictEqual(ofType(run, CLOUDFORMATION_STACK)[0].inputs, {
          name: "ecr-repository-dev",
          templateBody: readTemplate().body,
          parameters: {
            IAMUserName: "ecr-dev-pusher",
            IAMUserPath: "/",
            PushPrincipals: "",
            PullPrincipals: "",
            GrantDockerLogin: "true",
            ScanOnPush: "true",
            ImageTagMutability: "IMMUTABLE",
            ImageTagMutabilityExclusionFilters: "",
            UntaggedImageExpiryDays: "3",
            MaxTaggedImageCount: "30",
            EncryptionType: "AES256",
            KmsKeyArn: "",
            EmptyOnDelete: "true",
          },
          // The docker-login policy is an IAM resource, and has no custom name.
          capabilities: ["CAPABILITY_IAM"],
          onFailure: "DELETE",
          tags: { "pulumi:project": "ecr-repository", "pulumi:stack": "dev" },
        });
        assert.deepStrictEqual(run.warnings, [
          "emptyOnDelete is true: pulumi destroy deletes repository ecr-repository-dev with every image in it.",
        ]);
      });
    }

    it("exports the repository's name, URL and ARN and the CloudFormation stack's name", async () => {
      const run = await up("dev", stackConfig("dev"));
      assert.deepStrictEqual(run.exports, {
        repositoryName: "ecr-repository-dev",
        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/ecr-repository-dev`,
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/ecr-repository-dev`,
        cloudFormationStackName: "ecr-repository-dev",
      });
    });

    it("neither protects nor retains by default", async () => {
      const run = await up("dev", stackConfig("dev"));
      for (const resource of run.resources) {
        assert.strictEqual(resource.protect, false, resource.type);
        assert.strictEqual(resource.retainOnDelete, false, resource.type);
      }
    });
  });

  it("names the repository after a stack such as Prod-EU validly", async () => {
    const run = await up("Prod-EU", { iamUserName: "alice" });
    assert.strictEqual(ofType(run, CLOUDFORMATION_STACK)[0].inputs.name, "ecr-repository-prod-eu");
  });

  it("uses a typed repository name as the CloudFormation stack name", async () => {
    const run = await up("dev", { iamUserName: "alice", repositoryName: "web-api" });
    assert.strictEqual(ofType(run, CLOUDFORMATION_STACK)[0].inputs.name, "web-api");
    assert.strictEqual(run.exports.repositoryName, "web-api");
  });

  it("passes the path of a user created with one", async () => {
    const run = await up("dev", { iamUserName: "carol" });
    const { parameters } = ofType(run, CLOUDFORMATION_STACK)[0].inputs;
    assert.deepStrictEqual(
      [parameters.IAMUserName, parameters.IAMUserPath],
      ["carol", "/team/ci/"],
    );
  });

  describe("native variant", () => {
    it("registers one repository named team/app, its policies, and no CloudFormation stack", async () => {
      const run = await up("dev", {
        iamUserName: "alice",
        variant: "native",
        repositoryName: "team/app",
      });

      assert.deepStrictEqual(identities(run), [
        `${LIFECYCLE_POLICY}::repository`,
        `${REPOSITORY}::repository`,
        `${REPOSITORY_POLICY}::repository`,
        `${USER_POLICY}::repository`,
        "ecr-repository:index:NativeRepository::repository",
      ]);
      assert.deepStrictEqual(ofType(run, REPOSITORY)[0].inputs, {
        name: "team/app",
        forceDelete: false,
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: "IMMUTABLE",
        imageTagMutabilityExclusionFilters: [],
        encryptionConfigurations: [{ encryptionType: "AES256" }],
        tags: { "pulumi:project": "ecr-repository", "pulumi:stack": "dev" },
      });
      assert.strictEqual(ofType(run, REPOSITORY_POLICY)[0].inputs.repository, "team/app");
      assert.deepStrictEqual(JSON.parse(ofType(run, REPOSITORY_POLICY)[0].inputs.policy), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowPushPull",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/alice` },
            Action: [...PUSH_PULL_ACTIONS],
          },
        ],
      });
      assert.strictEqual(ofType(run, LIFECYCLE_POLICY)[0].inputs.repository, "team/app");
      assert.deepStrictEqual(ofType(run, USER_POLICY)[0].inputs, {
        user: "alice",
        name: "ecr-docker-login-native-team+app",
        policy: JSON.stringify(dockerLoginPolicy()),
      });
    });

    it("registers no lifecycle policy when both rules are off, and no login policy when not granted", async () => {
      const run = await up("dev", {
        iamUserName: "alice",
        variant: "native",
        untaggedImageExpiryDays: "0",
        maxTaggedImageCount: "0",
        grantDockerLogin: "false",
      });
      assert.deepStrictEqual(identities(run), [
        `${REPOSITORY}::repository`,
        `${REPOSITORY_POLICY}::repository`,
        "ecr-repository:index:NativeRepository::repository",
      ]);
      assert.deepStrictEqual(run.warnings, [
        "untaggedImageExpiryDays and maxTaggedImageCount are both 0: the repository gets no " +
          "lifecycle policy and keeps every image (AWS Control Tower control CT.ECR.PR.1 fails).",
      ]);
    });

    it("lets destroy delete the images only with emptyOnDelete, and says so", async () => {
      const run = await up("dev", {
        iamUserName: "alice",
        variant: "native",
        emptyOnDelete: "true",
      });
      assert.strictEqual(ofType(run, REPOSITORY)[0].inputs.forceDelete, true);
      assert.deepStrictEqual(run.warnings, [
        "emptyOnDelete is true: pulumi destroy deletes repository ecr-repository-dev with every image in it.",
      ]);
    });

    it("exports the repository's name, URL and ARN, and no CloudFormation stack name", async () => {
      const run = await up("dev", {
        iamUserName: "alice",
        variant: "native",
        repositoryName: "team/app",
      });
      assert.deepStrictEqual(run.exports, {
        repositoryName: "team/app",
        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/team/app`,
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/team/app`,
      });
    });

    it("names a user with a path by its real ARN", async () => {
      const run = await up("dev", { iamUserName: "carol", variant: "native" });
      const policy = JSON.parse(ofType(run, REPOSITORY_POLICY)[0].inputs.policy);
      assert.strictEqual(
        policy.Statement[0].Principal.AWS,
        `arn:aws:iam::${ACCOUNT_ID}:user/team/ci/carol`,
      );
    });
  });

  describe("data safety options", () => {
    it("protects every resource of either variant when protect is set", async () => {
      for (const variant of ["cloudformation", "native"]) {
        const run = await up("prod", { iamUserName: "alice", variant, protect: "true" });
        assert.ok(run.resources.length > 1);
        for (const resource of run.resources) {
          assert.strictEqual(resource.protect, true, `${variant} ${resource.type}`);
        }
      }
    });

    it("retains the repository in the CloudFormation stack with retainOnDelete", async () => {
      const run = await up("dev", { iamUserName: "alice", retainOnDelete: "true" });
      const stack = ofType(run, CLOUDFORMATION_STACK)[0];
      assert.strictEqual(
        stack.inputs.templateBody,
        retainingRepositoryBody(readTemplate().document),
      );
      // CloudFormation keeps the repository; Pulumi still deletes the stack itself.
      assert.strictEqual(stack.retainOnDelete, false);
    });

    it("retains the native repository and its policy with retainOnDelete", async () => {
      const run = await up("dev", {
        iamUserName: "alice",
        variant: "native",
        retainOnDelete: "true",
      });
      assert.strictEqual(ofType(run, REPOSITORY)[0].retainOnDelete, true);
      assert.strictEqual(ofType(run, REPOSITORY_POLICY)[0].retainOnDelete, true);
    });
  });

  describe("bad input fails before anything is registered", () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ["a missing IAM user name", {}, /ecr-repository:iamUserName is not set/],
      [
        "an invalid IAM user name",
        { iamUserName: "alice smith" },
        /ecr-repository:iamUserName = "alice smith"/,
      ],
      [
        "an unknown variant",
        { iamUserName: "alice", variant: "cdk" },
        /ecr-repository:variant = "cdk"\n\s+- must be one of: cloudformation, native/,
      ],
      [
        "an uppercase repository name",
        { iamUserName: "alice", repositoryName: "Web" },
        /ecr-repository:repositoryName = "Web"/,
      ],
      [
        "a namespaced name in the cloudformation variant",
        { iamUserName: "alice", repositoryName: "team/app" },
        /pulumi config set variant native/,
      ],
    ];
    for (const [what, config, message] of cases) {
      it(what, async () => {
        const failure = await failureOf(config);
        assert.match(failure.message, message);
        assert.deepStrictEqual(failure.resources, []);
      });
    }

    it("a principal or KMS key of another partition than the stack's", async () => {
      const failure = await failureOf({
        iamUserName: "alice",
        pullPrincipals: JSON.stringify(["arn:aws-cn:iam::123456789012:root"]),
        encryptionType: "KMS",
        kmsKeyArn: `arn:aws-us-gov:kms:${REGION}:${ACCOUNT_ID}:key/1234`,
      });
      assert.match(
        failure.message,
        /ecr-repository:pullPrincipals = .*\n\s+- item 0 \("arn:aws-cn:iam::123456789012:root"\): must be in partition aws, where this stack deploys/,
      );
      assert.match(
        failure.message,
        /ecr-repository:kmsKeyArn = .*\n\s+- must be in partition aws, where this stack deploys/,
      );
      assert.deepStrictEqual(failure.resources, []);
    });

    it("a change of encryption on a repository that exists", async () => {
      const existing = async () => ({
        name: "ecr-repository-dev",
        encryptionConfigurations: [{ encryptionType: "AES256", kmsKey: "" }],
      });
      let failure: ProgramFailure | undefined;
      try {
        await runProgram({
          stack: "dev",
          config: { iamUserName: "alice", encryptionType: "KMS" },
          preview: true,
          getUser: users,
          getRepository: existing,
        });
      } catch (error) {
        failure = error as ProgramFailure;
      }
      assert.ok(failure instanceof ProgramFailure);
      assert.match(
        failure.message,
        /ecr-repository:encryptionType = "KMS"\n\s+- repository ecr-repository-dev already exists, encrypted with AES256; AWS cannot change/,
      );
      assert.match(failure.message, /fix: pulumi config set encryptionType AES256/);
      assert.deepStrictEqual(failure.resources, []);

      // The same encryption passes.
      const run = await runProgram({
        stack: "dev",
        config: { iamUserName: "alice" },
        preview: true,
        getUser: users,
        getRepository: existing,
      });
      assert.strictEqual(ofType(run, CLOUDFORMATION_STACK).length, 1);
    });

    it("a KMS key of the account's own dropped from config on a repository that uses it", async () => {
      const key = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key`;
      const encryptedWith = (kmsKey: string) => async () => ({
        name: "ecr-repository-dev",
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey }],
      });
      const config = { iamUserName: "alice", encryptionType: "KMS" };

      let failure: ProgramFailure | undefined;
      try {
        await runProgram({
          stack: "dev",
          config,
          preview: true,
          getUser: users,
          getRepository: encryptedWith(`${key}/1234`),
        });
      } catch (error) {
        failure = error as ProgramFailure;
      }
      assert.ok(failure instanceof ProgramFailure);
      assert.match(
        failure.message,
        /ecr-repository:kmsKeyArn is not set\n\s+- repository ecr-repository-dev already exists, encrypted with KMS \(key arn:aws:kms:us-east-1:123456789012:key\/1234\)/,
      );
      assert.match(
        failure.message,
        /fix: pulumi config set kmsKeyArn arn:aws:kms:us-east-1:123456789012:key\/1234/,
      );
      assert.deepStrictEqual(failure.resources, []);

      // The AWS managed key is what an empty kmsKeyArn means: no change.
      const run = await runProgram({
        stack: "dev",
        config,
        preview: true,
        getUser: users,
        getRepository: encryptedWith(`${key}/managed`),
      });
      assert.strictEqual(ofType(run, CLOUDFORMATION_STACK).length, 1);
    });

    it("an IAM user that does not exist, naming the user and the config key", async () => {
      const failure = await failureOf({ iamUserName: "mallory" });
      assert.match(
        failure.message,
        /^ecr-repository:iamUserName = "mallory": the IAM user could not be read/,
      );
      assert.match(failure.message, /reading IAM User \(mallory\): couldn't find resource/);
      assert.match(failure.message, /pulumi config set iamUserName <existing IAM user name>/);
      assert.deepStrictEqual(failure.resources, []);
    });
  });
});
