import * as assert from "assert";

import { lifecyclePolicy } from "../ecr/lifecycle";
import { lifecyclePolicyProblems } from "./support/lifecycle-rules";

describe("lifecycle policy", () => {
  it("by default expires untagged images after 14 days and keeps the last 100 tagged", () => {
    assert.deepStrictEqual(
      lifecyclePolicy({ untaggedImageExpiryDays: 14, maxTaggedImageCount: 100 }),
      {
        rules: [
          {
            rulePriority: 1,
            description: "Expire untagged images 14 days after push",
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: 14,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: "Keep the last 100 tagged images",
            selection: {
              tagStatus: "tagged",
              tagPatternList: ["*"],
              countType: "imageCountMoreThan",
              countNumber: 100,
            },
            action: { type: "expire" },
          },
        ],
      },
    );
  });

  it("drops a rule whose count is 0, and keeps the other's priority", () => {
    const taggedOnly = lifecyclePolicy({ untaggedImageExpiryDays: 0, maxTaggedImageCount: 5 });
    assert.deepStrictEqual(
      taggedOnly?.rules.map((rule) => [rule.rulePriority, rule.selection.tagStatus]),
      [[2, "tagged"]],
    );
    const untaggedOnly = lifecyclePolicy({ untaggedImageExpiryDays: 3, maxTaggedImageCount: 0 });
    assert.deepStrictEqual(
      untaggedOnly?.rules.map((rule) => [rule.rulePriority, rule.selection.tagStatus]),
      [[1, "untagged"]],
    );
  });

  it("is absent when both rules are off", () => {
    assert.strictEqual(
      lifecyclePolicy({ untaggedImageExpiryDays: 0, maxTaggedImageCount: 0 }),
      undefined,
    );
  });

  it("obeys ECR's rules for every setting", () => {
    for (const untaggedImageExpiryDays of [0, 1, 14, 2_147_483_647]) {
      for (const maxTaggedImageCount of [0, 1, 100, 2_147_483_647]) {
        const policy = lifecyclePolicy({ untaggedImageExpiryDays, maxTaggedImageCount });
        if (policy !== undefined) {
          assert.deepStrictEqual(lifecyclePolicyProblems(policy), [], JSON.stringify(policy));
        }
      }
    }
  });

  it("is checked against rules that do catch a bad policy", () => {
    const policy = lifecyclePolicy({ untaggedImageExpiryDays: 14, maxTaggedImageCount: 100 })!;
    const [untagged, tagged] = policy.rules;
    assert.deepStrictEqual(
      lifecyclePolicyProblems({
        rules: [
          { ...untagged, selection: { ...untagged.selection, tagStatus: "any" } },
          {
            ...tagged,
            rulePriority: 2,
            selection: { ...tagged.selection, tagPatternList: [], countNumber: 0 },
          },
          { ...tagged },
        ],
      }),
      [
        "rule priorities must be unique (they are 1, 2, 2)",
        "a rule with tagStatus any must be the only one and come last",
        "rule 2: a tagged rule needs tagPatternList or tagPrefixList",
        "rule 2: countNumber must be a positive integer",
      ],
    );
  });
});
