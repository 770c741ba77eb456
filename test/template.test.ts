import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { PUSH_PULL_ACTIONS } from "../ecr/policy";
import { IAM_PATH, IAM_USER_NAME } from "../ecr/rules";
import {
  readTemplate,
  REPOSITORY_LOGICAL_ID,
  requiredCapabilities,
  retainingRepositoryBody,
  TEMPLATE_OUTPUTS,
  TEMPLATE_PATH,
  TemplateDocument,
} from "../ecr/template";
import { run } from "./support/cli";

const { body, document } = readTemplate();
const repository = document.Resources[REPOSITORY_LOGICAL_ID];

/** A parameter's AllowedPattern as CloudFormation applies it: to the whole value. */
function wholeMatch(parameter: Record<string, unknown>): RegExp {
  return new RegExp(`^(?:${parameter.AllowedPattern})$`);
}

function allowedBy(parameter: Record<string, unknown>, value: string): boolean {
  return wholeMatch(parameter).test(value);
}

describe("CloudFormation template (ecr/ecr.yml)", () => {
  describe("parameters", () => {
    const { IAMUserName, IAMUserPath } = document.Parameters;

    it("has exactly IAMUserName and IAMUserPath", () => {
      assert.deepStrictEqual(Object.keys(document.Parameters), ["IAMUserName", "IAMUserPath"]);
    });

    it("has no placeholder default for the IAM user, so it must be given", () => {
      assert.strictEqual(IAMUserName.Default, undefined);
    });

    it("constrains the IAM user name exactly as IAM does", () => {
      assert.strictEqual(IAMUserName.MinLength, IAM_USER_NAME.minLength);
      assert.strictEqual(IAMUserName.MaxLength, IAM_USER_NAME.maxLength);
      assert.strictEqual(`^${IAMUserName.AllowedPattern}$`, IAM_USER_NAME.pattern.source);
      for (const name of ["alice", "Alice+ci=1,x.y@corp_z-w", "a"]) {
        assert.ok(allowedBy(IAMUserName, name), name);
      }
      for (const name of ["alice smith", "team/alice", "alice!", "élodie", ""]) {
        assert.ok(!allowedBy(IAMUserName, name), name);
      }
    });

    it("defaults the IAM path to / and constrains it as IAM does", () => {
      assert.strictEqual(IAMUserPath.Default, "/");
      assert.strictEqual(IAMUserPath.MaxLength, IAM_PATH.maxLength);
      assert.strictEqual(wholeMatch(IAMUserPath).source, IAM_PATH.pattern.source);
      assert.ok(allowedBy(IAMUserPath, "/team/ci/"));
      assert.ok(!allowedBy(IAMUserPath, "//"));
      assert.ok(!allowedBy(IAMUserPath, "team/"));
    });
  });

  describe("repository", () => {
    it("is named after the CloudFormation stack", () => {
      assert.strictEqual(repository.Type, "AWS::ECR::Repository");
      assert.deepStrictEqual(repository.Properties!.RepositoryName, { Ref: "AWS::StackName" });
    });

    it("is deleted with its stack only while it holds no image, and never replaced away", () => {
      assert.strictEqual(repository.DeletionPolicy, "Delete");
      assert.strictEqual((repository as Record<string, unknown>).UpdateReplacePolicy, "Retain");
    });

    it("lets the IAM user push and pull with the seven push/pull actions, and nothing else", () => {
      assert.deepStrictEqual(repository.Properties!.RepositoryPolicyText, {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowPushPull",
            Effect: "Allow",
            Principal: {
              AWS: {
                "Fn::Sub":
                  "arn:${AWS::Partition}:iam::${AWS::AccountId}:user${IAMUserPath}${IAMUserName}",
              },
            },
            Action: [...PUSH_PULL_ACTIONS],
          },
        ],
      });
    });

    it("never hard-codes the aws partition", () => {
      assert.ok(!body.includes("arn:aws:"), "the template names arn:aws:");
    });
  });

  it("outputs the repository's name, URI and ARN", () => {
    assert.deepStrictEqual(
      Object.fromEntries(Object.entries(document.Outputs).map(([key, output]) => [key, output.Value])),
      {
        [TEMPLATE_OUTPUTS.repositoryName]: { Ref: REPOSITORY_LOGICAL_ID },
        [TEMPLATE_OUTPUTS.repositoryUrl]: { "Fn::GetAtt": [REPOSITORY_LOGICAL_ID, "RepositoryUri"] },
        [TEMPLATE_OUTPUTS.repositoryArn]: { "Fn::GetAtt": [REPOSITORY_LOGICAL_ID, "Arn"] },
      },
    );
  });

  describe("capabilities", () => {
    it("needs none, having no IAM resource", () => {
      assert.deepStrictEqual(requiredCapabilities(document), []);
    });

    it("asks CAPABILITY_IAM for IAM resources and CAPABILITY_NAMED_IAM for named ones", () => {
      const withResources = (resources: TemplateDocument["Resources"]): TemplateDocument => ({
        ...document,
        Resources: { ...document.Resources, ...resources },
      });
      const policy = { Type: "AWS::IAM::Policy", Properties: { PolicyName: "login" } };
      const role = { Type: "AWS::IAM::Role", Properties: { RoleName: "pusher" } };
      assert.deepStrictEqual(requiredCapabilities(withResources({ Login: policy })), [
        "CAPABILITY_IAM",
      ]);
      assert.deepStrictEqual(requiredCapabilities(withResources({ Login: policy, Role: role })), [
        "CAPABILITY_NAMED_IAM",
      ]);
    });
  });

  describe("cfn-lint", () => {
    it("reports nothing, informational findings included", async () => {
      const result = await run("cfn-lint", ["--include-checks", "I", "--", TEMPLATE_PATH]);
      assert.strictEqual(result.stdout + result.stderr, "");
      assert.strictEqual(result.code, 0);
    });

    it("reports nothing on the template that retains the repository", async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ecr-")), "retaining.json");
      fs.writeFileSync(file, retainingRepositoryBody(document));
      const result = await run("cfn-lint", ["--include-checks", "I", "--", file]);
      assert.strictEqual(result.stdout + result.stderr, "");
      assert.strictEqual(result.code, 0);
    });
  });

  it("differs, when retaining the repository, only in the repository's DeletionPolicy", () => {
    const retaining = JSON.parse(retainingRepositoryBody(document));
    assert.strictEqual(retaining.Resources[REPOSITORY_LOGICAL_ID].DeletionPolicy, "Retain");
    retaining.Resources[REPOSITORY_LOGICAL_ID].DeletionPolicy = "Delete";
    assert.deepStrictEqual(retaining, document);
  });
});
