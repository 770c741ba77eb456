import * as assert from "assert";

import { dockerLoginPolicy, repositoryPolicy } from "../ecr/policy";
import { imageTags, putImage } from "./support/images";
import { Moto, motoIamUsers, stackCall, stackOutputs } from "./support/moto";
import { ACCOUNT_ID, ofType, ProgramRun, REGION, runProgram } from "./support/program";
import { stackConfig } from "./support/stacks";

const CLOUDFORMATION_STACK = "aws:cloudformation/stack:Stack";

describe("on the AWS emulator (moto)", () => {
  let moto: Moto;

  before(async () => {
    moto = await Moto.start();
    await moto.awsJson(["iam", "create-user", "--user-name", stackConfig("dev").iamUserName]);
    await moto.awsJson(["iam", "create-user", "--user-name", "carol", "--path", "/team/ci/"]);
  });

  after(async () => {
    await moto?.stop();
  });

  describe("the dev stack's CloudFormation stack, created as the provider creates it", () => {
    let inputs: Record<string, any>;
    let programExports: Record<string, unknown>;

    before(async () => {
      // The program, run under mocks for the dev stack, looks its IAM user up in moto.
      const run = await runProgram({
        stack: "dev",
        config: stackConfig("dev"),
        preview: false,
        getUser: motoIamUsers(moto),
      });
      inputs = ofType(run, CLOUDFORMATION_STACK)[0].inputs;
      programExports = run.exports;
    });

    it("reaches CREATE_COMPLETE with the repository and its three outputs", async () => {
      await moto.awsJson(stackCall("create-stack", inputs));

      const { Stacks } = await moto.awsJson([
        "cloudformation",
        "describe-stacks",
        "--stack-name",
        inputs.name,
      ]);
      assert.strictEqual(Stacks[0].StackStatus, "CREATE_COMPLETE");

      const { repositories } = await moto.awsJson(["ecr", "describe-repositories"]);
      assert.deepStrictEqual(
        repositories.map((repository: any) => repository.repositoryName),
        ["ecr-repository-dev"],
      );

      const outputs = await stackOutputs(moto, inputs.name);
      assert.deepStrictEqual(outputs, {
        ECRRepository: "ecr-repository-dev",
        RepositoryUri: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/ecr-repository-dev`,
        RepositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/ecr-repository-dev`,
      });
      // The exports the program computed under mocks are these very outputs.
      assert.deepStrictEqual(programExports, {
        repositoryName: outputs.ECRRepository,
        repositoryUrl: outputs.RepositoryUri,
        repositoryArn: outputs.RepositoryArn,
        cloudFormationStackName: inputs.name,
      });
    });

    it("lets the IAM user log in to the registry, by a policy of its own", async () => {
      const { PolicyNames } = await moto.awsJson([
        "iam",
        "list-user-policies",
        "--user-name",
        "ecr-dev-pusher",
      ]);
      assert.deepStrictEqual(PolicyNames, ["ecr-docker-login-ecr-repository-dev"]);
      const policy = await moto.awsJson([
        "iam",
        "get-user-policy",
        "--user-name",
        "ecr-dev-pusher",
        "--policy-name",
        "ecr-docker-login-ecr-repository-dev",
      ]);
      assert.deepStrictEqual(policy.PolicyDocument, dockerLoginPolicy());
    });

    it("takes the empty repository and the login policy with it when deleted", async () => {
      await moto.awsJson(["cloudformation", "delete-stack", "--stack-name", inputs.name]);
      assert.strictEqual(await imageTags(moto, "ecr-repository-dev"), undefined);
      const { PolicyNames } = await moto.awsJson([
        "iam",
        "list-user-policies",
        "--user-name",
        "ecr-dev-pusher",
      ]);
      assert.deepStrictEqual(PolicyNames, []);
    });
  });

  describe("the article's commands on ecr/ecr.yml", () => {
    it("deploys, describes and deletes the stack and its repository", async () => {
      const deploy = await moto.aws([
        "cloudformation",
        "deploy",
        "--template-file",
        "ecr/ecr.yml",
        "--stack-name",
        "ecr-repository",
        "--capabilities",
        "CAPABILITY_NAMED_IAM",
        "--parameter-overrides",
        "IAMUserName=ecr-dev-pusher",
      ]);
      assert.strictEqual(deploy.code, 0, deploy.stderr);
      assert.match(deploy.stdout, /Successfully created\/updated stack - ecr-repository/);

      const { Stacks } = await moto.awsJson([
        "cloudformation",
        "describe-stacks",
        "--stack-name",
        "ecr-repository",
      ]);
      assert.strictEqual(Stacks[0].StackStatus, "CREATE_COMPLETE");
      const parameters = Object.fromEntries(
        Stacks[0].Parameters.map((parameter: any) => [
          parameter.ParameterKey,
          parameter.ParameterValue,
        ]),
      );
      assert.strictEqual(parameters.IAMUserName, "ecr-dev-pusher");
      assert.strictEqual(parameters.ImageTagMutability, "IMMUTABLE");
      assert.deepStrictEqual(await imageTags(moto, "ecr-repository"), []);

      await moto.awsJson(["cloudformation", "delete-stack", "--stack-name", "ecr-repository"]);
      const described = await moto.aws([
        "cloudformation",
        "describe-stacks",
        "--stack-name",
        "ecr-repository",
      ]);
      assert.notStrictEqual(described.code, 0);
      assert.match(described.stderr, /Stack with id ecr-repository does not exist/);
      assert.strictEqual(await imageTags(moto, "ecr-repository"), undefined);
    });
  });

  describe("a repository that holds an image", () => {
    it("survives the deletion of its CloudFormation stack", async () => {
      const run = await runProgram({
        stack: "keep",
        config: { iamUserName: "ecr-dev-pusher" },
        preview: false,
        getUser: motoIamUsers(moto),
      });
      const inputs = ofType(run, CLOUDFORMATION_STACK)[0].inputs;
      await moto.awsJson(stackCall("create-stack", inputs));
      assert.strictEqual((await putImage(moto, inputs.name, "v1")).code, 0);

      // AWS marks the stack DELETE_FAILED; moto refuses the call. Either way the image stays.
      const deleted = await moto.aws([
        "cloudformation",
        "delete-stack",
        "--stack-name",
        inputs.name,
      ]);
      assert.match(deleted.stderr, /RepositoryNotEmptyException/);
      assert.deepStrictEqual(await imageTags(moto, inputs.name), ["v1"]);
    });
  });

  describe("the native variant's settings, applied through the ECR API", () => {
    /** The native repository for `config`, created by the ECR API as the provider creates it. */
    async function createNative(
      repositoryName: string,
      config: Record<string, string> = {},
    ): Promise<ProgramRun> {
      const run = await runProgram({
        stack: "dev",
        config: { iamUserName: "ecr-dev-pusher", variant: "native", repositoryName, ...config },
        preview: false,
        getUser: motoIamUsers(moto),
      });
      const repository = ofType(run, "aws:ecr/repository:Repository")[0].inputs;
      await moto.awsJson([
        "ecr",
        "create-repository",
        "--repository-name",
        repository.name,
        "--image-tag-mutability",
        repository.imageTagMutability,
        "--image-scanning-configuration",
        JSON.stringify({ scanOnPush: repository.imageScanningConfiguration.scanOnPush }),
        ...(repository.imageTagMutabilityExclusionFilters.length > 0
          ? [
              "--image-tag-mutability-exclusion-filters",
              JSON.stringify(repository.imageTagMutabilityExclusionFilters),
            ]
          : []),
      ]);
      return run;
    }

    it("puts the lifecycle policy, which ECR validates, and reads it back equal", async () => {
      const run = await createNative("team/lifecycle");
      const { policy } = ofType(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy")[0].inputs;
      await moto.awsJson([
        "ecr",
        "put-lifecycle-policy",
        "--repository-name",
        "team/lifecycle",
        "--lifecycle-policy-text",
        policy,
      ]);
      const stored = await moto.awsJson([
        "ecr",
        "get-lifecycle-policy",
        "--repository-name",
        "team/lifecycle",
      ]);
      assert.deepStrictEqual(JSON.parse(stored.lifecyclePolicyText), JSON.parse(policy));
    });

    it("refuses, by default, to move a tag to another image", async () => {
      await createNative("team/immutable");
      assert.strictEqual((await putImage(moto, "team/immutable", "v1")).code, 0);
      const moved = await putImage(moto, "team/immutable", "v1", "rebuilt");
      assert.notStrictEqual(moved.code, 0);
      assert.match(moved.stderr, /tag 'v1' already exists/);
    });

    it("moves a tag in a MUTABLE repository, and an excluded tag in an immutable one", async () => {
      await createNative("team/mutable", { imageTagMutability: "MUTABLE" });
      assert.strictEqual((await putImage(moto, "team/mutable", "v1")).code, 0);
      assert.strictEqual((await putImage(moto, "team/mutable", "v1", "rebuilt")).code, 0);

      await createNative("team/excluded", {
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: JSON.stringify(["latest"]),
      });
      assert.strictEqual((await putImage(moto, "team/excluded", "latest")).code, 0);
      assert.strictEqual((await putImage(moto, "team/excluded", "latest", "rebuilt")).code, 0);
      assert.strictEqual((await putImage(moto, "team/excluded", "v1")).code, 0);
      assert.notStrictEqual((await putImage(moto, "team/excluded", "v1", "rebuilt")).code, 0);
    });

    it("refuses to delete the repository while it holds an image, unless emptyOnDelete", async () => {
      const run = await createNative("team/keep");
      assert.strictEqual(ofType(run, "aws:ecr/repository:Repository")[0].inputs.forceDelete, false);
      await putImage(moto, "team/keep", "v1");
      const refused = await moto.aws([
        "ecr",
        "delete-repository",
        "--repository-name",
        "team/keep",
      ]);
      assert.match(refused.stderr, /RepositoryNotEmptyException/);
      assert.deepStrictEqual(await imageTags(moto, "team/keep"), ["v1"]);

      const emptying = await createNative("team/scratch", { emptyOnDelete: "true" });
      assert.strictEqual(
        ofType(emptying, "aws:ecr/repository:Repository")[0].inputs.forceDelete,
        true,
      );
      await putImage(moto, "team/scratch", "v1");
      await moto.awsJson([
        "ecr",
        "delete-repository",
        "--repository-name",
        "team/scratch",
        "--force",
      ]);
      assert.strictEqual(await imageTags(moto, "team/scratch"), undefined);
    });
  });

  describe("the native variant's repository policy", () => {
    it("is accepted by SetRepositoryPolicy and reads back equal", async () => {
      const run = await runProgram({
        stack: "dev",
        config: { iamUserName: "carol", variant: "native", repositoryName: "team/app" },
        preview: false,
        getUser: motoIamUsers(moto),
      });
      const policy = ofType(run, "aws:ecr/repositoryPolicy:RepositoryPolicy")[0].inputs.policy;
      assert.deepStrictEqual(
        JSON.parse(policy),
        repositoryPolicy(`arn:aws:iam::${ACCOUNT_ID}:user/team/ci/carol`),
      );

      await moto.awsJson(["ecr", "create-repository", "--repository-name", "team/app"]);
      await moto.awsJson([
        "ecr",
        "set-repository-policy",
        "--repository-name",
        "team/app",
        "--policy-text",
        policy,
      ]);
      const stored = await moto.awsJson([
        "ecr",
        "get-repository-policy",
        "--repository-name",
        "team/app",
      ]);
      assert.deepStrictEqual(JSON.parse(stored.policyText), JSON.parse(policy));
    });
  });
});
