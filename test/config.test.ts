import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";

import { ConfigError, readSettings, RepositorySettings, settingsWarnings } from "../ecr/config";
import { PROJECT } from "./support/program";

/** Reads settings as the program does, from `config` set as `pulumi config set` would. */
function settingsOf(
  config: Record<string, string>,
  stack = "dev",
  region?: string,
): RepositorySettings {
  const namespaced: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    namespaced[`${PROJECT}:${key}`] = value;
  }
  pulumi.runtime.setAllConfig(namespaced);
  return readSettings(new pulumi.Config(PROJECT), { project: PROJECT, stack, region });
}

/** The ConfigError that reading `config` throws. */
function errorOf(config: Record<string, string>, region?: string): ConfigError {
  try {
    settingsOf(config, "dev", region);
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
      pushPrincipals: [],
      pullPrincipals: [],
      grantDockerLogin: true,
      scanOnPush: true,
      imageTagMutability: "IMMUTABLE",
      imageTagMutabilityExclusionFilters: [],
      untaggedImageExpiryDays: 14,
      maxTaggedImageCount: 100,
      encryptionType: "AES256",
      kmsKeyArn: "",
      tags: { "pulumi:project": "ecr-repository", "pulumi:stack": "dev" },
      emptyOnDelete: false,
      retainOnDelete: false,
      importRepository: false,
      protect: false,
    });
  });

  it("takes a custom value of every setting", () => {
    const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd";
    const settings = settingsOf(
      {
        iamUserName: "alice",
        pushPrincipals: '["arn:aws:iam::123456789012:role/ci"]',
        pullPrincipals:
          '["arn:aws:iam::210987654321:root", "arn:aws:iam::210987654321:user/ops/bob"]',
        grantDockerLogin: "false",
        scanOnPush: "false",
        imageTagMutability: "MUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: '["release-*", "v*.*"]',
        untaggedImageExpiryDays: "1",
        maxTaggedImageCount: "0",
        encryptionType: "KMS",
        kmsKeyArn,
        tags: '["team=platform", "pulumi:stack=shared", "note=a b:c/d"]',
        emptyOnDelete: "true",
      },
      "dev",
      "us-east-1",
    );
    assert.deepStrictEqual(
      { ...settings, iamUserName: undefined, repositoryName: undefined, variant: undefined },
      {
        iamUserName: undefined,
        repositoryName: undefined,
        variant: undefined,
        pushPrincipals: ["arn:aws:iam::123456789012:role/ci"],
        pullPrincipals: [
          "arn:aws:iam::210987654321:root",
          "arn:aws:iam::210987654321:user/ops/bob",
        ],
        grantDockerLogin: false,
        scanOnPush: false,
        imageTagMutability: "MUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: ["release-*", "v*.*"],
        untaggedImageExpiryDays: 1,
        maxTaggedImageCount: 0,
        encryptionType: "KMS",
        kmsKeyArn,
        tags: {
          "pulumi:project": "ecr-repository",
          "pulumi:stack": "shared",
          team: "platform",
          note: "a b:c/d",
        },
        emptyOnDelete: true,
        retainOnDelete: false,
        importRepository: false,
        protect: false,
      },
    );
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
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", repositoryName: "a" }).problems[0].rules,
        [
          "ECR repository name (ECR CreateRepository API): must be 2 to 256 characters long (it is 1)",
        ],
      );
      const long = "a".repeat(129);
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", repositoryName: long }).problems[0].rules,
        [
          "CloudFormation stack name (CloudFormation CreateStack API): must be 1 to 128 characters long (it is 129)",
          "IAM policy name ecr-docker-login-NAME of the docker-login policy (IAM PutUserPolicy API): must be 1 to 128 characters long (it is 146)",
        ],
      );
    });

    it("a repository name with doubled or trailing separators", () => {
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", repositoryName: "web--api" }).problems[0].rules,
        [
          "ECR repository name (ECR CreateRepository API): must not put two of '.', '_', '-', '/' next to each other",
        ],
      );
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", repositoryName: "web-" }).problems[0].rules,
        [
          "ECR repository name (ECR CreateRepository API): must start and end with a letter or digit",
        ],
      );
    });

    it("a repository name that ECR allows but a CloudFormation stack name does not", () => {
      for (const name of ["web.api", "web_api", "1web"]) {
        const problem = errorOf({ iamUserName: "alice", repositoryName: name }).problems[0];
        assert.strictEqual(problem.rules.length, 1, name);
        assert.match(
          problem.rules[0],
          /^CloudFormation stack name \(CloudFormation CreateStack API\): /,
        );
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
        fix: "pulumi config set protect true (or false)",
      });
      assert.strictEqual(
        errorOf({ iamUserName: "alice", scanOnPush: "TRUE" }).problems[0].fix,
        "pulumi config set scanOnPush true",
      );
    });

    it("a name too long for the template's docker-login policy, in the cloudformation variant", () => {
      // The template names the policy ecr-docker-login-NAME, and IAM takes 128 characters.
      assert.strictEqual(
        settingsOf({ iamUserName: "alice", repositoryName: "a".repeat(111) }).repositoryName.length,
        111,
      );
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", repositoryName: "a".repeat(112) }).problems[0].rules,
        [
          "IAM policy name ecr-docker-login-NAME of the docker-login policy (IAM PutUserPolicy API): must be 1 to 128 characters long (it is 129)",
        ],
      );
      const withoutLogin = {
        iamUserName: "alice",
        repositoryName: "a".repeat(128),
        grantDockerLogin: "false",
      };
      assert.strictEqual(settingsOf(withoutLogin).repositoryName.length, 128);
    });

    it("a value in the wrong case, suggesting the right one and nothing that depends on it", () => {
      assert.deepStrictEqual(errorOf({ iamUserName: "alice", encryptionType: "kms" }).problems, [
        {
          key: "encryptionType",
          value: "kms",
          rules: ["must be one of: AES256, KMS (the case matters)"],
          fix: "pulumi config set encryptionType KMS",
        },
      ]);
      const mutability = errorOf({
        iamUserName: "alice",
        imageTagMutability: "mutable_with_exclusion",
        imageTagMutabilityExclusionFilters: '["latest"]',
      });
      assert.deepStrictEqual(
        mutability.problems.map((problem) => [problem.key, problem.fix]),
        [["imageTagMutability", "pulumi config set imageTagMutability MUTABLE_WITH_EXCLUSION"]],
      );
      const variant = errorOf({
        iamUserName: "alice",
        variant: "Native",
        repositoryName: "team/app",
      });
      assert.deepStrictEqual(
        variant.problems.map((problem) => [problem.key, problem.fix]),
        [["variant", "pulumi config set variant native"]],
      );
    });

    it("an IAM user given by ARN or with its path", () => {
      for (const value of ["arn:aws:iam::123456789012:user/alice", "team/alice"]) {
        assert.ok(
          errorOf({ iamUserName: value }).problems[0].rules.includes(
            "give the user's name alone, such as alice: the program reads its path from IAM",
          ),
          value,
        );
      }
    });

    it("importRepository in the cloudformation variant", () => {
      const problem = errorOf({ iamUserName: "alice", importRepository: "true" }).problems[0];
      assert.strictEqual(problem.key, "importRepository");
      assert.strictEqual(
        problem.fix,
        "pulumi config set variant native, or pulumi config rm importRepository",
      );
    });

    it("an integer key that is not a whole number in range", () => {
      for (const value of ["-1", "1.5", "ten", "2147483648"]) {
        assert.deepStrictEqual(
          errorOf({ iamUserName: "alice", untaggedImageExpiryDays: value }).problems,
          [
            {
              key: "untaggedImageExpiryDays",
              value,
              rules: ["must be a whole number from 0 to 2147483647"],
              fix: "pulumi config set untaggedImageExpiryDays 14",
            },
          ],
        );
      }
      assert.strictEqual(
        errorOf({ iamUserName: "alice", maxTaggedImageCount: "-5" }).problems[0].fix,
        "pulumi config set maxTaggedImageCount 100",
      );
    });

    it("an unknown tag mutability or encryption type, listing the allowed ones", () => {
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", imageTagMutability: "READ_ONLY" }).problems[0].rules,
        ["must be one of: IMMUTABLE, MUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION"],
      );
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", encryptionType: "SSE" }).problems[0].rules,
        ["must be one of: AES256, KMS"],
      );
    });

    it("a list key that is not a list of strings", () => {
      const problem = errorOf({
        iamUserName: "alice",
        pullPrincipals: "arn:aws:iam::123456789012:root",
      }).problems[0];
      assert.deepStrictEqual(problem, {
        key: "pullPrincipals",
        value: "arn:aws:iam::123456789012:root",
        rules: ["must be a list of strings"],
        fix: "pulumi config set --path 'pullPrincipals[0]' <value> (one command per item)",
      });
    });

    it("a wildcard principal, ever", () => {
      for (const principal of ["*", "arn:aws:iam::123456789012:role/*", "arn:aws:iam::*:root"]) {
        const problem = errorOf({
          iamUserName: "alice",
          pushPrincipals: JSON.stringify([principal]),
        }).problems[0];
        assert.deepStrictEqual(problem.rules, [
          `item 0 (${JSON.stringify(principal)}): must name one principal: wildcards would open ` +
            "the repository to anyone who matches",
        ]);
      }
    });

    it("a principal that is not an IAM user, role or account-root ARN", () => {
      const principals = [
        "arn:aws:sts::123456789012:assumed-role/ci/session",
        "arn:aws:s3:::bucket",
        "arn:aws:iam::123456789012:group/devs",
      ];
      const problem = errorOf({ iamUserName: "alice", pullPrincipals: JSON.stringify(principals) })
        .problems[0];
      assert.strictEqual(problem.key, "pullPrincipals");
      assert.deepStrictEqual(
        problem.rules,
        principals.map(
          (principal, index) =>
            `item ${index} (${JSON.stringify(principal)}): must be the ARN of an IAM user or role, ` +
            "or of an account's root (arn:PARTITION:iam::ACCOUNT:user/NAME, :role/NAME or :root)",
        ),
      );
    });

    it("an account ID, pointing to its root's ARN", () => {
      const problem = errorOf({ iamUserName: "alice", pullPrincipals: '["123456789012"]' })
        .problems[0];
      assert.deepStrictEqual(problem.rules, [
        'item 0 ("123456789012"): must be an ARN: an account is named by its root, arn:aws:iam::123456789012:root',
      ]);
    });

    it("a principal with a comma in the cloudformation variant only", () => {
      const config = {
        iamUserName: "alice",
        pushPrincipals: '["arn:aws:iam::123456789012:user/a,b"]',
      };
      assert.deepStrictEqual(errorOf(config).problems[0].rules, [
        "item 0 (\"arn:aws:iam::123456789012:user/a,b\"): cannot hold ',' in the cloudformation " +
          "variant: the template splits its lists on ','",
      ]);
      assert.deepStrictEqual(settingsOf({ ...config, variant: "native" }).pushPrincipals, [
        "arn:aws:iam::123456789012:user/a,b",
      ]);
    });

    it("exclusion filters that break ECR's filter rules", () => {
      const problem = errorOf({
        iamUserName: "alice",
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: '["v*.*.*", "dev/x", ""]',
      }).problems[0];
      assert.deepStrictEqual(problem.rules, [
        "item 0 (\"v*.*.*\"): tag mutability exclusion filter (ECR ImageTagMutabilityExclusionFilter): may hold at most two '*' wildcards",
        "item 1 (\"dev/x\"): tag mutability exclusion filter (ECR ImageTagMutabilityExclusionFilter): may hold only letters, digits, '.', '_', '-' and the wildcard '*'",
        'item 2 (""): tag mutability exclusion filter (ECR ImageTagMutabilityExclusionFilter): must be 1 to 128 characters long (it is 0)',
      ]);
    });

    it("exclusion filters missing, too many, or without a _WITH_EXCLUSION mutability", () => {
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" })
          .problems[0],
        {
          key: "imageTagMutabilityExclusionFilters",
          value: "[]",
          rules: ["must hold 1 to 5 filters with imageTagMutability IMMUTABLE_WITH_EXCLUSION"],
          fix: "pulumi config set --path 'imageTagMutabilityExclusionFilters[0]' latest",
        },
      );
      const tooMany = errorOf({
        iamUserName: "alice",
        imageTagMutability: "MUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: '["a","b","c","d","e","f"]',
      }).problems[0];
      assert.deepStrictEqual(tooMany.rules, [
        "must hold 1 to 5 filters with imageTagMutability MUTABLE_WITH_EXCLUSION",
      ]);
      assert.strictEqual(
        tooMany.fix,
        "pulumi config rm --path 'imageTagMutabilityExclusionFilters[5]', once for each filter past the 5th",
      );
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", imageTagMutabilityExclusionFilters: '["latest"]' })
          .problems[0],
        {
          key: "imageTagMutabilityExclusionFilters",
          value: '["latest"]',
          rules: ["apply only with a _WITH_EXCLUSION imageTagMutability, not IMMUTABLE"],
          fix:
            "pulumi config set imageTagMutability IMMUTABLE_WITH_EXCLUSION, or " +
            "pulumi config rm imageTagMutabilityExclusionFilters",
        },
      );
    });

    it("a KMS key that is no key ARN, in another region, or without KMS encryption", () => {
      const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd";
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", encryptionType: "KMS", kmsKeyArn: "alias/ecr" })
          .problems[0],
        {
          key: "kmsKeyArn",
          value: "alias/ecr",
          rules: ["must be a KMS key ARN: arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID"],
          fix: "pulumi config set kmsKeyArn <KMS key ARN>",
        },
      );
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", encryptionType: "KMS", kmsKeyArn: key }, "us-east-1")
          .problems[0].rules,
        ["must be a key in the stack's region us-east-1, which ECR requires (it is in eu-west-1)"],
      );
      const withoutKms = errorOf({ iamUserName: "alice", kmsKeyArn: key }).problems[0];
      assert.deepStrictEqual(withoutKms.rules, [
        "applies only with encryptionType KMS, not AES256",
      ]);
      assert.strictEqual(
        withoutKms.fix,
        "pulumi config set encryptionType KMS, or pulumi config rm kmsKeyArn",
      );
    });

    it("tags that are not KEY=VALUE, break AWS's tag rules, or are too many", () => {
      const problem = errorOf({
        iamUserName: "alice",
        tags: JSON.stringify(["team", "aws:owner=me", "=empty", "emoji=☕"]),
      }).problems[0];
      assert.deepStrictEqual(problem.rules, [
        'item 0 ("team"): must be KEY=VALUE',
        'item 1 ("aws:owner=me"): tag key (AWS tagging rules): must not start with aws:, which AWS keeps for itself',
        'item 2 ("=empty"): tag key (AWS tagging rules): must be 1 to 128 characters long (it is 0)',
        'item 3 ("emoji=☕"): tag value (AWS tagging rules): may hold only letters, digits, spaces and _ . : / = + - @',
      ]);
      const many = Array.from({ length: 49 }, (_, index) => `tag${index}=x`);
      assert.deepStrictEqual(
        errorOf({ iamUserName: "alice", tags: JSON.stringify(many) }).problems[0],
        {
          key: "tags",
          value: JSON.stringify(many),
          rules: ["a resource takes at most 50 tags, the project and stack tags included"],
          fix: "pulumi config rm --path 'tags[N]' for each tag N you can drop",
        },
      );
    });

    it("a tag key given twice", () => {
      const problem = errorOf({ iamUserName: "alice", tags: '["team=a", "team=b"]' }).problems[0];
      assert.deepStrictEqual(problem.rules, ['key "team" is given more than once']);
      assert.strictEqual(problem.fix, "pulumi config rm --path 'tags[N]' for each repeated item N");
    });

    it("emptyOnDelete together with retainOnDelete", () => {
      const problem = errorOf({
        iamUserName: "alice",
        emptyOnDelete: "true",
        retainOnDelete: "true",
      }).problems[0];
      assert.strictEqual(problem.key, "emptyOnDelete");
      assert.deepStrictEqual(problem.rules, [
        "contradicts retainOnDelete = true: a retained repository is never deleted, nor emptied",
      ]);
    });

    it("every bad key at once, in one error", () => {
      const error = errorOf({ iamUserName: "bad name", variant: "cdk", repositoryName: "Bad" });
      assert.deepStrictEqual(
        error.problems.map((problem) => problem.key),
        ["iamUserName", "variant", "repositoryName"],
      );
      assert.match(
        error.message,
        /^The stack config is invalid, so nothing was created or changed\./,
      );
    });
  });

  it("accepts a namespaced repository name in the native variant", () => {
    const settings = settingsOf({
      iamUserName: "alice",
      variant: "native",
      repositoryName: "team/app",
    });
    assert.strictEqual(settings.repositoryName, "team/app");
  });

  describe("warns at preview", () => {
    it("that emptyOnDelete lets destroy delete every image", () => {
      assert.deepStrictEqual(
        settingsWarnings(settingsOf({ iamUserName: "alice", emptyOnDelete: "true" })),
        [
          "emptyOnDelete is true: pulumi destroy deletes repository ecr-repository-dev with every image in it.",
        ],
      );
    });

    it("that no lifecycle rule leaves the repository growing", () => {
      const settings = settingsOf({
        iamUserName: "alice",
        untaggedImageExpiryDays: "0",
        maxTaggedImageCount: "0",
      });
      assert.deepStrictEqual(settingsWarnings(settings), [
        "untaggedImageExpiryDays and maxTaggedImageCount are both 0: the repository gets no " +
          "lifecycle policy and keeps every image (AWS Control Tower control CT.ECR.PR.1 fails).",
      ]);
    });

    it("nothing with the defaults", () => {
      assert.deepStrictEqual(settingsWarnings(settingsOf({ iamUserName: "alice" })), []);
    });
  });
});
