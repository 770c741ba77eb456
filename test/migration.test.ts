import * as assert from "assert";

import { readTemplate, retainingRepositoryBody } from "../ecr/template";
import { imageTags, putImage } from "./support/images";
import {
  Moto,
  motoIamUsers,
  motoRepositories,
  motoTemplateBodies,
  stackCall,
} from "./support/moto";
import { identities, ofType, ProgramFailure, ProgramRun, runProgram } from "./support/program";

const CLOUDFORMATION_STACK = "aws:cloudformation/stack:Stack";
const REPOSITORY = "aws:ecr/repository:Repository";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";

/** The config of each step of the move from cloudformation to native, as the README gives it. */
const STEPS = {
  start: { iamUserName: "ecr-dev-pusher" },
  release: { iamUserName: "ecr-dev-pusher", retainOnDelete: "true" },
  adopt: {
    iamUserName: "ecr-dev-pusher",
    retainOnDelete: "true",
    variant: "native",
    importRepository: "true",
  },
  tidy: { iamUserName: "ecr-dev-pusher", variant: "native" },
};

describe("moving a stack from the cloudformation to the native variant", () => {
  let moto: Moto;
  const runs: Partial<Record<keyof typeof STEPS, ProgramRun>> = {};

  /** Runs one step's config as `pulumi up` of the dev stack, against the emulator's IAM and CloudFormation. */
  const up = (step: keyof typeof STEPS) =>
    runProgram({
      stack: "dev",
      config: STEPS[step],
      preview: false,
      getUser: motoIamUsers(moto),
      getTemplateBody: motoTemplateBodies(moto),
      getRepository: motoRepositories(moto),
    });

  before(async () => {
    moto = await Moto.start();
    await moto.awsJson(["iam", "create-user", "--user-name", "ecr-dev-pusher"]);
  });

  after(async () => {
    await moto?.stop();
  });

  it("starts from a CloudFormation stack whose repository holds an image", async () => {
    runs.start = await up("start");
    const inputs = ofType(runs.start, CLOUDFORMATION_STACK)[0].inputs;
    assert.strictEqual(inputs.templateBody, readTemplate().body);

    await moto.awsJson(stackCall("create-stack", inputs));
    assert.strictEqual((await putImage(moto, "ecr-repository-dev", "v1")).code, 0);
  });

  it("refuses to adopt the repository while its CloudFormation stack would delete it", async () => {
    let failure: ProgramFailure | undefined;
    try {
      await up("adopt");
    } catch (error) {
      failure = error as ProgramFailure;
    }
    assert.ok(failure instanceof ProgramFailure, "the adopt step ran before the release step");
    assert.match(
      failure.message,
      /^importRepository = true: the CloudFormation stack "ecr-repository-dev" still owns the repository/,
    );
    assert.match(failure.message, /pulumi config set retainOnDelete true/);
    assert.deepStrictEqual(failure.resources, []);
  });

  it("step 1, release: updates the same CloudFormation stack to retain the repository", async () => {
    runs.release = await up("release");
    assert.deepStrictEqual(identities(runs.release), identities(runs.start!));

    const before = ofType(runs.start!, CLOUDFORMATION_STACK)[0].inputs;
    const after = ofType(runs.release, CLOUDFORMATION_STACK)[0].inputs;
    assert.deepStrictEqual(
      { ...after, templateBody: undefined },
      { ...before, templateBody: undefined },
    );
    assert.strictEqual(after.templateBody, retainingRepositoryBody(readTemplate().document));

    // The provider's UpdateStack, with the parameters unchanged.
    const updated = await moto.awsJson(stackCall("update-stack", after));
    assert.ok(updated.StackId);
  });

  it("step 2, adopt: imports the repository natively and drops the CloudFormation stack", async () => {
    runs.adopt = await up("adopt");
    assert.deepStrictEqual(identities(runs.adopt), [
      "aws:ecr/lifecyclePolicy:LifecyclePolicy::repository",
      `${REPOSITORY}::repository`,
      `${REPOSITORY_POLICY}::repository`,
      "aws:iam/userPolicy:UserPolicy::repository",
      "ecr-repository:index:NativeRepository::repository",
    ]);
    const repository = ofType(runs.adopt, REPOSITORY)[0];
    assert.strictEqual(repository.importId, "ecr-repository-dev");
    assert.strictEqual(repository.inputs.name, "ecr-repository-dev");
    assert.strictEqual(repository.retainOnDelete, true);
    assert.strictEqual(ofType(runs.adopt, REPOSITORY_POLICY)[0].importId, undefined);

    // Pulumi deletes the CloudFormation stack it no longer has in the program.
    await moto.awsJson(["cloudformation", "delete-stack", "--stack-name", "ecr-repository-dev"]);
    assert.deepStrictEqual(await imageTags(moto, "ecr-repository-dev"), ["v1"]);

    // And applies the native policy to the repository it adopted.
    const policy = ofType(runs.adopt, REPOSITORY_POLICY)[0].inputs.policy;
    await moto.awsJson([
      "ecr",
      "set-repository-policy",
      "--repository-name",
      "ecr-repository-dev",
      "--policy-text",
      policy,
    ]);
  });

  it("step 3, tidy: the same resources without the import", async () => {
    runs.tidy = await up("tidy");
    assert.deepStrictEqual(identities(runs.tidy), identities(runs.adopt!));
    assert.strictEqual(ofType(runs.tidy, REPOSITORY)[0].importId, undefined);
    assert.deepStrictEqual(
      ofType(runs.tidy, REPOSITORY)[0].inputs,
      ofType(runs.adopt!, REPOSITORY)[0].inputs,
    );
    assert.deepStrictEqual(await imageTags(moto, "ecr-repository-dev"), ["v1"]);
  });
});
