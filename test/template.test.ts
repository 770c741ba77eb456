import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import * as pulumi from "@pulumi/pulumi";

import { templateParameters } from "../ecr/cloudformation";
import {
  ENCRYPTION_TYPES,
  readSettings,
  RepositorySettings,
  TAG_MUTABILITIES,
} from "../ecr/config";
import { dockerLoginPolicy, PUSH_PULL_ACTIONS } from "../ecr/policy";
import { IAM_PATH, IAM_USER_NAME, TEMPLATE_LOGIN_POLICY_PREFIX } from "../ecr/rules";
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
import { PROJECT } from "./support/program";

const { body, document } = readTemplate();

const ALICE = { userName: "alice", path: "/", arn: "arn:aws:iam::123456789012:user/alice" };

/** The settings of a stack that sets nothing but its IAM user. */
function defaultSettings(): RepositorySettings {
  pulumi.runtime.setAllConfig({ [`${PROJECT}:iamUserName`]: "alice" });
  return readSettings(new pulumi.Config(PROJECT), { project: PROJECT, stack: "dev" });
}
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

    it("has one parameter for each setting, and the program passes them all", () => {
      assert.deepStrictEqual(Object.keys(document.Parameters), [
        "IAMUserName",
        "IAMUserPath",
        "PushPrincipals",
        "PullPrincipals",
        "GrantDockerLogin",
        "ScanOnPush",
        "ImageTagMutability",
        "ImageTagMutabilityExclusionFilters",
        "UntaggedImageExpiryDays",
        "MaxTaggedImageCount",
        "EncryptionType",
        "KmsKeyArn",
        "EmptyOnDelete",
      ]);
      assert.deepStrictEqual(
        Object.keys(templateParameters(defaultSettings(), ALICE)).sort(),
        Object.keys(document.Parameters).sort(),
      );
    });

    it("defaults every setting as the program does, so the article's command still works", () => {
      const defaults = Object.fromEntries(
        Object.entries(document.Parameters)
          .filter(([, parameter]) => parameter.Default !== undefined)
          .map(([name, parameter]) => [name, String(parameter.Default)]),
      );
      const { IAMUserName, ...programDefaults } = templateParameters(defaultSettings(), ALICE);
      assert.strictEqual(IAMUserName, "alice");
      assert.deepStrictEqual(defaults, programDefaults);
    });

    it("takes for each enumerated setting exactly the values config takes", () => {
      const allowed = (name: string) => document.Parameters[name].AllowedValues;
      assert.deepStrictEqual(allowed("ImageTagMutability"), [...TAG_MUTABILITIES]);
      assert.deepStrictEqual(allowed("EncryptionType"), [...ENCRYPTION_TYPES]);
      for (const name of ["GrantDockerLogin", "ScanOnPush", "EmptyOnDelete"]) {
        assert.deepStrictEqual(allowed(name), ["true", "false"], name);
      }
      assert.strictEqual(document.Parameters.UntaggedImageExpiryDays.MinValue, 0);
      assert.strictEqual(document.Parameters.MaxTaggedImageCount.MinValue, 0);
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

    it("lets the IAM user push and pull with the seven push/pull actions", () => {
      const policy = repository.Properties!.RepositoryPolicyText as { Statement: unknown[] };
      assert.deepStrictEqual(policy.Statement[0], {
        Sid: "AllowPushPull",
        Effect: "Allow",
        Principal: {
          AWS: {
            "Fn::Sub":
              "arn:${AWS::Partition}:iam::${AWS::AccountId}:user${IAMUserPath}${IAMUserName}",
          },
        },
        Action: [...PUSH_PULL_ACTIONS],
      });
    });

    it("grants the IAM user docker login, and only that, by an identity policy", () => {
      const login = document.Resources.DockerLoginPolicy as Record<string, any>;
      assert.strictEqual(login.Type, "AWS::IAM::Policy");
      assert.strictEqual(login.Condition, "GrantsDockerLogin");
      assert.deepStrictEqual(login.Properties.Users, [{ Ref: "IAMUserName" }]);
      // Config checks repository names against IAM's policy-name length with this prefix.
      assert.deepStrictEqual(login.Properties.PolicyName, {
        "Fn::Sub": `${TEMPLATE_LOGIN_POLICY_PREFIX}\${AWS::StackName}`,
      });
      assert.deepStrictEqual(login.Properties.PolicyDocument, dockerLoginPolicy());
    });

    it("never hard-codes the aws partition", () => {
      assert.ok(!body.includes("arn:aws:"), "the template names arn:aws:");
    });
  });

  it("outputs the repository's name, URI and ARN", () => {
    assert.deepStrictEqual(
      Object.fromEntries(
        Object.entries(document.Outputs).map(([key, output]) => [key, output.Value]),
      ),
      {
        [TEMPLATE_OUTPUTS.repositoryName]: { Ref: REPOSITORY_LOGICAL_ID },
        [TEMPLATE_OUTPUTS.repositoryUrl]: {
          "Fn::GetAtt": [REPOSITORY_LOGICAL_ID, "RepositoryUri"],
        },
        [TEMPLATE_OUTPUTS.repositoryArn]: { "Fn::GetAtt": [REPOSITORY_LOGICAL_ID, "Arn"] },
      },
    );
  });

  describe("capabilities", () => {
    it("needs CAPABILITY_IAM, for the docker-login policy", () => {
      assert.deepStrictEqual(requiredCapabilities(document), ["CAPABILITY_IAM"]);
    });

    it("needs none without IAM resources", () => {
      const { DockerLoginPolicy, ...withoutIam } = document.Resources;
      assert.strictEqual(DockerLoginPolicy.Type, "AWS::IAM::Policy");
      assert.deepStrictEqual(requiredCapabilities({ ...document, Resources: withoutIam }), []);
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
