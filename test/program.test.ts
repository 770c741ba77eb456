import * as assert from "assert";

import { readTemplate, retainingRepositoryBody } from "../ecr/template";
import {
  ACCOUNT_ID,
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
        const run = await runProgram({ stack: "dev", config: stackConfig("dev"), preview, getUser: users });

        assert.deepStrictEqual(
          run.resources.map((resource) => [resource.type, resource.name]),
          [
            ["ecr-repository:index:CloudFormationRepository", "repository"],
            [CLOUDFORMATION_STACK, "repository"],
          ],
        );
        assert.deepStrictEqual(ofType(run, CLOUDFORMATION_STACK)[0].inputs, {
          name: "ecr-repository-dev",
          templateBody: readTemplate().body,
          parameters: { IAMUserName: "ecr-dev-pusher", IAMUserPath: "/" },
          capabilities: [],
          onFailure: "DELETE",
        });
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
    assert.deepStrictEqual(ofType(run, CLOUDFORMATION_STACK)[0].inputs.parameters, {
      IAMUserName: "carol",
      IAMUserPath: "/team/ci/",
    });
  });

  describe("native variant", () => {
    it("registers one repository named team/app and its policy, and no CloudFormation stack", async () => {
      const run = await up("dev", { iamUserName: "alice", variant: "native", repositoryName: "team/app" });

      assert.deepStrictEqual(
        run.resources.map((resource) => [resource.type, resource.name]),
        [
          ["ecr-repository:index:NativeRepository", "repository"],
          [REPOSITORY, "repository"],
          [REPOSITORY_POLICY, "repository"],
        ],
      );
      assert.deepStrictEqual(ofType(run, REPOSITORY)[0].inputs, {
        name: "team/app",
        forceDelete: false,
      });
      assert.deepStrictEqual(JSON.parse(ofType(run, REPOSITORY_POLICY)[0].inputs.policy), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowPushPull",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/alice` },
            Action: [
              "ecr:GetDownloadUrlForLayer",
              "ecr:BatchGetImage",
              "ecr:BatchCheckLayerAvailability",
              "ecr:PutImage",
              "ecr:InitiateLayerUpload",
              "ecr:UploadLayerPart",
              "ecr:CompleteLayerUpload",
            ],
          },
        ],
      });
      assert.strictEqual(ofType(run, REPOSITORY_POLICY)[0].inputs.repository, "team/app");
    });

    it("exports the repository's name, URL and ARN, and no CloudFormation stack name", async () => {
      const run = await up("dev", { iamUserName: "alice", variant: "native", repositoryName: "team/app" });
      assert.deepStrictEqual(run.exports, {
        repositoryName: "team/app",
        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/team/app`,
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/team/app`,
      });
    });

    it("names a user with a path by its real ARN", async () => {
      const run = await up("dev", { iamUserName: "carol", variant: "native" });
      const policy = JSON.parse(ofType(run, REPOSITORY_POLICY)[0].inputs.policy);
      assert.strictEqual(policy.Statement[0].Principal.AWS, `arn:aws:iam::${ACCOUNT_ID}:user/team/ci/carol`);
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
      assert.strictEqual(stack.inputs.templateBody, retainingRepositoryBody(readTemplate().document));
      // CloudFormation keeps the repository; Pulumi still deletes the stack itself.
      assert.strictEqual(stack.retainOnDelete, false);
    });

    it("retains the native repository and its policy with retainOnDelete", async () => {
      const run = await up("dev", { iamUserName: "alice", variant: "native", retainOnDelete: "true" });
      assert.strictEqual(ofType(run, REPOSITORY)[0].retainOnDelete, true);
      assert.strictEqual(ofType(run, REPOSITORY_POLICY)[0].retainOnDelete, true);
    });
  });

  describe("bad input fails before anything is registered", () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ["a missing IAM user name", {}, /ecr-repository:iamUserName is not set/],
      ["an invalid IAM user name", { iamUserName: "alice smith" }, /ecr-repository:iamUserName = "alice smith"/],
      ["an unknown variant", { iamUserName: "alice", variant: "cdk" }, /ecr-repository:variant = "cdk"\n\s+- must be one of: cloudformation, native/],
      ["an uppercase repository name", { iamUserName: "alice", repositoryName: "Web" }, /ecr-repository:repositoryName = "Web"/],
      ["a namespaced name in the cloudformation variant", { iamUserName: "alice", repositoryName: "team/app" }, /pulumi config set variant native/],
    ];
    for (const [what, config, message] of cases) {
      it(what, async () => {
        const failure = await failureOf(config);
        assert.match(failure.message, message);
        assert.deepStrictEqual(failure.resources, []);
      });
    }

    it("an IAM user that does not exist, naming the user and the config key", async () => {
      const failure = await failureOf({ iamUserName: "mallory" });
      assert.match(failure.message, /^iamUserName = "mallory": the IAM user could not be read/);
      assert.match(failure.message, /reading IAM User \(mallory\): couldn't find resource/);
      assert.match(failure.message, /pulumi config set iamUserName <existing IAM user name>/);
      assert.deepStrictEqual(failure.resources, []);
    });
  });
});
