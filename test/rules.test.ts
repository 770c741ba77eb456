import * as assert from "assert";

import {
  brokenRules,
  CLOUDFORMATION_STACK_NAME,
  ECR_REPOSITORY_NAME,
  IAM_PATH,
  IAM_USER_NAME,
  NamingRule,
  toRepositoryName,
} from "../ecr/rules";

/** Every string of up to `maxLength` characters drawn from `alphabet`. */
function* allStrings(alphabet: string, maxLength: number): Generator<string> {
  yield "";
  let previous = [""];
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of previous) {
      for (const character of alphabet) {
        next.push(prefix + character);
      }
    }
    yield* next;
    previous = next;
  }
}

/**
 * The finer checks say exactly what the AWS pattern says: a value they all pass matches, and
 * a value that matches passes them all. So no error falls back to quoting the raw pattern.
 */
function assertChecksMatchPattern(rule: NamingRule, alphabet: string, maxLength: number): void {
  for (const value of allStrings(alphabet, maxLength)) {
    const checksPass = rule.checks.every((check) => check.passes(value));
    const lengthPasses = value.length >= rule.minLength && value.length <= rule.maxLength;
    assert.strictEqual(
      checksPass && lengthPasses,
      rule.pattern.test(value) && lengthPasses,
      `${rule.subject} ${JSON.stringify(value)}`,
    );
  }
}

describe("AWS naming rules", () => {
  describe("ECR repository names", () => {
    it("accepts names ECR accepts, namespaced ones included", () => {
      for (const name of ["ab", "ecr-repository-dev", "team/app", "a.b_c-d/e0", "x".repeat(256)]) {
        assert.deepStrictEqual(brokenRules(ECR_REPOSITORY_NAME, name), [], name);
      }
    });

    it("names each rule a name breaks", () => {
      const cases: Record<string, string[]> = {
        a: ["must be 2 to 256 characters long (it is 1)"],
        ["a".repeat(257)]: ["must be 2 to 256 characters long (it is 257)"],
        "Team-App": ["must be lowercase"],
        "my app": ["may hold only lowercase letters, digits, '.', '_', '-' and '/'"],
        "-app": ["must start and end with a letter or digit"],
        "app/": ["must start and end with a letter or digit"],
        "team//app": ["must not put two of '.', '_', '-', '/' next to each other"],
        "my--app": ["must not put two of '.', '_', '-', '/' next to each other"],
        _A: ["must be lowercase", "must start and end with a letter or digit"],
      };
      for (const [name, rules] of Object.entries(cases)) {
        assert.deepStrictEqual(brokenRules(ECR_REPOSITORY_NAME, name), rules, name);
      }
    });

    it("explains every name the ECR pattern rejects", () => {
      assertChecksMatchPattern(ECR_REPOSITORY_NAME, "aZ0._-/ ", 5);
    });
  });

  describe("CloudFormation stack names", () => {
    it("names each rule a name breaks", () => {
      assert.deepStrictEqual(brokenRules(CLOUDFORMATION_STACK_NAME, "Ecr-Repo-1"), []);
      assert.deepStrictEqual(brokenRules(CLOUDFORMATION_STACK_NAME, "1repo"), [
        "must start with a letter",
      ]);
      assert.deepStrictEqual(brokenRules(CLOUDFORMATION_STACK_NAME, "team/app"), [
        "may hold only letters, digits and '-' (no '.', '_' or '/')",
      ]);
      assert.deepStrictEqual(brokenRules(CLOUDFORMATION_STACK_NAME, "a".repeat(129)), [
        "must be 1 to 128 characters long (it is 129)",
      ]);
    });

    it("explains every name the CloudFormation pattern rejects", () => {
      assertChecksMatchPattern(CLOUDFORMATION_STACK_NAME, "aZ0-._/", 5);
    });
  });

  describe("IAM user names and paths", () => {
    it("accepts every character IAM allows in a user name", () => {
      assert.deepStrictEqual(brokenRules(IAM_USER_NAME, "Alice+ci=1,x.y@corp_z-w"), []);
    });

    it("names each rule a user name breaks", () => {
      assert.deepStrictEqual(brokenRules(IAM_USER_NAME, ""), [
        "must be 1 to 64 characters long (it is 0)",
      ]);
      assert.deepStrictEqual(brokenRules(IAM_USER_NAME, "a".repeat(65)), [
        "must be 1 to 64 characters long (it is 65)",
      ]);
      assert.deepStrictEqual(brokenRules(IAM_USER_NAME, "alice smith"), [
        "may hold only letters, digits and '+', '=', ',', '.', '@', '_', '-'",
      ]);
      assert.deepStrictEqual(brokenRules(IAM_USER_NAME, "team/alice"), [
        "may hold only letters, digits and '+', '=', ',', '.', '@', '_', '-'",
      ]);
    });

    it("explains every user name the IAM pattern rejects", () => {
      assertChecksMatchPattern(IAM_USER_NAME, "a0+ /", 4);
    });

    it("accepts the root path and nested paths, and nothing else", () => {
      assert.deepStrictEqual(brokenRules(IAM_PATH, "/"), []);
      assert.deepStrictEqual(brokenRules(IAM_PATH, "/team/ci/"), []);
      assert.deepStrictEqual(brokenRules(IAM_PATH, "team/"), [
        "must be '/' or a name between two '/', such as /team/",
      ]);
      assert.deepStrictEqual(brokenRules(IAM_PATH, "/my team/"), [
        "may hold only printable ASCII characters without spaces",
      ]);
      assertChecksMatchPattern(IAM_PATH, "/a ", 5);
    });
  });

  describe("repository names made from a project and stack", () => {
    it("lowercases and joins with single hyphens", () => {
      assert.strictEqual(toRepositoryName("ecr-repository-Prod-EU"), "ecr-repository-prod-eu");
      assert.strictEqual(toRepositoryName("ecr-repository-prod_eu.2"), "ecr-repository-prod-eu-2");
      assert.strictEqual(toRepositoryName("ecr-repository--a__b"), "ecr-repository-a-b");
    });

    it("starts with a letter and fits the template's docker-login policy name", () => {
      assert.strictEqual(toRepositoryName("42-ecr"), "ecr");
      // 128 characters of IAM policy name, less "ecr-docker-login-": 111, then the cut hyphen.
      const long = toRepositoryName(`ecr-repository-${"ab-".repeat(60)}`);
      assert.strictEqual(long.length, 110);
      assert.ok(!long.endsWith("-"), long);
      assert.strictEqual(toRepositoryName(`x${"a".repeat(200)}`).length, 111);
    });

    it("is valid for both ECR and CloudFormation, whatever the stack is called", () => {
      for (const stack of allStrings("aB1-_.", 4)) {
        for (const text of [`ecr-repository-${stack}`, stack]) {
          const name = toRepositoryName(text);
          assert.deepStrictEqual(brokenRules(ECR_REPOSITORY_NAME, name), [], text);
          assert.deepStrictEqual(brokenRules(CLOUDFORMATION_STACK_NAME, name), [], text);
        }
      }
    });
  });
});
