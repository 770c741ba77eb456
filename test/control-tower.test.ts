import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { parseTemplate } from "../ecr/template";
import { resolvedResources } from "../policy/resolve";
import { run } from "./support/cli";
import { ACCOUNT_ID, iamUsers, ofType, REGION, runProgram } from "./support/program";

/** The cfn-guard binary and Control Tower rules that @cdklabs/cdk-validator-cfnguard ships. */
const GUARD_PACKAGE = path.dirname(require.resolve("@cdklabs/cdk-validator-cfnguard/package.json"));
const CFN_GUARD = path.join(
  GUARD_PACKAGE,
  "bin",
  process.platform === "darwin" ? "macos" : "ubuntu",
  process.arch === "arm64" ? "aarch64" : "x86_64",
  "cfn-guard",
);
const ECR_RULES = path.join(GUARD_PACKAGE, "rules", "control-tower", "cfn-guard", "ecr");
const CONTROLS = ["CT.ECR.PR.1", "CT.ECR.PR.2", "CT.ECR.PR.3"];

/**
 * Each ECR control's verdict on the template the program deploys for `config`, as
 * CloudFormation resolves it: Control Tower's proactive controls run as CloudFormation hooks,
 * on resource properties with parameters and conditions already applied.
 */
async function verdicts(config: Record<string, string>): Promise<Record<string, string>> {
  const program = await runProgram({
    stack: "dev",
    config: { iamUserName: "alice", ...config },
    preview: true,
    getUser: iamUsers({ alice: "/" }),
  });
  const stack = ofType(program, "aws:cloudformation/stack:Stack")[0].inputs;
  const resources = resolvedResources(
    parseTemplate(stack.templateBody),
    { partition: "aws", accountId: ACCOUNT_ID, region: REGION, stackName: stack.name },
    stack.parameters,
  );
  const data = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ecr-guard-")), "template.json");
  fs.writeFileSync(
    data,
    JSON.stringify({ AWSTemplateFormatVersion: "2010-09-09", Resources: resources }),
  );

  const result: Record<string, string> = {};
  for (const control of CONTROLS) {
    const rules = path.join(ECR_RULES, `${control.toLowerCase().replace(/\./g, "-")}.guard`);
    const guard = await run(CFN_GUARD, [
      "validate",
      "--rules",
      rules,
      "--data",
      data,
      "--output-format",
      "json",
      "--show-summary",
      "none",
    ]);
    const status = JSON.parse(guard.stdout).status;
    // cfn-guard exits 0 when every rule passes and 19 when one fails.
    assert.strictEqual(guard.code, status === "PASS" ? 0 : 19, guard.stderr);
    result[control] = status;
  }
  return result;
}

describe("AWS Control Tower proactive controls for ECR (cfn-guard)", () => {
  it("pass on the defaults: lifecycle policy, scan on push, tag immutability", async () => {
    assert.deepStrictEqual(await verdicts({}), {
      "CT.ECR.PR.1": "PASS",
      "CT.ECR.PR.2": "PASS",
      "CT.ECR.PR.3": "PASS",
    });
  });

  it("fail, each, on the setting that turns its safeguard off", async () => {
    assert.deepStrictEqual(
      await verdicts({ untaggedImageExpiryDays: "0", maxTaggedImageCount: "0" }),
      {
        "CT.ECR.PR.1": "FAIL",
        "CT.ECR.PR.2": "PASS",
        "CT.ECR.PR.3": "PASS",
      },
    );
    assert.deepStrictEqual(await verdicts({ scanOnPush: "false" }), {
      "CT.ECR.PR.1": "PASS",
      "CT.ECR.PR.2": "FAIL",
      "CT.ECR.PR.3": "PASS",
    });
    assert.deepStrictEqual(await verdicts({ imageTagMutability: "MUTABLE" }), {
      "CT.ECR.PR.1": "PASS",
      "CT.ECR.PR.2": "PASS",
      "CT.ECR.PR.3": "FAIL",
    });
  });

  it("count IMMUTABLE_WITH_EXCLUSION as mutable: CT.ECR.PR.3 accepts IMMUTABLE alone", async () => {
    const config = {
      imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
      imageTagMutabilityExclusionFilters: JSON.stringify(["latest"]),
    };
    assert.strictEqual((await verdicts(config))["CT.ECR.PR.3"], "FAIL");
  });
});
