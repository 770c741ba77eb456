import * as assert from "assert";

import { readTemplate, retainingRepositoryBody } from "../ecr/template";
import { iamUsers, ofType, ProgramRun, runProgram } from "./support/program";
import { committedStacks, stackConfig } from "./support/stacks";

const CLOUDFORMATION_STACK = "aws:cloudformation/stack:Stack";

const users = iamUsers({
  "ecr-dev-pusher": "/",
  "ecr-staging-pusher": "/",
  "ecr-prod-pusher": "/",
});

/** `pulumi preview` of a committed stack, with its own config file. */
function preview(stack: string): Promise<ProgramRun> {
  return runProgram({ stack, config: stackConfig(stack), preview: true, getUser: users });
}

/** What differs between environments, as the CloudFormation stack and options show it. */
async function environment(stack: string) {
  const run = await preview(stack);
  const cloudFormation = ofType(run, CLOUDFORMATION_STACK)[0];
  const { parameters } = cloudFormation.inputs;
  return {
    region: stackConfig(stack)["aws:region"],
    repositoryName: cloudFormation.inputs.name,
    iamUserName: parameters.IAMUserName,
    emptyOnDelete: parameters.EmptyOnDelete,
    untaggedImageExpiryDays: parameters.UntaggedImageExpiryDays,
    maxTaggedImageCount: parameters.MaxTaggedImageCount,
    retainsRepository:
      cloudFormation.inputs.templateBody === retainingRepositoryBody(readTemplate().document),
    protect: run.resources.map((resource) => resource.protect),
    warnings: run.warnings,
  };
}

describe("committed stacks (Pulumi.<stack>.yaml)", () => {
  it("are dev, staging and prod", () => {
    assert.deepStrictEqual(committedStacks(), ["dev", "prod", "staging"]);
  });

  for (const stack of committedStacks()) {
    it(`${stack} previews cleanly`, async () => {
      const run = await preview(stack);
      assert.strictEqual(ofType(run, CLOUDFORMATION_STACK).length, 1);
      assert.deepStrictEqual(Object.keys(run.exports).sort(), [
        "cloudFormationStackName",
        "repositoryArn",
        "repositoryName",
        "repositoryUrl",
      ]);
    });
  }

  it("dev may be emptied on delete, and expires images sooner", async () => {
    assert.deepStrictEqual(await environment("dev"), {
      region: "us-east-1",
      repositoryName: "ecr-repository-dev",
      iamUserName: "ecr-dev-pusher",
      emptyOnDelete: "true",
      untaggedImageExpiryDays: "3",
      maxTaggedImageCount: "30",
      retainsRepository: false,
      protect: [false, false],
      warnings: [
        "emptyOnDelete is true: pulumi destroy deletes repository ecr-repository-dev with every image in it.",
      ],
    });
  });

  it("staging has the defaults", async () => {
    assert.deepStrictEqual(await environment("staging"), {
      region: "us-east-1",
      repositoryName: "ecr-repository-staging",
      iamUserName: "ecr-staging-pusher",
      emptyOnDelete: "false",
      untaggedImageExpiryDays: "14",
      maxTaggedImageCount: "100",
      retainsRepository: false,
      protect: [false, false],
      warnings: [],
    });
  });

  it("prod is protected, never emptied on delete, and retained if its stack goes", async () => {
    assert.deepStrictEqual(await environment("prod"), {
      region: "us-east-1",
      repositoryName: "ecr-repository-prod",
      iamUserName: "ecr-prod-pusher",
      emptyOnDelete: "false",
      untaggedImageExpiryDays: "14",
      maxTaggedImageCount: "500",
      retainsRepository: true,
      protect: [true, true],
      warnings: [],
    });
  });
});
