import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";

import { ConfigError, readSettings, RepositorySettings } from "../ecr/config";
import { PROJECT } from "./support/program";

/** Reads settings as the program does, from `config` set as `pulumi config set` would. */
function settingsOf(config: Record<string, string>, stack = "dev"): RepositorySettings {
  const namespaced: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    namespaced[`${PROJECT}:${key}`] = value;
  }
  pulumi.runtime.setAllConfig(namespaced);
  return readSettings(new pulumi.Config(PROJECT), { project: PROJECT, stack });
}

/** The ConfigError that reading `config` throws. */
function errorOf(config: Record<string, string>, stack = "dev"): ConfigError {
  try {
    settingsOf(config, stack);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail(`config ${JSON.stringify(config)} was accepted`);
}

describe("config", () => {
  it("applies the defaults of every optional key", () => {
    assert.deepStrictEqual(settingsOf({ iamUserName: "alice" }), {
      iamUserName: "alice",
      repositoryName: "ecr-repository-dev",
      variant: "cloudformation",
      retainOnDelete: false,
      importRepository: false,
      protect: false,
    });
  });

  it("derives a valid repository name from any stack name", () => {
    assert.strictEqual(
      settingsOf({ iamUserName: "alice" }, "Prod-EU").repositoryName,
      "ecr-repository-prod-eu",
    );
    assert.strictEqual(
      settingsOf({ iamUserName: "alice" }, "staging_2.eu").repositoryName,
      "ecr-repository-staging-2-eu",
    );
  });

  it("takes a typed repository name as it is", () => {
    const settings = settingsOf({ iamUserName: "alice", repositoryName: "web-api" });
    assert.strictEqual(settings.repositoryName, "web-api");
  });

  describe("rejects, naming the key, the value, the rule and the fix", () => {
    it("a missing IAM user name", () => {
      const error = errorOf({});
      assert.deepStrictEqual(error.problems, [
        {
          key: "iamUserName",
          value: undefined,
          rules: ["is required: the existing IAM user that may push and pull"],
          fix: "pulumi config set iamUserName <existing IAM user name>",
        },
      ]);
      assert.match(error.message, /ecr-repository:iamUserName is not set/);
    });

    it("an IAM user name that is too long", () => {
      const name = "a".repeat(65);
      assert.deepStrictEqual(errorOf({ iamUserName: name }).problems[0].rules, [
        "IAM user name (IAM CreateUser API): must be 1 to 64 characters long (it is 65)",
      ]);
    });

    it("an IAM user name with characters IAM does not allow", () => {
      const error = errorOf({ iamUserName: "alice smith" });
      assert.deepStrictEqual(error.problems[0], {
        key: "iamUserName",
        value: "alice smith",
        rules: [
          "IAM user name (IAM CreateUser API): may hold only letters, digits and " +
            "'+', '=', ',', '.', '@', '_', '-'",
        ],
        fix: "pulumi config set iamUserName <existing IAM user name>",
      });
      assert.ok(
        error.message.includes('ecr-repository:iamUserName = "alice smith"'),
        error.message,
      );
    });

    it("an unknown variant, listing the allowed ones", () => {
      const error = errorOf({ iamUserName: "alice", variant: "terraform" });
      assert.deepStrictEqual(error.problems, [
        {
          key: "variant",
          value: "terraform",
          rules: ["must be one of: cloudformation, native"],
          fix: "pulumi config set variant cloudformation",
        },
      ]);
    });

    it("an uppercase repository name, which ECR refuses", () => {
      const problem = errorOf({ iamUserName: "alice", repositoryName: "Web-Api" }).problems[0];
      assert.deepStrictEqual(problem, {
        key: "repositoryName",
        value: "Web-Api",
        rules: ["ECR repository name (ECR CreateRepository API): must be lowercase"],
        fix: "pulumi config set repositoryName web-api",
      });
    });

    it("a repository name that is too short or too long", () => {
      assert.deepStrictEqual(errorOf({ iamUserName: "alice", repositoryName: "a" }).problems[0].rules, [
        "ECR repository name (ECR CreateRepository API): must be 2 to 256 characters long (it is 1)",
      ]);
      const long = "a".repeat(129);
      assert.deepStrictEqual(errorOf({ iamUserName: "alice", repositoryName: long }).problems[0].rules, [
        "CloudFormation stack name (CloudFormation CreateStack API): must be 1 to 128 characters long (it is 129)",
      ]);
    });

    it("a repository name with doubled or trailing separators", () => {
      assert.deepStrictEqual(errorOf({ iamUserName: "alice", repositoryName: "web--api" }).problems[0].rules, [
        "ECR repository name (ECR CreateRepository API): must not put two of '.', '_', '-', '/' next to each other",
      ]);
      assert.deepStrictEqual(errorOf({ iamUserName: "alice", repositoryName: "web-" }).problems[0].rules, [
        "ECR repository name (ECR CreateRepository API): must start and end with a letter or digit",
      ]);
    });

    it("a repository name that ECR allows but a CloudFormation stack name does not", () => {
      for (const name of ["web.api", "web_api", "1web"]) {
        const problem = errorOf({ iamUserName: "alice", repositoryName: name }).problems[0];
        assert.strictEqual(problem.rules.length, 1, name);
        assert.match(problem.rules[0], /^CloudFormation stack name \(CloudFormation CreateStack API\): /);
      }
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", repositoryName: "web_api" }).problems[0].fix,
        "pulumi config set repositoryName web-api",
      );
    });

    it("a namespaced repository name in the cloudformation variant, pointing to native", () => {
      const problem = errorOf({ iamUserName: "alice", repositoryName: "team/app" }).problems[0];
      assert.deepStrictEqual(problem, {
        key: "repositoryName",
        value: "team/app",
        rules: [
          "CloudFormation stack name (CloudFormation CreateStack API): may hold only letters, " +
            "digits and '-' (no '.', '_' or '/')",
          "namespaced names such as team/app cannot be a CloudFormation stack name; the native " +
            "variant takes them",
        ],
        fix:
          "pulumi config set repositoryName team-app, or keep the name and " +
          "pulumi config set variant native",
      });
    });

    it("a boolean key that is not true or false", () => {
      const problem = errorOf({ iamUserName: "alice", protect: "yes" }).problems[0];
      assert.deepStrictEqual(problem, {
        key: "protect",
        value: "yes",
        rules: ["must be true or false"],
        fix: "pulumi config set protect true",
      });
    });

    it("importRepository in the cloudformation variant", () => {
      const problem = errorOf({ iamUserName: "alice", importRepository: "true" }).problems[0];
      assert.strictEqual(problem.key, "importRepository");
      assert.strictEqual(
        problem.fix,
        "pulumi config set variant native, or pulumi config rm importRepository",
      );
    });

    it("every bad key at once, in one error", () => {
      const error = errorOf({ iamUserName: "bad name", variant: "cdk", repositoryName: "Bad" });
      assert.deepStrictEqual(
        error.problems.map((problem) => problem.key),
        ["iamUserName", "variant", "repositoryName"],
      );
      assert.match(error.message, /^The stack config is invalid, so nothing was created or changed\./);
    });
  });

  it("accepts a namespaced repository name in the native variant", () => {
    const settings = settingsOf({ iamUserName: "alice", variant: "native", repositoryName: "team/app" });
    assert.strictEqual(settings.repositoryName, "team/app");
  });
});
